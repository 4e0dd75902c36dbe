//! The report of `gonogo watch`.

use super::{Report, Status, Style, TestCase, Verdict};
use crate::watch::Outcome;
use serde::Serialize;
use std::fmt::Write;

/// The watch's report; NO-GO exactly when the outcome has a reason.
#[derive(Debug, Clone)]
pub struct WatchReport {
    /// Where the metrics came from: the CSV file, or the Prometheus URL redacted.
    pub source: String,
    /// What the thresholds found.
    pub outcome: Outcome,
    /// The path the watch notes were written to, if asked.
    pub notes: Option<String>,
    /// The path the chart was written to, if asked.
    pub chart: Option<String>,
}

impl Serialize for WatchReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: Verdict,
            source: &'a str,
            #[serde(flatten)]
            outcome: &'a Outcome,
            #[serde(skip_serializing_if = "Option::is_none")]
            notes: Option<&'a String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            chart: Option<&'a String>,
        }
        Json {
            verdict: self.verdict(),
            source: &self.source,
            outcome: &self.outcome,
            notes: self.notes.as_ref(),
            chart: self.chart.as_ref(),
        }
        .serialize(s)
    }
}

impl WatchReport {
    /// A report whose verdict follows from the outcome.
    pub fn new(
        source: String,
        outcome: Outcome,
        notes: Option<String>,
        chart: Option<String>,
    ) -> WatchReport {
        WatchReport {
            source,
            outcome,
            notes,
            chart,
        }
    }
}

impl WatchReport {
    /// GO exactly when no threshold gave a reason.
    pub fn verdict(&self) -> Verdict {
        if self.outcome.reasons.is_empty() {
            Verdict::Go
        } else {
            Verdict::NoGo
        }
    }
}

impl Report for WatchReport {
    fn verdict(&self) -> Verdict {
        Self::verdict(self)
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let o = &self.outcome;
        let _ = writeln!(
            out,
            "{} {} {}",
            style.bold("gonogo watch"),
            self.source,
            style.dim(&format!("{} to {}", o.start, o.end))
        );
        let width = o
            .thresholds
            .iter()
            .map(|t| t.metric.len())
            .max()
            .unwrap_or(0);
        for t in &o.thresholds {
            let status = if t.reason.is_some()
                || (!t.breaches.is_empty() && o.breaches as u64 > o.failure_limit)
            {
                Status::Fail
            } else {
                Status::Pass
            };
            let what = match (t.reason, t.worst, &t.worst_at) {
                (Some(r), _, _) => format!("{r} ({} samples)", t.samples),
                (None, Some(w), Some(at)) => format!(
                    "{}worst {w} at {at}, {} breach(es), {} samples",
                    if status == Status::Fail {
                        "threshold_breached: "
                    } else {
                        ""
                    },
                    t.breaches.len(),
                    t.samples
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  {}  {:width$}  {what}",
                style.status(status),
                t.metric
            );
        }
        let _ = writeln!(
            out,
            "  breaches {} (tolerated {})",
            o.breaches, o.failure_limit
        );
        for p in [&self.notes, &self.chart].into_iter().flatten() {
            let _ = writeln!(out, "  wrote {p}");
        }
        let _ = writeln!(out, "{}", style.verdict(self.verdict()));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        self.outcome
            .thresholds
            .iter()
            .map(|t| {
                let failing = t.reason.is_some()
                    || (!t.breaches.is_empty()
                        && self.outcome.breaches as u64 > self.outcome.failure_limit);
                TestCase {
                    name: t.metric.clone(),
                    status: if failing { Status::Fail } else { Status::Pass },
                    kind: t
                        .reason
                        .map_or("threshold_breached", |r| r.code())
                        .to_string(),
                    message: format!("{} breach(es) in {} samples", t.breaches.len(), t.samples),
                    detail: t
                        .breaches
                        .iter()
                        .map(|b| format!("{} {}", b.at, b.value))
                        .collect::<Vec<_>>()
                        .join("\n"),
                }
            })
            .collect()
    }

    fn suite(&self) -> String {
        "gonogo watch".into()
    }
}
