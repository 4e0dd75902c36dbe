//! The report of `gonogo check` (SPEC §6).

use super::{CheckReport, CoverageSummary, Report, Status, Style, TestCase, Verdict};
use crate::reason::Reason;
use std::fmt::Write;

/// "212 of 360 (scope closure × action × tenant relation) combinations exercised".
fn coverage_line(c: &CoverageSummary) -> String {
    let dims = c.dimensions.join(" × ");
    match (c.combinations, c.never_count) {
        (Some(total), Some(0)) => format!("all {total} ({dims}) combinations exercised"),
        (Some(total), Some(never)) => format!(
            "{} of {total} ({dims}) combinations exercised, {never} never",
            c.exercised
        ),
        _ => format!(
            "{} ({dims}) combinations exercised (too many scopes to count them all)",
            c.exercised
        ),
    }
}

impl Report for CheckReport {
    fn verdict(&self) -> Verdict {
        Self::verdict(self)
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} {}",
            style.bold("gonogo check"),
            self.config,
            style.dim(&format!("seed {}", self.seed))
        );
        let width = self
            .properties
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(0);
        // A target that could not be reached fails every property with the
        // same message (but for the last request): say it once, at the end.
        let cause = |p: &crate::runner::PropertyResult| {
            p.message
                .as_deref()
                .map(|m| m.split("; last request:").next().unwrap_or(m).to_string())
        };
        let same_error = self.properties.len() > 1
            && self.properties.iter().all(|p| p.status == Status::Error)
            && self
                .properties
                .windows(2)
                .all(|w| cause(&w[0]) == cause(&w[1]));
        for (i, p) in self.properties.iter().enumerate() {
            let what = match (p.status, p.exhaustive) {
                (Status::Pass, true) => format!("{} cases, exhaustive", p.cases),
                (Status::Pass, false) => format!("{} cases", p.cases),
                (Status::Fail, true) => format!(
                    "{} in {} cases, exhaustive",
                    p.reason.map_or("failed", Reason::code),
                    p.cases
                ),
                (Status::Fail, false) => format!(
                    "{} after {} cases",
                    p.reason.map_or("failed", Reason::code),
                    p.cases
                ),
                (Status::Error, _) => p.reason.map_or("error", Reason::code).to_string(),
            };
            let _ = writeln!(
                out,
                "  {}  {:width$}  {what}",
                style.status(p.status),
                p.name
            );
            if same_error {
                if i + 1 == self.properties.len()
                    && let Some(m) = cause(p)
                {
                    let _ = writeln!(
                        out,
                        "         every property: {}",
                        crate::redact::terminal(&m)
                    );
                }
            } else if let Some(m) = &p.message {
                let _ = writeln!(out, "         {}", crate::redact::terminal(m));
            }
            if let Some(n) = &p.note {
                let _ = writeln!(out, "         {}", style.dim(n));
            }
            if let Some(cx) = &p.counterexample {
                let _ = writeln!(out, "         {}", crate::redact::terminal(&cx.explanation));
                for (r, d) in cx.requests.iter().zip(&cx.decisions) {
                    let req = crate::redact::text(&serde_json::to_string(r).unwrap_or_default());
                    let dec = crate::redact::text(&serde_json::to_string(d).unwrap_or_default());
                    let _ = writeln!(out, "         {} {req}", style.dim("request "));
                    let _ = writeln!(out, "         {} {dec}", style.dim("decision"));
                }
            }
            if !p.skipped.is_empty() {
                let total: u64 = p.skipped.values().sum();
                let why: Vec<String> = p
                    .skipped
                    .iter()
                    .take(3)
                    .map(|(why, n)| format!("{} ({n})", crate::redact::terminal(why)))
                    .collect();
                let _ = writeln!(
                    out,
                    "         {} {total} request(s) the target cannot represent, never checked: {}",
                    style.dim("skipped "),
                    why.join(", ")
                );
            }
            if p.status == Status::Fail && !p.mismatches.is_empty() {
                let shown = p.mismatch.map(|m| format!(" (shown: {})", m.words()));
                let _ = writeln!(
                    out,
                    "         {} {}{}",
                    style.dim("found   "),
                    crate::invariants::describe_mismatches(&p.mismatches),
                    shown.unwrap_or_default()
                );
            }
            if let Some(f) = &p.corpus_file {
                let _ = writeln!(out, "         {} {f}", style.dim("saved   "));
            }
            for r in &p.reproduce {
                let _ = writeln!(out, "         {} {r}", style.dim("repro   "));
            }
        }
        if let Some(x) = &self.exhaustive {
            let _ = writeln!(out, "  {} {}", style.dim("domain  "), x.domain);
        }
        if let Some(c) = &self.coverage {
            let _ = writeln!(out, "  {} {}", style.dim("coverage"), coverage_line(c));
            for never in c.never.iter().take(5) {
                let _ = writeln!(out, "           {} {never}", style.dim("never"));
            }
        }
        let _ = writeln!(out, "{}", style.verdict(self.verdict()));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        self.properties
            .iter()
            .map(|p| TestCase {
                name: p.name.clone(),
                status: p.status,
                kind: p.reason.map_or("error", Reason::code).to_string(),
                message: match (&p.counterexample, &p.message) {
                    (Some(cx), _) => cx.explanation.clone(),
                    (None, Some(m)) => m.clone(),
                    (None, None) => String::new(),
                },
                detail: match &p.counterexample {
                    Some(cx) => {
                        let mut d = serde_json::to_string_pretty(cx).unwrap_or_default();
                        for r in &p.reproduce {
                            d.push_str("\nreproduce: ");
                            d.push_str(r);
                        }
                        d
                    }
                    None => String::new(),
                },
            })
            .collect()
    }

    fn suite(&self) -> String {
        "gonogo check".to_string()
    }
}
