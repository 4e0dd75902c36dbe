//! `gonogo verify`: recompute every digest, check the required checks and
//! the verdict, and (with a key) the signature.

use super::digest;
use super::dsse::{self, Envelope};
use super::outcome::{VerifyFinding, VerifyReport};
use super::statement::{Check, PREDICATE_TYPE, Predicate, STATEMENT_TYPE, Statement};
use super::statement::{CheckStatus, Subject};
use crate::reason::Reason;
use std::path::{Path, PathBuf};

/// What to verify.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The artifact: a statement, or a DSSE envelope holding one.
    pub file: PathBuf,
    /// The folder subject names are relative to (default: the artifact's).
    pub root: Option<PathBuf>,
    /// A public key: the artifact must be a DSSE envelope signed with it.
    pub key: Option<PathBuf>,
    /// The release's `gonogo.toml`, relative to the root (default: the
    /// statement's `config` subject, else its first subject). Its digest must
    /// match the statement's, and it decides which subjects and required
    /// checks the statement must have.
    pub config: Option<String>,
    /// Skip comparing `git_commit` with the tree's commit.
    pub any_commit: bool,
}

/// Why `verify` could not decide (exit 2); what it found wrong in a
/// readable proof is a finding instead (NO-GO).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The artifact cannot be read.
    #[error("{artifact}: cannot read: {message}")]
    Unreadable {
        /// The artifact's path, as shown.
        artifact: String,
        /// Why it cannot be read.
        message: String,
    },
    /// The artifact is not a proof (not JSON, not an envelope, not a
    /// gonogo statement).
    #[error("{artifact}: {message}")]
    Malformed {
        /// The artifact's path, as shown.
        artifact: String,
        /// What it is not.
        message: String,
    },
    /// The public key is unusable.
    #[error("{0}")]
    Key(dsse::KeyError),
    /// The release's config, digest-checked, does not parse.
    #[error("{message}")]
    Config {
        /// The config's subject name.
        config: String,
        /// Why it does not parse, naming the config.
        message: String,
    },
}

/// Verifies an artifact. `Err` is an unreadable or malformed artifact or key
/// (exit 2); findings make it NO-GO (exit 1).
pub fn verify(opts: &VerifyOptions) -> Result<VerifyReport, VerifyError> {
    let shown = opts.file.display().to_string();
    let malformed = |message: String| VerifyError::Malformed {
        artifact: shown.clone(),
        message,
    };
    let text = crate::model::source::read_regular_text(&opts.file).map_err(|e| {
        VerifyError::Unreadable {
            artifact: shown.clone(),
            message: e.to_string(),
        }
    })?;
    let mut findings = Vec::new();
    let key = opts
        .key
        .as_deref()
        .map(dsse::read_public)
        .transpose()
        .map_err(VerifyError::Key)?;
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        // With a key, an envelope that no longer parses is a broken signature.
        Err(e) if key.is_some() => {
            findings.push(VerifyFinding::new(
                Reason::BadSignature,
                &format!("not a DSSE envelope ({e})"),
            ));
            return Ok(VerifyReport::new(shown, true, findings));
        }
        Err(e) => return Err(malformed(format!("not JSON ({e})"))),
    };
    let statement_bytes: Vec<u8> = if value.get("payloadType").is_some() || key.is_some() {
        let envelope: Envelope = match serde_json::from_value(value) {
            Ok(e) => e,
            Err(e) if key.is_some() => {
                let why = format!("not a signed DSSE envelope ({e})");
                findings.push(VerifyFinding::new(Reason::BadSignature, &why));
                return Ok(VerifyReport::new(shown, true, findings));
            }
            Err(e) => return Err(malformed(format!("not a DSSE envelope ({e})"))),
        };
        match &key {
            Some(k) => match dsse::verify(&envelope, k) {
                Ok(payload) => payload,
                Err(why) => {
                    findings.push(VerifyFinding::new(Reason::BadSignature, &why.to_string()));
                    return Ok(VerifyReport::new(shown, true, findings));
                }
            },
            None => dsse::decode_base64(&envelope.payload)
                .ok_or_else(|| malformed("the envelope's payload is not base64".into()))?,
        }
    } else {
        text.into_bytes()
    };
    let statement: Statement = serde_json::from_slice(&statement_bytes)
        .map_err(|e| malformed(format!("not a gonogo release proof ({e})")))?;
    if statement.kind != STATEMENT_TYPE || statement.predicate_type != PREDICATE_TYPE {
        return Err(malformed(
            "not a gonogo release proof (statement or predicate type)".into(),
        ));
    }
    let root = opts.root.clone().unwrap_or_else(|| {
        opts.file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    });
    for s in &statement.subject {
        if !super::run::inside(&s.name) {
            findings.push(VerifyFinding::new(
                Reason::DigestMismatch,
                &format!(
                    "`{}` is outside the tree: a proof binds only the tree's own inputs",
                    s.name
                ),
            ));
            continue;
        }
        match digest::subject(&root, &s.name) {
            // Every digest a subject of its kind carries must be there and
            // equal the tree's: sha256, and a folder's dirHash.
            Ok(now) if Subject::new(s.name.clone(), now.clone()).digest == s.digest => {}
            Ok(_) => findings.push(VerifyFinding::new(
                Reason::DigestMismatch,
                &format!("`{}` changed since the gate ran", s.name),
            )),
            Err(e) => findings.push(VerifyFinding::new(
                Reason::DigestMismatch,
                &format!(
                    "`{}` cannot be read: {}",
                    s.name,
                    crate::model::source::io_message(&e)
                ),
            )),
        }
    }
    let p = &statement.predicate;
    // The statement's own lists are not trusted: the subjects and required
    // checks are rebuilt from the digest-checked config.
    let config = expected_from_config(opts, &root, &statement, &mut findings)?;
    let required = match &config {
        Some(c) => c.gate.require.clone(),
        None => p.required.clone(),
    };
    if let Some(config) = &config {
        // Every check the config's sections run must be there, with
        // evidence that covers what the config names.
        for name in implied_checks(config) {
            match p.checks.iter().find(|c| c.name == name) {
                None => findings.push(VerifyFinding::new(
                    Reason::MissingCheck,
                    &format!("check `{name}`, which gonogo.toml's sections run, is absent"),
                )),
                Some(c) if c.status == CheckStatus::Pass => {
                    if let Some(why) = incomplete_evidence(c, config) {
                        findings.push(VerifyFinding::new(
                            Reason::VerdictNoGo,
                            &format!("check `{name}` is recorded as `pass` but {why}"),
                        ));
                    }
                }
                Some(_) => {}
            }
        }
    }
    for c in &p.checks {
        if c.status == CheckStatus::Pass
            && let Some(why) = evidence_findings(c)
        {
            findings.push(VerifyFinding::new(
                Reason::VerdictNoGo,
                &format!("check `{}` is recorded as `pass` but {why}", c.name),
            ));
        }
    }
    if !opts.any_commit {
        let (tree, dirty_now) = super::run::git(&root);
        if p.git_dirty == Some(true) {
            findings.push(VerifyFinding::new(
                Reason::CommitMismatch,
                "the proof was made on a tree with uncommitted changes: it describes no commit (--any-commit skips this)",
            ));
        } else if dirty_now == Some(true) {
            findings.push(VerifyFinding::new(
                Reason::CommitMismatch,
                "the tree has uncommitted changes: it is not the commit the proof was made at (--any-commit skips this)",
            ));
        }
        if tree != p.git_commit {
            let show = |c: &Option<String>| c.clone().unwrap_or_else(|| "none".into());
            findings.push(VerifyFinding::new(
                Reason::CommitMismatch,
                &format!(
                    "the proof was made at commit {} and the tree is at {} (--any-commit skips this)",
                    show(&p.git_commit),
                    show(&tree)
                ),
            ));
        }
    }
    for r in &required {
        match p.checks.iter().find(|c| &c.name == r) {
            None => findings.push(VerifyFinding::new(
                Reason::MissingCheck,
                &format!("required check `{r}` is absent"),
            )),
            Some(c) if c.status == CheckStatus::Missing => findings.push(VerifyFinding::new(
                Reason::MissingCheck,
                &format!("required check `{r}` did not run: its section is missing"),
            )),
            Some(c) if c.status != CheckStatus::Pass => findings.push(VerifyFinding::new(
                Reason::VerdictNoGo,
                &format!("required check `{r}` is `{}`", c.status),
            )),
            Some(_) => {}
        }
    }
    let derived = if required == p.required {
        p.derived_verdict()
    } else {
        Predicate {
            required: required.clone(),
            ..p.clone()
        }
        .derived_verdict()
    };
    if p.verdict != derived {
        findings.push(VerifyFinding::new(
            Reason::VerdictNoGo,
            &format!(
                "the verdict `{}` does not follow from the checks (they give `{derived}`)",
                p.verdict
            ),
        ));
    } else if p.verdict != "go" {
        findings.push(VerifyFinding::new(
            Reason::VerdictNoGo,
            "the gate's verdict is NO-GO",
        ));
    }
    Ok(VerifyReport::new(shown, key.is_some(), findings))
}

/// Rebuilds what the statement must hold from the release's config: every
/// subject the config names (one missing, extra or repeated is
/// `digest_mismatch`), and the required checks (returned; a statement whose
/// list differs gets `missing_check`). `None` when the config itself did not
/// verify (that is already a finding).
fn expected_from_config(
    opts: &VerifyOptions,
    root: &Path,
    statement: &Statement,
    findings: &mut Vec<VerifyFinding>,
) -> Result<Option<crate::model::Config>, VerifyError> {
    let p = &statement.predicate;
    let name = opts
        .config
        .clone()
        .or_else(|| p.config.clone())
        .or_else(|| statement.subject.first().map(|s| s.name.clone()));
    let Some(name) = name else {
        findings.push(VerifyFinding::new(
            Reason::DigestMismatch,
            "the proof names no subject, not even its gonogo.toml",
        ));
        return Ok(None);
    };
    let Some(recorded) = statement.subject.iter().find(|s| s.name == name) else {
        findings.push(VerifyFinding::new(
            Reason::DigestMismatch,
            &format!("the release's config `{name}` is not a subject of the proof"),
        ));
        return Ok(None);
    };
    let path = root.join(&name);
    let Ok(bytes) = crate::model::source::read_regular(&path) else {
        return Ok(None);
    };
    if recorded.digest.get("sha256") != Some(&digest::bytes_digest(&bytes)) {
        return Ok(None);
    }
    let text = String::from_utf8(bytes).map_err(|_| VerifyError::Config {
        config: name.clone(),
        message: format!("`{name}`: not UTF-8 text"),
    })?;
    let config = crate::model::Config::parse(&crate::model::source::SourceFile::new(&path, text))
        .map_err(|e| VerifyError::Config {
        config: name.clone(),
        message: format!("cannot rebuild the gate's inputs from `{name}`: {e}"),
    })?;
    let expected: Vec<String> = super::run::inputs(&config)
        .into_iter()
        .map(|i| i.name)
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for s in &statement.subject {
        if !seen.insert(s.name.as_str()) {
            findings.push(VerifyFinding::new(
                Reason::DigestMismatch,
                &format!("`{}` is listed twice in the proof", s.name),
            ));
        } else if !expected.contains(&s.name) {
            findings.push(VerifyFinding::new(
                Reason::DigestMismatch,
                &format!(
                    "`{}` is in the proof but is not an input `{name}` names",
                    s.name
                ),
            ));
        }
    }
    for e in &expected {
        if !seen.contains(e.as_str()) {
            findings.push(VerifyFinding::new(
                Reason::DigestMismatch,
                &format!("`{e}` is an input of the gate (`{name}` names it) but not in the proof"),
            ));
        }
    }
    let required = &config.gate.require;
    let mut a = required.clone();
    let mut b = p.required.clone();
    a.sort();
    b.sort();
    if a != b {
        findings.push(VerifyFinding::new(
            Reason::MissingCheck,
            &format!(
                "the proof requires [{}] but `{name}` requires [{}]",
                p.required.join(", "),
                required.join(", ")
            ),
        ));
    }
    Ok(Some(config))
}

/// The checks a config's sections make the gate run.
fn implied_checks(config: &crate::model::Config) -> Vec<&'static str> {
    let mut out = vec!["properties"];
    if config.gate.corpus {
        out.push("corpus");
    }
    if config.gate.migrations.is_some() {
        out.push("migrations");
    }
    if config.gate.env.is_some() {
        out.push("env");
    }
    out
}

/// Why a passing check's evidence does not cover what the config names:
/// every property with the config's cases, every environment, the corpus
/// and migrations results in their expected shape.
fn incomplete_evidence(c: &Check, config: &crate::model::Config) -> Option<String> {
    let e = &c.evidence;
    match c.name.as_str() {
        "properties" => {
            let listed = |key: &str| -> Option<String> {
                let ps = e[key].as_array()?;
                let all = crate::invariants::Property::ALL;
                let complete = all.iter().all(|p| {
                    ps.iter().any(|x| {
                        x["name"] == p.name()
                            && x["status"] == "pass"
                            && (key == "exhaustive_properties"
                                || x["cases"].as_u64() == Some(u64::from(config.cases)))
                    })
                });
                (!complete).then(|| format!("its `{key}` evidence does not list every property passing with the config's cases"))
            };
            if e["properties"].as_array().is_none() {
                return Some("its evidence has no `properties`".into());
            }
            if let Some(why) = listed("properties") {
                return Some(why);
            }
            if config.exhaustive {
                if e["exhaustive_properties"].as_array().is_none() {
                    return Some(
                        "the config asks for an exhaustive run and the evidence has none".into(),
                    );
                }
                return listed("exhaustive_properties");
            }
            None
        }
        "corpus" => (e["files"].as_u64().is_none()
            || e["not_passing"].as_array().is_none_or(|a| !a.is_empty()))
        .then(|| "its evidence does not show every corpus file passing".into()),
        "migrations" => e["findings"]
            .as_array()
            .is_none_or(|fs| fs.iter().any(|f| f["allowed"] != true))
            .then(|| "its evidence does not show a clean preflight".into()),
        "env" => {
            let Some(envs) = e["environments"].as_array() else {
                return Some("its evidence has no `environments`".into());
            };
            let names = config
                .gate
                .env
                .as_ref()
                .map(|env| env.files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>())
                .unwrap_or_default();
            let complete = names.iter().all(|n| {
                envs.iter().any(|x| {
                    x["name"] == n.as_str() && x["findings"].as_array().is_some_and(Vec::is_empty)
                })
            });
            (!complete || envs.len() != names.len())
                .then(|| "its evidence does not show every environment of the config clean".into())
        }
        _ => None,
    }
}

/// Why a check's evidence shows it did not pass, if it does.
fn evidence_findings(c: &Check) -> Option<String> {
    let e = &c.evidence;
    let nonempty = |v: &serde_json::Value| v.as_array().is_some_and(|a| !a.is_empty());
    if e.get("message").is_some() {
        return Some("its evidence holds an error message".into());
    }
    for key in ["properties", "exhaustive_properties"] {
        if e[key]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["status"] != "pass"))
        {
            return Some(format!(
                "its evidence lists a `{key}` entry that did not pass"
            ));
        }
    }
    if nonempty(&e["not_passing"]) {
        return Some("its evidence lists corpus files that do not pass".into());
    }
    if e["findings"]
        .as_array()
        .is_some_and(|fs| fs.iter().any(|f| f["allowed"] != true))
    {
        return Some("its evidence lists findings".into());
    }
    if e["environments"]
        .as_array()
        .is_some_and(|envs| envs.iter().any(|env| nonempty(&env["findings"])))
    {
        return Some("its evidence lists env findings".into());
    }
    None
}
