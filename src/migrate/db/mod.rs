//! Databases by URL: SQLite, PostgreSQL, MySQL/MariaDB. Live connections are
//! read-only; scratch databases are created and dropped by gonogo. Every
//! message shows the URL without its password.
//!
//! One job per file: `url` (parsing and redaction), `catalog` (the SQL text
//! of every introspection query), `sqlite`, `postgres` and `mysql` (typed
//! introspection, one engine each), `definitions` (pure parsing of the
//! definitions they return), `scratch` (scratch databases). This file holds
//! the connection and what is common to the engines.

mod catalog;
mod definitions;
mod mysql;
mod postgres;
mod scratch;
mod sqlite;
mod url;

pub use scratch::{Scratch, scratch};
pub use url::{DbUrl, Kind, redact};

use super::MigrateError;
use super::findings::AppliedMigration;
use super::schema::{Schema, normalize_sql};
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Row};
use std::str::FromStr;
use std::time::Duration;

/// How long connecting may take before the database counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// An open connection.
pub enum Conn {
    /// A SQLite connection.
    Sqlite(SqliteConnection),
    /// A PostgreSQL connection.
    Postgres(PgConnection),
    /// A MySQL or MariaDB connection.
    MySql(MySqlConnection),
}

async fn timed<T, E: std::fmt::Display>(
    url: &DbUrl,
    fut: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, MigrateError> {
    match tokio::time::timeout(CONNECT_TIMEOUT, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(url.unreachable(&e.to_string())),
        Err(_) => {
            Err(url.unreachable(&format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())))
        }
    }
}

/// Connects to the live database, read-only: preflight never writes to it.
/// A SQLite file that does not exist is unreachable (it is not created).
pub async fn connect_live(url: &DbUrl) -> Result<Conn, MigrateError> {
    let conn = match url.kind {
        Kind::Sqlite => {
            let opts = SqliteConnectOptions::from_str(&url.url)
                .map_err(|e| url.unreachable(&e.to_string()))?
                .read_only(true)
                .create_if_missing(false);
            Conn::Sqlite(timed(url, opts.connect()).await?)
        }
        Kind::Postgres | Kind::MySql => {
            let mut c = connect_server(url, None).await?;
            let read_only = if url.kind == Kind::Postgres {
                "-- no-transaction\nSET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
            } else {
                "-- no-transaction\nSET SESSION TRANSACTION READ ONLY"
            };
            c.execute(read_only).await.map_err(|e| url.database(&e))?;
            c
        }
    };
    Ok(conn)
}

/// A connection to a PostgreSQL or MySQL server, to its URL's database or
/// to `database`.
async fn connect_server(url: &DbUrl, database: Option<&str>) -> Result<Conn, MigrateError> {
    let parse_err = |e: sqlx::Error| url.unreachable(&e.to_string());
    Ok(match url.kind {
        Kind::Postgres => {
            let mut opts = PgConnectOptions::from_str(&url.url).map_err(parse_err)?;
            if let Some(db) = database {
                opts = opts.database(db);
            }
            Conn::Postgres(timed(url, opts.connect()).await?)
        }
        Kind::MySql => {
            let mut opts = MySqlConnectOptions::from_str(&url.url).map_err(parse_err)?;
            if let Some(db) = database {
                opts = opts.database(db);
            }
            Conn::MySql(timed(url, opts.connect()).await?)
        }
        Kind::Sqlite => return Err(url.database("internal error: SQLite has no server")),
    })
}

/// A driver's error as a finding shows it: without a server's own source
/// line (`at line 948`), which says nothing about the migration file.
fn driver_message(e: sqlx::Error) -> String {
    url::cut_source_line(&e.to_string())
}

impl Conn {
    /// Closes the connection.
    pub async fn close(self) {
        let _ = match self {
            Conn::Sqlite(c) => c.close().await,
            Conn::Postgres(c) => c.close().await,
            Conn::MySql(c) => c.close().await,
        };
    }

    /// Runs migration SQL (several statements), in a transaction where the
    /// database has transactional DDL, unless it starts `-- no-transaction`.
    pub async fn execute(&mut self, sql: &str) -> Result<(), String> {
        let tx = !sql.starts_with("-- no-transaction");
        let run = |s: String| sqlx::raw_sql(AssertSqlSafe(s));
        // One transaction around the whole file, committed only if it all ran.
        macro_rules! in_transaction {
            ($c:expr) => {{
                let mut t = $c.begin().await.map_err(driver_message)?;
                run(sql.to_string())
                    .execute(&mut *t)
                    .await
                    .map_err(driver_message)?;
                t.commit().await
            }};
        }
        let result = match self {
            Conn::Sqlite(c) if tx => in_transaction!(c),
            Conn::Postgres(c) if tx => in_transaction!(c),
            Conn::Sqlite(c) => run(sql.to_string()).execute(c).await.map(|_| ()),
            Conn::Postgres(c) => run(sql.to_string()).execute(c).await.map(|_| ()),
            Conn::MySql(c) => run(sql.to_string()).execute(c).await.map(|_| ()),
        };
        result.map_err(driver_message)
    }

    /// The rows of `_sqlx_migrations`, or none when the table does not exist.
    pub async fn applied(&mut self, url: &DbUrl) -> Result<Vec<AppliedMigration>, MigrateError> {
        let exists = match self {
            Conn::Sqlite(c) => sqlite::has_migrations(c, url).await?,
            Conn::Postgres(c) => postgres::has_migrations(c, url).await?,
            Conn::MySql(c) => mysql::has_migrations(c, url).await?,
        };
        if !exists {
            return Ok(Vec::new());
        }
        let sql =
            "SELECT version, description, success, checksum FROM _sqlx_migrations ORDER BY version";
        let err = |e: sqlx::Error| url.database(&format!("reading `_sqlx_migrations`: {e}"));
        macro_rules! read {
            ($c:expr) => {{
                let rows = sqlx::query(sql).fetch_all($c).await.map_err(err)?;
                let mut out = Vec::new();
                for r in &rows {
                    out.push(AppliedMigration {
                        version: r.try_get("version").map_err(err)?,
                        description: r.try_get("description").map_err(err)?,
                        success: r.try_get("success").map_err(err)?,
                        checksum: r.try_get("checksum").map_err(err)?,
                    });
                }
                out
            }};
        }
        Ok(match self {
            Conn::Sqlite(c) => read!(c),
            Conn::Postgres(c) => read!(c),
            Conn::MySql(c) => read!(c),
        })
    }

    /// The server's databases (MySQL/MariaDB; none elsewhere), to find
    /// migrations that name another one.
    pub async fn databases(&mut self, url: &DbUrl) -> Result<Vec<String>, MigrateError> {
        match self {
            Conn::MySql(c) => mysql::databases(c, url).await,
            _ => Ok(Vec::new()),
        }
    }

    /// The normalized schema (SPEC §7's objects), without `_sqlx_migrations`.
    pub async fn schema(&mut self, url: &DbUrl) -> Result<Schema, MigrateError> {
        self.schema_owned_by(url, None).await
    }

    /// The schema, with owners (PostgreSQL) and definers (MySQL) relative
    /// to `migrations_role` when given (the role that runs the migrations
    /// on the live database), else to `_sqlx_migrations`' owner or, on
    /// MySQL, the account that defined most objects.
    pub async fn schema_owned_by(
        &mut self,
        url: &DbUrl,
        migrations_role: Option<&str>,
    ) -> Result<Schema, MigrateError> {
        match self {
            Conn::Sqlite(c) => sqlite::schema(c, url).await,
            Conn::Postgres(c) => {
                if let Some(role) = migrations_role {
                    // Audited dynamic SQL: a string literal, quotes doubled.
                    let set = format!(
                        "SET gonogo.migrations_role = '{}'",
                        role.replace('\'', "''")
                    );
                    sqlx::raw_sql(AssertSqlSafe(set))
                        .execute(&mut *c)
                        .await
                        .map_err(|e| url.database(&e.to_string()))?;
                }
                postgres::schema(c, url).await
            }
            Conn::MySql(c) => mysql::schema(c, url, migrations_role).await,
        }
    }
}

/// Runs one introspection query (with an optional table or index name
/// bound to `?1`/`$1`) into typed rows, naming it in any error.
async fn fetch<'c, DB, T>(
    c: &'c mut DB::Connection,
    url: &DbUrl,
    what: &str,
    sql: &'static str,
    of: Option<&str>,
) -> Result<Vec<T>, MigrateError>
where
    DB: sqlx::Database,
    &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    T: for<'r> sqlx::FromRow<'r, DB::Row> + Send + Unpin + 'c,
    DB::Arguments: sqlx::IntoArguments<DB> + 'c,
    String: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let mut q = sqlx::query_as::<DB, T>(sql);
    if let Some(name) = of {
        q = q.bind(name.to_string());
    }
    q.fetch_all(c).await.map_err(|e| {
        let of = of.map(|n| format!(" of `{n}`")).unwrap_or_default();
        url.database(&format!("reading {what}{of}: {e}"))
    })
}

/// Adds (name, definition) rows to `schema.objects`, each keyed by its
/// label and name. A NULL definition is kept as such, never as `""`.
/// `normalize`: SQLite's definitions are the text a person wrote, compared
/// through [`normalize_sql`]; PostgreSQL and MySQL write theirs
/// canonically, compared byte for byte (no lexer of ours decides what is
/// a literal in them).
fn add_objects(
    schema: &mut Schema,
    label: &str,
    rows: Vec<(String, Option<String>)>,
    normalize: bool,
) {
    for (name, definition) in rows {
        let key = if label.is_empty() {
            name
        } else {
            format!("{label} `{name}`")
        };
        let definition = match definition {
            None => "(null)".to_string(),
            Some(d) if normalize => normalize_sql(&d),
            Some(d) => d,
        };
        schema.objects.insert(key, definition);
    }
}

/// A current-thread runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, MigrateError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| MigrateError::Database {
            url: String::new(),
            message: format!("cannot start the async runtime: {e}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_source_lines_are_cut() {
        let e = sqlx::Error::Protocol("relation \"x\" does not exist at line 948".into());
        assert!(!driver_message(e).contains("948"));
        let e = sqlx::Error::Protocol("syntax error at line breaks".into());
        assert!(driver_message(e).contains("line breaks"));
    }
}
