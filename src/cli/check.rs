//! `gonogo check`.

use super::{Failure, OutputArgs, find_config};
use crate::generate::Domain;
use crate::invariants::Property;
use crate::model::Config;
use crate::model::config::parse_seed;
use crate::report::Report;
use crate::runner::{self, Options};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The model file (default: the nearest gonogo.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Check only this property (repeatable).
    #[arg(long = "property", value_name = "P", value_parser = property)]
    pub properties: Vec<Property>,
    /// Random cases per property (default: `[check] cases`, else 1000).
    #[arg(long)]
    pub cases: Option<u32>,
    /// The seed, decimal or 0x-hex (default: `[check] seed`, else random).
    #[arg(long, value_parser = seed)]
    pub seed: Option<u64>,
    /// Enumerate the whole bounded domain instead of sampling it (default: `[check] exhaustive`).
    #[arg(long)]
    pub exhaustive: bool,
    /// With --exhaustive: refuse (exit 2) when the domain holds more requests than this (default: 100000000).
    #[arg(long, value_name = "N")]
    pub max_cases: Option<u64>,
    /// Worker threads for in-process targets (default: every core); results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// With --exhaustive: check only shard K of N of the domain's blocks
    /// (block b belongs to shard b mod N + 1) and write its findings for
    /// `gonogo merge`.
    #[arg(long, value_name = "K/N", value_parser = runner::exhaustive::Shard::parse)]
    pub shard: Option<runner::exhaustive::Shard>,
    /// With --shard: the shard file (default: gonogo-shard-K-of-N.json).
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub shard_out: Option<PathBuf>,
    /// Where to save counterexamples (default: `[corpus] dir`, else corpus/ beside the config).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Do not save counterexamples.
    #[arg(long, conflicts_with = "corpus")]
    pub no_corpus: bool,
}

fn property(s: &str) -> Result<Property, String> {
    Property::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Property::ALL.iter().map(|p| p.name()).collect();
        format!(
            "unknown property `{s}`; expected one of {}",
            names.join(", ")
        )
    })
}

fn seed(s: &str) -> Result<u64, String> {
    parse_seed(s)
}

pub fn run(args: &CheckArgs, output: &OutputArgs) -> Result<Box<dyn Report>, Failure> {
    let path = find_config(args.config.as_deref(), &std::env::current_dir()?)?;
    let config = Config::load(&path)?;
    if args.exhaustive && args.cases.is_some() {
        return Err(Failure::msg(
            "--cases and --exhaustive do not go together: --exhaustive checks every case of the domain",
        ));
    }
    if args.cases == Some(0) {
        return Err(Failure::msg("--cases must be at least 1"));
    }
    let mut target = super::start_target(&config)?;
    let mut properties = Vec::new();
    for p in &args.properties {
        if !properties.contains(p) {
            properties.push(*p);
        }
    }
    if properties.is_empty() {
        properties = Property::ALL.to_vec();
    }
    let from_config = Options::from_config(&config);
    let opts = Options {
        seed: args.seed.unwrap_or(from_config.seed),
        cases: args.cases.unwrap_or(from_config.cases),
        properties,
        corpus_dir: super::corpus_dir(args.no_corpus, &args.corpus, &from_config),
        config_path: Some(path.display().to_string()),
        ..from_config
    };
    let opts = Options {
        progress: super::progress_bar(output, u64::from(opts.cases) * opts.properties.len() as u64),
        ..opts
    };
    let spec = config.target.clone();
    let config_target_digest = config.target_digest();
    let domain = Arc::new(Domain::new(config.model));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, usize::from))
        .build()
        .map_err(|e| Failure::msg(format!("could not start the worker threads: {e}")))?;
    let target: &mut (dyn crate::targets::TargetExt + Send) = target.as_mut();
    // `[check] exhaustive = true` makes it the default; `--cases` asks for a
    // random run instead.
    let exhaustive = args.exhaustive || (config.exhaustive && args.cases.is_none());
    if !exhaustive && args.max_cases.is_some() {
        return Err(Failure::msg(
            "--max-cases applies to exhaustive runs: add --exhaustive or `[check] exhaustive = true`",
        ));
    }
    if !exhaustive {
        if args.shard.is_some() {
            return Err(Failure::msg(
                "--shard splits an exhaustive run: add --exhaustive or `[check] exhaustive = true`",
            ));
        }
        return Ok(Box::new(
            pool.install(|| runner::check(&domain, target, &opts)),
        ));
    }
    let max = args
        .max_cases
        .map_or(runner::exhaustive::DEFAULT_MAX_REQUESTS, u128::from);
    if let Some(shard) = args.shard {
        let out = args.shard_out.clone().unwrap_or_else(|| {
            PathBuf::from(format!(
                "gonogo-shard-{}-of-{}.json",
                shard.index, shard.count
            ))
        });
        // The shard file replaces only an earlier shard file: never the
        // config, a target script or any other file it was pointed at.
        if let Ok(bytes) = crate::model::source::read_regular(&out) {
            if super::merge::parse(&out, &bytes).is_err() {
                return Err(Failure::msg(format!(
                    "--shard-out `{}` exists and is not a shard file: it is never replaced",
                    out.display()
                )));
            }
        }
        let report = pool
            .install(|| {
                runner::exhaustive::check_shard(
                    &domain,
                    runner::exhaustive::Subject::of(&spec, target),
                    &opts,
                    None,
                    max,
                    shard,
                    &config_target_digest,
                )
            })
            .map_err(|e| Failure::msg(e.to_string()))?;
        let text = serde_json::to_string_pretty(&report).expect("a shard serializes");
        crate::model::source::write_atomic(&out, format!("{text}\n").as_bytes())
            .map_err(Failure::msg)?;
        let verdict = if report.error.is_some() {
            crate::verdict::Verdict::Error
        } else if report.found_failure() {
            crate::verdict::Verdict::NoGo
        } else {
            crate::verdict::Verdict::Go
        };
        return Ok(Box::new(crate::report::ShardSummary {
            verdict,
            complete: false,
            shard: shard.to_string(),
            blocks: report.blocks.len(),
            blocks_total: report.blocks_total,
            requests: report.requests,
            file: out.display().to_string(),
            message: report.error.map(|e| e.message),
        }));
    }
    let report = pool.install(|| {
        runner::exhaustive::check(
            &domain,
            runner::exhaustive::Subject::of(&spec, target),
            &opts,
            None,
            max,
        )
    });
    match report {
        Ok(report) => Ok(Box::new(report)),
        Err(e) => Err(Failure::msg(e.to_string())),
    }
}
