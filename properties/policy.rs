//! The bitset evaluator of the declared policy against a naive one written
//! straight from SPEC §3 over names and strings.

use gonogo::generate::{Domain, requests::request_spec};
use gonogo::model::{Decision, Model, Request};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::BTreeSet;

/// SPEC §3, read literally.
fn reference(model: &Model, req: &Request) -> Decision {
    let l = &model.lattice;
    let mut held: BTreeSet<String> = req
        .principal
        .scopes
        .iter()
        .filter(|s| l.id(s).is_some())
        .cloned()
        .collect();
    loop {
        let before = held.len();
        for s in held.clone() {
            let id = l.id(&s).unwrap();
            held.extend(l.names_of(l.implies(id)));
        }
        if held.len() == before {
            break;
        }
    }
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

#[test]
fn bitset_policy_matches_the_reference() {
    let domain = Domain::new(super::saas_model());
    let strategy = request_spec(&domain);
    let config = Config {
        cases: 5000,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    runner
        .run(&strategy, |spec| {
            let req = domain.request(&spec);
            prop_assert_eq!(
                domain.model.decide(&req),
                reference(&domain.model, &req),
                "{:?}",
                req
            );
            Ok(())
        })
        .unwrap();
}
