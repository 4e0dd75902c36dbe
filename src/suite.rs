//! The one-call Rust API: check your own authorizer from `cargo test`.
//!
//! ```no_run
//! use gonogo::{Decision, Request, Suite};
//!
//! let mut authorizer = |req: &Request| -> Decision { /* your code */ Decision::allow() };
//! Suite::from_config("gonogo.toml").unwrap().cases(500).assert_go(&mut authorizer);
//! ```

use crate::corpus;
use crate::generate::Domain;
use crate::invariants::Property;
use crate::model::config::{DEFAULT_CASES, parse_seed};
use crate::model::{Config, Model, SourceError};
use crate::report::{CheckReport, Format, Status, Style, Verdict, render};
use crate::runner::{Allow, Options, check, replay};
use crate::targets::{Plain, Target, TargetExt};
use crate::util::{random_seed, shell_quote};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a suite could not run (a target's failure is a report's error
/// status instead, and a violation a failure).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SuiteError {
    /// `GONOGO_SEED`, `GONOGO_CASES` or `GONOGO_PROPERTY` is not usable.
    #[error("{variable}: {message}")]
    Environment {
        /// The variable's name.
        variable: &'static str,
        /// Why its value is not usable.
        message: String,
    },
    /// The corpus folder cannot be read.
    #[error("{}: {message}", dir.display())]
    Corpus {
        /// The corpus folder.
        dir: PathBuf,
        /// Why it cannot be read.
        message: String,
    },
    /// A saved counterexample could not be replayed.
    #[error("{file}: {message}")]
    Replay {
        /// The counterexample file.
        file: String,
        /// Why its replay failed.
        message: String,
    },
}

/// A property suite over one model. The environment overrides what the code
/// sets, so a failure printed by CI reproduces with one pasted line:
/// `GONOGO_SEED`, `GONOGO_CASES`, `GONOGO_PROPERTY` (comma-separated).
#[derive(Debug, Clone)]
pub struct Suite {
    domain: Arc<Domain>,
    opts: Options,
    replay_dir: Option<PathBuf>,
}

impl Suite {
    /// A suite over the model of a `gonogo.toml`, with its `[check]` settings;
    /// its corpus folder is replayed first and receives new counterexamples.
    pub fn from_config(path: impl AsRef<Path>) -> Result<Suite, SourceError> {
        let config = Config::load(path.as_ref())?;
        let opts = Options {
            // The suite checks the caller's authorizer, not the config's
            // target: saved counterexamples do not name that target, and
            // reproduce lines replay the file.
            config_path: None,
            target_record: None,
            ..Options::from_config(&config)
        };
        let mut suite = Suite::new(config.model);
        suite.opts = opts;
        suite.replay_dir = suite.opts.corpus_dir.clone();
        Ok(suite)
    }

    /// A suite over a model: every property, 1000 cases, a random seed.
    pub fn new(model: Model) -> Suite {
        Suite {
            domain: Arc::new(Domain::new(model)),
            opts: Options::new(random_seed(), DEFAULT_CASES),
            replay_dir: None,
        }
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Suite {
        self.opts.seed = seed;
        self
    }

    /// Sets the random cases per property.
    pub fn cases(mut self, cases: u32) -> Suite {
        self.opts.cases = cases;
        self
    }

    /// Checks only these properties.
    pub fn properties(mut self, properties: &[Property]) -> Suite {
        self.opts.properties = properties.to_vec();
        self
    }

    /// Replays this corpus folder first, and saves new counterexamples there.
    pub fn corpus(mut self, dir: impl Into<PathBuf>) -> Suite {
        let dir = dir.into();
        self.opts.corpus_dir = Some(dir.clone());
        self.replay_dir = Some(dir);
        self
    }

    /// The options after environment overrides.
    fn effective(&self) -> Result<Options, SuiteError> {
        let mut opts = self.opts.clone();
        let bad =
            |variable: &'static str, message: String| SuiteError::Environment { variable, message };
        if let Ok(s) = std::env::var("GONOGO_SEED") {
            opts.seed = parse_seed(&s).map_err(|e| bad("GONOGO_SEED", e.to_string()))?;
        }
        if let Ok(c) = std::env::var("GONOGO_CASES") {
            opts.cases = c
                .trim()
                .parse()
                .map_err(|_| bad("GONOGO_CASES", format!("`{c}` is not a number of cases")))?;
        }
        if let Ok(p) = std::env::var("GONOGO_PROPERTY") {
            opts.properties = p
                .split(',')
                .map(|n| {
                    Property::from_name(n.trim())
                        .ok_or_else(|| bad("GONOGO_PROPERTY", format!("unknown property `{n}`")))
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(opts)
    }

    /// Replays the corpus, then checks every property from the seed. A
    /// property whose saved counterexample still fails is reported failed
    /// with it, without generating new cases. The target is asked as it is
    /// (no forks, no pipelining): see [`Suite::run_ext`].
    pub fn run(&self, target: &mut dyn Target) -> Result<CheckReport, SuiteError> {
        self.run_ext(&mut Plain(target))
    }

    /// [`Suite::run`] for a target with engine hooks ([`TargetExt`]): an
    /// in-process target that forks is asked on several threads.
    pub fn run_ext(&self, target: &mut dyn TargetExt) -> Result<CheckReport, SuiteError> {
        let mut opts = self.effective()?;
        let mut replayed = Vec::new();
        if let Some(dir) = self.replay_dir.as_ref().filter(|d| d.exists()) {
            let files = corpus::files(dir).map_err(|e| SuiteError::Corpus {
                dir: dir.clone(),
                message: e.to_string(),
            })?;
            // The suite is bound to the target it runs by construction (no
            // config can point it elsewhere): the corpus is that target's.
            let report = replay(
                &self.domain.model,
                target,
                &files,
                Allow {
                    model_change: false,
                    target_change: true,
                },
                "",
            );
            for f in report.files {
                match f.status {
                    Status::Pass => {}
                    Status::Error => {
                        return Err(SuiteError::Replay {
                            message: f.message.unwrap_or_else(|| "replay failed".into()),
                            file: f.file,
                        });
                    }
                    Status::Fail => replayed.push(f),
                }
            }
        }
        let failing: Vec<Property> = replayed
            .iter()
            .filter_map(|f| Property::from_name(&f.property))
            .collect();
        opts.properties.retain(|p| !failing.contains(p));
        let nothing_left = opts.properties.is_empty() && !replayed.is_empty();
        let mut report = if nothing_left {
            // Every selected property already failed from the corpus.
            CheckReport::new(
                String::new(),
                crate::model::config::format_seed(opts.seed),
                Vec::new(),
            )
        } else {
            check(&self.domain, target, &opts)
        };
        for f in replayed {
            report.properties.push(crate::runner::PropertyResult {
                name: f.property,
                status: Status::Fail,
                cases: 1,
                exhaustive: false,
                reason: f.reason,
                mismatch: f.counterexample.as_ref().map(|cx| {
                    crate::invariants::Mismatch::worst_of(
                        &self.domain.model,
                        &cx.requests,
                        &cx.decisions,
                    )
                }),
                mismatches: Default::default(),
                skipped: Default::default(),
                counterexample: f.counterexample,
                message: Some(format!("replayed from the corpus: {}", f.file)),
                corpus_file: Some(f.file.clone()),
                reproduce: vec![format!("gonogo replay {}", shell_quote(&f.file))],
                note: None,
            });
        }
        // The verdict follows from the properties, replayed ones included.
        Ok(report)
    }

    /// Runs the suite and panics with the report unless the verdict is GO.
    #[track_caller]
    pub fn assert_go(&self, target: &mut dyn Target) {
        match self.run(target) {
            Err(e) => panic!("gonogo: error: {e}"),
            Ok(report) if report.verdict() == Verdict::Go => {}
            Ok(report) => panic!(
                "gonogo: {}\n{}",
                report.verdict().shout(),
                render(&report, Format::Human, &Style::default())
            ),
        }
    }
}
