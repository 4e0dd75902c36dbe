//! One strategy per property: the requests of one case, laid out the way
//! [`crate::invariants::check`] reads them.

use super::requests::{Domain, RequestSpec, TenantPair, context, request_spec, request_spec_with};
use crate::invariants::Property;
use crate::model::Request;
use proptest::prelude::*;
use std::sync::Arc;

/// The strategy of a property's cases over a domain.
pub fn cases(domain: Arc<Domain>, property: Property) -> BoxedStrategy<Vec<Request>> {
    match property {
        Property::Monotonicity => monotonicity(domain),
        Property::Isolation => isolation(domain),
        Property::Determinism => determinism(domain),
        Property::Conformance => {
            let d = domain.clone();
            request_spec(&domain)
                .prop_map(move |s| vec![d.request(&s)])
                .boxed()
        }
        Property::Symmetry => symmetry(domain),
    }
}

/// Covering pairs `[S, S ∪ {s}]`: enough for every pair (any violation of
/// `S ≤ S'` has one on a chain of single additions), and both directions are
/// checked when `s` is already implied by `S`.
fn monotonicity(domain: Arc<Domain>) -> BoxedStrategy<Vec<Request>> {
    let n = domain.scope_count().max(1);
    let d = domain.clone();
    (request_spec(&domain), 0..n)
        .prop_map(move |(spec, extra)| {
            let lo = d.request(&spec);
            let mut hi = lo.clone();
            if !d.model.lattice.is_empty() {
                hi.principal
                    .scopes
                    .push(d.model.lattice.name(extra).to_string());
            }
            vec![lo, hi]
        })
        .boxed()
}

/// Requests across tenants by principals without a cross-tenant scope.
fn isolation(domain: Arc<Domain>) -> BoxedStrategy<Vec<Request>> {
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

/// `[R, R, R with scopes permuted and duplicated, R with another context and
/// resource id, R2]` where R2 is drawn with R's authentication and tenant
/// relation (compared with R only when the policy fails both for the same causes).
fn determinism(domain: Arc<Domain>) -> BoxedStrategy<Vec<Request>> {
    let d = domain.clone();
    (
        request_spec(&domain),
        request_spec(&domain),
        any::<u64>(),
        any::<u64>(),
        0u32..2_419_200,
        0u32..1000,
    )
        .prop_map(
            move |(spec, second, shuffle, request_id, time, resource_id)| {
                let r = d.request(&spec);
                let mut permuted = r.clone();
                permute(&mut permuted.principal.scopes, shuffle);
                let mut other_context = r.clone();
                other_context.context = context(request_id, time);
                other_context.resource.id =
                    super::requests::resource_id(&r.resource.kind, resource_id.wrapping_add(1));
                let second = RequestSpec {
                    authenticated: spec.authenticated,
                    tenants: if matches!(spec.tenants, TenantPair::Same(_)) {
                        TenantPair::Same(0)
                    } else {
                        second.tenants
                    },
                    ..second
                };
                let r2 = d.request(&second);
                vec![r.clone(), r, permuted, other_context, r2]
            },
        )
        .boxed()
}

/// Deterministic shuffle with one duplicate, from a number.
fn permute(scopes: &mut Vec<String>, mut x: u64) {
    if scopes.is_empty() {
        return;
    }
    for i in (1..scopes.len()).rev() {
        let j = (x % (i as u64 + 1)) as usize;
        scopes.swap(i, j);
        x = x.rotate_right(7) ^ 0x9e37_79b9_7f4a_7c15;
    }
    let dup = scopes[(x % scopes.len() as u64) as usize].clone();
    scopes.push(dup);
}

/// `[R, R renamed]` under a one-to-one renaming of R's tenants.
fn symmetry(domain: Arc<Domain>) -> BoxedStrategy<Vec<Request>> {
    let d = domain.clone();
    let size = domain.tenants.ids().len();
    (
        request_spec_with(&domain, super::requests::tenant_pair(&domain.tenants)),
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
