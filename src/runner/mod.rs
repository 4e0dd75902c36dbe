//! Runs properties against a target: seeded ChaCha generation over proptest,
//! shrinking, saving counterexamples to the corpus, and replaying them.

mod replay;
mod seed;
mod shrink;
mod suite;

pub use replay::replay;
pub use seed::{property_seed, random_seed};
pub use suite::Suite;

use crate::corpus::{self, Counterexample};
use crate::generate::{self, Domain};
use crate::invariants::{self, Property, Violation};
use crate::model::config::format_seed;
use crate::reason::Reason;
use crate::report::{CheckReport, PropertyResult, Status};
use crate::targets::{Target, TargetError};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Arc;

/// How a check runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    /// Random cases per property.
    pub cases: u32,
    /// The properties to check, in order.
    pub properties: Vec<Property>,
    /// Where failing properties save their counterexample (none: not saved).
    pub corpus_dir: Option<PathBuf>,
    /// How to name the run in reproduce lines: the config path for the CLI.
    pub config_path: Option<String>,
    /// Shrinking steps at most per failure.
    pub max_shrink_iters: u32,
}

impl Options {
    /// Every property, `cases` cases, from `seed`, nothing saved.
    pub fn new(seed: u64, cases: u32) -> Options {
        Options {
            seed,
            cases,
            properties: Property::ALL.to_vec(),
            corpus_dir: None,
            config_path: None,
            max_shrink_iters: 10_000,
        }
    }
}

/// What running one property found.
#[derive(Debug, Clone)]
pub enum Found {
    /// Every case held.
    Held,
    /// A violation, shrunk.
    Violated(Violation),
    /// The target failed; checking stopped.
    TargetFailed(TargetError),
}

/// The result of one property: what was found after how many cases.
#[derive(Debug, Clone)]
pub struct PropertyRun {
    pub property: Property,
    pub cases: u64,
    pub found: Found,
}

/// Runs one property from a seed. Deterministic: the same domain, seed and
/// deterministic target give the same cases, the same shrink, the same result.
pub fn run_property(
    domain: &Arc<Domain>,
    target: &mut dyn Target,
    property: Property,
    opts: &Options,
) -> PropertyRun {
    let strategy = generate::cases(domain.clone(), property);
    let config = Config {
        cases: opts.cases,
        max_local_rejects: 65_536,
        max_global_rejects: 1_024,
        max_flat_map_regens: 1_000_000,
        failure_persistence: None,
        source_file: None,
        test_name: None,
        max_shrink_time: 0,
        max_shrink_iters: opts.max_shrink_iters,
        max_default_size_range: 100,
        verbose: 0,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &property_seed(opts.seed, property));
    let mut runner = TestRunner::new_with_rng(config, rng);

    struct State {
        cases: u64,
        failed: bool,
        error: Option<TargetError>,
        last: Option<Violation>,
    }
    let state = RefCell::new(State {
        cases: 0,
        failed: false,
        error: None,
        last: None,
    });
    let target = RefCell::new(target);
    let ask = |requests: &[crate::model::Request]| {
        recheck(domain, *target.borrow_mut(), property, requests)
    };

    let result = runner.run(&strategy, |requests| {
        if state.borrow().error.is_some() {
            return Err(TestCaseError::fail("the target failed"));
        }
        if !state.borrow().failed {
            state.borrow_mut().cases += 1;
        }
        match ask(&requests) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(v)) => {
                let mut st = state.borrow_mut();
                st.failed = true;
                st.last = Some(v);
                Err(TestCaseError::fail("property violated"))
            }
            Err(e) => {
                state.borrow_mut().error = Some(e);
                Err(TestCaseError::fail("the target failed"))
            }
        }
    });

    let st = state.into_inner();
    let target = target.into_inner();
    let found = match (st.error, result) {
        (Some(e), _) => Found::TargetFailed(e),
        (None, Ok(())) => Found::Held,
        (None, Err(TestError::Fail(why, minimal))) => {
            match recheck(domain, target, property, &minimal) {
                Ok(Err(v)) => Found::Violated(v),
                Err(e) => Found::TargetFailed(e),
                Ok(Ok(())) => match st.last {
                    Some(v) => Found::Violated(v),
                    None => {
                        Found::TargetFailed(TargetError::new(format!("the target panicked: {why}")))
                    }
                },
            }
        }
        (None, Err(TestError::Abort(why))) => {
            Found::TargetFailed(TargetError::new(format!("generation gave up: {why}")))
        }
    };
    let found = match found {
        Found::Violated(v) => match shrink::minimize(domain, target, property, v) {
            Ok(v) => Found::Violated(v),
            Err(e) => Found::TargetFailed(e),
        },
        other => other,
    };
    PropertyRun {
        property,
        cases: st.cases,
        found,
    }
}

/// Asks the target again about a case and checks it.
fn recheck(
    domain: &Domain,
    target: &mut dyn Target,
    property: Property,
    requests: &[crate::model::Request],
) -> Result<Result<(), Violation>, TargetError> {
    let decisions = crate::targets::ask(target, requests)?;
    Ok(invariants::check(property, &domain.model, requests, &decisions).map(|_| ()))
}

/// Runs the properties of `opts` and builds the report, saving each
/// counterexample to the corpus when a corpus folder is set.
pub fn check(domain: &Arc<Domain>, target: &mut dyn Target, opts: &Options) -> CheckReport {
    let seed = format_seed(opts.seed);
    let digest = domain.model.digest();
    let mut results = Vec::new();
    for &property in &opts.properties {
        let run = run_property(domain, target, property, opts);
        results.push(result_of(run, &seed, &digest, opts));
    }
    CheckReport::new(opts.config_path.clone().unwrap_or_default(), seed, results)
}

fn result_of(run: PropertyRun, seed: &str, digest: &str, opts: &Options) -> PropertyResult {
    let mut result = PropertyResult {
        name: run.property.name().to_string(),
        status: Status::Pass,
        cases: run.cases,
        exhaustive: false,
        reason: None,
        counterexample: None,
        message: None,
        corpus_file: None,
        reproduce: Vec::new(),
    };
    match run.found {
        Found::Held => {}
        Found::TargetFailed(e) => {
            result.status = Status::Error;
            result.reason = Some(Reason::TargetFailed);
            let mut message = e.message.clone();
            if let Some(r) = &e.last_request {
                message.push_str(&format!(
                    "; last request: {}",
                    serde_json::to_string(r).unwrap_or_default()
                ));
            }
            result.message = Some(message);
        }
        Found::Violated(v) => {
            let cx = Counterexample::new(&v, seed, digest);
            result.status = Status::Fail;
            result.reason = Some(run.property.reason());
            if let Some(dir) = &opts.corpus_dir {
                match corpus::save(dir, &cx) {
                    Ok(path) => {
                        let shown = path.display().to_string();
                        result
                            .reproduce
                            .push(format!("gonogo replay {}", shell_quote(&shown)));
                        result.corpus_file = Some(shown);
                    }
                    Err(e) => {
                        result.message = Some(format!("the counterexample was not saved: {e}"))
                    }
                }
            }
            match &opts.config_path {
                Some(config) => result.reproduce.push(format!(
                    "gonogo check --config {} --property {} --seed {seed} --cases {}",
                    shell_quote(config),
                    run.property.name(),
                    opts.cases
                )),
                None => result.reproduce.push(format!(
                    "GONOGO_SEED={seed} GONOGO_CASES={} GONOGO_PROPERTY={} cargo test",
                    opts.cases,
                    run.property.name()
                )),
            }
            result.counterexample = Some(cx);
        }
    }
    result
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
