//! The declared policy of `examples/saas` holds every property. The corpus
//! `corpus/saas/` is replayed first: every saved counterexample must hold now.

use gonogo::targets::PolicyTarget;
use gonogo::{Suite, Verdict};
use std::path::Path;

#[test]
fn declared_policy_holds_every_property() {
    let model = super::saas_model();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/saas");
    let suite = Suite::new(model.clone())
        .seed(0x5eed)
        .cases(2000)
        .corpus(corpus);
    let report = suite.run(&mut PolicyTarget::new(model)).unwrap();
    assert_eq!(report.verdict, Verdict::Go, "{report:#?}");
    assert_eq!(report.properties.len(), 5);
    assert!(report.properties.iter().all(|p| p.cases == 2000));
}
