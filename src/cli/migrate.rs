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
    /// The sqlx migrations folder.
    #[arg(long)]
    pub migrations: PathBuf,
    /// The live database (`sqlite:`, `postgres:`, `mysql:`); `${VAR}` is expanded.
    #[arg(long)]
    pub database_url: String,
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

pub fn run(cmd: &MigrateCommand) -> Result<Box<dyn Report>, Failure> {
    match cmd {
        MigrateCommand::Preflight(a) => {
            let opts = PreflightOptions {
                migrations: a.migrations.clone(),
                database_url: expand("--database-url", &a.database_url)?,
                allow_pending: a.allow_pending,
                scratch_url: a
                    .scratch_url
                    .as_deref()
                    .map(|u| expand("--scratch-url", u))
                    .transpose()?,
                migrations_role: a.migrations_role.clone(),
            };
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
