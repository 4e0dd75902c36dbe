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

/// The preflight's report; its verdict is computed from its findings.
#[derive(Debug, Clone)]
pub struct PreflightReport {
    /// The URL without its password.
    pub database: String,
    /// The migrations folder, as given.
    pub migrations: String,
    /// Migrations in the folder.
    pub local: usize,
    /// Rows of `_sqlx_migrations`.
    pub applied: usize,
    /// The findings; any not allowed makes the verdict NO-GO.
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
            database,
            migrations,
            local,
            applied,
            findings,
        }
    }
}

/// The roundtrip's report; its verdict is computed from its findings.
#[derive(Debug, Clone)]
pub struct RoundtripReport {
    /// The migrations folder, as given.
    pub migrations: String,
    /// Migrations in the folder.
    pub local: usize,
    /// Reversible migrations round-tripped.
    pub reversible: usize,
    /// The findings; any not allowed makes the verdict NO-GO.
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
            migrations,
            local,
            reversible,
            findings,
        }
    }
}

impl PreflightReport {
    /// NO-GO when any finding blocks the release.
    pub fn verdict(&self) -> Verdict {
        verdict_of(&self.findings)
    }
}

impl RoundtripReport {
    /// NO-GO when any finding blocks the release.
    pub fn verdict(&self) -> Verdict {
        verdict_of(&self.findings)
    }
}

impl Serialize for PreflightReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: Verdict,
            database: &'a str,
            migrations: &'a str,
            local: usize,
            applied: usize,
            findings: &'a [Finding],
        }
        Json {
            verdict: self.verdict(),
            database: &self.database,
            migrations: &self.migrations,
            local: self.local,
            applied: self.applied,
            findings: &self.findings,
        }
        .serialize(s)
    }
}

impl Serialize for RoundtripReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: Verdict,
            migrations: &'a str,
            local: usize,
            reversible: usize,
            findings: &'a [Finding],
        }
        Json {
            verdict: self.verdict(),
            migrations: &self.migrations,
            local: self.local,
            reversible: self.reversible,
            findings: &self.findings,
        }
        .serialize(s)
    }
}
