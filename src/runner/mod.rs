//! Runs properties against a target: seeded ChaCha generation over proptest,
//! shrinking, saving counterexamples to the corpus, and replaying them.

mod coverage;
pub mod exhaustive;
mod replay;
mod seed;
mod shrink;
mod suite;

pub use coverage::{Coverage, Relation};
pub use replay::replay;
pub use seed::{property_seed, random_seed};
pub use suite::Suite;

use crate::corpus::{self, Counterexample};
use crate::generate::{self, Domain};
use crate::invariants::{self, Property, Violation};
use crate::model::Request;
use crate::model::config::format_seed;
use crate::reason::Reason;
use crate::report::{CheckReport, PropertyResult, Status};
use crate::targets::{Target, TargetError};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
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
    /// A progress bar to advance by one per case (none: no progress shown).
    pub progress: Option<indicatif::ProgressBar>,
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
            progress: None,
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

/// Cases generated and sent to the target together: one round trip to an
/// external target answers a whole batch (pipelining).
pub const BATCH_CASES: usize = 256;

/// Runs one property from a seed. Deterministic: the same domain, seed and
/// deterministic target give the same cases, the same shrink, the same result.
///
/// Cases are drawn from proptest value trees in batches; the first failing
/// case of a batch is shrunk with its value tree (proptest's simplify and
/// complicate), then by the lattice-walking pass of [`shrink`].
pub fn run_property(
    domain: &Arc<Domain>,
    target: &mut dyn Target,
    property: Property,
    opts: &Options,
) -> PropertyRun {
    run_recording(domain, target, property, opts, None)
}

/// [`run_property`], recording every request generated into `coverage`.
fn run_recording(
    domain: &Arc<Domain>,
    target: &mut dyn Target,
    property: Property,
    opts: &Options,
    mut coverage: Option<&mut Coverage>,
) -> PropertyRun {
    let strategy = generate::cases(domain.clone(), property);
    let config = Config {
        cases: opts.cases,
        failure_persistence: None,
        source_file: None,
        test_name: None,
        max_shrink_iters: opts.max_shrink_iters,
        max_default_size_range: 100,
        verbose: 0,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &property_seed(opts.seed, property));
    let mut runner = TestRunner::new_with_rng(config, rng);
    let total = opts.cases as usize;
    let outcome = |cases: usize, found: Found| PropertyRun {
        property,
        cases: cases as u64,
        found,
    };
    let mut generate_batch = |n: usize| -> Result<Batch, TargetError> {
        let mut trees = Vec::with_capacity(n);
        for _ in 0..n {
            let tree = strategy.new_tree(&mut runner).map_err(|why| {
                TargetError::new(format!("internal error: generation gave up: {why}"))
            })?;
            trees.push(tree);
        }
        let cases: Vec<Vec<Request>> = trees.iter().map(|t| t.current()).collect();
        let flat = cases.iter().flatten().cloned().collect();
        Ok(Batch { trees, cases, flat })
    };

    // With a pipelining target, batch k+1 is generated and sent before the
    // answers to batch k are read, so the target never waits for gonogo.
    let mut done = 0usize;
    let mut current = match generate_batch(BATCH_CASES.min(total)) {
        Ok(b) => b,
        Err(e) => return outcome(0, Found::TargetFailed(e)),
    };
    let pipelined = match crate::targets::ask_send(target, &current.flat) {
        Ok(p) => p,
        Err(e) => return outcome(0, Found::TargetFailed(e)),
    };
    loop {
        let n = current.cases.len();
        let remaining = total - done - n;
        let mut following = None;
        let answers = if pipelined {
            if remaining > 0 {
                let next = match generate_batch(BATCH_CASES.min(remaining)) {
                    Ok(b) => b,
                    Err(e) => return outcome(done, Found::TargetFailed(e)),
                };
                if let Err(e) = crate::targets::ask_send(target, &next.flat) {
                    return outcome(done, Found::TargetFailed(e));
                }
                following = Some(next);
            }
            crate::targets::ask_receive(target, &current.flat)
        } else {
            crate::targets::ask(target, &current.flat)
        };
        let decisions = match answers {
            Ok(d) => d,
            Err(e) => return outcome(done, Found::TargetFailed(e)),
        };
        if let Some(coverage) = coverage.as_deref_mut() {
            for r in &current.flat {
                coverage.record(domain, r);
            }
        }
        let mut offset = 0;
        for (i, case) in current.cases.iter().enumerate() {
            let answers = &decisions[offset..offset + case.len()];
            offset += case.len();
            if let Err(first) = invariants::check(property, &domain.model, case, answers) {
                if let Some(bar) = &opts.progress {
                    bar.inc(i as u64 + 1);
                }
                // Collect the answers still due before asking anything else.
                if let Some(next) = &following {
                    if let Err(e) = crate::targets::ask_receive(target, &next.flat) {
                        return outcome(done + i + 1, Found::TargetFailed(e));
                    }
                }
                let tree = current.trees.swap_remove(i);
                let shrunk =
                    shrink_tree(domain, target, property, tree, first, opts.max_shrink_iters)
                        .and_then(|v| shrink::minimize(domain, target, property, v));
                return match shrunk {
                    Ok(v) => outcome(done + i + 1, Found::Violated(v)),
                    Err(e) => outcome(done + i + 1, Found::TargetFailed(e)),
                };
            }
        }
        done += n;
        if let Some(bar) = &opts.progress {
            bar.inc(n as u64);
        }
        current = match following {
            Some(next) => next,
            None if done < total => match generate_batch(BATCH_CASES.min(total - done)) {
                Ok(b) => b,
                Err(e) => return outcome(done, Found::TargetFailed(e)),
            },
            None => break,
        };
    }
    outcome(done, Found::Held)
}

/// Cases generated together, with their value trees for shrinking.
struct Batch {
    trees: Vec<Box<dyn ValueTree<Value = Vec<Request>>>>,
    cases: Vec<Vec<Request>>,
    flat: Vec<Request>,
}

/// proptest's shrinking loop over one value tree: simplify while the case
/// still fails, complicate when a simplification passed.
fn shrink_tree(
    domain: &Domain,
    target: &mut dyn Target,
    property: Property,
    mut tree: Box<dyn ValueTree<Value = Vec<Request>>>,
    first: Violation,
    max_iters: u32,
) -> Result<Violation, TargetError> {
    let mut best = first;
    let mut iters = 0u32;
    'simplify: while iters < max_iters && tree.simplify() {
        loop {
            iters += 1;
            match recheck(domain, target, property, &tree.current())? {
                Err(v) => {
                    best = v;
                    continue 'simplify;
                }
                Ok(()) => {
                    if iters >= max_iters || !tree.complicate() {
                        break 'simplify;
                    }
                }
            }
        }
    }
    Ok(best)
}

/// Asks the target again about a case and checks it.
fn recheck(
    domain: &Domain,
    target: &mut dyn Target,
    property: Property,
    requests: &[Request],
) -> Result<Result<(), Violation>, TargetError> {
    let decisions = crate::targets::ask(target, requests)?;
    Ok(invariants::check(property, &domain.model, requests, &decisions).map(|_| ()))
}

/// Runs the properties of `opts` and builds the report, saving each
/// counterexample to the corpus when a corpus folder is set.
pub fn check(domain: &Arc<Domain>, target: &mut dyn Target, opts: &Options) -> CheckReport {
    let seed = format_seed(opts.seed);
    if opts.cases == 0 || opts.properties.is_empty() {
        // Nothing checked is never GO.
        let message = if opts.cases == 0 {
            "zero cases were asked for: nothing would be checked"
        } else {
            "no property was selected: nothing would be checked"
        };
        let names = if opts.properties.is_empty() {
            Property::ALL.to_vec()
        } else {
            opts.properties.clone()
        };
        let results = names
            .into_iter()
            .map(|p| PropertyResult {
                name: p.name().to_string(),
                status: Status::Error,
                cases: 0,
                exhaustive: false,
                reason: None,
                counterexample: None,
                message: Some(message.to_string()),
                corpus_file: None,
                reproduce: Vec::new(),
                note: None,
            })
            .collect();
        return CheckReport::new(opts.config_path.clone().unwrap_or_default(), seed, results);
    }
    let digest = domain.model.digest();
    let mut results = Vec::new();
    let mut coverage = Coverage::new(domain);
    for &property in &opts.properties {
        if let Some(bar) = &opts.progress {
            bar.set_message(property.name());
        }
        let run = run_recording(domain, target, property, opts, Some(&mut coverage));
        results.push(result_of(run, &seed, &digest, opts, false));
    }
    if let Some(bar) = &opts.progress {
        bar.finish_and_clear();
    }
    let mut report = CheckReport::new(opts.config_path.clone().unwrap_or_default(), seed, results);
    report.coverage = Some(coverage.summary(domain));
    report
}

/// The report entry of a property run (`exhaustive`: from `check --exhaustive`).
fn result_of(
    run: PropertyRun,
    seed: &str,
    digest: &str,
    opts: &Options,
    exhaustive: bool,
) -> PropertyResult {
    let mut result = PropertyResult {
        name: run.property.name().to_string(),
        status: Status::Pass,
        cases: run.cases,
        exhaustive,
        reason: None,
        counterexample: None,
        message: None,
        corpus_file: None,
        reproduce: Vec::new(),
        note: None,
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
                        result.reproduce.push(match &opts.config_path {
                            Some(config) => format!(
                                "gonogo replay --config {} {}",
                                shell_quote(config),
                                shell_quote(&shown)
                            ),
                            None => format!("gonogo replay {}", shell_quote(&shown)),
                        });
                        result.corpus_file = Some(shown);
                    }
                    Err(e) => {
                        result.message = Some(format!("the counterexample was not saved: {e}"))
                    }
                }
            }
            match &opts.config_path {
                Some(config) if exhaustive => result.reproduce.push(format!(
                    "gonogo check --config {} --property {} --exhaustive",
                    shell_quote(config),
                    run.property.name(),
                )),
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
