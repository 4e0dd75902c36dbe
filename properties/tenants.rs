//! Every adversarial tenant-id class shows up within the default number of
//! cases of every property that generates tenants.

use gonogo::Property;
use gonogo::generate::{Domain, TenantClass};
use gonogo::invariants::cases;
use gonogo::model::DEFAULT_CASES;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::BTreeSet;
use std::sync::Arc;

#[test]
fn every_tenant_class_is_generated_within_the_default_cases() {
    let domain = Arc::new(Domain::new(super::saas_model()));
    for property in Property::ALL {
        let strategy = cases(domain.clone(), property);
        let mut runner = TestRunner::new_with_rng(
            Config::default(),
            TestRng::from_seed(
                RngAlgorithm::ChaCha,
                &gonogo::runner::property_seed(0x5eed, property),
            ),
        );
        let mut seen = BTreeSet::new();
        for _ in 0..DEFAULT_CASES {
            let requests = strategy.new_tree(&mut runner).unwrap().current();
            for r in &requests {
                for t in [&r.principal.tenant, &r.resource.tenant] {
                    seen.insert(
                        domain
                            .tenants
                            .class_of(t)
                            .expect("tenants come from the pool"),
                    );
                }
            }
        }
        let missing: Vec<TenantClass> = TenantClass::ALL
            .into_iter()
            .filter(|c| !seen.contains(c))
            .collect();
        assert!(
            missing.is_empty(),
            "{property}: never generated {missing:?}"
        );
    }
}
