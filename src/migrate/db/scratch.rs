//! Scratch databases: a temporary SQLite file, or a database created on the
//! live server (or on `--scratch-url`'s server, of the same engine and major
//! version) and dropped on every exit path, Ctrl-C included.

use super::url::{DbUrl, Kind};
use super::{Conn, connect_server, mysql, postgres};
use crate::migrate::MigrateError;
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

/// A scratch database, dropped by [`Scratch::drop_it`].
pub struct Scratch {
    /// The connection to the scratch database.
    pub conn: Conn,
    /// The scratch database's URL.
    pub url: DbUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    File(#[allow(dead_code)] tempfile::TempDir),
    Server {
        admin: Box<Conn>,
        name: String,
        /// The interrupt cleanup that drops it if the command is stopped.
        on_interrupt: u64,
    },
}

/// A fresh scratch database of the same kind as `like` (SQLite when
/// `None`), on `like`'s server or on `on`'s when given.
pub async fn scratch(like: Option<&DbUrl>, on: Option<&DbUrl>) -> Result<Scratch, MigrateError> {
    match (like, on) {
        (None, None) => sqlite().await,
        (Some(live), _) if live.kind == Kind::Sqlite => match on {
            None => sqlite().await,
            Some(on) => Err(MigrateError::BadUrl {
                url: on.shown.clone(),
                message: "the live database is SQLite, whose scratch copy is a temporary \
                          file: a scratch server is for PostgreSQL and MySQL"
                    .into(),
            }),
        },
        (Some(live), None) => server(live, live).await,
        (None, Some(on)) if on.kind == Kind::Sqlite => sqlite().await,
        (None, Some(on)) => server(on, on).await,
        (Some(live), Some(on)) => {
            same_server_kind(live, on).await?;
            server(live, on).await
        }
    }
}

async fn sqlite() -> Result<Scratch, MigrateError> {
    let dir = tempfile::tempdir().map_err(|e| MigrateError::Database {
        url: "sqlite scratch".into(),
        message: e.to_string(),
    })?;
    let path = dir.path().join("scratch.db");
    let url = DbUrl::parse(&format!("sqlite://{}", path.display()))?;
    let conn = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .foreign_keys(true)
        .connect()
        .await
        .map_err(|e| url.database(&e.to_string()))?;
    Ok(Scratch {
        conn: Conn::Sqlite(conn),
        url,
        cleanup: Cleanup::File(dir),
    })
}

/// The engine and major version of a server (`PostgreSQL 15`, `MariaDB
/// 10.11`).
async fn version(url: &DbUrl) -> Result<String, MigrateError> {
    let mut c = connect_server(url, None).await?;
    let v = match &mut c {
        Conn::Postgres(pg) => postgres::major_version(pg, url).await,
        Conn::MySql(my) => mysql::database(my, url).await.map(|d| d.version),
        Conn::Sqlite(_) => Ok("SQLite".to_string()),
    };
    c.close().await;
    v
}

/// A scratch server must run the live engine at the same major version: a
/// replay elsewhere could succeed or fail, or build a different catalog,
/// where the live server would not.
async fn same_server_kind(live: &DbUrl, on: &DbUrl) -> Result<(), MigrateError> {
    let mismatch = |message: String| MigrateError::ScratchServer {
        url: on.shown.clone(),
        message,
    };
    if live.kind != on.kind {
        return Err(mismatch(format!(
            "the scratch server is {:?} and the live database {:?}: they must be the same engine",
            on.kind, live.kind
        )));
    }
    let (lv, sv) = (version(live).await?, version(on).await?);
    if lv != sv {
        return Err(mismatch(format!(
            "the scratch server runs {sv} and the live server {lv}: they must be the same engine and major version"
        )));
    }
    Ok(())
}

/// The `CREATE DATABASE` options that give a scratch database the live
/// one's defaults (MySQL: character set and collation).
async fn create_options(live: &DbUrl) -> Result<String, MigrateError> {
    if live.kind != Kind::MySql {
        return Ok(String::new());
    }
    let mut c = connect_server(live, None).await?;
    let d = match &mut c {
        Conn::MySql(my) => mysql::database(my, live).await,
        _ => unreachable!("a MySQL URL gives a MySQL connection"),
    };
    c.close().await;
    let d = d?;
    let safe = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    Ok(if safe(&d.charset) && safe(&d.collation) {
        format!(" CHARACTER SET {} COLLATE {}", d.charset, d.collation)
    } else {
        String::new()
    })
}

/// A database created on `on`'s server, with `live`'s defaults.
async fn server(live: &DbUrl, on: &DbUrl) -> Result<Scratch, MigrateError> {
    let kind = on.kind;
    let name = format!("gonogo_scratch_{:016x}", crate::util::random_seed());
    let quoted = if kind == Kind::Postgres {
        format!("\"{name}\"")
    } else {
        format!("`{name}`")
    };
    let options = create_options(live).await?;
    // Ctrl-C or SIGTERM from here on: dropped (if it exists) from the
    // handler's thread on a connection of its own. Registered before it is
    // created, so no moment is left uncovered.
    let on_interrupt = {
        let on = on.clone();
        let sql = drop_sql(kind, &name);
        crate::targets::children::on_interrupt(Box::new(move || {
            if let Ok(rt) = super::runtime() {
                rt.block_on(async {
                    if let Ok(mut c) = connect_server(&on, None).await {
                        let _ = c.execute(&sql).await;
                        c.close().await;
                    }
                });
            }
        }))
    };
    // A separate connection creates and drops the scratch database: the
    // live session stays read-only.
    let mut admin = match connect_server(on, None).await {
        Ok(c) => c,
        Err(e) => {
            crate::targets::children::forget_cleanup(on_interrupt);
            return Err(e);
        }
    };
    if let Err(e) = admin
        .execute(&format!(
            "-- no-transaction\nCREATE DATABASE {quoted}{options}"
        ))
        .await
    {
        admin.close().await;
        crate::targets::children::forget_cleanup(on_interrupt);
        return Err(on.database(&format!("cannot create a scratch database: {e}")));
    }
    let conn = match connect_server(on, Some(&name)).await {
        Ok(c) => c,
        Err(e) => {
            let _ = admin.execute(&drop_sql(kind, &name)).await;
            admin.close().await;
            crate::targets::children::forget_cleanup(on_interrupt);
            return Err(e);
        }
    };
    Ok(Scratch {
        conn,
        url: on.clone(),
        cleanup: Cleanup::Server {
            admin: Box::new(admin),
            name,
            on_interrupt,
        },
    })
}

impl Scratch {
    /// Opens a transaction on the scratch connection, which nothing
    /// commits: the replay runs inside it, raw. Returns its id.
    pub async fn begin(&mut self) -> Result<String, MigrateError> {
        self.conn
            .execute("-- no-transaction\nBEGIN")
            .await
            .map_err(|e| self.url.database(&e))?;
        self.transaction_id()
            .await?
            .ok_or_else(|| self.url.database("no transaction id"))
    }

    /// The id of the open PostgreSQL transaction (`None` when the session
    /// is in a failed transaction, where no query runs).
    pub async fn transaction_id(&mut self) -> Result<Option<String>, MigrateError> {
        match &mut self.conn {
            Conn::Postgres(c) => {
                use sqlx::Row;
                match sqlx::query("SELECT txid_current()::text")
                    .fetch_one(&mut *c)
                    .await
                {
                    Ok(row) => Ok(row.try_get::<String, _>(0).ok()),
                    // 25P02: in a failed transaction, still the same one.
                    Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("25P02") => {
                        Ok(None)
                    }
                    Err(e) => Err(self.url.database(&e.to_string())),
                }
            }
            _ => Ok(None),
        }
    }

    /// A session as fresh as the live one, for reading the schema: a new
    /// connection to the scratch database, or inside the open transaction
    /// (which a new connection would lose) every setting and role reset.
    pub async fn fresh_session(&mut self, in_transaction: bool) -> Result<(), MigrateError> {
        if in_transaction {
            return self
                .conn
                .execute(
                    "-- no-transaction\nRESET ALL; RESET ROLE; SET SESSION AUTHORIZATION DEFAULT; \
                     DISCARD TEMP",
                )
                .await
                .map_err(|e| self.url.database(&e));
        }
        if let Cleanup::Server { name, .. } = &self.cleanup {
            let fresh = connect_server(&self.url, Some(name)).await?;
            std::mem::replace(&mut self.conn, fresh).close().await;
        }
        Ok(())
    }

    /// Closes the scratch connection and drops the scratch database.
    pub async fn drop_it(self) {
        self.conn.close().await;
        match self.cleanup {
            Cleanup::File(_) => {}
            Cleanup::Server {
                admin,
                name,
                on_interrupt,
            } => {
                let mut admin = *admin;
                let kind = match &admin {
                    Conn::Postgres(_) => Kind::Postgres,
                    _ => Kind::MySql,
                };
                let _ = admin.execute(&drop_sql(kind, &name)).await;
                admin.close().await;
                crate::targets::children::forget_cleanup(on_interrupt);
            }
        }
    }
}

/// The statement that drops a scratch database (forcing out sessions).
fn drop_sql(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Postgres => {
            format!("-- no-transaction\nDROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")
        }
        _ => format!("-- no-transaction\nDROP DATABASE IF EXISTS `{name}`"),
    }
}
