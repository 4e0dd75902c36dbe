//! Runs properties against a target: seeded ChaCha generation over proptest,
//! shrinking, saving counterexamples to the corpus, and replaying them.

mod coverage;
pub mod exhaustive;
pub(crate) mod outcome;
mod replay;
mod seed;
mod shrink;

pub use coverage::{Coverage, Relation};
pub use outcome::{
    CheckReport, CoverageSummary, ExhaustiveSummary, PropertyResult, ReplayReport, ReplayResult,
};
pub use replay::{Allow, replay};
pub(crate) mod confirm;
pub use crate::util::{random_seed, shell_quote};
pub use seed::property_seed;

use crate::corpus::{self, Counterexample};
use crate::generate::Domain;
use crate::invariants::{self, Mismatch, Mismatches, Property, Violation};
use crate::model::config::format_seed;
use crate::model::{Decision, Request};
use crate::reason::Reason;
use crate::targets::{TargetError, TargetExt};
use crate::verdict::Status;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::PathBuf;
use std::sync::Arc;

/// How a check runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The seed every case is drawn from.
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
    /// The target as written in the config, recorded in saved
    /// counterexamples: its digest and `Config::target_record`.
    pub target_record: Option<(String, serde_json::Value)>,
    /// Where progress goes, one step per case (none: no progress shown).
    pub progress: Option<std::sync::Arc<dyn Progress>>,
}

/// Where a run reports its progress (the CLI draws a bar; a library user
/// may log, or give none).
pub trait Progress:
    std::fmt::Debug + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe
{
    /// `n` more steps done.
    fn inc(&self, n: u64);
    /// What is being checked now.
    fn set_message(&self, message: &'static str);
    /// The number of steps in all.
    fn set_length(&self, steps: u64);
    /// The run is over.
    fn finish(&self);
}

/// Shrinking steps at most per failure, unless set otherwise.
pub const DEFAULT_MAX_SHRINK_ITERS: u32 = 10_000;

impl Options {
    /// Every property, `cases` cases, from `seed`, nothing saved.
    pub fn new(seed: u64, cases: u32) -> Options {
        Options {
            seed,
            cases,
            properties: Property::ALL.to_vec(),
            corpus_dir: None,
            config_path: None,
            max_shrink_iters: DEFAULT_MAX_SHRINK_ITERS,
            progress: None,
            target_record: None,
        }
    }

    /// What a `gonogo.toml` sets, the one place it is read for a run (the
    /// CLI, the gate and `Suite` start here and override what they must):
    /// its `[check]` seed (else a fresh one) and cases, every property, its
    /// corpus folder, its path for reproduce lines, its target's record.
    pub fn from_config(config: &crate::model::Config) -> Options {
        Options {
            corpus_dir: Some(config.corpus_dir.clone()),
            config_path: Some(config.path.display().to_string()),
            target_record: Some((config.target_digest(), config.target_record.clone())),
            ..Options::new(config.seed.unwrap_or_else(random_seed), config.cases)
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
    /// The property run.
    pub property: Property,
    /// How many cases were checked: all of them, or up to the first case
    /// with the worst kind of mismatch (a wrongful allow), which ends a run.
    pub cases: u64,
    /// What was found.
    pub found: Found,
    /// The failing cases among them, by kind of mismatch.
    pub mismatches: Mismatches,
    /// Requests the target skipped (it cannot represent them), by the
    /// reason it gave.
    pub skipped: Skips,
}

/// Skipped requests counted by the target's reason.
pub type Skips = std::collections::BTreeMap<String, u64>;

/// Cases generated and sent to the target together: one round trip to an
/// external target answers a whole batch (pipelining).
pub const BATCH_CASES: usize = 256;

/// Runs one property from a seed. Deterministic: the same domain, seed and
/// deterministic target give the same cases, the same shrink, the same result.
///
/// Cases are drawn in batches of [`BATCH_CASES`], batch `b` from its own
/// ChaCha stream, so a batch's cases depend on the
/// seed, the property and `b` alone. An in-process target that forks is
/// asked batch by batch in parallel with rayon; the first failing batch in
/// order wins, so the result does not depend on the number of threads. Any
/// other target is asked batch after batch, pipelined. The first failing case
/// is shrunk with its value tree (proptest's simplify and complicate), then
/// by a lattice-walking pass.
pub fn run_property(
    domain: &Arc<Domain>,
    target: &mut dyn TargetExt,
    property: Property,
    opts: &Options,
) -> PropertyRun {
    run_recording(domain, target, property, opts, None)
}

/// The failing case a run keeps: the worst kind of mismatch found, the
/// first among equals.
struct Failing {
    batch: usize,
    index: usize,
    violation: Violation,
    mismatch: Mismatch,
}

/// What the cases of a run showed.
#[derive(Default)]
struct Scanned {
    /// The failing case kept.
    failing: Option<Failing>,
    /// Cases checked.
    cases: usize,
    /// Failing cases by kind.
    mismatches: Mismatches,
    /// Skipped requests by reason.
    skipped: Skips,
    /// Cases checked (not skipped, not vacuous).
    checked: usize,
}

impl Scanned {
    /// Takes in batch `b`'s answers; `true` when the run is over (a
    /// wrongful allow was found: nothing can outrank it).
    fn take(
        &mut self,
        domain: &Domain,
        property: Property,
        b: usize,
        batch: &Batch,
        decisions: &[Decision],
    ) -> bool {
        let mut offset = 0;
        for (i, &len) in batch.lens.iter().enumerate() {
            let case = &batch.flat[offset..offset + len];
            let answers = &decisions[offset..offset + len];
            offset += len;
            self.cases += 1;
            let violation = match invariants::check(property, &domain.model, case, answers) {
                Ok(invariants::Held::Skipped) => {
                    for why in answers.iter().filter_map(|d| d.skip.as_deref()) {
                        *self.skipped.entry(skip_cause(why)).or_default() += 1;
                    }
                    continue;
                }
                Ok(invariants::Held::Checked) => {
                    self.checked += 1;
                    continue;
                }
                Ok(invariants::Held::Vacuous) => continue,
                Err(violation) => violation,
            };
            self.checked += 1;
            let mismatch = violation.mismatch(&domain.model);
            *self.mismatches.entry(mismatch).or_default() += 1;
            if self.failing.as_ref().is_none_or(|f| mismatch > f.mismatch) {
                self.failing = Some(Failing {
                    batch: b,
                    index: i,
                    violation,
                    mismatch,
                });
            }
            if mismatch == Mismatch::WORST {
                return true;
            }
        }
        false
    }
}

/// [`run_property`], recording every request generated into `coverage`.
fn run_recording(
    domain: &Arc<Domain>,
    target: &mut dyn TargetExt,
    property: Property,
    opts: &Options,
    coverage: Option<&mut Coverage>,
) -> PropertyRun {
    let outcome =
        |cases: usize, found: Found, mismatches: Mismatches, skipped: Skips| PropertyRun {
            property,
            cases: cases as u64,
            found,
            mismatches,
            skipped,
        };
    let found = if target.fork().is_some() {
        run_parallel(domain, target, property, opts, coverage)
    } else {
        run_pipelined(domain, target, property, opts, coverage)
    };
    let scanned = match found {
        Ok(scanned) => scanned,
        Err((done, e)) => {
            return outcome(
                done,
                Found::TargetFailed(e),
                Mismatches::new(),
                Skips::new(),
            );
        }
    };
    let Some(failing) = scanned.failing else {
        // Every case skipped: nothing was checked, and that is never GO.
        if scanned.checked == 0 && !scanned.skipped.is_empty() {
            let e = TargetError::new(format!(
                "the target skipped every request of all {} cases: nothing was checked",
                scanned.cases
            ));
            return outcome(
                scanned.cases,
                Found::TargetFailed(e),
                scanned.mismatches,
                scanned.skipped,
            );
        }
        return outcome(
            scanned.cases,
            Found::Held,
            scanned.mismatches,
            scanned.skipped,
        );
    };
    let (done, mismatches, floor) = (scanned.cases, scanned.mismatches, failing.mismatch);
    let skipped = scanned.skipped;
    let draws = Draws::new(domain, property, opts);
    let shrunk = draws
        .tree(failing.batch, failing.index)
        .and_then(|tree| {
            shrink_tree(
                domain,
                target,
                property,
                tree,
                failing.violation,
                floor,
                opts.max_shrink_iters,
            )
        })
        .and_then(|v| shrink::minimize(domain, target, property, v, floor));
    match shrunk {
        Ok(v) => outcome(done, Found::Violated(v), mismatches, skipped),
        Err(e) => outcome(done, Found::TargetFailed(e), mismatches, skipped),
    }
}

/// How many cases batch `b` of a run of `total` holds.
fn batch_len(total: usize, b: usize) -> usize {
    BATCH_CASES.min(total - b * BATCH_CASES)
}

/// Batches in parallel, each asked of its own fork of the target.
fn run_parallel(
    domain: &Arc<Domain>,
    target: &mut dyn TargetExt,
    property: Property,
    opts: &Options,
    mut coverage: Option<&mut Coverage>,
) -> Result<Scanned, (usize, TargetError)> {
    use rayon::prelude::*;
    let total = opts.cases as usize;
    let batches = total.div_ceil(BATCH_CASES);
    let window = 2 * rayon::current_num_threads().max(1);
    let template = coverage.as_deref().map(Coverage::emptied);
    let mut scanned = Scanned::default();
    let mut first = 0;
    while first < batches {
        let last = (first + window).min(batches);
        let forks: Vec<Box<dyn TargetExt + Send>> = (first..last)
            .map(|_| target.fork())
            .collect::<Option<_>>()
            .ok_or_else(|| {
                let e = TargetError::new("internal error: the target stopped forking");
                (first * BATCH_CASES, e)
            })?;
        let results: Vec<_> = (first..last)
            .into_par_iter()
            .zip(forks)
            .map(|(b, mut fork)| {
                let draws = Draws::new(domain, property, opts);
                let batch = draws.batch(b, batch_len(total, b))?;
                let decisions = crate::targets::ask(fork.as_mut(), &batch.flat)?;
                let seen = template.clone().map(|mut c| {
                    batch.flat.iter().for_each(|r| c.record(domain, r));
                    c
                });
                Ok((batch, decisions, seen))
            })
            .collect();
        for (b, result) in (first..last).zip(results) {
            let (batch, decisions, seen) = result.map_err(|e| (b * BATCH_CASES, e))?;
            if let (Some(c), Some(seen)) = (coverage.as_deref_mut(), seen) {
                c.merge(seen);
            }
            let before = scanned.cases;
            let over = scanned.take(domain, property, b, &batch, &decisions);
            if let Some(bar) = &opts.progress {
                bar.inc((scanned.cases - before) as u64);
            }
            if over {
                return Ok(scanned);
            }
        }
        first = last;
    }
    Ok(scanned)
}

/// Batches one after the other. With a pipelining target, batch k+1 is
/// generated and sent before the answers to batch k are read, so the target
/// never waits for gonogo.
fn run_pipelined(
    domain: &Arc<Domain>,
    target: &mut dyn TargetExt,
    property: Property,
    opts: &Options,
    mut coverage: Option<&mut Coverage>,
) -> Result<Scanned, (usize, TargetError)> {
    let total = opts.cases as usize;
    let batches = total.div_ceil(BATCH_CASES);
    let mut scanned = Scanned::default();
    let draws = Draws::new(domain, property, opts);
    let generate = |b: usize| {
        draws
            .batch(b, batch_len(total, b))
            .map_err(|e| (b * BATCH_CASES, e))
    };
    let mut current = generate(0)?;
    let pipelined = crate::targets::ask_send(target, &current.flat).map_err(|e| (0, e))?;
    for b in 0..batches {
        let done = b * BATCH_CASES;
        let mut following = None;
        let answers = if pipelined {
            if b + 1 < batches {
                let next = generate(b + 1)?;
                crate::targets::ask_send(target, &next.flat).map_err(|e| (done, e))?;
                following = Some(next);
            }
            crate::targets::ask_receive(target, &current.flat)
        } else {
            crate::targets::ask(target, &current.flat)
        };
        let decisions = answers.map_err(|e| (done, e))?;
        if let Some(coverage) = coverage.as_deref_mut() {
            for r in &current.flat {
                coverage.record(domain, r);
            }
        }
        let before = scanned.cases;
        let over = scanned.take(domain, property, b, &current, &decisions);
        if let Some(bar) = &opts.progress {
            bar.inc((scanned.cases - before) as u64);
        }
        if over {
            // Collect the answers still due before asking anything else.
            if let Some(next) = &following {
                crate::targets::ask_receive(target, &next.flat).map_err(|e| (scanned.cases, e))?;
            }
            return Ok(scanned);
        }
        current = match following {
            Some(next) => next,
            None if b + 1 < batches => generate(b + 1)?,
            None => break,
        };
    }
    Ok(scanned)
}

/// A skip's reason as counted: trimmed, escaped, at most 80 characters
/// (a target that puts the request in its reason does not grow the report).
fn skip_cause(why: &str) -> String {
    let why = crate::redact::text(why.trim());
    match why.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &why[..at]),
        None => why,
    }
}

/// The cases of one property run, drawn batch by batch.
struct Draws {
    strategy: proptest::strategy::BoxedStrategy<Vec<Request>>,
    config: Config,
    seed: [u8; 32],
}

impl Draws {
    fn new(domain: &Arc<Domain>, property: Property, opts: &Options) -> Draws {
        Draws {
            strategy: invariants::cases(domain.clone(), property),
            config: Config {
                cases: opts.cases,
                failure_persistence: None,
                source_file: None,
                test_name: None,
                max_shrink_iters: opts.max_shrink_iters,
                max_default_size_range: 100,
                verbose: 0,
                rng_algorithm: RngAlgorithm::ChaCha,
                ..Config::default()
            },
            seed: property_seed(opts.seed, property),
        }
    }

    /// The runner drawing batch `b`.
    fn runner(&self, b: usize) -> TestRunner {
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed::batch_seed(&self.seed, b));
        TestRunner::new_with_rng(self.config.clone(), rng)
    }

    /// Batch `b`, of `n` cases.
    fn batch(&self, b: usize, n: usize) -> Result<Batch, TargetError> {
        let mut runner = self.runner(b);
        let mut lens = Vec::with_capacity(n);
        let mut flat = Vec::with_capacity(n * 2);
        for _ in 0..n {
            let case = self.tree_from(&mut runner)?.current();
            lens.push(case.len());
            flat.extend(case);
        }
        Ok(Batch { lens, flat })
    }

    /// The value tree of case `index` of batch `b`, drawn again.
    fn tree(
        &self,
        b: usize,
        index: usize,
    ) -> Result<Box<dyn ValueTree<Value = Vec<Request>>>, TargetError> {
        let mut runner = self.runner(b);
        for _ in 0..index {
            self.tree_from(&mut runner)?;
        }
        self.tree_from(&mut runner)
    }

    fn tree_from(
        &self,
        runner: &mut TestRunner,
    ) -> Result<Box<dyn ValueTree<Value = Vec<Request>>>, TargetError> {
        self.strategy
            .new_tree(runner)
            .map_err(|why| TargetError::new(format!("internal error: generation gave up: {why}")))
    }
}

/// Cases generated together: case `i` is the next `lens[i]` requests of `flat`.
struct Batch {
    lens: Vec<usize>,
    flat: Vec<Request>,
}

/// proptest's shrinking loop over one value tree: simplify while the case
/// still fails, complicate when a simplification passed.
fn shrink_tree(
    domain: &Domain,
    target: &mut dyn TargetExt,
    property: Property,
    mut tree: Box<dyn ValueTree<Value = Vec<Request>>>,
    first: Violation,
    floor: Mismatch,
    max_iters: u32,
) -> Result<Violation, TargetError> {
    let mut best = first;
    let mut iters = 0u32;
    'simplify: while iters < max_iters && tree.simplify() {
        loop {
            iters += 1;
            match recheck(domain, target, property, &tree.current())? {
                // A milder failure is not the same failure: a wrongful allow
                // is never traded for a reason mismatch.
                Err(v) if v.mismatch(&domain.model) >= floor => {
                    best = v;
                    continue 'simplify;
                }
                _ => {
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
    target: &mut dyn TargetExt,
    property: Property,
    requests: &[Request],
) -> Result<Result<(), Violation>, TargetError> {
    let decisions = crate::targets::ask(target, requests)?;
    Ok(invariants::check(property, &domain.model, requests, &decisions).map(|_| ()))
}

/// Runs the properties of `opts` and builds the report, saving each
/// counterexample to the corpus when a corpus folder is set.
pub fn check(domain: &Arc<Domain>, target: &mut dyn TargetExt, opts: &Options) -> CheckReport {
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
                mismatch: None,
                mismatches: Mismatches::new(),
                skipped: Skips::new(),
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
    let mut history = Vec::new();
    for &property in &opts.properties {
        if let Some(bar) = &opts.progress {
            bar.set_message(property.name());
        }
        // External targets are recorded: a failure that needs the requests
        // asked before it is saved with the shortest prefix that reproduces
        // it on a fresh target.
        let run = if target.fork().is_none() {
            let mut recorder = confirm::Recorder {
                inner: &mut *target,
                history: std::mem::take(&mut history),
            };
            let run = run_recording(domain, &mut recorder, property, opts, Some(&mut coverage));
            history = recorder.history;
            run
        } else {
            run_recording(domain, target, property, opts, Some(&mut coverage))
        };
        let confirmed = match &run.found {
            Found::Violated(v) => Some(confirm::confirm(domain, &*target, v, &history)),
            _ => None,
        };
        results.push(result_of(
            &domain.model,
            run,
            &seed,
            &digest,
            opts,
            false,
            confirmed,
        ));
    }
    if let Some(bar) = &opts.progress {
        bar.finish();
    }
    let mut report = CheckReport::new(opts.config_path.clone().unwrap_or_default(), seed, results);
    report.coverage = Some(coverage.summary(domain));
    report
}

/// The report entry of a property run (`exhaustive`: from `check --exhaustive`).
fn result_of(
    model: &crate::model::Model,
    run: PropertyRun,
    seed: &str,
    digest: &str,
    opts: &Options,
    exhaustive: bool,
    confirmed: Option<Result<confirm::Confirmed, TargetError>>,
) -> PropertyResult {
    let mut result = PropertyResult {
        name: run.property.name().to_string(),
        status: Status::Pass,
        cases: run.cases,
        exhaustive,
        reason: None,
        mismatch: None,
        mismatches: run.mismatches,
        skipped: run.skipped,
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
            result.mismatch = Some(v.mismatch(model));
            let mut cx = Counterexample::new(&v, seed, digest);
            if let Some((digest, record)) = &opts.target_record {
                cx = cx.on_target(digest, record);
            }
            match confirmed {
                None | Some(Ok(confirm::Confirmed::Alone | confirm::Confirmed::Unconfirmable)) => {}
                Some(Ok(confirm::Confirmed::WithPrefix(prefix))) => {
                    result.note = Some(format!(
                        "it reproduces on a fresh target only after {} earlier request(s), saved with it as its prefix",
                        prefix.len()
                    ));
                    cx.prefix = prefix;
                }
                Some(Ok(confirm::Confirmed::Flaky { asked: 0 })) => {
                    result.note = Some(
                        "flaky: it did not reproduce on a fresh target asked alone (the run keeps no history of the requests before it); a flaky failure is never a pass"
                            .to_string(),
                    );
                    cx.flaky = true;
                }
                Some(Ok(confirm::Confirmed::Flaky { asked })) => {
                    result.note = Some(format!(
                        "flaky: it did not reproduce on a fresh target, even after the {asked} request(s) asked before it; a flaky failure is never a pass"
                    ));
                    cx.flaky = true;
                }
                Some(Err(e)) => {
                    result.note = Some(format!(
                        "not confirmed on a fresh target: {}",
                        crate::redact::text(&e.message)
                    ));
                }
            }
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
