//! The second shrinking pass, after proptest's: it walks the scope lattice and
//! the tenant pool on the concrete counterexample. Every candidate applies one
//! simplification to all the case's requests alike (so pair relations hold),
//! and is kept only when the target still breaks the property with it.

use crate::generate::Domain;
use crate::invariants::{self, Mismatch, Property, Violation};
use crate::model::Request;
use crate::targets::{TargetError, TargetExt};

/// Target calls the pass may spend at most.
const BUDGET: usize = 4_000;

/// Simplifies a violation until no simplification keeps it failing with a
/// mismatch at least as bad as `floor`.
pub fn minimize(
    domain: &Domain,
    target: &mut dyn TargetExt,
    property: Property,
    mut best: Violation,
    floor: Mismatch,
) -> Result<Violation, TargetError> {
    let mut spent = 0;
    'outer: loop {
        for candidate in candidates(domain, &best.requests) {
            if spent >= BUDGET {
                break 'outer;
            }
            spent += candidate.len();
            let decisions = crate::targets::ask(target, &candidate)?;
            if let Err(v) = invariants::check(property, &domain.model, &candidate, &decisions) {
                if size(domain, &v.requests) < size(domain, &best.requests)
                    && v.mismatch(&domain.model) >= floor
                {
                    best = v;
                    continue 'outer;
                }
            }
        }
        break;
    }
    best.explanation
        .push_str(&tenant_classes(domain, &best.requests));
    Ok(best)
}

/// "; tenant id `acm` is a prefix or extension of a declared id" for each
/// id of the case that is not declared: the class of id the failure needs.
fn tenant_classes(domain: &Domain, requests: &[Request]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = String::new();
    for t in requests
        .iter()
        .flat_map(|r| [&r.principal.tenant, &r.resource.tenant])
    {
        if seen.contains(&t.as_str()) || domain.model.tenant_ids.contains(t) {
            continue;
        }
        seen.push(t);
        if let Some(id) = domain.tenants.ids().iter().find(|id| id.value == *t) {
            if id.class != crate::generate::TenantClass::Base {
                out.push_str(&format!(
                    "; tenant id `{}` is {}",
                    t.escape_debug(),
                    id.class.describe()
                ));
            }
        }
    }
    out
}

/// A measure that every accepted step lowers: scopes held, scopes the action
/// requires, requests across tenants, tenant ids that are not declared
/// (a declared id reads right: `acm` reads like a prefix bug), tenant id
/// lengths, scope name lengths.
fn size(domain: &Domain, requests: &[Request]) -> (usize, usize, usize, usize, usize, usize) {
    let scopes: usize = requests.iter().map(|r| r.principal.scopes.len()).sum();
    let required: usize = requests.iter().map(|r| required(domain, r)).sum();
    let cross = requests
        .iter()
        .filter(|r| r.principal.tenant != r.resource.tenant)
        .count();
    let undeclared = requests
        .iter()
        .flat_map(|r| [&r.principal.tenant, &r.resource.tenant])
        .filter(|t| !domain.model.tenant_ids.contains(t))
        .count();
    let tenant_len: usize = requests
        .iter()
        .map(|r| r.principal.tenant.len() + r.resource.tenant.len())
        .sum();
    let letters: usize = requests
        .iter()
        .flat_map(|r| r.principal.scopes.iter())
        .map(String::len)
        .sum();
    (scopes, required, cross, undeclared, tenant_len, letters)
}

/// How many scopes a request's action requires (an unknown action: none).
fn required(domain: &Domain, r: &Request) -> usize {
    domain
        .model
        .required(&r.resource.kind, &r.action)
        .map_or(0, |s| s.len())
}

/// The one-step simplifications of a case, most promising first.
fn candidates(domain: &Domain, requests: &[Request]) -> Vec<Vec<Request>> {
    let lattice = &domain.model.lattice;
    let mut scopes: Vec<String> = requests
        .iter()
        .flat_map(|r| r.principal.scopes.iter().cloned())
        .collect();
    scopes.sort();
    scopes.dedup();
    let mut out = Vec::new();
    let map = |f: &dyn Fn(&mut Request)| -> Vec<Request> {
        requests
            .iter()
            .map(|r| {
                let mut r = r.clone();
                f(&mut r);
                r
            })
            .collect()
    };
    // Drop a scope everywhere; then a duplicate occurrence.
    for s in &scopes {
        out.push(map(&|r| r.principal.scopes.retain(|x| x != s)));
    }
    out.push(map(&|r| {
        let mut seen = Vec::new();
        r.principal.scopes.retain(|x| {
            let new = !seen.contains(x);
            seen.push(x.clone());
            new
        });
    }));
    // Walk down: a scope replaced by one it covers.
    for s in &scopes {
        if let Some(id) = lattice.id(s) {
            for c in lattice.covers(id).iter() {
                let lower = lattice.name(c).to_string();
                out.push(map(&|r| {
                    for x in r.principal.scopes.iter_mut() {
                        if x == s {
                            *x = lower.clone();
                        }
                    }
                }));
            }
        }
    }
    // Another declared action that requires fewer scopes, everywhere.
    if let Some(now) = requests.first().map(|r| required(domain, r)) {
        for rtype in &domain.model.resources {
            for action in rtype.actions.iter().filter(|a| a.required.len() < now) {
                out.push(map(&|r| {
                    r.resource.kind = rtype.name.clone();
                    r.action = action.name.clone();
                }));
            }
        }
    }
    // Tenants: the resource in the principal's tenant; an id replaced by a base.
    out.push(map(&|r| r.resource.tenant = r.principal.tenant.clone()));
    let bases: Vec<String> = domain.tenants.ids()[..domain.tenants.bases()]
        .iter()
        .map(|t| t.value.clone())
        .collect();
    let mut tenants: Vec<String> = requests
        .iter()
        .flat_map(|r| [r.principal.tenant.clone(), r.resource.tenant.clone()])
        .collect();
    tenants.sort();
    tenants.dedup();
    for t in tenants.iter().filter(|t| !bases.contains(t)) {
        for b in &bases {
            out.push(map(&|r| {
                if r.principal.tenant == *t {
                    r.principal.tenant = b.clone();
                }
                if r.resource.tenant == *t {
                    r.resource.tenant = b.clone();
                }
            }));
        }
    }
    out.retain(|c| c != requests);
    out
}
