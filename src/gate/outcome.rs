//! What the gate and `verify` decide, as data. `report` renders them.

use super::Statement;
use crate::reason::Reason;
use crate::verdict::Verdict;
use serde::Serialize;

/// The gate's report: the statement and where it was written.
#[derive(Debug, Clone, Serialize)]
pub struct GateReport {
    pub verdict: Verdict,
    pub artifact: String,
    pub signed: bool,
    pub statement: Statement,
}

impl GateReport {
    /// The report of a statement written to `artifact`.
    pub fn new(statement: Statement, artifact: String, signed: bool) -> GateReport {
        // SPEC §1: exit 1 when any check failed, else 2 when any errored,
        // else 0 — so CI can tell an outage from a real NO-GO.
        let statuses: Vec<&str> = statement
            .predicate
            .checks
            .iter()
            .map(|c| c.status.as_str())
            .collect();
        let verdict = if statuses.iter().any(|s| *s != "pass" && *s != "error") {
            Verdict::NoGo
        } else if statuses.contains(&"error") {
            Verdict::Error
        } else if statement.predicate.verdict == "go" {
            Verdict::Go
        } else {
            Verdict::NoGo
        };
        GateReport {
            verdict,
            artifact,
            signed,
            statement,
        }
    }
}

/// One reason `verify` fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyFinding {
    pub reason: Reason,
    pub detail: String,
}

impl VerifyFinding {
    /// A finding.
    pub fn new(reason: Reason, detail: &str) -> VerifyFinding {
        VerifyFinding {
            reason,
            detail: detail.to_string(),
        }
    }
}

/// The report of `verify`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub verdict: Verdict,
    pub artifact: String,
    pub signature_checked: bool,
    pub findings: Vec<VerifyFinding>,
}

impl VerifyReport {
    /// A report whose verdict follows from its findings.
    pub fn new(
        artifact: String,
        signature_checked: bool,
        findings: Vec<VerifyFinding>,
    ) -> VerifyReport {
        VerifyReport {
            verdict: if findings.is_empty() {
                Verdict::Go
            } else {
                Verdict::NoGo
            },
            artifact,
            signature_checked,
            findings,
        }
    }
}
