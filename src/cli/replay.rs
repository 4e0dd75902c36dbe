//! `gonogo replay`.

use super::{Failure, find_config};
use crate::corpus;
use crate::model::Config;
use crate::report::Report;
use crate::runner;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A counterexample file, or a folder of them.
    pub path: PathBuf,
    /// The model file (default: the nearest gonogo.toml above PATH).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Replay counterexamples saved under another model too.
    #[arg(long)]
    pub allow_model_change: bool,
    /// Replay counterexamples saved against another target (or recording
    /// none) too.
    #[arg(long)]
    pub allow_target_change: bool,
}

pub fn run(args: &ReplayArgs) -> Result<Box<dyn Report>, Failure> {
    let files = corpus::files(&args.path)?;
    if files.is_empty() {
        return Err(Failure::msg(format!(
            "{}: no counterexample files (*.json) to replay",
            args.path.display()
        )));
    }
    let path = find_config(args.config.as_deref(), &args.path)?;
    let config = Config::load(&path)?;
    let mut target = super::start_target(&config)?;
    Ok(Box::new(runner::replay(
        &config.model,
        target.as_mut(),
        &files,
        runner::Allow {
            model_change: args.allow_model_change,
            target_change: args.allow_target_change,
        },
        &config.target_digest(),
    )))
}
