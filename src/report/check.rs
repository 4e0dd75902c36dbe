//! The report of `gonogo check` (SPEC §6).

use super::{Report, Status, Style, TestCase, Verdict};
use crate::corpus::Counterexample;
use crate::reason::Reason;
use serde::Serialize;
use std::fmt::Write;

/// The result of one property.
#[derive(Debug, Clone, Serialize)]
pub struct PropertyResult {
    pub name: String,
    pub status: Status,
    /// Cases run (for a failure: up to and including the first failing one).
    pub cases: u64,
    pub exhaustive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterexample: Option<Counterexample>,
    /// For an error: what went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Where the counterexample was saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corpus_file: Option<String>,
    /// Ready-to-paste commands that reproduce the failure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reproduce: Vec<String>,
}

/// The report of a check run.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub verdict: Verdict,
    pub seed: String,
    pub properties: Vec<PropertyResult>,
    /// The config file checked (not serialized: the JSON stays path-free).
    #[serde(skip)]
    pub config: String,
}

impl CheckReport {
    /// A report whose verdict follows from its properties.
    pub fn new(config: String, seed: String, properties: Vec<PropertyResult>) -> CheckReport {
        let verdict = Verdict::combine(properties.iter().map(|p| p.status.verdict()));
        CheckReport {
            verdict,
            seed,
            properties,
            config,
        }
    }

    /// The result of one property, by name.
    pub fn property(&self, name: &str) -> Option<&PropertyResult> {
        self.properties.iter().find(|p| p.name == name)
    }
}

impl Report for CheckReport {
    fn verdict(&self) -> Verdict {
        self.verdict
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a report serializes")
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} {}",
            style.bold("gonogo check"),
            self.config,
            style.dim(&format!("seed {}", self.seed))
        );
        let width = self
            .properties
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(0);
        for p in &self.properties {
            let what = match (p.status, p.exhaustive) {
                (Status::Pass, true) => format!("{} cases, exhaustive", p.cases),
                (Status::Pass, false) => format!("{} cases", p.cases),
                (Status::Fail, _) => format!(
                    "{} after {} cases",
                    p.reason.map_or("failed", Reason::code),
                    p.cases
                ),
                (Status::Error, _) => p.reason.map_or("error", Reason::code).to_string(),
            };
            let _ = writeln!(
                out,
                "  {}  {:width$}  {what}",
                style.status(p.status),
                p.name
            );
            if let Some(m) = &p.message {
                let _ = writeln!(out, "         {m}");
            }
            if let Some(cx) = &p.counterexample {
                let _ = writeln!(out, "         {}", cx.explanation);
                for (r, d) in cx.requests.iter().zip(&cx.decisions) {
                    let req = serde_json::to_string(r).unwrap_or_default();
                    let dec = serde_json::to_string(d).unwrap_or_default();
                    let _ = writeln!(out, "         {} {req}", style.dim("request "));
                    let _ = writeln!(out, "         {} {dec}", style.dim("decision"));
                }
            }
            if let Some(f) = &p.corpus_file {
                let _ = writeln!(out, "         {} {f}", style.dim("saved   "));
            }
            for r in &p.reproduce {
                let _ = writeln!(out, "         {} {r}", style.dim("repro   "));
            }
        }
        let _ = writeln!(out, "{}", style.verdict(self.verdict));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        self.properties
            .iter()
            .map(|p| TestCase {
                name: p.name.clone(),
                status: p.status,
                kind: p.reason.map_or("error", Reason::code).to_string(),
                message: match (&p.counterexample, &p.message) {
                    (Some(cx), _) => cx.explanation.clone(),
                    (None, Some(m)) => m.clone(),
                    (None, None) => String::new(),
                },
                detail: match &p.counterexample {
                    Some(cx) => {
                        let mut d = serde_json::to_string_pretty(cx).unwrap_or_default();
                        for r in &p.reproduce {
                            d.push_str("\nreproduce: ");
                            d.push_str(r);
                        }
                        d
                    }
                    None => String::new(),
                },
            })
            .collect()
    }

    fn suite(&self) -> String {
        "gonogo check".to_string()
    }
}
