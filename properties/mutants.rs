//! Each planted bug is caught by the property meant to catch it, from several
//! seeds, and shrunk to the minimal form the property promises. This is the
//! red half of the red→green evidence: the same suites pass on the declared
//! policy (`saas.rs`).

use gonogo::model::Request;
use gonogo::report::Status;
use gonogo::targets::Mutant;
use gonogo::{CheckReport, Property, Suite};

fn caught(mutant: Mutant, property: Property, seed: u64) -> (CheckReport, Vec<Request>) {
    let model = super::saas_model();
    let report = Suite::new(model.clone())
        .seed(seed)
        .cases(gonogo::model::DEFAULT_CASES)
        .properties(&[property])
        .run(&mut mutant.target(model))
        .unwrap();
    let p = &report.properties[0];
    assert_eq!(
        p.status,
        Status::Fail,
        "{mutant:?} not caught by {property} from seed {seed:#x}"
    );
    assert_eq!(p.reason, Some(property.reason()));
    let requests = p.counterexample.as_ref().unwrap().requests.clone();
    (report, requests)
}

const SEEDS: [u64; 4] = [0x5eed, 1, 2, 0xdead_beef];

#[test]
fn monotonicity_shrinks_to_a_pair_one_scope_apart() {
    for seed in SEEDS {
        let (_, r) = caught(Mutant::IgnoresImplication, Property::Monotonicity, seed);
        assert_eq!(r.len(), 2);
        let (lo, hi) = (&r[0].principal.scopes, &r[1].principal.scopes);
        // The pair differs by exactly one scope, and shows the failure with
        // as few as it takes: a scope and one it implies.
        let (short, long) = if lo.len() < hi.len() {
            (lo, hi)
        } else {
            (hi, lo)
        };
        assert_eq!(long.len(), short.len() + 1, "{lo:?} vs {hi:?}");
        assert!(short.iter().all(|s| long.contains(s)));
        assert_eq!(long.len(), 2, "not minimal: {lo:?} vs {hi:?}");
        assert_eq!(r[0].resource, r[1].resource);
    }
}

#[test]
fn isolation_shrinks_to_one_request_across_a_case_variant() {
    for seed in SEEDS {
        let (_, r) = caught(Mutant::TenantCaseInsensitive, Property::Isolation, seed);
        assert_eq!(r.len(), 1);
        let (p, t) = (&r[0].principal.tenant, &r[0].resource.tenant);
        assert_ne!(p, t);
        assert_eq!(p.to_lowercase(), t.to_lowercase());
        assert!(
            r[0].principal.scopes.len() <= 1,
            "{:?}",
            r[0].principal.scopes
        );
    }
}

#[test]
fn determinism_shrinks_to_two_requests_differing_in_context_only() {
    for seed in SEEDS {
        let (_, r) = caught(Mutant::ReasonByRequestId, Property::Determinism, seed);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].principal, r[1].principal);
        assert_eq!(r[0].action, r[1].action);
        assert_eq!(r[0].resource.tenant, r[1].resource.tenant);
        assert_ne!(r[0].context.request_id, r[1].context.request_id);
        assert!(
            r[0].principal.scopes.is_empty(),
            "{:?}",
            r[0].principal.scopes
        );
    }
}

#[test]
fn conformance_shrinks_to_one_delete_with_one_scope() {
    for seed in SEEDS {
        let (_, r) = caught(Mutant::DeleteNeedsWrite, Property::Conformance, seed);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].action, "delete");
        assert_eq!(
            r[0].principal.scopes.len(),
            1,
            "{:?}",
            r[0].principal.scopes
        );
    }
}

#[test]
fn symmetry_shrinks_to_a_renamed_pair_without_scopes() {
    for seed in SEEDS {
        let (_, r) = caught(Mutant::HardcodedTenant, Property::Symmetry, seed);
        assert_eq!(r.len(), 2);
        assert!(r.iter().any(|q| q.principal.tenant == "acme"));
        assert!(
            r[0].principal.scopes.is_empty(),
            "{:?}",
            r[0].principal.scopes
        );
    }
}

/// A planted bug is reported only by properties it actually breaks: the
/// conformance-only bug passes isolation, symmetry, monotonicity and
/// determinism.
#[test]
fn a_conformance_bug_does_not_trip_isolation_or_symmetry() {
    let model = super::saas_model();
    let report = Suite::new(model.clone())
        .seed(0x5eed)
        .cases(1000)
        .properties(&[
            Property::Isolation,
            Property::Symmetry,
            Property::Monotonicity,
        ])
        .run(&mut Mutant::DeleteNeedsWrite.target(model))
        .unwrap();
    assert!(
        report.properties.iter().all(|p| p.status == Status::Pass),
        "{report:#?}"
    );
}

/// Bugs in how names are read, not only in the logic: each is caught,
/// because the generators also send names outside the model (a `*` scope, an
/// unknown resource type, an action in capitals), long tenant ids equal up to
/// a truncation limit, and tenant names services special-case.
#[test]
fn name_handling_bugs_are_caught() {
    type Bug = fn(&gonogo::Model, &Request) -> Option<gonogo::Decision>;
    let bugs: [(&str, Bug); 5] = [
        ("a `*` scope grants everything", |_, r| {
            r.principal
                .scopes
                .iter()
                .any(|s| s == "*")
                .then(gonogo::Decision::allow)
        }),
        ("unknown resource types are open", |m, r| {
            (m.resource(&r.resource.kind).is_none() && r.principal.authenticated)
                .then(gonogo::Decision::allow)
        }),
        ("actions are compared case-insensitively", |m, r| {
            let lowered = Request {
                action: r.action.trim().to_lowercase(),
                ..r.clone()
            };
            (lowered.action != r.action).then(|| m.decide(&lowered))
        }),
        ("tenant ids are truncated to 64 bytes", |m, r| {
            let cut = |t: &str| t.bytes().take(64).collect::<Vec<u8>>();
            let mut same = r.clone();
            if cut(&r.principal.tenant) == cut(&r.resource.tenant) {
                same.resource.tenant = same.principal.tenant.clone();
                return Some(m.decide(&same));
            }
            None
        }),
        ("tenant `system` may do anything", |_, r| {
            (r.principal.tenant == "system").then(gonogo::Decision::allow)
        }),
    ];
    for (what, bug) in bugs {
        let model = super::saas_model();
        let policy = model.clone();
        let mut target = move |r: &Request| bug(&policy, r).unwrap_or_else(|| policy.decide(r));
        let report = Suite::new(model)
            .seed(0x5eed)
            .cases(2000)
            .run(&mut target)
            .unwrap();
        assert_eq!(
            report.verdict(),
            gonogo::Verdict::NoGo,
            "not caught: {what}"
        );
    }
}
