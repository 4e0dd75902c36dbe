//! `gonogo verify`: recompute every digest, check the required checks and
//! the verdict, and (with a key) the signature.

use super::digest;
use super::dsse::{self, Envelope};
use super::statement::{PREDICATE_TYPE, STATEMENT_TYPE, Statement};
use crate::reason::Reason;
use crate::report::{VerifyFinding, VerifyReport};
use std::path::{Path, PathBuf};

/// What to verify.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    pub file: PathBuf,
    /// The folder subject names are relative to (default: the artifact's).
    pub root: Option<PathBuf>,
    /// A public key: the artifact must be a DSSE envelope signed with it.
    pub key: Option<PathBuf>,
}

/// Verifies an artifact. `Err` is an unreadable or malformed artifact or key
/// (exit 2); findings make it NO-GO (exit 1).
pub fn verify(opts: &VerifyOptions) -> Result<VerifyReport, String> {
    let shown = opts.file.display().to_string();
    let text = std::fs::read_to_string(&opts.file).map_err(|e| {
        format!(
            "{shown}: cannot read: {}",
            crate::model::source::io_message(&e)
        )
    })?;
    let mut findings = Vec::new();
    let key = opts.key.as_deref().map(dsse::read_public).transpose()?;
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
        Err(e) => return Err(format!("{shown}: not JSON ({e})")),
    };
    let statement_bytes: Vec<u8> = if value.get("payloadType").is_some() || key.is_some() {
        let envelope: Envelope = match serde_json::from_value(value) {
            Ok(e) => e,
            Err(e) if key.is_some() => {
                let why = format!("not a signed DSSE envelope ({e})");
                findings.push(VerifyFinding::new(Reason::BadSignature, &why));
                return Ok(VerifyReport::new(shown, true, findings));
            }
            Err(e) => return Err(format!("{shown}: not a DSSE envelope ({e})")),
        };
        match &key {
            Some(k) => match dsse::verify(&envelope, k) {
                Ok(payload) => payload,
                Err(why) => {
                    findings.push(VerifyFinding::new(Reason::BadSignature, &why));
                    return Ok(VerifyReport::new(shown, true, findings));
                }
            },
            None => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(&envelope.payload)
                    .map_err(|_| format!("{shown}: the envelope's payload is not base64"))?
            }
        }
    } else {
        text.into_bytes()
    };
    let statement: Statement = serde_json::from_slice(&statement_bytes)
        .map_err(|e| format!("{shown}: not a gonogo release proof ({e})"))?;
    if statement.kind != STATEMENT_TYPE || statement.predicate_type != PREDICATE_TYPE {
        return Err(format!(
            "{shown}: not a gonogo release proof (statement or predicate type)"
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
        let recorded = s.digest.get("sha256").cloned().unwrap_or_default();
        match digest::subject(&root, &s.name) {
            Ok(now) if now == recorded => {}
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
    for r in &p.required {
        match p.checks.iter().find(|c| &c.name == r) {
            None => findings.push(VerifyFinding::new(
                Reason::MissingCheck,
                &format!("required check `{r}` is absent"),
            )),
            Some(c) if c.status == "missing" => findings.push(VerifyFinding::new(
                Reason::MissingCheck,
                &format!("required check `{r}` did not run: its section is missing"),
            )),
            Some(c) if c.status != "pass" => findings.push(VerifyFinding::new(
                Reason::VerdictNoGo,
                &format!("required check `{r}` is `{}`", c.status),
            )),
            Some(_) => {}
        }
    }
    let derived = p.derived_verdict();
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
