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
    let mut reasons = reason_codes(c);
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

/// Why a check did not pass, line by line: per failed or errored property,
/// its reason and counterexample in one sentence (or its error), the file
/// it was saved to and the line that reproduces it; per corpus file that
/// does not pass, the file and why.
fn why(c: &crate::gate::Check) -> Vec<String> {
    let e = &c.evidence;
    let mut out = Vec::new();
    for key in ["properties", "exhaustive_properties"] {
        for p in e[key].as_array().into_iter().flatten() {
            if p["status"] == "pass" {
                continue;
            }
            let name = p["name"].as_str().unwrap_or_default();
            let reason = p["reason"].as_str().unwrap_or("error");
            let what = p["explanation"]
                .as_str()
                .or_else(|| p["message"].as_str())
                .unwrap_or_default();
            let mode = if key == "exhaustive_properties" {
                " (exhaustive)"
            } else {
                ""
            };
            out.push(format!("{name}{mode}: {reason}: {what}"));
            if let Some(f) = p["corpus_file"].as_str() {
                out.push(format!("  saved to {f}"));
            }
            if let Some(r) = p["reproduce"].as_array().and_then(|r| r.first()) {
                out.push(format!("  reproduce: {}", r.as_str().unwrap_or_default()));
            }
        }
    }
    for f in e["not_passing"].as_array().into_iter().flatten() {
        out.push(format!(
            "{}: {}{}",
            f["file"].as_str().unwrap_or_default(),
            f["status"].as_str().unwrap_or_default(),
            f["message"]
                .as_str()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        ));
    }
    out
}

/// The reason codes a check's evidence names, each once, in order: its
/// properties' (random, then exhaustive), its findings', its environments'.
fn reason_codes(c: &crate::gate::Check) -> Vec<String> {
    let e = &c.evidence;
    let mut out: Vec<String> = Vec::new();
    let items = ["properties", "exhaustive_properties", "findings"]
        .iter()
        .flat_map(|k| e[*k].as_array().into_iter().flatten())
        .chain(
            e["environments"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|env| env["findings"].as_array().into_iter().flatten()),
        );
    for code in items.filter_map(|x| x["reason"].as_str()) {
        if !out.iter().any(|r| r == code) {
            out.push(code.to_string());
        }
    }
    out
}

/// The reason code a check's JUnit failure carries: its first, else its
/// status.
fn check_kind(c: &crate::gate::Check) -> String {
    reason_codes(c)
        .into_iter()
        .next()
        .unwrap_or_else(|| c.status.to_string())
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
            for line in why(c) {
                let _ = writeln!(out, "         {}", crate::redact::terminal(&line));
            }
        }
        let kind = if self.signed {
            "signed DSSE envelope"
        } else {
            "in-toto statement"
        };
        let _ = writeln!(
            out,
            "  wrote {} ({kind}, {} subject{})",
            self.artifact,
            self.statement.subject.len(),
            if self.statement.subject.len() == 1 {
                ""
            } else {
                "s"
            }
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
                kind: if c.status == CheckStatus::Pass {
                    String::new()
                } else {
                    check_kind(c)
                },
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
