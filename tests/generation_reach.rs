//! Issue 17, "exhaustive covers what random covers": scope names outside
//! the catalog (`*`, `admin:*`, unknown names, case variants) and resource
//! ids of every real shape. Each test plants a bug only such a request
//! reaches; before, both runs (or the exhaustive one) said GO.

use gonogo::generate::Domain;
use gonogo::model::{Decision, Model, Request};
use gonogo::runner::exhaustive::{Subject, check as exhaustive};
use gonogo::runner::{Options, check};
use gonogo::{Property, Status};
use std::path::Path;
use std::sync::Arc;

fn model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/gonogo.toml");
    gonogo::Config::load(&path).unwrap().model
}

fn statuses(report: &gonogo::CheckReport) -> Vec<(String, Status)> {
    report
        .properties
        .iter()
        .map(|p| (p.name.clone(), p.status))
        .collect()
}

fn failed(report: &gonogo::CheckReport, property: &str) -> bool {
    report.property(property).unwrap().status == Status::Fail
}

/// Runs `target` exhaustively and at random (2000 cases), on `properties`.
fn both(
    model: &Model,
    properties: &[Property],
    target: &mut dyn FnMut(&Request) -> Decision,
) -> (gonogo::CheckReport, gonogo::CheckReport) {
    let domain = Arc::new(Domain::new(model.clone()));
    let mut opts = Options::new(11, 2000);
    opts.properties = properties.to_vec();
    let mut t = |r: &Request| target(r);
    let x = exhaustive(&domain, Subject::Target(&mut t), &opts, None, 100_000_000).unwrap();
    let mut t = |r: &Request| target(r);
    let random = check(&domain, &mut t, &opts);
    (x, random)
}

/// A wildcard scope grants everything: only a name outside the catalog
/// reaches it. Exhaustive enumerated declared names only: GO.
#[test]
fn a_wildcard_scope_granting_everything_is_caught_exhaustively() {
    let model = model();
    let m = model.clone();
    let mut target = move |r: &Request| {
        if r.principal.authenticated
            && r.principal.scopes.iter().any(|s| s == "*")
            && r.principal.tenant == r.resource.tenant
        {
            return Decision::allow();
        }
        m.decide(r)
    };
    let (x, random) = both(&model, &[Property::Conformance], &mut target);
    assert!(failed(&random, "conformance"), "{:?}", statuses(&random));
    assert!(failed(&x, "conformance"), "exhaustive: {:?}", statuses(&x));
    let cx = x
        .property("conformance")
        .unwrap()
        .counterexample
        .clone()
        .unwrap();
    assert!(cx.requests[0].principal.scopes.contains(&"*".to_string()));
}

/// Scope names compared case-insensitively: `PLATFORM:SUPPORT` (or the
/// variant of whichever scope the domain varies) grants as the real one.
#[test]
fn case_insensitive_scope_names_are_caught_exhaustively() {
    let model = model();
    let m = model.clone();
    let mut target = move |r: &Request| {
        let mut folded = r.clone();
        folded.principal.scopes = r
            .principal
            .scopes
            .iter()
            .map(|s| s.trim().to_lowercase())
            .collect();
        m.decide(&folded)
    };
    let (x, _) = both(&model, &[Property::Conformance], &mut target);
    assert!(failed(&x, "conformance"), "exhaustive: {:?}", statuses(&x));
}

/// A service that takes the tenant from an id shaped `<tenant>-…` when
/// there is one: an id embedding the caller's tenant reads as the caller's
/// own object. Ids were always `p-17`: GO. Random cases catch it as an
/// isolation failure; exhaustively, a point's variant carries such an id
/// (a block's own points share a tenant-free id), so determinism does.
#[test]
fn a_service_reading_the_tenant_from_the_id_is_caught() {
    let model = model();
    let m = model.clone();
    let mut target = move |r: &Request| {
        let mut seen = r.clone();
        if let Some((prefix, _)) = r.resource.id.split_once('-') {
            if prefix == r.principal.tenant {
                seen.resource.tenant = prefix.to_string();
            }
        }
        m.decide(&seen)
    };
    let (x, random) = both(
        &model,
        &[Property::Isolation, Property::Determinism],
        &mut target,
    );
    assert!(failed(&random, "isolation"), "{:?}", statuses(&random));
    assert!(failed(&x, "determinism"), "exhaustive: {:?}", statuses(&x));
}

/// A service that answers 404 for ids that are not UUIDs (its router
/// rejects them) decides on the id: determinism catches it, at random and
/// exhaustively. Ids were never UUIDs: GO.
#[test]
fn a_service_deciding_on_the_id_shape_is_caught() {
    let model = model();
    let m = model.clone();
    let mut target = move |r: &Request| {
        let id = &r.resource.id;
        let uuid = id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        match m.decide(r) {
            // The UUID route answers every denial with a 404.
            d if uuid && !d.allow => Decision::deny("tenant_mismatch", 404),
            d => d,
        }
    };
    let (x, random) = both(&model, &[Property::Determinism], &mut target);
    assert!(failed(&random, "determinism"), "{:?}", statuses(&random));
    assert!(failed(&x, "determinism"), "exhaustive: {:?}", statuses(&x));
}

/// Attack (review of issue 17): with one scope the rotation of unknown
/// names over the scope sets alone never reached the later names, and the
/// report still listed them. The (action, set) pairs rotate now, and the
/// report lists only the names sent.
#[test]
fn a_tiny_model_still_reaches_every_unknown_scope_class() {
    let text = "[scopes]\n\"doc:read\" = []\n[resources.doc]\nread = \"doc:read\"\n\
        [[reasons]]\ncode = \"unauthenticated\"\nstatus = 401\n[[reasons]]\ncode = \"unknown_action\"\nstatus = 400\n\
        [[reasons]]\ncode = \"tenant_mismatch\"\nstatus = 404\n[[reasons]]\ncode = \"insufficient_scope\"\nstatus = 403\n\
        [target]\nkind = \"policy\"\n";
    let config = gonogo::Config::parse(&gonogo::model::SourceFile::new("m.toml", text)).unwrap();
    let model = config.model;
    let domain = Domain::new(model.clone());
    for name in domain.scope_classes() {
        let m = model.clone();
        let granted = name.clone();
        let mut target = move |r: &Request| {
            if r.principal.authenticated
                && r.principal.tenant == r.resource.tenant
                && r.principal.scopes.contains(&granted)
            {
                return Decision::allow();
            }
            m.decide(r)
        };
        let (x, _) = both(&model, &[Property::Conformance], &mut target);
        assert!(failed(&x, "conformance"), "`{name}`: {:?}", statuses(&x));
        let listed = &x.exhaustive.as_ref().unwrap().extra_scopes;
        assert!(listed.contains(&name), "{listed:?}");
    }
}
