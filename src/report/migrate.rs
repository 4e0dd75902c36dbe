//! The reports of `gonogo migrate preflight` and `migrate roundtrip`.

use super::{Report, Status, Style, TestCase, Verdict};
use crate::migrate::Finding;
use crate::reason::Reason;
use serde::Serialize;
use std::fmt::Write;

/// The checks a preflight runs, one JUnit testcase each.
const PREFLIGHT_CHECKS: [Reason; 6] = [
    Reason::Pending,
    Reason::ChecksumMismatch,
    Reason::MissingLocal,
    Reason::Failed,
    Reason::OutOfOrder,
    Reason::SchemaDrift,
];

fn verdict_of(findings: &[Finding]) -> Verdict {
    if findings.iter().any(|f| !f.allowed) {
        Verdict::NoGo
    } else {
        Verdict::Go
    }
}

fn human_findings(out: &mut String, findings: &[Finding], style: &Style) {
    for f in findings {
        let status = if f.allowed {
            style.good("ALLOWED")
        } else {
            style.bad("NO-GO  ")
        };
        let version = f.version.map(|v| format!(" {v}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {status} {}{version}: {}",
            f.reason,
            crate::redact::terminal(&f.detail)
        );
        for o in &f.objects {
            let _ = writeln!(out, "          {} {o}", style.dim("-"));
        }
    }
}

fn testcases(checks: &[Reason], findings: &[Finding]) -> Vec<TestCase> {
    checks
        .iter()
        .map(|reason| {
            let failing: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.reason == *reason && !f.allowed)
                .collect();
            TestCase {
                name: reason.code().to_string(),
                status: if failing.is_empty() {
                    Status::Pass
                } else {
                    Status::Fail
                },
                kind: reason.code().to_string(),
                message: failing
                    .first()
                    .map(|f| f.detail.clone())
                    .unwrap_or_default(),
                detail: failing
                    .iter()
                    .map(|f| f.detail.clone())
                    .collect::<Vec<_>>()
                    .join("\n"),
            }
        })
        .collect()
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

impl Report for PreflightReport {
    fn verdict(&self) -> Verdict {
        self.verdict
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} against {} {}",
            style.bold("gonogo migrate preflight"),
            self.migrations,
            self.database,
            style.dim(&format!("({} local, {} applied)", self.local, self.applied))
        );
        if self.findings.is_empty() {
            let _ = writeln!(out, "  every migration applied, checksums match, no drift");
        }
        human_findings(&mut out, &self.findings, style);
        let _ = writeln!(out, "{}", style.verdict(self.verdict));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        testcases(&PREFLIGHT_CHECKS, &self.findings)
    }

    fn suite(&self) -> String {
        "gonogo migrate preflight".into()
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

impl Report for RoundtripReport {
    fn verdict(&self) -> Verdict {
        self.verdict
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} {}",
            style.bold("gonogo migrate roundtrip"),
            self.migrations,
            style.dim(&format!(
                "({} migrations, {} reversible)",
                self.local, self.reversible
            ))
        );
        if self.findings.is_empty() {
            let _ = writeln!(out, "  up → down → up leaves every schema unchanged");
        }
        human_findings(&mut out, &self.findings, style);
        let _ = writeln!(out, "{}", style.verdict(self.verdict));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        testcases(&[Reason::NotReversible], &self.findings)
    }

    fn suite(&self) -> String {
        "gonogo migrate roundtrip".into()
    }
}
