//! `gonogo migrate roundtrip`: up → down → up from every version of the
//! reversible migrations leaves the schema unchanged.

use super::db::{self, DbUrl};
use super::outcome::RoundtripReport;
use super::schema::{Sides, diff};
use super::source::read_dir;
use super::{Finding, MigrateError};
use crate::reason::Reason;
use std::path::Path;

/// Runs the round trip on a scratch database (SQLite unless a URL names a
/// server, where a scratch database is created and dropped).
pub fn roundtrip(
    migrations: &Path,
    database_url: Option<&str>,
) -> Result<RoundtripReport, MigrateError> {
    let url = database_url.map(DbUrl::parse).transpose()?;
    let local = read_dir(migrations)?;
    let rt = db::runtime()?;
    let (checked, findings) = rt.block_on(async {
        let mut scratch = db::scratch(url.as_ref(), None).await?;
        let result = run(&mut scratch, &local).await;
        scratch.drop_it().await;
        result
    })?;
    Ok(RoundtripReport::new(
        migrations.display().to_string(),
        local.len(),
        checked,
        findings,
    ))
}

async fn run(
    scratch: &mut db::Scratch,
    local: &[super::source::LocalMigration],
) -> Result<(usize, Vec<Finding>), MigrateError> {
    let url = scratch.url.clone();
    let conn = &mut scratch.conn;
    let mut before = conn.schema(&url).await?;
    let mut checked = 0;
    for m in local {
        let apply = |what: &str, e: String| MigrateError::Database {
            url: url.shown.clone(),
            message: format!(
                "version {} (`{}`): {what} failed on a scratch database: {e}",
                m.version, m.file
            ),
        };
        conn.execute(&m.up).await.map_err(|e| apply("up", e))?;
        let after = conn.schema(&url).await?;
        if let Some(down) = &m.down {
            checked += 1;
            // A down or re-up that fails to apply is the round trip
            // failing (not_reversible, exit 1), not an error of gonogo's.
            if let Err(e) = conn.execute(down).await {
                return Ok((checked, vec![not_applied(m, "down", &e.to_string())]));
            }
            let undone = conn.schema(&url).await?;
            let objects = diff(&before, &undone, Sides::AFTER_DOWN);
            if !objects.is_empty() {
                let mut f = Finding::new(
                    Reason::NotReversible,
                    Some(m.version),
                    format!(
                        "down after up does not restore the schema before version {}: {}",
                        m.version,
                        objects.join("; ")
                    ),
                );
                f.objects = objects;
                return Ok((checked, vec![f]));
            }
            if let Err(e) = conn.execute(&m.up).await {
                return Ok((
                    checked,
                    vec![not_applied(m, "up after down", &e.to_string())],
                ));
            }
            let redone = conn.schema(&url).await?;
            let objects = diff(&after, &redone, Sides::AFTER_REUP);
            if !objects.is_empty() {
                let mut f = Finding::new(
                    Reason::NotReversible,
                    Some(m.version),
                    format!(
                        "up after down does not give the same schema at version {}: {}",
                        m.version,
                        objects.join("; ")
                    ),
                );
                f.objects = objects;
                return Ok((checked, vec![f]));
            }
        }
        before = after;
    }
    Ok((checked, Vec::new()))
}

/// The finding for a step of the round trip that failed to apply.
fn not_applied(m: &super::source::LocalMigration, step: &str, error: &str) -> Finding {
    Finding::new(
        Reason::NotReversible,
        Some(m.version),
        format!(
            "version {} (`{}`): the {step} does not apply on a scratch database: {}",
            m.version,
            m.file,
            crate::redact::text(error)
        ),
    )
}
