//! `determinism`: every reason is in the catalog with its catalog status, and
//! requests with the same failure causes (the same request twice, permuted or
//! duplicated scopes, another context or resource id, or any two requests the
//! declared policy fails for the same causes) get the same decision.

use super::{Held, Property, Violation, access, violation};
use crate::model::{Decision, Model, Request};

/// A case is one or more requests; each is compared with the first.
pub fn check(
    model: &Model,
    requests: &[Request],
    decisions: &[Decision],
) -> Result<Held, Violation> {
    for (r, d) in requests.iter().zip(decisions) {
        if let Some(explanation) = off_catalog(model, d) {
            return Err(violation(
                Property::Determinism,
                &[r],
                &[d],
                format!("{explanation} for {}", access(r)),
            ));
        }
    }
    let (first, d0) = (&requests[0], &decisions[0]);
    let causes = model.causes(first);
    for (r, d) in requests.iter().zip(decisions).skip(1) {
        if d0.same_as(d) {
            continue;
        }
        // Equivalent requests (the same request, its scopes permuted or
        // duplicated, another context or resource id) must get the same
        // decision. Other requests with the same failure causes must be denied
        // for the same reason with the same status; whether the target
        // should have denied at all is conformance's question, not this one's.
        let equivalent = equivalent(first, r);
        let both_denied = !d0.allow && !d.allow;
        let same_causes = both_denied && model.causes(r) == causes;
        if !(equivalent || same_causes) {
            continue;
        }
        let how = difference(first, r);
        let explanation = format!("{how} got `{}` then `{}`", d0.summary(), d.summary());
        return Err(violation(
            Property::Determinism,
            &[first, r],
            &[d0, d],
            explanation,
        ));
    }
    Ok(Held::Checked)
}

/// Why a denial is outside the catalog, if it is.
fn off_catalog(model: &Model, d: &Decision) -> Option<String> {
    if d.allow {
        return None;
    }
    let Some(reason) = &d.reason else {
        return Some("a denial came without a reason".to_string());
    };
    match (model.catalog.status_of(reason), d.status) {
        (None, _) => Some(format!("reason `{reason}` is not in the reason catalog")),
        (Some(want), Some(got)) if want == got => None,
        (Some(want), Some(got)) => Some(format!(
            "reason `{reason}` came with status {got}, the catalog says {want}"
        )),
        (Some(want), None) => Some(format!(
            "reason `{reason}` came without a status, the catalog says {want}"
        )),
    }
}

/// Whether two requests differ only in what must not change a decision: the
/// order and repetition of scopes, the context, the resource id.
fn equivalent(a: &Request, b: &Request) -> bool {
    let set = |r: &Request| {
        let mut s = r.principal.scopes.clone();
        s.sort();
        s.dedup();
        s
    };
    a.principal.authenticated == b.principal.authenticated
        && a.principal.tenant == b.principal.tenant
        && a.action == b.action
        && a.resource.kind == b.resource.kind
        && a.resource.tenant == b.resource.tenant
        && set(a) == set(b)
}

/// How the second request differs from the first, in words.
fn difference(a: &Request, b: &Request) -> String {
    if a == b {
        return "the same request, asked twice,".to_string();
    }
    let mut sa = a.principal.scopes.clone();
    let mut sb = b.principal.scopes.clone();
    sa.sort();
    sa.dedup();
    sb.sort();
    sb.dedup();
    let same_scope_set = sa == sb;
    let only_meta = a.principal == b.principal
        && a.action == b.action
        && a.resource.kind == b.resource.kind
        && a.resource.tenant == b.resource.tenant;
    if only_meta {
        return "two requests that differ only in context or resource id".to_string();
    }
    if same_scope_set
        && a.principal.tenant == b.principal.tenant
        && a.principal.authenticated == b.principal.authenticated
        && a.action == b.action
        && a.resource == b.resource
    {
        return "two requests whose scopes differ only in order or repetition".to_string();
    }
    "two requests with the same failure causes".to_string()
}
