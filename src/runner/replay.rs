//! Replaying saved counterexamples: each file alone reproduces its failure.

use super::outcome::{ReplayReport, ReplayResult};
use crate::corpus::{self, Counterexample};
use crate::invariants::{self, Held, Property};
use crate::model::Model;
use crate::reason::Reason;
use crate::targets::TargetExt;
use crate::verdict::Status;
use std::path::{Path, PathBuf};

/// Replays every file against the target: `fail` where a counterexample still
/// breaks its property, `pass` where it now holds, `error` where the file is
/// unusable, no longer applies to the model, or the target failed.
///
/// A counterexample saved under another model (its `model_digest` differs) is
/// an error unless `allow_model_change`: it may have come from another
/// config and another target, and passing it would prove nothing.
///
/// Each file must also record the target it failed on, and that must be
/// `target_digest` (the target replayed against): a counterexample that
/// passes against another target proves nothing about the one that failed
/// (`target_mismatch`), unless `allow_target_change`.
pub fn replay(
    model: &Model,
    target: &mut dyn TargetExt,
    files: &[PathBuf],
    allow: Allow,
    target_digest: &str,
) -> ReplayReport {
    let digest = model.digest();
    let results = files
        .iter()
        .map(|path| replay_one(model, &digest, target, path, allow, target_digest))
        .collect();
    ReplayReport::new(results)
}

/// What a replay may deliberately accept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allow {
    /// Counterexamples saved under another model.
    pub model_change: bool,
    /// Counterexamples saved against another target (or that record none).
    pub target_change: bool,
}

fn replay_one(
    model: &Model,
    digest: &str,
    target: &mut dyn TargetExt,
    path: &Path,
    allow: Allow,
    target_digest: &str,
) -> ReplayResult {
    let allow_model_change = allow.model_change;
    let file = path.display().to_string();
    let error = |property: &str, reason: Option<Reason>, message: String| {
        errored(&file, property, reason, message)
    };
    let cx = match corpus::load(path) {
        Ok(cx) => cx,
        Err(e) => return error("", None, e.to_string()),
    };
    let Some(property) = Property::from_name(&cx.property) else {
        return error(
            &cx.property,
            None,
            format!("{file}: unknown property `{}`", cx.property),
        );
    };
    let arity_ok = match property.arity() {
        Some(n) => cx.requests.len() == n,
        None => !cx.requests.is_empty(),
    };
    if !arity_ok {
        return error(
            &cx.property,
            None,
            format!(
                "{file}: a `{}` counterexample holds {} request(s), not {}",
                cx.property,
                property
                    .arity()
                    .map_or("one or more".to_string(), |n| n.to_string()),
                cx.requests.len()
            ),
        );
    }
    if cx.target_digest.as_deref() != Some(target_digest) && !allow.target_change {
        let saved = match &cx.target {
            Some(t) => format!("saved against the target {t}"),
            None => "it records no target".to_string(),
        };
        return error(
            &cx.property,
            Some(Reason::TargetMismatch),
            format!(
                "{file}: {saved}, not the one this config names; replay it with the config \
                 it came from (--config), or pass --allow-target-change if the target \
                 changed on purpose"
            ),
        );
    }
    if !cx.prefix.is_empty() || cx.flaky {
        // On a fresh target: the prefix first; a flaky one up to 3 times.
        let runs = if cx.flaky { 3 } else { 1 };
        let mut last = None;
        for _ in 0..runs {
            let Some(mut fresh) = target.fresh() else {
                return error(
                    &cx.property,
                    None,
                    format!(
                        "{file}: it needs a fresh target (earlier requests, or a flaky failure), and this target cannot start afresh"
                    ),
                );
            };
            let asked = crate::targets::ask(fresh.as_mut(), &cx.prefix)
                .and_then(|_| crate::targets::ask(fresh.as_mut(), &cx.requests));
            let d = match asked {
                Ok(d) => d,
                Err(e) => return error(&cx.property, Some(Reason::TargetFailed), e.to_string()),
            };
            let still = invariants::check(property, model, &cx.requests, &d).is_err();
            last = Some(d);
            if still {
                break;
            }
        }
        let d = last.expect("at least one run");
        if cx.flaky && invariants::check(property, model, &cx.requests, &d).is_ok() {
            return error(
                &cx.property,
                Some(Reason::Flaky),
                format!(
                    "{file}: a flaky failure that did not reproduce in {runs} fresh runs; it is never a pass: find what it depends on, or delete the file once the cause is fixed"
                ),
            );
        }
        return finish(model, digest, file, property, &cx, d, allow_model_change);
    }
    let decisions = match target.decide_all(&cx.requests) {
        Ok(d) if d.len() == cx.requests.len() => d,
        Ok(d) => {
            return error(
                &cx.property,
                Some(Reason::TargetFailed),
                format!(
                    "the target answered {} decisions for {} requests",
                    d.len(),
                    cx.requests.len()
                ),
            );
        }
        Err(e) => return error(&cx.property, Some(Reason::TargetFailed), e.to_string()),
    };
    finish(
        model,
        digest,
        file,
        property,
        &cx,
        decisions,
        allow_model_change,
    )
}

/// A file that could not be replayed (exit 2).
fn errored(file: &str, property: &str, reason: Option<Reason>, message: String) -> ReplayResult {
    ReplayResult {
        file: file.to_string(),
        property: property.to_string(),
        status: Status::Error,
        reason,
        counterexample: None,
        message: Some(message),
    }
}

/// The verdict on a counterexample from the decisions the target gives now.
fn finish(
    model: &Model,
    digest: &str,
    file: String,
    property: Property,
    cx: &Counterexample,
    decisions: Vec<crate::model::Decision>,
    allow_model_change: bool,
) -> ReplayResult {
    let error = |property: &str, reason: Option<Reason>, message: String| {
        errored(&file, property, reason, message)
    };
    if cx.model_digest != digest && !allow_model_change {
        return error(
            &cx.property,
            None,
            format!(
                "{file}: saved under another model ({}, the config's is {digest}); \
                 replay it with the config it came from (--config); if the model \
                 changed on purpose, run `gonogo corpus upgrade` to re-validate the \
                 corpus against it (files that no longer apply are listed, never \
                 dropped), or pass --allow-model-change",
                cx.model_digest
            ),
        );
    }
    let note = (cx.model_digest != digest)
        .then(|| "the model changed since this counterexample was saved".to_string());
    match invariants::check(property, model, &cx.requests, &decisions) {
        Ok(Held::Checked) => ReplayResult {
            file,
            property: cx.property.clone(),
            status: Status::Pass,
            reason: None,
            counterexample: None,
            message: note,
        },
        // The target no longer decides the request: that is no evidence
        // the failure is fixed, never a pass.
        Ok(Held::Skipped) => error(
            &cx.property,
            Some(Reason::TargetFailed),
            format!(
                "{file}: the target now skips the counterexample's request(s) ({}): it cannot show the failure is fixed",
                decisions
                    .iter()
                    .filter_map(|d| d.skip.as_deref())
                    .map(crate::redact::text)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ),
        Ok(Held::Vacuous) => error(
            &cx.property,
            None,
            format!(
                "{file}: the counterexample no longer applies to the model (its precondition fails); \
                 delete the file if the model changed on purpose"
            ),
        ),
        Err(v) => ReplayResult {
            file,
            property: cx.property.clone(),
            status: Status::Fail,
            reason: Some(property.reason()),
            counterexample: Some(Counterexample {
                target_digest: cx.target_digest.clone(),
                target: cx.target.clone(),
                prefix: cx.prefix.clone(),
                flaky: cx.flaky,
                upgraded_from: cx.upgraded_from.clone(),
                ..Counterexample::new(&v, &cx.seed, digest)
            }),
            message: note,
        },
    }
}
