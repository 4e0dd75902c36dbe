//! `gonogo lattice`.

use super::{Failure, find_config};
use crate::model::Config;
use crate::report::{LatticeReport, Report};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct LatticeArgs {
    /// The model file (default: the nearest gonogo.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print the Hasse diagram as Graphviz DOT.
    #[arg(long)]
    pub dot: bool,
}

fn report(args: &LatticeArgs) -> Result<LatticeReport, Failure> {
    let path = find_config(args.config.as_deref(), &std::env::current_dir()?)?;
    let config = Config::load(&path)?;
    Ok(LatticeReport::new(&config.model.lattice))
}

pub fn run(args: &LatticeArgs) -> Result<Box<dyn Report>, Failure> {
    Ok(Box::new(report(args)?))
}

pub fn dot(args: &LatticeArgs) -> Result<Box<dyn crate::report::Report>, Failure> {
    Ok(Box::new(crate::report::DotReport {
        dot: report(args)?.dot(),
    }))
}
