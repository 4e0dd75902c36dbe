//! The bitset evaluator of the declared policy against the naive one of
//! `gonogo::reference`, written straight from SPEC §3 over names and strings.

use gonogo::generate::{Domain, requests::request_spec};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

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
            // The same comparison the `policy_differential` fuzz target makes.
            gonogo::reference::check_policy(&domain.model, &req).map_err(TestCaseError::fail)?;
            Ok(())
        })
        .unwrap();
}
