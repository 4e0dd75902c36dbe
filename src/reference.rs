//! Naive reference implementations, written straight from SPEC over names
//! and strings, and the comparisons the property suites and the fuzz targets
//! both call: the bitset lattice and the bitset policy must agree with them.

use crate::model::{Decision, Lattice, Model, Request, ScopeSet};
use std::collections::BTreeSet;

/// The reflexive-transitive closure of named scopes, by fixpoint.
pub fn closure(entries: &[(String, Vec<String>)], start: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = start.clone();
    loop {
        let before = out.len();
        for (s, implied) in entries {
            if out.contains(s) {
                out.extend(implied.iter().cloned());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

fn names(l: &Lattice, set: ScopeSet) -> BTreeSet<String> {
    l.names_of(set).into_iter().collect()
}

/// The lattice of `entries` agrees with the naive closure on `sets`, and
/// join, meet, order and covers obey their laws. `Err` says what broke.
pub fn check_lattice(entries: &[(String, Vec<String>)], sets: &[ScopeSet]) -> Result<(), String> {
    let Ok(l) = Lattice::new(entries) else {
        return Ok(()); // cycles and unknown scopes are rejected, as they must be
    };
    let all = l.all();
    let sets: Vec<ScopeSet> = sets.iter().map(|s| s.intersection(all)).collect();
    for &a in &sets {
        let naive = closure(entries, &names(&l, a));
        if names(&l, l.closure(a)) != naive {
            return Err(format!(
                "closure of {:?}: {:?}, naive {:?}",
                names(&l, a),
                names(&l, l.closure(a)),
                naive
            ));
        }
        if l.closure(l.closure(a)) != l.closure(a) || !a.is_subset(l.closure(a)) {
            return Err(format!(
                "closure of {:?} is not idempotent and extensive",
                names(&l, a)
            ));
        }
        for &b in &sets {
            let (j, m) = (l.join(a, b), l.meet(a, b));
            if !(l.le(a, j) && l.le(b, j) && l.le(m, a) && l.le(m, b)) {
                return Err(format!(
                    "join/meet of {:?} and {:?} are not bounds",
                    names(&l, a),
                    names(&l, b)
                ));
            }
            for &c in &sets {
                if l.le(a, c) && l.le(b, c) && !l.le(j, c) {
                    return Err("the join is not the least upper bound".into());
                }
                if l.le(c, a) && l.le(c, b) && !l.le(c, m) {
                    return Err("the meet is not the greatest lower bound".into());
                }
            }
        }
    }
    for i in 0..l.len() {
        let mut reached = ScopeSet::single(i);
        loop {
            let next = reached
                .iter()
                .fold(reached, |acc, s| acc.union(l.covers(s)));
            if next == reached {
                break;
            }
            reached = next;
        }
        if reached != l.down(i) {
            return Err(format!(
                "the covers of `{}` do not generate its closure",
                l.name(i)
            ));
        }
    }
    Ok(())
}

/// SPEC §3, read literally: the declared policy's decision.
pub fn decide(model: &Model, req: &Request) -> Decision {
    let l = &model.lattice;
    let entries: Vec<(String, Vec<String>)> = (0..l.len())
        .map(|i| (l.name(i).to_string(), l.names_of(l.implies(i))))
        .collect();
    let start: BTreeSet<String> = req
        .principal
        .scopes
        .iter()
        .filter(|s| l.id(s).is_some())
        .cloned()
        .collect();
    let held = closure(&entries, &start);
    let cross: BTreeSet<String> = l.names_of(model.cross_tenant).into_iter().collect();
    let mut causes = Vec::new();
    if !req.principal.authenticated {
        causes.push("unauthenticated");
    }
    let action = model
        .resources
        .iter()
        .find(|r| r.name == req.resource.kind)
        .and_then(|r| r.actions.iter().find(|a| a.name == req.action));
    match action {
        None => causes.push("unknown_action"),
        Some(a) => {
            if !l.names_of(a.required).iter().all(|s| held.contains(s)) {
                causes.push("insufficient_scope");
            }
        }
    }
    if req.principal.tenant != req.resource.tenant && held.is_disjoint(&cross) {
        causes.push("tenant_mismatch");
    }
    match model
        .catalog
        .reasons()
        .iter()
        .find(|r| causes.contains(&r.code.as_str()))
    {
        None => Decision::allow(),
        Some(r) => Decision::deny(&r.code, r.status),
    }
}

/// The bitset policy agrees with the reference on a request.
pub fn check_policy(model: &Model, req: &Request) -> Result<(), String> {
    let (fast, slow) = (model.decide(req), decide(model, req));
    if fast != slow {
        return Err(format!("policy {fast:?}, reference {slow:?} for {req:?}"));
    }
    Ok(())
}
