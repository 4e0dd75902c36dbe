//! `symmetry`: renaming tenants by a one-to-one map, the same way in principal
//! and resource, changes no decision.

use super::{Held, Property, Violation, violation};
use crate::model::{Decision, Model, Request};

/// A case is a pair `[r, renamed r]`.
pub fn check(
    _model: &Model,
    requests: &[Request],
    decisions: &[Decision],
) -> Result<Held, Violation> {
    let [a, b] = requests else {
        return Ok(Held::Vacuous);
    };
    if !is_renaming(a, b) {
        return Ok(Held::Vacuous);
    }
    if decisions[0].same_as(&decisions[1]) {
        return Ok(Held::Checked);
    }
    let renaming = if a.principal.tenant == a.resource.tenant {
        format!(
            "renaming tenant `{}` to `{}`",
            a.principal.tenant.escape_debug(),
            b.principal.tenant.escape_debug()
        )
    } else {
        format!(
            "renaming tenants `{}` to `{}` and `{}` to `{}`",
            a.principal.tenant.escape_debug(),
            b.principal.tenant.escape_debug(),
            a.resource.tenant.escape_debug(),
            b.resource.tenant.escape_debug()
        )
    };
    let explanation = format!(
        "{renaming} changed `{}` into `{}` for `{}` on `{}`",
        decisions[0].summary(),
        decisions[1].summary(),
        a.action,
        a.resource.kind
    );
    Err(violation(
        Property::Symmetry,
        &[a, b],
        &[&decisions[0], &decisions[1]],
        explanation,
    ))
}

/// Whether `b` is `a` with its tenants renamed one-to-one.
fn is_renaming(a: &Request, b: &Request) -> bool {
    let a_same = a.principal.tenant == a.resource.tenant;
    let b_same = b.principal.tenant == b.resource.tenant;
    a_same == b_same
        && a.principal.authenticated == b.principal.authenticated
        && a.principal.scopes == b.principal.scopes
        && a.action == b.action
        && a.resource.kind == b.resource.kind
        && a.resource.id == b.resource.id
        && a.context == b.context
}
