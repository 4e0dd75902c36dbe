//! `gonogo corpus upgrade`: the reviewed path for a corpus after a model
//! edit. Adding a scope or an action changes the model digest, and every
//! saved counterexample then refuses to replay (it may belong to another
//! model). An upgrade re-validates each file against the new model and
//! rewrites its digest only when it is still a counterexample of its
//! property there: the recorded decisions still break the property under the
//! new model. Anything else is listed for review and left as it is, never
//! dropped.
//!
//! [`assess`] is pure; [`upgrade`] reads and writes the files.

use super::{CorpusError, Counterexample};
use crate::invariants::{self, Property};
use crate::model::Model;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What an upgrade does with one counterexample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Assessment {
    /// Saved under the current model already: nothing to do.
    Current,
    /// Still a counterexample of its property under the new model: its
    /// digest is rewritten (the old one kept in `upgraded_from`).
    Upgraded {
        /// The digest it was saved under.
        from: String,
        /// Tenant ids its requests use that the new model does not declare
        /// (adversarial variants are expected), for the reviewer.
        undeclared: Vec<String>,
    },
    /// No longer makes sense under the new model: listed, left untouched.
    Review {
        /// The digest it was saved under.
        from: String,
        /// Why, in one sentence.
        why: String,
    },
}

/// Re-validates one counterexample against `model` (whose digest is
/// `digest`).
pub fn assess(model: &Model, digest: &str, cx: &Counterexample) -> Assessment {
    if cx.model_digest == digest {
        return Assessment::Current;
    }
    let from = cx.model_digest.clone();
    let review = |why: String| Assessment::Review {
        from: from.clone(),
        why,
    };
    let Some(property) = Property::from_name(&cx.property) else {
        return review(format!("property `{}` does not exist", cx.property));
    };
    if cx.requests.is_empty() || cx.requests.len() != cx.decisions.len() {
        return review(format!(
            "{} request(s) and {} decision(s): not a case",
            cx.requests.len(),
            cx.decisions.len()
        ));
    }
    if property.arity().is_some_and(|n| n != cx.requests.len()) {
        return review(format!(
            "{} request(s) where `{property}` compares {}",
            cx.requests.len(),
            property.arity().unwrap_or(0)
        ));
    }
    // A scope, resource type or action the new model does not declare may
    // be one it renamed or removed: the case may mean something else now
    // (a request for a removed type is denied `unknown_action` whatever the
    // target said), so a person decides. Adversarial names (`purge`, an
    // unknown type) land here too: reviewed once, then fixed or deleted.
    let (names, tenants): (Vec<String>, Vec<String>) = undeclared(model, cx)
        .into_iter()
        .partition(|n| !n.starts_with("tenant "));
    if !names.is_empty() {
        return review(format!(
            "its requests name {} that the new model does not declare (renamed or removed?)",
            names.join(", ")
        ));
    }
    match invariants::check(property, model, &cx.requests, &cx.decisions) {
        // Tenant ids: the declared policy decides on them byte for byte,
        // never on the declared list, so an undeclared one (a case
        // variant, a renamed tenant) means the same under the new model.
        Err(_) => Assessment::Upgraded {
            from,
            undeclared: tenants,
        },
        // A saved skip is no decision the new model could judge.
        Ok(invariants::Held::Skipped) => review(format!(
            "the recorded answers hold a skip: no decision `{property}` could be judged on"
        )),
        Ok(invariants::Held::Vacuous) => review(format!(
            "the case no longer meets `{property}`'s precondition under the new model \
             (a scope became cross-tenant, or the requests no longer compare)"
        )),
        Ok(invariants::Held::Checked) => review(format!(
            "the recorded decisions no longer break `{property}` under the new model: \
             the model now says what the target said (if that is the fix, delete the file)"
        )),
    }
}

/// The names a counterexample's requests use that `model` does not declare.
fn undeclared(model: &Model, cx: &Counterexample) -> Vec<String> {
    let mut out = BTreeSet::new();
    for r in cx.requests.iter().chain(&cx.prefix) {
        for s in &r.principal.scopes {
            if model.lattice.id(s).is_none() {
                out.insert(format!("scope `{s}`"));
            }
        }
        match model.resource(&r.resource.kind) {
            None => {
                out.insert(format!("resource type `{}`", r.resource.kind));
            }
            Some(t) if !t.actions.iter().any(|a| a.name == r.action) => {
                out.insert(format!("action `{}.{}`", r.resource.kind, r.action));
            }
            Some(_) => {}
        }
        for t in [&r.principal.tenant, &r.resource.tenant] {
            if !model.tenant_ids.contains(t) {
                out.insert(format!("tenant `{}`", t.escape_debug()));
            }
        }
    }
    out.into_iter().collect()
}

/// One file's upgrade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileUpgrade {
    /// The file, as given.
    pub file: String,
    /// The property it records.
    pub property: String,
    /// What was done.
    #[serde(flatten)]
    pub assessment: Assessment,
}

/// Upgrades every file (or, with `dry_run`, only says what it would do).
/// An upgraded file keeps everything but its digest (and gains the old one
/// in `upgraded_from`); it is rewritten atomically.
pub fn upgrade(
    model: &Model,
    files: &[PathBuf],
    dry_run: bool,
) -> Result<Vec<FileUpgrade>, CorpusError> {
    let digest = model.digest();
    // Every file read and assessed before any is written: a file that does
    // not parse stops the upgrade with nothing changed.
    let loaded: Vec<(&PathBuf, Counterexample)> = files
        .iter()
        .map(|p| super::load(p).map(|cx| (p, cx)))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(files.len());
    for (path, mut cx) in loaded {
        let assessment = assess(model, &digest, &cx);
        if let (Assessment::Upgraded { from, .. }, false) = (&assessment, dry_run) {
            cx.upgraded_from.push(from.clone());
            cx.model_digest = digest.clone();
            // Back to its own path, not its content name: the file a
            // reviewer knows stays where it is.
            super::write_at(path, &cx)?;
        }
        out.push(FileUpgrade {
            file: path.display().to_string(),
            property: cx.property.clone(),
            assessment,
        });
    }
    Ok(out)
}

/// The outcome of `gonogo corpus upgrade`: every file and what was done.
/// GO when no file needs review (an empty corpus has nothing stale), NO-GO
/// otherwise: the gate keeps refusing the files listed for review until
/// someone deletes or fixes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradeReport {
    /// The corpus folder or file.
    pub corpus: String,
    /// The model digest the corpus was upgraded to.
    pub model_digest: String,
    /// Whether files were left as they were (`--dry-run`).
    pub dry_run: bool,
    /// Every file, in path order.
    pub files: Vec<FileUpgrade>,
}

impl UpgradeReport {
    /// NO-GO when any file needs review.
    pub fn verdict(&self) -> crate::verdict::Verdict {
        if self
            .files
            .iter()
            .any(|f| matches!(f.assessment, Assessment::Review { .. }))
        {
            crate::verdict::Verdict::NoGo
        } else {
            crate::verdict::Verdict::Go
        }
    }
}

impl Serialize for UpgradeReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: crate::verdict::Verdict,
            corpus: &'a str,
            model_digest: &'a str,
            dry_run: bool,
            files: &'a [FileUpgrade],
        }
        Json {
            verdict: self.verdict(),
            corpus: &self.corpus,
            model_digest: &self.model_digest,
            dry_run: self.dry_run,
            files: &self.files,
        }
        .serialize(s)
    }
}
