//! Migration preflight (SPEC §7): the sqlx migrations folder against the
//! live `_sqlx_migrations` table and the live schema. Validation is pure
//! (`source`, `findings`, `schema`); the I/O is in `db`, behind the `db`
//! feature, and the commands in `preflight` and `roundtrip`.

// Read by the `db` drivers; pure, and unit-tested without them.
#[cfg_attr(not(feature = "db"), allow(dead_code))]
pub(crate) mod cluster;
// Read by the `db` drivers; pure, and unit-tested without them.
#[cfg_attr(not(feature = "db"), allow(dead_code))]
pub(crate) mod findings;
pub(crate) mod outcome;
pub mod schema;
// Read by the `db` drivers; pure, and unit-tested without them.
#[cfg_attr(not(feature = "db"), allow(dead_code))]
pub(crate) mod source;
// Read by the `db` drivers; pure, and unit-tested without them.
#[cfg_attr(not(feature = "db"), allow(dead_code))]
pub(crate) mod statements;

#[cfg(feature = "db")]
pub mod db;
#[cfg(feature = "db")]
mod preflight;
#[cfg(feature = "db")]
mod roundtrip;

#[cfg(feature = "db")]
pub use preflight::{PreflightOptions, preflight};
#[cfg(feature = "db")]
pub use roundtrip::roundtrip;

pub use outcome::{PreflightReport, RoundtripReport};

use crate::reason::Reason;
use serde::Serialize;
use std::path::PathBuf;

/// One finding of a preflight or roundtrip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The reason code.
    pub reason: Reason,
    /// The migration's version, when the finding is about one migration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// One sentence on what was found.
    pub detail: String,
    /// A pending migration allowed by `--allow-pending` (it applied cleanly
    /// on a scratch copy): reported, not NO-GO.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allowed: bool,
    /// For `schema_drift` and `not_reversible`: each differing object.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<String>,
}

impl Finding {
    /// A finding that blocks the release.
    pub fn new(reason: Reason, version: Option<i64>, detail: String) -> Finding {
        Finding {
            reason,
            version,
            detail,
            allowed: false,
            objects: Vec::new(),
        }
    }
}

/// Why a migration command could not decide (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// A migration file name sqlx rejects, a duplicate version, a missing pair,
    /// an unreadable folder.
    #[error("{}: {message}", path.display())]
    BadMigrationFile {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A URL that does not parse or names no supported database.
    #[error("bad database url `{url}`: {message}")]
    BadUrl {
        /// The URL, redacted.
        url: String,
        /// Why it is refused.
        message: String,
    },
    /// The database could not be reached (the URL is shown without password).
    #[error("cannot reach `{url}`: {message}")]
    Unreachable {
        /// The database's URL, without its password.
        url: String,
        /// What went wrong, without the password.
        message: String,
    },
    /// `--scratch-url` names a server of another engine or major version
    /// than the live one.
    #[error("scratch server `{url}`: {message}")]
    ScratchServer {
        /// The scratch server's URL, without its password.
        url: String,
        /// How it differs from the live server.
        message: String,
    },
    /// A migration to replay changes the whole server (a role, a
    /// database-level grant): replaying it on the live server would change
    /// the live server.
    #[error(
        "migration {version} (`{file}`) changes the whole server (`{statement}`): replaying it on a scratch database of the live server would change the live server; pass --scratch-url with a server of its own (same engine and major version)"
    )]
    ServerWide {
        /// The migration's version.
        version: i64,
        /// The migration's file name.
        file: String,
        /// The statement that changes the whole server.
        statement: String,
    },
    /// A query failed on a reachable database.
    #[error("database error on `{url}`: {message}")]
    Database {
        /// The database's URL, without its password (empty or a label when there is none).
        url: String,
        /// The error, without the password.
        message: String,
    },
}

impl MigrateError {
    /// The reason code of the error, where SPEC names one.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            MigrateError::BadMigrationFile { .. } => Some(Reason::BadMigrationFile),
            MigrateError::BadUrl { .. } => Some(Reason::BadUrl),
            MigrateError::Unreachable { .. } => Some(Reason::Unreachable),
            MigrateError::Database { .. }
            | MigrateError::ScratchServer { .. }
            | MigrateError::ServerWide { .. } => None,
        }
    }
}
