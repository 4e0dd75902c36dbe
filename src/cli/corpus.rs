//! `gonogo corpus upgrade`.

use super::{Failure, find_config};
use crate::corpus;
use crate::model::Config;
use crate::report::Report;
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `gonogo corpus …`.
#[derive(Debug, Subcommand)]
pub enum CorpusCommand {
    /// Re-validates every counterexample against the model after a model
    /// edit: a file still breaking its property gets the new model digest;
    /// any other is listed for review and left as it is.
    Upgrade(UpgradeArgs),
}

/// `gonogo corpus upgrade`.
#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// A counterexample file or folder (default: the config's corpus).
    pub path: Option<PathBuf>,
    /// The model file (default: the nearest gonogo.toml above PATH, or
    /// above the working directory).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Say what would be done, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(command: &CorpusCommand) -> Result<Box<dyn Report>, Failure> {
    let CorpusCommand::Upgrade(args) = command;
    let start = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let config = Config::load(&find_config(args.config.as_deref(), &start)?)?;
    let folder = args
        .path
        .clone()
        .unwrap_or_else(|| config.corpus_dir.clone());
    let files = corpus::files(&folder)?;
    let upgraded = corpus::upgrade::upgrade(&config.model, &files, args.dry_run)?;
    Ok(Box::new(corpus::upgrade::UpgradeReport {
        corpus: folder.display().to_string(),
        model_digest: config.model.digest(),
        dry_run: args.dry_run,
        files: upgraded,
    }))
}
