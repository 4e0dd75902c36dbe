//! The proof artifact: an in-toto Statement v1 whose predicate records the
//! gate's checks, their evidence and the verdict.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// in-toto's Statement type.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// gonogo's predicate type.
pub const PREDICATE_TYPE: &str = "https://gonogo.dev/release-proof/v1";

/// An input of the gate with its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Relative to the config's folder; a folder ends with `/`.
    pub name: String,
    pub digest: BTreeMap<String, String>,
}

/// One check of the gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    /// `pass`, `fail`, `error` or `missing`.
    pub status: String,
    pub required: bool,
    pub evidence: serde_json::Value,
}

/// The tool that made the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// What the gate found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Predicate {
    /// `go` or `no-go`.
    pub verdict: String,
    pub required: Vec<String>,
    pub checks: Vec<Check>,
    pub tool: Tool,
    /// The subject that is the release's `gonogo.toml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_dirty: Option<bool>,
    pub started_at: String,
    pub finished_at: String,
}

/// An in-toto Statement v1 with gonogo's predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub kind: String,
    pub subject: Vec<Subject>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    pub predicate: Predicate,
}

impl Predicate {
    /// The verdict the checks lead to: GO only when every required check is
    /// present and passed and every check run passed.
    pub fn derived_verdict(&self) -> &'static str {
        let required_ok = self.required.iter().all(|r| {
            self.checks
                .iter()
                .any(|c| &c.name == r && c.status == "pass")
        });
        let all_ok = self.checks.iter().all(|c| c.status == "pass");
        if required_ok && all_ok { "go" } else { "no-go" }
    }
}
