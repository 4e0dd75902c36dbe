//! The reports of `gonogo gate` and `gonogo verify`.

use super::{GateReport, Report, Status, Style, TestCase, Verdict, VerifyReport};
use crate::gate::CheckStatus;
use std::fmt::Write;

/// One line saying why a gate check did not pass: its error message, or
/// what its evidence lists (never empty for a check that did not pass).
fn gate_check_message(c: &crate::gate::Check) -> String {
    let e = &c.evidence;
    if let Some(m) = e.get("message").and_then(|m| m.as_str()) {
        return m.to_string();
    }
    if c.status == CheckStatus::Pass {
        return String::new();
    }
    let mut reasons: Vec<String> = Vec::new();
    let mut push = |code: &serde_json::Value| {
        if let Some(code) = code.as_str()
            && !reasons.iter().any(|r| r == code)
        {
            reasons.push(code.to_string());
        }
    };
    for p in e["properties"].as_array().into_iter().flatten() {
        push(&p["reason"]);
    }
    for f in e["findings"].as_array().into_iter().flatten() {
        push(&f["reason"]);
    }
    for env in e["environments"].as_array().into_iter().flatten() {
        for f in env["findings"].as_array().into_iter().flatten() {
            push(&f["reason"]);
        }
    }
    let corpus = e["not_passing"].as_array().map_or(0, Vec::len);
    if corpus > 0 {
        reasons.push(format!("{corpus} corpus file(s) still fail"));
    }
    if reasons.is_empty() {
        format!("check `{}` is `{}`", c.name, c.status)
    } else {
        format!(
            "check `{}` is `{}`: {}",
            c.name,
            c.status,
            reasons.join(", ")
        )
    }
}

/// A check's status as a JUnit testcase's: `missing` fails.
fn check_status(s: CheckStatus) -> Status {
    match s {
        CheckStatus::Pass => Status::Pass,
        CheckStatus::Error => Status::Error,
        CheckStatus::Fail | CheckStatus::Missing => Status::Fail,
    }
}

impl Report for GateReport {
    fn verdict(&self) -> Verdict {
        Self::verdict(self)
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", style.bold("gonogo gate"));
        for c in &self.statement.predicate.checks {
            let req = if c.required { "required" } else { "optional" };
            let _ = writeln!(
                out,
                "  {}  {:10} {} {}",
                style.status(check_status(c.status)),
                c.name,
                style.dim(req),
                c.status
            );
            if let Some(m) = c.evidence.get("message").and_then(|m| m.as_str()) {
                let _ = writeln!(out, "         {}", crate::redact::terminal(m));
            }
        }
        let kind = if self.signed {
            "signed DSSE envelope"
        } else {
            "in-toto statement"
        };
        let _ = writeln!(
            out,
            "  wrote {} ({kind}, {} subjects)",
            self.artifact,
            self.statement.subject.len()
        );
        let _ = writeln!(out, "{}", style.verdict(self.verdict()));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        self.statement
            .predicate
            .checks
            .iter()
            .map(|c| TestCase {
                name: c.name.clone(),
                status: check_status(c.status),
                kind: c.status.to_string(),
                message: gate_check_message(c),
                detail: serde_json::to_string_pretty(&c.evidence).unwrap_or_default(),
            })
            .collect()
    }

    fn suite(&self) -> String {
        "gonogo gate".into()
    }
}

impl Report for VerifyReport {
    fn verdict(&self) -> Verdict {
        Self::verdict(self)
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} {}", style.bold("gonogo verify"), self.artifact);
        if self.findings.is_empty() {
            let sig = if self.signature_checked {
                ", signature verified"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  every digest matches, every required check passed{sig}"
            );
        }
        for f in &self.findings {
            let _ = writeln!(out, "  {} {}", style.bad(f.reason.code()), f.detail);
        }
        let _ = writeln!(out, "{}", style.verdict(self.verdict()));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        vec![TestCase {
            name: "verify".into(),
            status: if self.findings.is_empty() {
                Status::Pass
            } else {
                Status::Fail
            },
            kind: self
                .findings
                .first()
                .map_or("", |f| f.reason.code())
                .to_string(),
            message: self
                .findings
                .first()
                .map(|f| f.detail.clone())
                .unwrap_or_default(),
            detail: self
                .findings
                .iter()
                .map(|f| format!("{}: {}", f.reason, f.detail))
                .collect::<Vec<_>>()
                .join("\n"),
        }]
    }

    fn suite(&self) -> String {
        "gonogo verify".into()
    }
}
