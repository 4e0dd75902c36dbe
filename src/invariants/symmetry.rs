//! `symmetry`: renaming tenants by a one-to-one map, the same way in principal
//! and resource, changes no decision.

use super::exhaustive::{Findings, Table};
use super::{Definition, Held, Property, Violation, violation};
use crate::generate::Domain;
use crate::generate::requests::{request_spec_with, tenant_pair};
use crate::model::{Decision, Model, Request};
use crate::reason::Reason;
use proptest::prelude::*;
use std::sync::Arc;

/// The property's definition.
pub(super) const DEFINITION: Definition = Definition {
    name: "symmetry",
    statement: "Renaming tenants one-to-one, the same way in principal and resource, changes no decision: no tenant id is special.",
    reason: Reason::SymmetryViolated,
    arity: Some(2),
    check,
    cases,
    exhaustive,
    variants: false,
    note: |_| {
        Some(
            "every tenant pair compared with the first pair of its kind (same id or different ids): \
             a one-to-one renaming reaches every such pair",
        )
    },
};

/// A case is a pair `[r, renamed r]`.
fn check(_model: &Model, requests: &[Request], decisions: &[Decision]) -> Result<Held, Violation> {
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

/// `[R, R renamed]` under a one-to-one renaming of R's tenants.
fn cases(domain: Arc<Domain>) -> BoxedStrategy<Vec<Request>> {
    let d = domain.clone();
    let size = domain.tenants.ids().len();
    (
        request_spec_with(&domain, tenant_pair(&domain.tenants)),
        0..size,
        0..size,
    )
        .prop_map(move |(spec, a, b)| {
            let r = d.request(&spec);
            let ids = d.tenants.ids();
            let new_p = ids[a].value.clone();
            let new_r = if r.principal.tenant == r.resource.tenant {
                new_p.clone()
            } else if a == b {
                ids[(b + 1) % ids.len()].value.clone()
            } else {
                ids[b].value.clone()
            };
            let mut renamed = r.clone();
            renamed.principal.tenant = new_p;
            renamed.resource.tenant = new_r;
            vec![r, renamed]
        })
        .boxed()
}

/// A one-to-one renaming takes any pair of equal ids to any other, and any
/// pair of different ids to any other: every tenant pair must be decided as
/// the first pair of its kind.
fn exhaustive(t: &Table<'_>) -> Findings {
    let n = t.sets();
    let (ref_same, ref_other) = (0, 1);
    let mut out = Findings::default();
    for pair in 2..t.space.pairs() {
        out.cases += n as u64;
        if out.first.is_some() {
            continue;
        }
        let reference = if t.space.same(pair) {
            ref_same
        } else {
            ref_other
        };
        let hit = (0..n).find(|&i| t.codes[pair * n + i] != t.codes[reference * n + i]);
        if let Some(i) = hit {
            let p = pair * n + i;
            out.first = Some((p, t.witness(&[(reference * n + i, false), (p, false)])));
        }
    }
    out
}
