//! `gonogo env check`.

use super::Failure;
use crate::env::Matrix;
use crate::report::{EnvReport, EnvResult, Report, Status};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Checks env files against the environment matrix.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The matrix file (default: `[env] matrix` of gonogo.toml).
    #[arg(long, requires = "envs")]
    pub matrix: Option<PathBuf>,
    /// An environment and its env file, as NAME=FILE (repeatable; default:
    /// `[env]` of gonogo.toml).
    #[arg(long = "env", value_name = "NAME=FILE", requires = "matrix", value_parser = env_pair)]
    pub envs: Vec<(String, PathBuf)>,
    /// The config whose `[env]` section is used without --matrix and --env
    /// (default: the nearest gonogo.toml above the working directory).
    #[arg(long, conflicts_with = "matrix")]
    pub config: Option<PathBuf>,
}

fn env_pair(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((name, file)) if !name.is_empty() && !file.is_empty() => {
            Ok((name.to_string(), PathBuf::from(file)))
        }
        _ => Err(format!("`{s}` is not NAME=FILE")),
    }
}

pub fn run(cmd: &EnvCommand) -> Result<Box<dyn Report>, Failure> {
    let EnvCommand::Check(args) = cmd;
    if let Some(matrix) = &args.matrix {
        return Ok(Box::new(check(matrix, &args.envs)?));
    }
    // No flags: the config's `[env]`, paths relative to the config's folder.
    let path = super::find_config(args.config.as_deref(), std::path::Path::new("."))?;
    let config = crate::model::Config::load(&path)?;
    let env = config.gate.env.ok_or_else(|| {
        Failure::msg(format!(
            "{}: no `[env]` section; pass --matrix FILE --env NAME=FILE, or add `[env]`",
            path.display()
        ))
    })?;
    Ok(Box::new(check(&env.matrix, &env.files)?))
}

/// Checks each environment; an unknown environment, a duplicate key or a
/// line that is not dotenv stops the check (exit 2).
pub fn check(
    matrix_path: &std::path::Path,
    envs: &[(String, PathBuf)],
) -> Result<EnvReport, Failure> {
    let matrix = Matrix::load(matrix_path)?;
    let checked = crate::env::check_files(&matrix, matrix_path, envs).map_err(|e| Failure {
        reason: e.reason,
        ..Failure::msg(e.message)
    })?;
    let results = checked
        .into_iter()
        .map(|c| EnvResult {
            name: c.name,
            class: c.class,
            file: c.file.display().to_string(),
            status: if c.findings.is_empty() {
                Status::Pass
            } else {
                Status::Fail
            },
            findings: c.findings,
        })
        .collect();
    Ok(EnvReport::new(matrix_path.display().to_string(), results))
}
