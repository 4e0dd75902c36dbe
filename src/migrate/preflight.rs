//! `gonogo migrate preflight`: the hard release blocker.

use super::cluster::{Dialect, server_wide, side_channel};
use super::db::{self, DbUrl, Kind, Scratch};
use super::findings::{AppliedMigration, compare};
use super::outcome::PreflightReport;
use super::schema::{Sides, diff};
use super::source::{LocalMigration, read_dir};
use super::statements;
use super::{Finding, MigrateError};
use crate::reason::Reason;
use std::path::PathBuf;

/// What to check.
#[derive(Debug, Clone)]
pub struct PreflightOptions {
    /// The sqlx migrations folder.
    pub migrations: PathBuf,
    /// The live database's URL (`sqlite:`, `postgres:` or `mysql:`).
    pub database_url: String,
    /// Pending migrations are allowed if they apply cleanly on a scratch copy.
    pub allow_pending: bool,
    /// The server the scratch database is created on (same engine and
    /// major version as the live one); the live server when `None`.
    pub scratch_url: Option<String>,
    /// The role (PostgreSQL) or `user@host` account (MySQL) that runs the
    /// migrations on the live database: owners and definers are compared
    /// to it. Without it, to `_sqlx_migrations`' owner (PostgreSQL) or the
    /// account that defined most objects (MySQL).
    pub migrations_role: Option<String>,
}

/// Runs the preflight. Read-only on the live database: it only selects; the
/// applied migrations are replayed on a scratch database to find drift.
pub fn preflight(opts: &PreflightOptions) -> Result<PreflightReport, MigrateError> {
    let url = DbUrl::parse(&opts.database_url)?;
    let scratch_url = opts.scratch_url.as_deref().map(DbUrl::parse).transpose()?;
    let local = read_dir(&opts.migrations)?;
    let rt = db::runtime()?;
    let (applied, findings) = rt.block_on(run(
        &url,
        scratch_url.as_ref(),
        &local,
        opts.allow_pending,
        opts.migrations_role.as_deref(),
    ))?;
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
    migrations_role: Option<&str>,
) -> Result<(Vec<AppliedMigration>, Vec<Finding>), MigrateError> {
    let mut live = db::connect_live(url).await?;
    let read = async {
        let applied = live.applied(url).await?;
        let schema = live.schema_owned_by(url, migrations_role).await?;
        let databases = live.databases(url).await?;
        Ok::<_, MigrateError>((applied, schema, databases))
    }
    .await;
    live.close().await;
    let (applied, live_schema, databases) = read?;
    let compared = compare(local, &applied);

    // What the scratch database will run: the applied migrations, and the
    // pending ones with --allow-pending.
    let replayed: Vec<&LocalMigration> = local
        .iter()
        .filter(|m| match applied.iter().find(|a| a.version == m.version) {
            Some(a) => a.success,
            None => allow_pending,
        })
        .collect();
    // A scratch URL naming the live server's host and port is the live
    // server: the same care applies.
    let on_live_server = url.kind != Kind::Sqlite && scratch_url.is_none_or(|s| url.same_server(s));
    // On PostgreSQL every change a migration makes, roles and database
    // settings included, can be replayed in one transaction that is rolled
    // back: the live server never sees them. Elsewhere (MySQL commits DDL
    // at once; a migration that controls its own transactions), a
    // server-wide statement is refused on the live server.
    let in_one_transaction = on_live_server
        && url.kind == Kind::Postgres
        && replayed
            .iter()
            .all(|m| statements::runs_inside_a_transaction(&m.up));
    let server_wide = || {
        let dialect = if url.kind == Kind::MySql {
            Dialect::MySql
        } else {
            Dialect::Postgres
        };
        replayed.iter().find_map(|m| {
            server_wide(&m.up, dialect, &databases).map(|statement| MigrateError::ServerWide {
                version: m.version,
                file: m.file.clone(),
                statement,
            })
        })
    };
    if on_live_server
        && !in_one_transaction
        && let Some(e) = server_wide()
    {
        return Err(e);
    }
    // What reaches past any transaction (another connection, a program on
    // the server) is refused on the live server in every mode.
    if on_live_server
        && url.kind == Kind::Postgres
        && let Some(e) = replayed.iter().find_map(|m| {
            side_channel(&m.up).map(|statement| MigrateError::ServerWide {
                version: m.version,
                file: m.file.clone(),
                statement,
            })
        })
    {
        return Err(e);
    }

    let replay = Replay {
        url,
        scratch_url,
        local,
        applied: &applied,
        live_schema: &live_schema,
        allow_pending,
    };
    let mut findings = compared.clone();
    if in_one_transaction && !replay.on_fresh_scratch(true, &mut findings).await? {
        // One transaction could not hold this replay (an enum value used
        // after the migration that added it, `CREATE INDEX CONCURRENTLY`):
        // replay again committing each migration, as sqlx does, which is
        // safe on the live server only without server-wide statements.
        if let Some(e) = server_wide() {
            return Err(e);
        }
        findings = compared;
        replay.on_fresh_scratch(false, &mut findings).await?;
    } else if !in_one_transaction {
        replay.on_fresh_scratch(false, &mut findings).await?;
    }
    findings.sort_by_key(|f| (f.version, f.reason));
    Ok((applied, findings))
}

/// What a replay needs.
struct Replay<'a> {
    url: &'a DbUrl,
    scratch_url: Option<&'a DbUrl>,
    local: &'a [LocalMigration],
    applied: &'a [AppliedMigration],
    live_schema: &'a super::schema::Schema,
    allow_pending: bool,
}

impl Replay<'_> {
    /// Replays and compares on a scratch database made for it and dropped
    /// after, on every path. Returns whether every migration applied.
    async fn on_fresh_scratch(
        &self,
        in_one_transaction: bool,
        findings: &mut Vec<Finding>,
    ) -> Result<bool, MigrateError> {
        let mut scratch = db::scratch(Some(self.url), self.scratch_url).await?;
        let checked = replay_and_compare(
            &mut scratch,
            self.local,
            self.applied,
            self.live_schema,
            self.allow_pending,
            in_one_transaction,
            findings,
        )
        .await;
        scratch.drop_it().await;
        checked
    }
}

/// Applies one migration. In the one transaction (`transaction` is its
/// id) each runs in a savepoint: a failure is rolled back to it, so the
/// transaction stays usable and checkable, and afterwards it must still be
/// the same transaction. A migration that ended it (its statements after
/// that ran committed, perhaps on the live server) is exit 2. `deferred`:
/// check deferred constraints as sqlx's commit after the migration would.
async fn apply(
    scratch: &mut Scratch,
    transaction: Option<&str>,
    m: &LocalMigration,
    deferred: bool,
) -> Result<Result<(), String>, MigrateError> {
    let Some(id) = transaction else {
        return Ok(scratch.conn.execute(&m.up).await);
    };
    let escaped = || MigrateError::ServerWide {
        version: m.version,
        file: m.file.clone(),
        statement: "a transaction of its own (it ended the replay's transaction)".into(),
    };
    scratch
        .conn
        .execute("-- no-transaction\nSAVEPOINT gonogo_migration")
        .await
        .map_err(|_| escaped())?;
    let mut applied = scratch
        .conn
        .execute(&format!("-- no-transaction\n{}", m.up))
        .await;
    if applied.is_ok() && deferred {
        applied = scratch
            .conn
            .execute("-- no-transaction\nSET CONSTRAINTS ALL IMMEDIATE")
            .await;
    }
    let end = if applied.is_ok() {
        "-- no-transaction\nRELEASE SAVEPOINT gonogo_migration"
    } else {
        "-- no-transaction\nROLLBACK TO SAVEPOINT gonogo_migration"
    };
    // No savepoint any more: the migration committed or rolled back the
    // transaction it was in.
    scratch.conn.execute(end).await.map_err(|_| escaped())?;
    if scratch.transaction_id().await?.as_deref() != Some(id) {
        return Err(escaped());
    }
    Ok(applied)
}

/// Replays the applied migrations on the scratch database, diffs its schema
/// with the live one, then (with `allow_pending`) applies the pending ones.
/// `in_one_transaction`: everything runs in one transaction, never
/// committed. Returns whether every migration applied.
async fn replay_and_compare(
    scratch: &mut Scratch,
    local: &[LocalMigration],
    applied: &[AppliedMigration],
    live_schema: &super::schema::Schema,
    allow_pending: bool,
    in_one_transaction: bool,
    findings: &mut Vec<Finding>,
) -> Result<bool, MigrateError> {
    let transaction = if in_one_transaction {
        Some(scratch.begin().await?)
    } else {
        None
    };
    let mut replayed_ok = true;
    for a in applied.iter().filter(|a| a.success) {
        let Some(m) = local.iter().find(|m| m.version == a.version) else {
            continue; // missing_local already blocks the release
        };
        if let Err(e) = apply(scratch, transaction.as_deref(), m, false).await? {
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
        // The schema is read in a session as fresh as the live one: a
        // migration's `USE`, `SET search_path` or `SET ROLE` stays behind.
        scratch.fresh_session(in_one_transaction).await?;
        let expected = scratch.conn.schema(&scratch.url).await?;
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
    let mut clean = replayed_ok;
    if allow_pending {
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
            match apply(scratch, transaction.as_deref(), m, true).await? {
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
    if in_one_transaction {
        // Never committed: whatever the replay did to roles or settings is
        // undone (closing the connection would undo it too).
        let _ = scratch.conn.execute("-- no-transaction\nROLLBACK").await;
    }
    Ok(clean)
}
