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
    /// Its digests by algorithm: `sha256` and its lowercase hex.
    pub digest: BTreeMap<String, String>,
}

impl Subject {
    /// A subject with its `sha256`; a folder (a name ending with `/`) also
    /// carries in-toto's `dirHash`, which is the same listing digest.
    pub fn new(name: String, sha256: String) -> Subject {
        let mut digest = BTreeMap::from([("sha256".to_string(), sha256.clone())]);
        if name.ends_with('/') {
            digest.insert("dirHash".to_string(), sha256);
        }
        Subject { name, digest }
    }
}

/// A check's status in the proof: `pass`, `fail`, `error`, or `missing`
/// (required, but its section is absent). Any other word in a statement is
/// refused when it is read (it could not mean pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// The check ran and passed.
    Pass,
    /// The check ran and failed.
    Fail,
    /// The check could not run to a result.
    Error,
    /// The check is required, but its section is absent from the config.
    Missing,
}

impl CheckStatus {
    /// The word the statement holds.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Error => "error",
            CheckStatus::Missing => "missing",
        }
    }

    /// The status a check with this verdict has.
    pub fn of(verdict: crate::verdict::Verdict) -> CheckStatus {
        match verdict {
            crate::verdict::Verdict::Go => CheckStatus::Pass,
            crate::verdict::Verdict::NoGo => CheckStatus::Fail,
            crate::verdict::Verdict::Error => CheckStatus::Error,
        }
    }
}

impl std::fmt::Display for CheckStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One check of the gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// The check's name: `properties`, `corpus`, `migrations` or `env`.
    pub name: String,
    /// How it ended.
    pub status: CheckStatus,
    /// Whether `[gate] require` lists it.
    pub required: bool,
    /// What the check saw, as JSON (an error's `message` among it).
    pub evidence: serde_json::Value,
}

/// The tool that made the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// The tool's name: `gonogo`.
    pub name: String,
    /// The tool's version.
    pub version: String,
}

/// What the gate found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Predicate {
    /// `go` or `no-go`.
    pub verdict: String,
    /// The names of the checks that must pass (`[gate] require`).
    pub required: Vec<String>,
    /// Every check the gate ran or found missing, in the gate's order.
    pub checks: Vec<Check>,
    /// The tool that made the statement.
    pub tool: Tool,
    /// The subject that is the release's `gonogo.toml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// The git commit of the config's folder; absent outside git.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// Whether tracked files had uncommitted changes; absent outside git.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_dirty: Option<bool>,
    /// When the gate started, in RFC 3339 (UTC).
    pub started_at: String,
    /// When the gate finished, in RFC 3339 (UTC).
    pub finished_at: String,
}

/// An in-toto Statement v1 with gonogo's predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// `_type`: in-toto's Statement type, `https://in-toto.io/Statement/v1`.
    #[serde(rename = "_type")]
    pub kind: String,
    /// Every input of the gate with its digest.
    pub subject: Vec<Subject>,
    /// `predicateType`: gonogo's predicate type, `https://gonogo.dev/release-proof/v1`.
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// What the gate found.
    pub predicate: Predicate,
}

impl Predicate {
    /// The verdict the checks lead to: GO only when every required check is
    /// present and passed and every check run passed.
    pub fn derived_verdict(&self) -> &'static str {
        let required_ok = self.required.iter().all(|r| {
            self.checks
                .iter()
                .any(|c| &c.name == r && c.status == CheckStatus::Pass)
        });
        let all_ok = self.checks.iter().all(|c| c.status == CheckStatus::Pass);
        if required_ok && all_ok { "go" } else { "no-go" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16: a check's status is a type. Before, any string was read
    /// and compared with `"pass"` in five places; now a word that is not a
    /// status cannot be read at all (it could never mean pass).
    #[test]
    fn a_check_status_is_one_of_four_words() {
        let check = |status: &str| {
            serde_json::from_value::<Check>(serde_json::json!({
                "name": "properties", "status": status, "required": true, "evidence": {}
            }))
        };
        assert_eq!(check("pass").unwrap().status, CheckStatus::Pass);
        assert_eq!(check("missing").unwrap().status, CheckStatus::Missing);
        for word in ["Pass", "PASS", "passed", "ok", "go", ""] {
            assert!(check(word).is_err(), "{word:?} was read as a status");
        }
        assert_eq!(
            serde_json::to_value(CheckStatus::Fail).unwrap(),
            serde_json::json!("fail")
        );
    }
}
