//! Every fuzz target's seed corpus (`corpus/fuzz/<target>/`) and every crash
//! turned regression (`corpus/regressions/<target>/`, written by
//! `fuzz/nightly.sh`) replayed through the same functions the fuzz targets
//! call.

use gonogo::Property;
use gonogo::fuzzing::check_case;
use gonogo::fuzzing::structured::{CaseInput, Edit, ModelInput, Name, RequestInput, from_bytes};
use gonogo::targets::{Mutant, Target};
use std::path::Path;

#[test]
fn seeds_and_regressions_pass_every_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut replayed = 0;
    for (name, target) in gonogo::fuzzing::TARGETS {
        for dir in [
            root.join("fuzz").join(name),
            root.join("regressions").join(name),
        ] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
            files.sort();
            for f in files {
                let data = std::fs::read(&f).unwrap();
                let outcome = std::panic::catch_unwind(|| target(&data));
                assert!(outcome.is_ok(), "{name}: {} fails", f.display());
                replayed += 1;
            }
        }
    }
    assert!(
        replayed >= 2 * gonogo::fuzzing::TARGETS.len(),
        "only {replayed} inputs replayed"
    );
}

/// Issue 16: the property targets read structured input (a fuzzed model and
/// a case). Random bytes, read exactly as `fuzz_target!` reads them, never
/// break a property under the declared policy of the model they describe.
#[test]
fn random_structured_cases_hold_under_the_declared_policy() {
    let mut state = 16u64;
    let mut read = 0;
    for _ in 0..20_000 {
        let bytes = fill(&mut state);
        let Some(input) = from_bytes::<CaseInput>(&bytes) else {
            continue;
        };
        read += 1;
        for property in Property::ALL {
            if let Err(v) = check_case(&input, property, &mut |m, r| m.decide(r)) {
                panic!("{property}: {}\n{input:?}", v.explanation);
            }
        }
    }
    assert!(read > 10_000, "only {read} inputs were read");
}

/// The structured input can state each planted bug (what the fuzzer has to
/// reach): one hand-written case per mutant breaks exactly its property
/// under the mutant, and holds under the declared policy.
#[test]
fn structured_input_states_every_planted_bug() {
    let d = |i| Name::Declared(i);
    let raw = |s: &str| Name::Raw(s.to_string());
    // s1 implies s0; r0.a0 requires s0; tenants acme and globex; catalog
    // order 0 puts tenant_mismatch before insufficient_scope.
    let model = ModelInput {
        implies: vec![0, 0b1],
        cross: 0,
        resources: vec![vec![0b1]],
        order: 0,
        tenants: 1,
    };
    let request = |tenant: Name, scopes: Vec<Name>, resource_tenant: Name| RequestInput {
        authenticated: true,
        principal_tenant: tenant,
        scopes,
        kind: d(0),
        action: d(0),
        resource_tenant,
        id: "r-1".into(),
        request_id: "0".into(),
        time: "t".into(),
    };
    let cases = [
        (
            Property::Monotonicity,
            Mutant::IgnoresImplication,
            request(d(0), vec![d(0)], d(0)),
            vec![vec![Edit::RemoveScope(0), Edit::AddScope(d(1))]],
        ),
        (
            Property::Isolation,
            Mutant::TenantCaseInsensitive,
            request(d(0), vec![d(0)], raw("ACME")),
            vec![],
        ),
        (
            Property::Determinism,
            Mutant::ReasonByRequestId,
            request(d(0), vec![], d(1)),
            vec![vec![Edit::Context("1".into(), "t".into())]],
        ),
        (
            Property::Symmetry,
            Mutant::HardcodedTenant,
            request(d(0), vec![], d(0)),
            vec![vec![Edit::Rename(d(1), d(1))]],
        ),
    ];
    for (property, mutant, first, rest) in cases {
        let input = CaseInput {
            model: model.clone(),
            first,
            rest,
        };
        let mut planted =
            |m: &gonogo::Model, r: &gonogo::Request| mutant.target(m.clone()).decide(r).unwrap();
        let broken = check_case(&input, property, &mut planted);
        assert!(broken.is_err(), "{property}: {} not stated", mutant.name());
        assert!(
            check_case(&input, property, &mut |m, r| m.decide(r)).is_ok(),
            "{property}: the declared policy breaks it"
        );
    }
}

/// 16 to 271 bytes from a splitmix64 stream (deterministic).
fn fill(state: &mut u64) -> Vec<u8> {
    let mut next = || {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let len = 16 + (next() % 256) as usize;
    (0..len).map(|_| next() as u8).collect()
}
