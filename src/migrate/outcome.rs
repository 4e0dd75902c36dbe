//! What preflight and roundtrip decide, as data. `report` renders them.

use super::Finding;
use crate::verdict::Verdict;
use serde::Serialize;

/// NO-GO when any finding blocks the release.
fn verdict_of(findings: &[Finding]) -> Verdict {
    if findings.iter().any(|f| !f.allowed) {
        Verdict::NoGo
    } else {
        Verdict::Go
    }
}

/// The preflight's report.
#[derive(Debug, Clone, Serialize)]
pub struct PreflightReport {
    pub verdict: Verdict,
    /// The URL without its password.
    pub database: String,
    pub migrations: String,
    /// Migrations in the folder.
    pub local: usize,
    /// Rows of `_sqlx_migrations`.
    pub applied: usize,
    pub findings: Vec<Finding>,
}

impl PreflightReport {
    /// A report whose verdict follows from its findings.
    pub fn new(
        database: String,
        migrations: String,
        local: usize,
        applied: usize,
        findings: Vec<Finding>,
    ) -> PreflightReport {
        PreflightReport {
            verdict: verdict_of(&findings),
            database,
            migrations,
            local,
            applied,
            findings,
        }
    }
}

/// The roundtrip's report.
#[derive(Debug, Clone, Serialize)]
pub struct RoundtripReport {
    pub verdict: Verdict,
    pub migrations: String,
    pub local: usize,
    /// Reversible migrations round-tripped.
    pub reversible: usize,
    pub findings: Vec<Finding>,
}

impl RoundtripReport {
    /// A report whose verdict follows from its findings.
    pub fn new(
        migrations: String,
        local: usize,
        reversible: usize,
        findings: Vec<Finding>,
    ) -> RoundtripReport {
        RoundtripReport {
            verdict: verdict_of(&findings),
            migrations,
            local,
            reversible,
            findings,
        }
    }
}
