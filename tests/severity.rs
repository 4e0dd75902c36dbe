//! Issue 17, "severity first": a counterexample where the target allowed
//! what the declared policy denies is the one shown and saved; a wrong
//! reason found first does not hide it, and shrinking never trades it for
//! a reason mismatch. Reports count mismatches by kind.

use gonogo::generate::Domain;
use gonogo::model::{Decision, Model, Request};
use gonogo::runner::{Options, check};
use gonogo::{Property, Status};
use std::path::Path;
use std::sync::Arc;

fn model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/gonogo.toml");
    gonogo::Config::load(&path).unwrap().model
}

fn holds(r: &Request, scope: &str) -> bool {
    r.principal.scopes.iter().any(|s| s == scope)
}

/// Two bugs: every `insufficient_scope` denial says `tenant_mismatch`
/// (common: found within the first cases), and `delete` of a project is
/// allowed to anyone holding `projects:write` in the tenant (rarer).
fn two_bugs(model: &Model) -> impl FnMut(&Request) -> Decision + '_ {
    move |r: &Request| {
        let expected = model.decide(r);
        if r.action == "delete"
            && r.resource.kind == "project"
            && r.principal.authenticated
            && r.principal.tenant == r.resource.tenant
            && holds(r, "projects:write")
        {
            return Decision::allow();
        }
        if expected.reason.as_deref() == Some("insufficient_scope") {
            return Decision::deny("tenant_mismatch", 404);
        }
        expected
    }
}

#[test]
fn a_wrongful_allow_outranks_a_wrong_reason_found_first() {
    let model = model();
    let domain = Arc::new(Domain::new(model.clone()));
    for seed in 1..=5u64 {
        let mut target = two_bugs(&model);
        let mut opts = Options::new(seed, 2000);
        opts.properties = vec![Property::Conformance];
        let report = check(&domain, &mut target, &opts);
        let p = report.property("conformance").unwrap();
        assert_eq!(p.status, Status::Fail, "seed {seed}");
        let cx = p.counterexample.as_ref().unwrap();
        assert!(
            cx.decisions[0].allow && !model.decide(&cx.requests[0]).allow,
            "seed {seed}: the counterexample shown is not the wrongful allow: {}",
            cx.explanation
        );
        assert_eq!(p.mismatch.map(|m| m.code()), Some("wrongful_allow"));
        let kinds: Vec<&str> = p.mismatches.keys().map(|k| k.code()).collect();
        assert!(
            kinds.contains(&"wrongful_allow") && kinds.contains(&"wrong_reason"),
            "seed {seed}: {:?}",
            p.mismatches
        );
    }
}

/// A wrongful allow of `delete` to anyone holding a scope, and a wrong
/// reason for a principal holding none: removing scopes while shrinking
/// turned the allow into a reason mismatch, which also breaks conformance.
#[test]
fn shrinking_never_trades_a_wrongful_allow_for_a_reason_mismatch() {
    let model = model();
    let domain = Arc::new(Domain::new(model.clone()));
    for seed in 1..=5u64 {
        let mut target = |r: &Request| {
            let expected = model.decide(r);
            if r.principal.authenticated && r.principal.scopes.is_empty() && !expected.allow {
                return Decision::deny("unauthenticated", 401);
            }
            if r.action == "delete"
                && r.principal.authenticated
                && r.principal.tenant == r.resource.tenant
                && !r.principal.scopes.is_empty()
            {
                return Decision::allow();
            }
            expected
        };
        let mut opts = Options::new(seed, 3000);
        opts.properties = vec![Property::Conformance];
        let report = check(&domain, &mut target, &opts);
        let p = report.property("conformance").unwrap();
        let cx = p.counterexample.as_ref().unwrap();
        assert!(
            cx.decisions[0].allow && !model.decide(&cx.requests[0]).allow,
            "seed {seed}: shrunk into {}",
            cx.explanation
        );
        // Still shrunk: one scope, the least that keeps the allow wrongful.
        assert_eq!(cx.requests[0].principal.scopes.len(), 1, "seed {seed}");
    }
}

/// The JSON report counts mismatches by kind and names the one shown.
#[test]
fn the_json_report_counts_mismatches_by_kind() {
    let model = model();
    let domain = Arc::new(Domain::new(model.clone()));
    let mut target = two_bugs(&model);
    let mut opts = Options::new(7, 2000);
    opts.properties = vec![Property::Conformance];
    let report = check(&domain, &mut target, &opts);
    let json = serde_json::to_value(&report).unwrap();
    let p = &json["properties"][0];
    assert_eq!(p["mismatch"], "wrongful_allow", "{p:#}");
    assert!(
        p["mismatches"]["wrongful_allow"].as_u64().unwrap() >= 1,
        "{p:#}"
    );
    assert!(
        p["mismatches"]["wrong_reason"].as_u64().unwrap() >= 1,
        "{p:#}"
    );
    // A passing property says nothing of mismatches.
    let mut policy = |r: &Request| model.decide(r);
    let report = check(&domain, &mut policy, &opts);
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["properties"][0].get("mismatches").is_none());
}

/// The human report says what was found, by kind, and which is shown.
#[test]
fn the_human_report_names_the_kinds_found() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/gonogo.toml"),
    )
    .unwrap()
    .replace(
        "kind = \"policy\"",
        "kind = \"mutant\"\nmutant = \"delete_needs_write\"",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gonogo.toml"), text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["check", "--property", "conformance", "--cases", "500"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env_remove("GONOGO_SEED")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("found    1 wrongful allow (shown: wrongful allow)"),
        "{stdout}"
    );
}
