//! The reports of `gonogo migrate preflight` and `migrate roundtrip`.

use super::{PreflightReport, Report, RoundtripReport, Status, Style, TestCase, Verdict};
use crate::migrate::Finding;
use crate::reason::Reason;
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

impl Report for PreflightReport {
    fn verdict(&self) -> Verdict {
        Self::verdict(self)
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
        let _ = writeln!(out, "{}", style.verdict(self.verdict()));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        testcases(&PREFLIGHT_CHECKS, &self.findings)
    }

    fn suite(&self) -> String {
        "gonogo migrate preflight".into()
    }
}

impl Report for RoundtripReport {
    fn verdict(&self) -> Verdict {
        Self::verdict(self)
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
        let _ = writeln!(out, "{}", style.verdict(self.verdict()));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        testcases(&[Reason::NotReversible], &self.findings)
    }

    fn suite(&self) -> String {
        "gonogo migrate roundtrip".into()
    }
}
