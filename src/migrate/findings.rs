//! The migration state checks that need no schema: the folder against the
//! `_sqlx_migrations` table. Pure: the same inputs give the same findings.

use super::Finding;
use super::source::{LocalMigration, checksum};
use crate::reason::Reason;
use std::collections::BTreeMap;

/// A row of `_sqlx_migrations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    pub version: i64,
    pub description: String,
    pub success: bool,
    pub checksum: Vec<u8>,
}

/// Findings `pending`, `checksum_mismatch`, `missing_local`, `failed` and
/// `out_of_order`, sorted by version.
pub fn compare(local: &[LocalMigration], applied: &[AppliedMigration]) -> Vec<Finding> {
    let by_version: BTreeMap<i64, &LocalMigration> = local.iter().map(|m| (m.version, m)).collect();
    let applied_versions: BTreeMap<i64, &AppliedMigration> =
        applied.iter().map(|a| (a.version, a)).collect();
    let newest = applied.iter().map(|a| a.version).max();
    let mut out = Vec::new();
    for a in applied_versions.values() {
        if !a.success {
            out.push(Finding::new(
                Reason::Failed,
                Some(a.version),
                format!("version {} ({}) is recorded as failed (dirty): fix the database by hand, then re-run it", a.version, a.description),
            ));
        }
        match by_version.get(&a.version) {
            None => out.push(Finding::new(
                Reason::MissingLocal,
                Some(a.version),
                format!(
                    "version {} ({}) is applied but has no file in the migrations folder",
                    a.version, a.description
                ),
            )),
            Some(l) if l.checksum != a.checksum => {
                let mut detail = format!(
                    "`{}` changed since version {} was applied",
                    l.file, a.version
                );
                if whitespace_only(&l.up, &a.checksum) {
                    detail.push_str("; it differs only by line endings or trailing whitespace");
                }
                out.push(Finding::new(
                    Reason::ChecksumMismatch,
                    Some(a.version),
                    detail,
                ));
            }
            Some(_) => {}
        }
    }
    for l in local
        .iter()
        .filter(|l| !applied_versions.contains_key(&l.version))
    {
        match newest {
            Some(n) if l.version < n => out.push(Finding::new(
                Reason::OutOfOrder,
                Some(l.version),
                format!(
                    "`{}` is older than the newest applied version {n} but is not applied",
                    l.file
                ),
            )),
            _ => out.push(Finding::new(
                Reason::Pending,
                Some(l.version),
                format!("`{}` is not applied", l.file),
            )),
        }
    }
    out.sort_by_key(|f| (f.version, f.reason));
    out
}

/// Whether the applied checksum matches the file once line endings or
/// trailing whitespace are changed.
fn whitespace_only(sql: &str, applied: &[u8]) -> bool {
    let lf = sql.replace("\r\n", "\n");
    let trimmed: String = lf.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    let variants = [
        lf.clone(),
        lf.replace('\n', "\r\n"),
        trimmed.clone(),
        format!("{trimmed}\n"),
        trimmed.replace('\n', "\r\n"),
        format!("{}\r\n", trimmed.replace('\n', "\r\n")),
        lf.trim_end().to_string(),
        format!("{}\n", lf.trim_end()),
    ];
    variants.iter().any(|v| checksum(v) == applied)
}
