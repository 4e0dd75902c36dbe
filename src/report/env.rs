//! The report of `gonogo env check`.

use super::{Report, Status, Style, TestCase, Verdict};
use crate::env::EnvFinding;
use crate::reason::Reason;
use serde::Serialize;
use std::fmt::Write;

/// A finding's detail, naming its readers when it holds for some only.
fn detail(f: &EnvFinding) -> String {
    if f.readers.is_empty() || f.reason == Reason::AmbiguousLine {
        f.detail.clone()
    } else {
        format!("{} (as {} read it)", f.detail, f.readers.join(", "))
    }
}

/// One environment's result.
#[derive(Debug, Clone, Serialize)]
pub struct EnvResult {
    /// The environment's name.
    pub name: String,
    /// The environment's class in the matrix (`dev`, `test`, `prod-like` or `prod`).
    pub class: String,
    /// The env file checked, as shown.
    pub file: String,
    /// Pass when it has no finding, else fail.
    pub status: Status,
    /// What the matrix forbids or misses in the file.
    pub findings: Vec<EnvFinding>,
}

/// The report of an env check; its verdict is computed from its
/// environments (none checked is never GO).
#[derive(Debug, Clone)]
pub struct EnvReport {
    /// The matrix file, as shown.
    pub matrix: String,
    /// Each environment checked, in order.
    pub environments: Vec<EnvResult>,
}

impl EnvReport {
    /// A report of these environments.
    pub fn new(matrix: String, environments: Vec<EnvResult>) -> EnvReport {
        EnvReport {
            matrix,
            environments,
        }
    }

    /// Any error wins, then any failure; no environment is an error.
    pub fn verdict(&self) -> Verdict {
        if self.environments.is_empty() {
            return Verdict::Error;
        }
        Verdict::combine(self.environments.iter().map(|e| e.status.verdict()))
    }
}

impl Serialize for EnvReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: Verdict,
            matrix: &'a str,
            environments: &'a [EnvResult],
        }
        Json {
            verdict: self.verdict(),
            matrix: &self.matrix,
            environments: &self.environments,
        }
        .serialize(s)
    }
}

impl Report for EnvReport {
    fn verdict(&self) -> Verdict {
        Self::verdict(self)
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} {}", style.bold("gonogo env check"), self.matrix);
        let label = |e: &EnvResult| format!("{} ({})", e.name, e.class);
        let width = self
            .environments
            .iter()
            .map(|e| label(e).chars().count())
            .max()
            .unwrap_or(0);
        for e in &self.environments {
            let shown = label(e);
            let pad = " ".repeat(width - shown.chars().count());
            let _ = writeln!(
                out,
                "  {}  {} {}{pad}  {}",
                style.status(e.status),
                e.name,
                style.dim(&format!("({})", e.class)),
                e.file
            );
            for f in &e.findings {
                let at = f
                    .line
                    .map(|l| format!("{}:{l}", e.file))
                    .unwrap_or_else(|| e.file.clone());
                let _ = writeln!(
                    out,
                    "         {} {at}: {}",
                    style.bad(f.reason.code()),
                    detail(f)
                );
            }
        }
        let _ = writeln!(out, "{}", style.verdict(self.verdict()));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        self.environments
            .iter()
            .map(|e| TestCase {
                name: e.name.clone(),
                status: e.status,
                kind: e
                    .findings
                    .first()
                    .map_or("", |f| f.reason.code())
                    .to_string(),
                message: e.findings.first().map(detail).unwrap_or_default(),
                detail: e
                    .findings
                    .iter()
                    .map(|f| {
                        let at = f
                            .line
                            .map(|l| format!("{}:{l}", e.file))
                            .unwrap_or_else(|| e.file.clone());
                        format!("{} {at}: {}", f.reason.code(), detail(f))
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
            .collect()
    }

    fn suite(&self) -> String {
        "gonogo env check".into()
    }
}
