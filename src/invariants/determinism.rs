//! `determinism`: every reason is in the catalog with its catalog status, and
//! requests with the same failure causes (the same request twice, permuted or
//! duplicated scopes, another context or resource id, or any two requests the
//! declared policy fails for the same causes) get the same decision.

use super::exhaustive::{Class, Findings, Table};
use super::{Definition, Held, Property, Violation, access, violation};
use crate::generate::Domain;
use crate::generate::requests::{RequestSpec, TenantPair, context, request_spec, resource_id};
use crate::model::{Decision, Model, Request};
use crate::reason::Reason;
use proptest::prelude::*;
use std::sync::Arc;

/// The property's definition.
pub(super) const DEFINITION: Definition = Definition {
    name: "determinism",
    statement: "Every denial carries a reason of the catalog with its catalog status, and equivalent requests (the same request twice, scopes permuted or repeated, another context or resource id, or two requests the declared policy denies for the same causes) get the same decision.",
    reason: Reason::DeterminismViolated,
    arity: None,
    check,
    cases,
    exhaustive,
    variants: true,
    note: |variants| {
        Some(if variants {
            "each request also asked as an equivalent variant (scopes reversed and repeated, \
             another context and resource id); requests with the same failure causes compared \
             across the whole domain"
        } else {
            "the declared policy is evaluated on scope closures, so equivalent variants are the \
             same evaluation; requests with the same failure causes compared across the whole domain"
        })
    },
};

/// A case is one or more requests; each is compared with the first.
fn check(model: &Model, requests: &[Request], decisions: &[Decision]) -> Result<Held, Violation> {
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

/// `[R, R, R with scopes permuted and duplicated, R with another context and
/// resource id, R2]` where R2 is drawn with R's authentication and tenant
/// relation (compared with R only when the policy fails both for the same causes).
fn cases(domain: Arc<Domain>) -> BoxedStrategy<Vec<Request>> {
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
            move |(spec, second, shuffle, request_id, time, id_number)| {
                let r = d.request(&spec);
                let mut permuted = r.clone();
                permute(&mut permuted.principal.scopes, shuffle);
                let mut other_context = r.clone();
                other_context.context = context(request_id, time);
                other_context.resource.id = resource_id(
                    &r.resource.kind,
                    &r.principal.tenant,
                    &r.resource.tenant,
                    id_number.wrapping_add(1),
                );
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

/// Every answer is in the catalog and agrees with its variant's; denials
/// with the same causes form a class decided alike across the whole domain.
fn exhaustive(t: &Table<'_>) -> Findings {
    let n = t.sets();
    let mut out = Findings {
        cases: t.codes.len() as u64,
        first: None,
        classes: vec![Class::default(); 16],
        ..Findings::default()
    };
    for (p, &code) in t.codes.iter().enumerate() {
        if out.first.is_none() {
            if !t.decisions.in_catalog(code) {
                out.first = Some((p, t.witness(&[(p, false)])));
            } else if let Some(v) = t.variants {
                if v[p] != code {
                    out.first = Some((p, t.witness(&[(p, false), (p, true)])));
                }
            }
        }
        if code == 0 {
            continue;
        }
        let (pair, set) = (p / n, p % n);
        let c = t
            .facts
            .cause_bits(t.block, t.scope_bits[set], t.space.same(pair), set);
        out.classes[c].record(p, || t.decision(p));
    }
    out
}
