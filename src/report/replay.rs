//! The report of `gonogo replay`.

use super::{ReplayReport, Report, Status, Style, TestCase, Verdict};
use crate::reason::Reason;
use std::fmt::Write;

impl Report for ReplayReport {
    fn verdict(&self) -> Verdict {
        Self::verdict(self)
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
        let _ = writeln!(out, "{}", style.verdict(self.verdict()));
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
