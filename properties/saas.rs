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
    assert_eq!(report.verdict(), Verdict::Go, "{report:#?}");
    assert_eq!(report.properties.len(), gonogo::Property::ALL.len());
    assert!(report.properties.iter().all(|p| p.cases == 2000));
}

/// The corpus is replayed before generation: against a buggy target, the
/// saved counterexample fails the property at once, without new cases.
#[test]
fn the_corpus_is_replayed_first() {
    let model = super::saas_model();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/saas");
    let copy = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(&corpus).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, copy.path().join(f.file_name().unwrap())).unwrap();
    }
    let report = Suite::new(model.clone())
        .seed(0x5eed)
        .cases(10)
        .properties(&[gonogo::Property::Isolation])
        .corpus(copy.path())
        .run(&mut gonogo::targets::Mutant::TenantCaseInsensitive.target(model))
        .unwrap();
    assert_eq!(report.verdict(), Verdict::NoGo);
    let p = &report.properties[0];
    assert_eq!(p.name, "isolation");
    assert!(
        p.message
            .as_deref()
            .unwrap()
            .starts_with("replayed from the corpus"),
        "{p:#?}"
    );
}
