//! `gonogo migrate preflight`: the hard release blocker.

use super::db::{self, Conn, DbUrl};
use super::findings::{AppliedMigration, compare};
use super::schema::{Sides, diff};
use super::source::{LocalMigration, read_dir};
use super::{Finding, MigrateError};
use crate::reason::Reason;
use crate::report::PreflightReport;
use std::path::PathBuf;

/// What to check.
#[derive(Debug, Clone)]
pub struct PreflightOptions {
    pub migrations: PathBuf,
    pub database_url: String,
    /// Pending migrations are allowed if they apply cleanly on a scratch copy.
    pub allow_pending: bool,
    /// The server the scratch database is created on (same engine and
    /// major version as the live one); the live server when `None`.
    pub scratch_url: Option<String>,
}

/// Runs the preflight. Read-only on the live database: it only selects; the
/// applied migrations are replayed on a scratch database to find drift.
pub fn preflight(opts: &PreflightOptions) -> Result<PreflightReport, MigrateError> {
    let url = DbUrl::parse(&opts.database_url)?;
    let scratch_url = opts.scratch_url.as_deref().map(DbUrl::parse).transpose()?;
    let local = read_dir(&opts.migrations)?;
    let rt = db::runtime()?;
    let (applied, findings) =
        rt.block_on(run(&url, scratch_url.as_ref(), &local, opts.allow_pending))?;
    Ok(PreflightReport::new(
        url.shown.clone(),
        opts.migrations.display().to_string(),
        local.len(),
        applied.len(),
        findings,
    ))
}

async fn run(
    url: &DbUrl,
    scratch_url: Option<&DbUrl>,
    local: &[LocalMigration],
    allow_pending: bool,
) -> Result<(Vec<AppliedMigration>, Vec<Finding>), MigrateError> {
    let mut live = db::connect_live(url).await?;
    let read = async {
        let applied = live.applied(url).await?;
        let schema = live.schema(url).await?;
        Ok::<_, MigrateError>((applied, schema))
    }
    .await;
    live.close().await;
    let (applied, live_schema) = read?;
    let mut findings = compare(local, &applied);
    if scratch_url.is_none() && url.kind != db::Kind::Sqlite {
        refuse_server_wide(local, &applied, allow_pending)?;
    }

    let mut scratch = db::scratch(Some(url), scratch_url).await?;
    let checked = replay_and_compare(
        &mut scratch.conn,
        &scratch.url,
        local,
        &applied,
        &live_schema,
        allow_pending,
        &mut findings,
    )
    .await;
    scratch.drop_it().await;
    checked?;
    findings.sort_by_key(|f| (f.version, f.reason));
    Ok((applied, findings))
}

/// Refuses to replay, on a scratch database of the live server, a migration
/// that changes the whole server (roles, database-level grants).
fn refuse_server_wide(
    local: &[LocalMigration],
    applied: &[AppliedMigration],
    allow_pending: bool,
) -> Result<(), MigrateError> {
    let replayed = |m: &&LocalMigration| match applied.iter().find(|a| a.version == m.version) {
        Some(a) => a.success,
        None => allow_pending,
    };
    for m in local.iter().filter(replayed) {
        if let Some(statement) = super::cluster::server_wide(&m.up) {
            return Err(MigrateError::ServerWide {
                version: m.version,
                file: m.file.clone(),
                statement,
            });
        }
    }
    Ok(())
}

/// Replays the applied migrations on the scratch database, diffs its schema
/// with the live one, then (with `allow_pending`) applies the pending ones.
async fn replay_and_compare(
    scratch: &mut Conn,
    scratch_url: &DbUrl,
    local: &[LocalMigration],
    applied: &[AppliedMigration],
    live_schema: &super::schema::Schema,
    allow_pending: bool,
    findings: &mut Vec<Finding>,
) -> Result<(), MigrateError> {
    let mut replayed_ok = true;
    for a in applied.iter().filter(|a| a.success) {
        let Some(m) = local.iter().find(|m| m.version == a.version) else {
            continue; // missing_local already blocks the release
        };
        if let Err(e) = scratch.execute(&m.up).await {
            let mut f = Finding::new(
                Reason::SchemaDrift,
                Some(m.version),
                format!(
                    "replaying the applied migrations on a scratch database failed at version {} (`{}`): {e}",
                    m.version, m.file
                ),
            );
            f.objects.push(format!("migration {}", m.version));
            findings.push(f);
            replayed_ok = false;
            break;
        }
    }
    if replayed_ok {
        let expected = scratch.schema(scratch_url).await?;
        let objects = diff(&expected, live_schema, Sides::LIVE);
        if !objects.is_empty() {
            let mut f = Finding::new(
                Reason::SchemaDrift,
                None,
                format!(
                    "the live schema differs from the applied migrations in {} object(s): {}",
                    objects.len(),
                    objects.join("; ")
                ),
            );
            f.objects = objects;
            findings.push(f);
        }
    }
    if allow_pending {
        let mut clean = replayed_ok;
        let mut pending: Vec<&mut Finding> = findings
            .iter_mut()
            .filter(|f| f.reason == Reason::Pending)
            .collect();
        pending.sort_by_key(|f| f.version);
        for f in pending {
            let Some(m) = local.iter().find(|m| Some(m.version) == f.version) else {
                continue;
            };
            if !clean {
                f.detail
                    .push_str("; not tried on the scratch copy (an earlier step failed)");
                continue;
            }
            match scratch.execute(&m.up).await {
                Ok(()) => {
                    f.allowed = true;
                    f.detail.push_str(
                        "; allowed: it applies cleanly on a scratch copy at the live version",
                    );
                }
                Err(e) => {
                    f.detail.push_str(&format!(
                        "; it does not apply cleanly on a scratch copy: {e}"
                    ));
                    clean = false;
                }
            }
        }
    }
    Ok(())
}
