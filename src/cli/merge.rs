//! `gonogo merge`: the shards of `check --exhaustive --shard K/N` as the one
//! report the unsharded run gives.

use super::{Failure, find_config};
use crate::generate::Domain;
use crate::model::Config;
use crate::report::Report;
use crate::runner::{self, Options};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard files written by `check --exhaustive --shard K/N`, every K once.
    #[arg(required = true, value_name = "SHARD")]
    pub files: Vec<PathBuf>,
    /// The model file the shards ran with (default: the nearest gonogo.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Refuse (exit 2) when the domain holds more requests than this (default: 100000000).
    #[arg(long, value_name = "N")]
    pub max_cases: Option<u64>,
    /// Where to save counterexamples (default: `[corpus] dir`, else corpus/ beside the config).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Do not save counterexamples.
    #[arg(long, conflicts_with = "corpus")]
    pub no_corpus: bool,
}

/// Reads one shard file.
fn read(path: &std::path::Path) -> Result<runner::exhaustive::ShardReport, Failure> {
    let bytes = crate::model::source::read_regular(path)
        .map_err(|e| Failure::msg(format!("`{}`: {e}", path.display())))?;
    parse(path, &bytes)
}

/// Parses a shard file's bytes: strict JSON (a key twice is refused), the
/// shard format, the file named in every error.
pub(super) fn parse(
    path: &std::path::Path,
    bytes: &[u8],
) -> Result<runner::exhaustive::ShardReport, Failure> {
    let shown = path.display();
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Failure::msg(format!("`{shown}`: not UTF-8 text")))?;
    let value = crate::targets::wire::strict_json(text)
        .map_err(|e| Failure::msg(format!("`{shown}`: not JSON: {e}")))?;
    serde_json::from_value(value)
        .map_err(|e| Failure::msg(format!("`{shown}`: not a gonogo shard file: {e}")))
}

pub fn run(args: &MergeArgs) -> Result<Box<dyn Report>, Failure> {
    let path = find_config(args.config.as_deref(), &std::env::current_dir()?)?;
    let config = Config::load(&path)?;
    let shards = args
        .files
        .iter()
        .map(|f| read(f))
        .collect::<Result<Vec<_>, _>>()?;
    let mut target = super::start_target(&config)?;
    let from_config = Options::from_config(&config);
    let opts = Options {
        corpus_dir: super::corpus_dir(args.no_corpus, &args.corpus, &from_config),
        config_path: Some(path.display().to_string()),
        ..from_config
    };
    let digest = config.target_digest();
    let spec = config.target.clone();
    let domain = Arc::new(Domain::new(config.model));
    let target: &mut (dyn crate::targets::TargetExt + Send) = target.as_mut();
    let report = runner::exhaustive::merge_shards(
        &domain,
        runner::exhaustive::Subject::of(&spec, target),
        &opts,
        args.max_cases
            .map_or(runner::exhaustive::DEFAULT_MAX_REQUESTS, u128::from),
        &digest,
        shards,
        None,
    )
    .map_err(|e| Failure::msg(e.to_string()))?;
    Ok(Box::new(report))
}
