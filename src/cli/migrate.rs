//! `gonogo migrate preflight` and `gonogo migrate roundtrip`.

use super::Failure;
use crate::migrate::{self, MigrateError, PreflightOptions};
use crate::report::Report;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// The migration confirmation gate: pending, edited, missing, failed,
    /// out-of-order migrations and schema drift are NO-GO.
    Preflight(PreflightArgs),
    /// Up → down → up from every version of the reversible migrations leaves
    /// the schema unchanged.
    Roundtrip(RoundtripArgs),
}

#[derive(Debug, Args)]
pub struct PreflightArgs {
    /// The sqlx migrations folder (default: `[migrations] dir` of
    /// gonogo.toml).
    #[arg(long)]
    pub migrations: Option<PathBuf>,
    /// The live database (`sqlite:`, `postgres:`, `mysql:`); `${VAR}` is
    /// expanded (default: `[migrations] database_url` of gonogo.toml, then
    /// `$DATABASE_URL`, as sqlx-cli reads it).
    #[arg(long)]
    pub database_url: Option<String>,
    /// The config read when a flag is absent (default: the nearest
    /// gonogo.toml above the working directory, if any).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Allow pending migrations that apply cleanly on a scratch copy.
    #[arg(long)]
    pub allow_pending: bool,
    /// Create the scratch database on this server instead of the live one
    /// (same engine and major version; `${VAR}` is expanded).
    #[arg(long)]
    pub scratch_url: Option<String>,
    /// The role (PostgreSQL) or `user@host` account (MySQL) that runs the
    /// migrations on the live database: owners and definers are compared
    /// to it (default: the owner of `_sqlx_migrations`; on MySQL, the
    /// account that defined most objects).
    #[arg(long)]
    pub migrations_role: Option<String>,
}

#[derive(Debug, Args)]
pub struct RoundtripArgs {
    /// The sqlx migrations folder.
    #[arg(long)]
    pub migrations: PathBuf,
    /// A server to create the scratch database on (default: SQLite).
    #[arg(long)]
    pub database_url: Option<String>,
}

fn failure(e: MigrateError) -> Failure {
    Failure {
        reason: e.reason(),
        ..Failure::msg(e.to_string())
    }
}

fn expand(flag: &str, url: &str) -> Result<String, Failure> {
    crate::model::source::expand_env(url).map_err(|m| Failure::msg(format!("{flag}: {m}")))
}

/// The preflight's options: each flag, else `[migrations]` of the config
/// (a relative SQLite path from the config's folder), else (the database
/// URL) `$DATABASE_URL`.
fn preflight_options(a: &PreflightArgs) -> Result<PreflightOptions, Failure> {
    let needs_config = a.migrations.is_none() || a.database_url.is_none() || a.config.is_some();
    let config = if needs_config {
        match super::find_config(a.config.as_deref(), std::path::Path::new(".")) {
            Ok(path) => crate::model::Config::load(&path)?.gate.migrations,
            // No config anywhere: only the flags and the environment.
            Err(_) if a.config.is_none() => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let migrations = match (&a.migrations, &config) {
        (Some(m), _) => m.clone(),
        (None, Some(c)) => c.dir.clone(),
        (None, None) => {
            return Err(Failure::msg(
                "no migrations folder: pass --migrations DIR, or add `[migrations] dir` to gonogo.toml",
            ));
        }
    };
    let database_url = match (&a.database_url, &config) {
        (Some(u), _) => expand("--database-url", u)?,
        (None, Some(c)) => c.database_url()?,
        (None, None) => match std::env::var("DATABASE_URL") {
            Ok(u) if !u.is_empty() => u,
            _ => {
                return Err(Failure::msg(
                    "no database: pass --database-url URL, add `[migrations] database_url` to gonogo.toml, or set DATABASE_URL",
                ));
            }
        },
    };
    let scratch_url = match (&a.scratch_url, &config) {
        (Some(u), _) => Some(expand("--scratch-url", u)?),
        (None, Some(c)) => c.scratch_url()?,
        (None, None) => None,
    };
    Ok(PreflightOptions {
        migrations,
        database_url,
        allow_pending: a.allow_pending || config.as_ref().is_some_and(|c| c.allow_pending),
        scratch_url,
        migrations_role: a
            .migrations_role
            .clone()
            .or_else(|| config.as_ref().and_then(|c| c.migrations_role.clone())),
    })
}

pub fn run(cmd: &MigrateCommand) -> Result<Box<dyn Report>, Failure> {
    match cmd {
        MigrateCommand::Preflight(a) => {
            let opts = preflight_options(a)?;
            Ok(Box::new(migrate::preflight(&opts).map_err(failure)?))
        }
        MigrateCommand::Roundtrip(a) => {
            let url = a
                .database_url
                .as_deref()
                .map(|u| expand("--database-url", u))
                .transpose()?;
            Ok(Box::new(
                migrate::roundtrip(&a.migrations, url.as_deref()).map_err(failure)?,
            ))
        }
    }
}
