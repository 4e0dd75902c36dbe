//! What the gate and `verify` decide, as data, with verdicts computed from
//! their parts. `report` renders them.

use super::Statement;
use crate::reason::Reason;
use crate::verdict::Verdict;
use serde::Serialize;

/// The gate's report: the statement and where it was written.
#[derive(Debug, Clone)]
pub struct GateReport {
    /// The path the proof was written to, as shown.
    pub artifact: String,
    /// Whether the proof was written as a signed DSSE envelope.
    pub signed: bool,
    /// The statement the gate made.
    pub statement: Statement,
}

impl GateReport {
    /// The report of a statement written to `artifact`.
    pub fn new(statement: Statement, artifact: String, signed: bool) -> GateReport {
        GateReport {
            artifact,
            signed,
            statement,
        }
    }

    /// SPEC §1: NO-GO when any check failed (or has any status but pass and
    /// error), else error when any errored, else the statement's own
    /// derived verdict — so CI can tell an outage from a real NO-GO.
    pub fn verdict(&self) -> Verdict {
        use super::CheckStatus;
        let statuses: Vec<CheckStatus> = self
            .statement
            .predicate
            .checks
            .iter()
            .map(|c| c.status)
            .collect();
        if statuses
            .iter()
            .any(|s| !matches!(s, CheckStatus::Pass | CheckStatus::Error))
        {
            Verdict::NoGo
        } else if statuses.contains(&CheckStatus::Error) {
            Verdict::Error
        } else if statuses.is_empty() || self.statement.predicate.derived_verdict() != "go" {
            Verdict::NoGo
        } else {
            Verdict::Go
        }
    }
}

impl Serialize for GateReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: Verdict,
            artifact: &'a str,
            signed: bool,
            statement: &'a Statement,
        }
        Json {
            verdict: self.verdict(),
            artifact: &self.artifact,
            signed: self.signed,
            statement: &self.statement,
        }
        .serialize(s)
    }
}

/// One reason `verify` fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyFinding {
    /// The reason code of the finding.
    pub reason: Reason,
    /// One sentence saying what is wrong.
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

/// The report of `verify`; GO exactly when it has no finding.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    /// The path of the artifact verified, as shown.
    pub artifact: String,
    /// Whether a public key was given, so the signature was checked.
    pub signature_checked: bool,
    /// What was found wrong; empty when the proof verifies.
    pub findings: Vec<VerifyFinding>,
}

impl VerifyReport {
    /// A report of these findings.
    pub fn new(
        artifact: String,
        signature_checked: bool,
        findings: Vec<VerifyFinding>,
    ) -> VerifyReport {
        VerifyReport {
            artifact,
            signature_checked,
            findings,
        }
    }

    /// GO exactly when nothing was found.
    pub fn verdict(&self) -> Verdict {
        if self.findings.is_empty() {
            Verdict::Go
        } else {
            Verdict::NoGo
        }
    }
}

impl Serialize for VerifyReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: Verdict,
            artifact: &'a str,
            signature_checked: bool,
            findings: &'a [VerifyFinding],
        }
        Json {
            verdict: self.verdict(),
            artifact: &self.artifact,
            signature_checked: self.signature_checked,
            findings: &self.findings,
        }
        .serialize(s)
    }
}
