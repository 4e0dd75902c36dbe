//! The report of `gonogo explain`: what reason codes mean.

use super::{Report, Status, Style, TestCase, Verdict};
use crate::reason::Reason;
use serde::Serialize;
use std::fmt::Write;

/// One reason code explained.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    /// The reason code, as reports print it.
    pub code: &'static str,
    /// The exit code a finding with this reason leads to.
    pub exit: i32,
    /// What the code means.
    pub explanation: &'static str,
}

/// A property explained.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedProperty {
    /// The property's name, as on the command line.
    pub name: &'static str,
    /// What it states.
    pub statement: &'static str,
    /// The reason code a violation reports (explained in `reasons`).
    pub reason: &'static str,
}

/// Reason codes (and properties) and what they mean.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainReport {
    /// The property asked about, when a property name was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<ExplainedProperty>,
    /// The reason codes explained: the one asked about (the property's),
    /// or every one.
    pub reasons: Vec<Explained>,
}

impl ExplainReport {
    /// The report of these reasons.
    pub fn new(reasons: &[Reason]) -> ExplainReport {
        ExplainReport {
            property: None,
            reasons: reasons
                .iter()
                .map(|r| Explained {
                    code: r.code(),
                    exit: r.exit_code(),
                    explanation: r.explanation(),
                })
                .collect(),
        }
    }
}

impl Report for ExplainReport {
    fn verdict(&self) -> Verdict {
        Verdict::Go
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        if let Some(p) = &self.property {
            let _ = writeln!(
                out,
                "{} (property)\n  {}\n  A violation reports `{}`:\n",
                style.bold(p.name),
                p.statement,
                p.reason
            );
        }
        for r in &self.reasons {
            let kind = if r.exit == 2 {
                "error, exit 2"
            } else {
                "NO-GO, exit 1"
            };
            let _ = writeln!(
                out,
                "{} ({kind})\n  {}\n",
                style.bold(r.code),
                r.explanation
            );
        }
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        self.reasons
            .iter()
            .map(|r| TestCase {
                name: r.code.to_string(),
                status: Status::Pass,
                kind: String::new(),
                message: r.explanation.to_string(),
                detail: String::new(),
            })
            .collect()
    }

    fn suite(&self) -> String {
        "gonogo explain".into()
    }
}
