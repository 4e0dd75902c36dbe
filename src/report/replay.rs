//! The report of `gonogo replay`.

use super::{Report, Status, Style, TestCase, Verdict};
use crate::corpus::Counterexample;
use crate::reason::Reason;
use serde::Serialize;
use std::fmt::Write;

/// The replay of one corpus file.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayResult {
    pub file: String,
    pub property: String,
    /// `fail`: the counterexample still breaks the property.
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The counterexample with the decisions the target gives now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterexample: Option<Counterexample>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The report of a replay.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayReport {
    pub verdict: Verdict,
    pub files: Vec<ReplayResult>,
}

impl ReplayReport {
    /// A report whose verdict follows from its files.
    pub fn new(files: Vec<ReplayResult>) -> ReplayReport {
        ReplayReport {
            verdict: Verdict::combine(files.iter().map(|f| f.status.verdict())),
            files,
        }
    }
}

impl Report for ReplayReport {
    fn verdict(&self) -> Verdict {
        self.verdict
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} file(s)",
            style.bold("gonogo replay"),
            self.files.len()
        );
        for f in &self.files {
            let what = match f.status {
                Status::Pass => "holds now".to_string(),
                Status::Fail => "still fails".to_string(),
                Status::Error => "error".to_string(),
            };
            let _ = writeln!(
                out,
                "  {}  {} {} {what}",
                style.status(f.status),
                f.file,
                style.dim(&f.property)
            );
            if let Some(cx) = &f.counterexample {
                let _ = writeln!(out, "         {}", crate::redact::terminal(&cx.explanation));
            }
            if let Some(m) = &f.message {
                let _ = writeln!(out, "         {}", crate::redact::terminal(m));
            }
        }
        let _ = writeln!(out, "{}", style.verdict(self.verdict));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        self.files
            .iter()
            .map(|f| TestCase {
                name: f.file.clone(),
                status: f.status,
                kind: f.reason.map_or("error", Reason::code).to_string(),
                message: f
                    .counterexample
                    .as_ref()
                    .map(|c| c.explanation.clone())
                    .or_else(|| f.message.clone())
                    .unwrap_or_default(),
                detail: f
                    .counterexample
                    .as_ref()
                    .map(|c| serde_json::to_string_pretty(c).unwrap_or_default())
                    .unwrap_or_default(),
            })
            .collect()
    }

    fn suite(&self) -> String {
        "gonogo replay".to_string()
    }
}
