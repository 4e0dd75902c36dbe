//! The Rust API: a service checks its own authorizer from `cargo test`.

use gonogo::model::Request;
use gonogo::{Decision, Property, Suite, Target, TargetError, Verdict};
use std::path::Path;

fn example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/gonogo.toml")
}

/// A hand-written authorizer, as a service would have it: its own tables,
/// not gonogo's model.
struct Authorizer {
    buggy_tenant_check: bool,
}

impl Authorizer {
    fn implied(scope: &str) -> &'static [&'static str] {
        match scope {
            "admin" => &[
                "admin",
                "projects:write",
                "projects:read",
                "billing:write",
                "billing:read",
                "members:invite",
                "members:read",
            ],
            "projects:write" => &["projects:write", "projects:read"],
            "projects:read" => &["projects:read"],
            "billing:write" => &["billing:write", "billing:read"],
            "billing:read" => &["billing:read"],
            "members:invite" => &["members:invite", "members:read"],
            "members:read" => &["members:read"],
            "platform:support" => &[
                "platform:support",
                "projects:read",
                "billing:read",
                "members:read",
            ],
            _ => &[],
        }
    }
}

impl Target for Authorizer {
    fn decide(&mut self, req: &Request) -> Result<Decision, TargetError> {
        let held: Vec<&str> = req
            .principal
            .scopes
            .iter()
            .flat_map(|s| Self::implied(s).iter().copied())
            .collect();
        let required: Option<&[&str]> = match (req.resource.kind.as_str(), req.action.as_str()) {
            ("project", "read") => Some(&["projects:read"]),
            ("project", "write") => Some(&["projects:write"]),
            ("project", "delete") => Some(&["admin"]),
            ("invoice", "read") => Some(&["billing:read"]),
            ("invoice", "pay") => Some(&["billing:write", "projects:read"]),
            ("member", "read") => Some(&["members:read"]),
            ("member", "invite") => Some(&["members:invite"]),
            ("member", "remove") => Some(&["admin"]),
            _ => None,
        };
        let same_tenant = if self.buggy_tenant_check {
            req.principal.tenant.trim() == req.resource.tenant.trim()
        } else {
            req.principal.tenant == req.resource.tenant
        };
        Ok(if !req.principal.authenticated {
            Decision::deny("unauthenticated", 401)
        } else if required.is_none() {
            Decision::deny("unknown_action", 400)
        } else if !same_tenant && !held.contains(&"platform:support") {
            Decision::deny("tenant_mismatch", 404)
        } else if !required.unwrap().iter().all(|s| held.contains(s)) {
            Decision::deny("insufficient_scope", 403)
        } else {
            Decision::allow()
        })
    }
}

#[test]
fn a_correct_authorizer_is_go() {
    Suite::from_config(example())
        .unwrap()
        .seed(7)
        .cases(1000)
        .assert_go(&mut Authorizer {
            buggy_tenant_check: false,
        });
}

#[test]
fn a_buggy_authorizer_panics_with_the_report() {
    let suite = Suite::new(gonogo::Config::load(&example()).unwrap().model)
        .seed(7)
        .cases(1000);
    let result = std::panic::catch_unwind(move || {
        suite.assert_go(&mut Authorizer {
            buggy_tenant_check: true,
        });
    });
    let payload = result.expect_err("the tenant bug must be caught");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("NO-GO"), "{message}");
    assert!(message.contains("isolation_violated"), "{message}");
    assert!(message.contains("GONOGO_SEED=0x7"), "{message}");
}

#[test]
fn a_closure_is_a_target() {
    let model = gonogo::Config::load(&example()).unwrap().model;
    let policy = model.clone();
    let mut target = move |r: &Request| policy.decide(r);
    let report = Suite::new(model)
        .seed(1)
        .cases(200)
        .run(&mut target)
        .unwrap();
    assert_eq!(report.verdict(), Verdict::Go);
}

#[test]
fn a_panicking_target_is_an_error_not_a_verdict() {
    let model = gonogo::Config::load(&example()).unwrap().model;
    let policy = model.clone();
    let mut target = move |r: &Request| -> Decision {
        if r.action == "delete" {
            panic!("authorizer crashed");
        }
        policy.decide(r)
    };
    let report = Suite::new(model)
        .seed(1)
        .cases(200)
        .properties(&[Property::Isolation])
        .run(&mut target)
        .unwrap();
    assert_eq!(report.verdict(), Verdict::Error, "{report:#?}");
    assert!(
        report.properties[0]
            .message
            .as_deref()
            .unwrap()
            .contains("panicked")
    );
}

#[test]
fn a_failing_target_is_an_error() {
    struct Down;
    impl Target for Down {
        fn decide(&mut self, _: &Request) -> Result<Decision, TargetError> {
            Err(TargetError::new("connection refused"))
        }
    }
    let model = gonogo::Config::load(&example()).unwrap().model;
    let report = Suite::new(model).seed(1).cases(10).run(&mut Down).unwrap();
    assert_eq!(report.verdict(), Verdict::Error);
    assert!(
        report
            .properties
            .iter()
            .all(|p| p.status == gonogo::report::Status::Error)
    );
}

/// Nothing checked is never GO: zero cases or no property is an error.
#[test]
fn zero_cases_or_no_property_is_an_error() {
    let model = gonogo::Config::load(&example()).unwrap().model;
    let mut allow_all = |_: &Request| Decision::allow();
    let report = Suite::new(model.clone())
        .seed(1)
        .cases(0)
        .run(&mut allow_all)
        .unwrap();
    assert_eq!(report.verdict(), Verdict::Error);
    let report = Suite::new(model)
        .seed(1)
        .properties(&[])
        .run(&mut allow_all)
        .unwrap();
    assert_eq!(report.verdict(), Verdict::Error);
}

/// Issue 16: a verdict is computed from its parts, never stored beside
/// them. Before, `CheckReport.verdict` was a field: a failing result pushed
/// after `new` left the report GO.
#[test]
fn a_report_verdict_follows_its_properties() {
    let result = |status: gonogo::verdict::Status| gonogo::runner::PropertyResult {
        name: "isolation".into(),
        status,
        cases: 1,
        exhaustive: false,
        reason: None,
        mismatch: None,
        mismatches: Default::default(),
        skipped: Default::default(),
        counterexample: None,
        message: None,
        corpus_file: None,
        reproduce: Vec::new(),
        note: None,
    };
    let mut report = gonogo::CheckReport::new(
        "gonogo.toml".into(),
        "1".into(),
        vec![result(gonogo::verdict::Status::Pass)],
    );
    assert_eq!(report.verdict(), Verdict::Go);
    report
        .properties
        .push(result(gonogo::verdict::Status::Fail));
    assert_eq!(report.verdict(), Verdict::NoGo);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["verdict"], "no-go");
    report.properties.clear();
    assert_ne!(report.verdict(), Verdict::Go, "nothing checked is never GO");
}

/// Issue 16: the prelude is enough to write a suite.
#[test]
fn the_prelude_is_enough_for_a_suite() {
    use gonogo::prelude::*;
    let suite: Result<Suite, _> = Suite::from_config(example());
    let mut deny_all = |_: &Request| -> Decision { Decision::deny("denied", 403) };
    let report: CheckReport = suite.unwrap().cases(20).run(&mut deny_all).unwrap();
    let _: Verdict = report.verdict();
    let _: Option<(&Principal, &Resource, &Context)> = None;
    let _: &[Property] = &Property::ALL;
    let _: Option<Status> = None;
}

/// Issue 16: `Suite::run` fails with a typed error naming what is wrong
/// (it returned `Result<_, String>`).
#[test]
fn a_suite_error_is_typed() {
    use gonogo::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("corpus.json");
    std::fs::write(&broken, "not a counterexample").unwrap();
    let suite = Suite::from_config(example())
        .unwrap()
        .corpus(&broken)
        .cases(5);
    let mut allow_all = |_: &Request| -> Decision { Decision::allow() };
    match suite.run(&mut allow_all) {
        Err(SuiteError::Replay { file, message }) => {
            assert_eq!(file, broken.display().to_string());
            assert!(message.contains("not a counterexample"), "{message}");
        }
        other => panic!("expected a replay error, got {other:?}"),
    }
}

/// Attack (issue 16 review): a target that wraps gonogo's `PolicyTarget`
/// and adds a bug (tenant ids compared case-insensitively). With hooks
/// reached through a forwardable accessor, a wrapper that forwarded them
/// handed the engine the inner policy's forks and its claim to be the
/// declared policy: random, exhaustive and `Suite` runs never asked the
/// wrapper and said GO. Now no target can claim to be the declared policy
/// (the caller says `Subject::DeclaredPolicy`), and a wrapper's hooks are
/// its own: every run asks the wrapper and is NO-GO for isolation.
#[derive(Clone)]
struct CaseBlind {
    inner: gonogo::targets::PolicyTarget,
}

impl Target for CaseBlind {
    fn decide(&mut self, r: &Request) -> Result<Decision, TargetError> {
        let mut r = r.clone();
        if r.principal.tenant.eq_ignore_ascii_case(&r.resource.tenant) {
            r.resource.tenant = r.principal.tenant.clone();
        }
        self.inner.decide(&r)
    }
}

/// Its own fork: a copy of the wrapper, bug included.
impl gonogo::targets::TargetExt for CaseBlind {
    fn fork(&self) -> Option<Box<dyn gonogo::targets::TargetExt + Send>> {
        Some(Box::new(self.clone()))
    }
}

#[test]
fn a_wrapper_around_the_policy_is_asked_itself() {
    use gonogo::generate::Domain;
    use gonogo::runner::exhaustive::{self, Subject};
    use gonogo::runner::{Options, check};
    use gonogo::targets::{Plain, PolicyTarget};
    use std::sync::Arc;
    let config = gonogo::Config::load(&example()).unwrap();
    let domain = Arc::new(Domain::new(config.model.clone()));
    let wrapper = || CaseBlind {
        inner: PolicyTarget::new(config.model.clone()),
    };
    let mut opts = Options::new(7, 500);
    opts.properties = vec![Property::Isolation];
    let isolation_fails = |r: &gonogo::CheckReport, how: &str| {
        assert_eq!(r.verdict(), Verdict::NoGo, "{how}");
        assert_eq!(
            r.property("isolation").unwrap().status,
            gonogo::Status::Fail,
            "{how}"
        );
    };
    isolation_fails(&check(&domain, &mut wrapper(), &opts), "random, forked");
    isolation_fails(
        &check(&domain, &mut Plain(wrapper()), &opts),
        "random, plain",
    );
    let exhaustive = exhaustive::check(
        &domain,
        Subject::Target(&mut wrapper()),
        &opts,
        None,
        exhaustive::DEFAULT_MAX_REQUESTS,
    )
    .unwrap();
    isolation_fails(&exhaustive, "exhaustive");
    assert_eq!(exhaustive.exhaustive.as_ref().unwrap().enumeration, "raw");
    let suite = Suite::from_config(example()).unwrap().cases(200);
    isolation_fails(&suite.run(&mut wrapper()).unwrap(), "suite");
    isolation_fails(&suite.run_ext(&mut wrapper()).unwrap(), "suite, forked");
}

/// Issue 17: a service with no tenant check at all was reported as `acme`
/// reading `acm`'s object, which reads like a prefix-comparison bug.
/// Shrinking now prefers declared tenant ids over shorter ones: the
/// counterexample is between two declared tenants.
#[test]
fn a_missing_tenant_check_shrinks_to_declared_tenants() {
    use gonogo::generate::Domain;
    use gonogo::runner::{Options, check};
    use std::sync::Arc;
    let config = gonogo::Config::load(&example()).unwrap();
    let model = config.model.clone();
    let domain = Arc::new(Domain::new(model.clone()));
    let declared = model.tenant_ids.clone();
    for seed in [1u64, 2, 3, 4, 5] {
        let mut no_tenant_check = |r: &Request| {
            let mut same = r.clone();
            same.resource.tenant = same.principal.tenant.clone();
            model.decide(&same)
        };
        let mut opts = Options::new(seed, 500);
        opts.properties = vec![Property::Isolation];
        let report = check(&domain, &mut no_tenant_check, &opts);
        let p = report.property("isolation").unwrap();
        assert_eq!(p.status, gonogo::Status::Fail, "seed {seed}");
        let r = &p.counterexample.as_ref().unwrap().requests[0];
        assert!(
            declared.contains(&r.principal.tenant) && declared.contains(&r.resource.tenant),
            "seed {seed}: {} reading {}'s",
            r.principal.tenant,
            r.resource.tenant
        );
    }
}

/// Issue 17: a failure that needs an adversarial tenant id says which class
/// of id it needs (a case-insensitive comparison needs a case variant).
#[test]
fn the_sentence_names_the_class_of_tenant_id_a_failure_needs() {
    use gonogo::generate::Domain;
    use gonogo::runner::{Options, check};
    use std::sync::Arc;
    let config = gonogo::Config::load(&example()).unwrap();
    let domain = Arc::new(Domain::new(config.model.clone()));
    let mut target = gonogo::targets::Mutant::TenantCaseInsensitive.target(config.model.clone());
    let mut opts = Options::new(3, 2000);
    opts.properties = vec![Property::Isolation];
    let report = check(&domain, &mut target, &opts);
    let p = report.property("isolation").unwrap();
    assert_eq!(p.status, gonogo::Status::Fail);
    let cx = p.counterexample.as_ref().unwrap();
    assert!(
        cx.explanation.contains("case variant"),
        "{}",
        cx.explanation
    );
}
