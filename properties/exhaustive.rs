//! `check --exhaustive` against a brute-force reference, on random small
//! models: the reference asks every request of the same domain one by one and
//! calls the property functions on every case; the word-parallel, blocked,
//! parallel engine must reach the same verdict per property with the same
//! number of cases.

use gonogo::generate::Domain;
use gonogo::generate::requests::{context, resource_id};
use gonogo::invariants::{self, Property};
use gonogo::model::{Cause, Config, Decision, Model, Principal, Request, Resource};
use gonogo::report::Status;
use gonogo::runner::Options;
use gonogo::runner::exhaustive::{self, Enumeration, Space};
use gonogo::targets::{Mutant, PolicyTarget, Target};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use std::collections::HashMap;
use std::sync::Arc;

/// A small random model: up to 4 scopes (`s0 … s3`, each implying only
/// lower ones), one or two resource types with one or two actions, a random
/// cross-tenant set and a random catalog order.
fn model() -> impl Strategy<Value = Model> {
    (
        1usize..=4,
        prop::collection::vec(any::<u8>(), 4),
        any::<u8>(),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 1..=2), 1..=2),
        Just([
            "unauthenticated",
            "unknown_action",
            "tenant_mismatch",
            "insufficient_scope",
        ])
        .prop_shuffle(),
    )
        .prop_map(|(n, implies, cross, resources, order)| {
            let mut text = String::from("[scopes]\n");
            for (i, bits) in implies.iter().enumerate().take(n) {
                let below: Vec<String> = (0..i)
                    .filter(|j| bits >> j & 1 == 1)
                    .map(|j| format!("\"s{j}\""))
                    .collect();
                text.push_str(&format!("s{i} = [{}]\n", below.join(", ")));
            }
            let cross: Vec<String> = (0..n)
                .filter(|j| cross >> j & 1 == 1 && cross & 0x80 != 0)
                .map(|j| format!("\"s{j}\""))
                .collect();
            text.push_str(&format!(
                "[tenants]\ncross_tenant_scopes = [{}]\nids = [\"acme\", \"globex\"]\n",
                cross.join(", ")
            ));
            for (r, actions) in resources.iter().enumerate() {
                text.push_str(&format!("[resources.r{r}]\n"));
                for (a, req) in actions.iter().enumerate() {
                    let needed: Vec<String> = (0..n)
                        .filter(|j| req >> j & 1 == 1)
                        .map(|j| format!("\"s{j}\""))
                        .collect();
                    text.push_str(&format!("a{a} = [{}]\n", needed.join(", ")));
                }
            }
            let statuses = [401, 400, 404, 403];
            for code in order {
                let i = [
                    "unauthenticated",
                    "unknown_action",
                    "tenant_mismatch",
                    "insufficient_scope",
                ]
                .iter()
                .position(|c| *c == code)
                .unwrap();
                text.push_str(&format!(
                    "[[reasons]]\ncode = \"{code}\"\nstatus = {}\n",
                    statuses[i]
                ));
            }
            text.push_str("[target]\nkind = \"policy\"\n");
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("gonogo.toml");
            std::fs::write(&path, &text).unwrap();
            Config::load(&path)
                .unwrap_or_else(|e| panic!("{e}\n{text}"))
                .model
        })
}

/// The reference's request for a point, built by hand.
fn request(
    model: &Model,
    space: &Space,
    authenticated: bool,
    action: usize,
    (p, r): (usize, usize),
    set: usize,
    variant: bool,
) -> Request {
    let a = &space.actions[action];
    let mut scopes = model.lattice.names_of(space.sets[set]);
    if variant {
        scopes.reverse();
        if let Some(first) = scopes.first().cloned() {
            scopes.push(first);
        }
    }
    Request {
        principal: Principal {
            authenticated,
            tenant: space.tenants[p].0.clone(),
            scopes,
        },
        action: a.action.clone(),
        resource: Resource {
            kind: a.kind.clone(),
            tenant: space.tenants[r].0.clone(),
            id: resource_id(&a.kind, u32::from(variant)),
        },
        context: if variant {
            context(1, 43_200)
        } else {
            context(0, 0)
        },
    }
}

/// Per property: whether the brute force found a violation, and its case count.
fn brute_force(
    model: &Model,
    space: &Space,
    target: &mut dyn Target,
) -> HashMap<Property, (bool, u64)> {
    let t = space.tenants.len();
    let mut out: HashMap<Property, (bool, u64)> =
        Property::ALL.iter().map(|&p| (p, (false, 0))).collect();
    let mut ask = |r: &Request| target.decide(r).unwrap();
    let hit = |out: &mut HashMap<Property, (bool, u64)>,
               p: Property,
               case: &[Request],
               d: &[Decision]| {
        let entry = out.get_mut(&p).unwrap();
        match invariants::check(p, model, case, d) {
            Err(_) => {
                entry.0 = true;
                entry.1 += 1;
            }
            Ok(invariants::Held::Checked) => entry.1 += 1,
            Ok(invariants::Held::Vacuous) => {}
        }
    };
    let mut first_denial: HashMap<gonogo::model::Causes, (Request, Decision)> = HashMap::new();
    for authenticated in [true, false] {
        for action in 0..space.actions.len() {
            for p in 0..t {
                for r in 0..t {
                    for set in 0..space.sets.len() {
                        let req = request(model, space, authenticated, action, (p, r), set, false);
                        let d = ask(&req);
                        hit(
                            &mut out,
                            Property::Conformance,
                            std::slice::from_ref(&req),
                            std::slice::from_ref(&d),
                        );
                        hit(
                            &mut out,
                            Property::Isolation,
                            std::slice::from_ref(&req),
                            std::slice::from_ref(&d),
                        );
                        // Symmetry: against the first pair of the same kind.
                        if (p, r) != (0, 0) && (p, r) != (0, 1) {
                            let reference = if p == r { (0, 0) } else { (0, 1) };
                            let rq =
                                request(model, space, authenticated, action, reference, set, false);
                            let rd = ask(&rq);
                            hit(
                                &mut out,
                                Property::Symmetry,
                                &[rq, req.clone()],
                                &[rd, d.clone()],
                            );
                        }
                        // Determinism: the variant, then the domain's first
                        // denial with the same causes.
                        let v = request(model, space, authenticated, action, (p, r), set, true);
                        let vd = ask(&v);
                        let entry = out.get_mut(&Property::Determinism).unwrap();
                        entry.1 += 1;
                        let mut broken = invariants::check(
                            Property::Determinism,
                            model,
                            &[req.clone(), v],
                            &[d.clone(), vd],
                        )
                        .is_err();
                        if !d.allow {
                            let causes = model.causes(&req);
                            match first_denial.get(&causes) {
                                None => {
                                    first_denial.insert(causes, (req.clone(), d.clone()));
                                }
                                Some((fr, fd)) => {
                                    broken |= invariants::check(
                                        Property::Determinism,
                                        model,
                                        &[fr.clone(), req.clone()],
                                        &[fd.clone(), d.clone()],
                                    )
                                    .is_err();
                                }
                            }
                        }
                        let entry = out.get_mut(&Property::Determinism).unwrap();
                        entry.0 |= broken;
                        // Monotonicity: S against S ∪ {s}.
                        let held = space.sets[set];
                        for s in 0..space.scopes {
                            if held.contains(s) {
                                continue;
                            }
                            let Some(up) = space.index_of(held.with(s)) else {
                                continue;
                            };
                            let hi =
                                request(model, space, authenticated, action, (p, r), up, false);
                            let hd = ask(&hi);
                            let entry = out.get_mut(&Property::Monotonicity).unwrap();
                            entry.1 += 1;
                            entry.0 |= invariants::check(
                                Property::Monotonicity,
                                model,
                                &[req.clone(), hi],
                                &[d.clone(), hd],
                            )
                            .is_err();
                        }
                    }
                }
            }
        }
    }
    out
}

/// Targets to compare on: the declared policy, every mutant (forked onto
/// threads), and a closure target (asked on one thread) whose reason for
/// two causes depends on the action, so that only requests of different
/// blocks disagree.
fn targets(model: &Model) -> Vec<(String, Box<dyn Target + Send>)> {
    let mut out: Vec<(String, Box<dyn Target + Send>)> =
        vec![("policy".into(), Box::new(PolicyTarget::new(model.clone())))];
    for m in Mutant::ALL {
        out.push((m.name().into(), Box::new(m.target(model.clone()))));
    }
    let m = model.clone();
    out.push((
        "reason_by_action".into(),
        Box::new(move |r: &Request| {
            let causes = m.causes(r);
            if causes.contains(Cause::TenantMismatch)
                && causes.contains(Cause::InsufficientScope)
                && r.action.ends_with('1')
            {
                let status = m.catalog.status_of("insufficient_scope").unwrap();
                return Decision::deny("insufficient_scope", status);
            }
            m.decide(r)
        }),
    ));
    out
}

fn compare(model: Model) -> Result<(), TestCaseError> {
    let domain = Arc::new(Domain::new(model.clone()));
    for (name, mut target) in targets(&model) {
        for enumeration in [Enumeration::Raw, Enumeration::DownClosed] {
            if enumeration == Enumeration::DownClosed && name != "policy" {
                continue;
            }
            let space = Space::new(&domain, enumeration, u128::MAX).unwrap();
            let opts = Options::new(1, 1);
            let report = exhaustive::check(
                &domain,
                target.as_mut(),
                &opts,
                Some(enumeration),
                u128::MAX,
            )
            .unwrap();
            let reference = brute_force(&model, &space, target.as_mut());
            for p in Property::ALL {
                let got = report.property(p.name()).unwrap();
                prop_assert_ne!(
                    got.status,
                    Status::Error,
                    "{} {:?}: {:?}",
                    name,
                    p,
                    got.message
                );
                let (broken, cases) = reference[&p];
                prop_assert_eq!(
                    got.status == Status::Fail,
                    broken,
                    "{} {:?} {:?}: exhaustive says {:?}",
                    name,
                    enumeration,
                    p,
                    got.status
                );
                prop_assert_eq!(got.cases, cases, "{} {:?} {:?} cases", name, enumeration, p);
            }
        }
    }
    Ok(())
}

#[test]
fn exhaustive_agrees_with_brute_force_on_random_models() {
    let config = RunnerConfig {
        cases: 12,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    runner.run(&model(), compare).unwrap();
}
