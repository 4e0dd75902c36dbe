//! `isolation`: a principal of tenant t without a cross-tenant scope is denied
//! on every resource of a tenant u ≠ t (byte-wise), whatever its scopes.

use super::exhaustive::{Findings, Table};
use super::{Definition, Held, Property, Violation, access, scope_list, violation};
use crate::generate::{Domain, TenantPair, requests::request_spec};
use crate::model::{Decision, Model, Request};
use crate::reason::Reason;
use proptest::prelude::*;
use std::sync::Arc;

/// The property's definition.
pub(super) const DEFINITION: Definition = Definition {
    name: "isolation",
    statement: "A principal of tenant t holding no cross-tenant scope is denied every resource of a tenant u ≠ t, ids compared byte for byte, whatever its scopes.",
    reason: Reason::IsolationViolated,
    arity: Some(1),
    check,
    cases,
    exhaustive,
    variants: false,
    note: |_| {
        Some(
            "cases are the requests across two different tenant ids by principals without a \
             cross-tenant scope",
        )
    },
};

/// A case is one request.
fn check(model: &Model, requests: &[Request], decisions: &[Decision]) -> Result<Held, Violation> {
    let [r] = requests else {
        return Ok(Held::Vacuous);
    };
    let closure = model.lattice.closure_of_names(&r.principal.scopes);
    if r.principal.tenant.as_bytes() == r.resource.tenant.as_bytes()
        || model.crosses_tenants(closure)
    {
        return Ok(Held::Vacuous);
    }
    if decisions[0].allow {
        let explanation = format!(
            "a principal of tenant `{}` with scopes {} and no cross-tenant scope was allowed {}",
            r.principal.tenant.escape_debug(),
            scope_list(&r.principal.scopes),
            access(r)
        );
        return Err(violation(
            Property::Isolation,
            &[r],
            &[&decisions[0]],
            explanation,
        ));
    }
    Ok(Held::Checked)
}

/// Requests across tenants by principals without a cross-tenant scope.
fn cases(domain: Arc<Domain>) -> BoxedStrategy<Vec<Request>> {
    let d = domain.clone();
    request_spec(&domain)
        .prop_map(move |mut spec| {
            spec.tenants = distinct(&d, spec.tenants);
            let mut r = d.request(&spec);
            r.principal.scopes = d.without_cross_tenant(&r.principal.scopes);
            vec![r]
        })
        .boxed()
}

/// The pair spec with tenants made different (byte-wise), keeping its shape.
fn distinct(d: &Domain, pair: TenantPair) -> TenantPair {
    let (p, r) = d.tenant_pair(pair);
    if p != r {
        return pair;
    }
    match pair {
        TenantPair::Same(i) => TenantPair::Family {
            base: i % d.tenants.bases(),
            variant: 1,
            flip: false,
        },
        TenantPair::Family { base, flip, .. } => TenantPair::Family {
            base,
            variant: 1,
            flip,
        },
        TenantPair::Any { first, .. } => TenantPair::Any { first, offset: 1 },
    }
}

/// Every request across two different tenant ids by a principal without a
/// cross-tenant scope must be denied.
fn exhaustive(t: &Table<'_>) -> Findings {
    let n = t.sets();
    let open = t.facts.crosses.iter().filter(|&&c| !c).count() as u64;
    let mut out = Findings::default();
    for pair in (0..t.space.pairs()).filter(|&p| !t.space.same(p)) {
        out.cases += open;
        if out.first.is_some() {
            continue;
        }
        let hit = (0..n).find(|&i| !t.facts.crosses[i] && t.codes[pair * n + i] == 0);
        if let Some(i) = hit {
            let p = pair * n + i;
            out.first = Some((p, t.witness(&[(p, false)])));
        }
    }
    out
}
