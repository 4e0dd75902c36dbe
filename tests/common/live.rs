//! Live databases for migration tests: SQLite files, and fresh databases on
//! the PostgreSQL and MariaDB servers named by `GONOGO_TEST_POSTGRES_URL` and
//! `GONOGO_TEST_MYSQL_URL`, migrated with sqlx's own migrator.
#![allow(dead_code)]

use sqlx::{AssertSqlSafe, ConnectOptions, Connection};
use std::path::Path;
use std::str::FromStr;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
    MySql,
}

pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The server URL for a kind, or `None` (the test says it is skipped).
pub fn server(db: Db) -> Option<String> {
    let var = match db {
        Db::Sqlite => return Some(String::new()),
        Db::Postgres => "GONOGO_TEST_POSTGRES_URL",
        Db::MySql => "GONOGO_TEST_MYSQL_URL",
    };
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            eprintln!("skipped: {var} is not set");
            None
        }
    }
}

/// A database created for one test and dropped after it.
pub struct Live {
    pub db: Db,
    pub url: String,
    server: String,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

fn with_database(server: &str, name: &str) -> String {
    // Replace the path of `scheme://auth@host:port/db?query`.
    let (base, query) = server.split_once('?').map_or((server, ""), |(b, q)| (b, q));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{}/{name}{q}", &base[..path_start])
}

impl Live {
    /// A fresh empty database of this kind, or `None` when its server is not configured.
    pub fn new(db: Db) -> Option<Live> {
        let server = server(db)?;
        let name = format!("gonogo_t_{:016x}", gonogo::runner::random_seed());
        match db {
            Db::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("live.db");
                rt().block_on(async {
                    sqlx::sqlite::SqliteConnectOptions::new()
                        .filename(&path)
                        .create_if_missing(true)
                        .connect()
                        .await
                        .unwrap()
                        .close()
                        .await
                        .unwrap();
                });
                Some(Live {
                    db,
                    url: format!("sqlite://{}", path.display()),
                    server,
                    name,
                    _dir: Some(dir),
                })
            }
            _ => {
                let quoted = if db == Db::Postgres {
                    format!("\"{name}\"")
                } else {
                    format!("`{name}`")
                };
                exec_server(db, &server, &format!("CREATE DATABASE {quoted}"));
                Some(Live {
                    db,
                    url: with_database(&server, &name),
                    server,
                    name,
                    _dir: None,
                })
            }
        }
    }

    /// What must not change when preflight reads the database: the SQLite
    /// file's bytes, `pg_dump --schema-only`, `mariadb-dump --no-data`.
    pub fn fingerprint(&self) -> Vec<u8> {
        let out = match self.db {
            Db::Sqlite => {
                let path = self.url.trim_start_matches("sqlite://");
                return std::fs::read(path).unwrap();
            }
            Db::Postgres => std::process::Command::new("pg_dump")
                .args(["--schema-only", "--no-owner", &self.url])
                .output()
                .unwrap(),
            Db::MySql => {
                let u = url::Url::parse(&self.url).unwrap();
                std::process::Command::new("mariadb-dump")
                    .args([
                        "--no-data",
                        "--skip-dump-date",
                        "--routines",
                        "--triggers",
                        "-h",
                        u.host_str().unwrap_or("127.0.0.1"),
                        "-P",
                        &u.port().unwrap_or(3306).to_string(),
                        "-u",
                        u.username(),
                        &self.name,
                    ])
                    .output()
                    .unwrap()
            }
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // pg_dump writes a random `\restrict` key on every run.
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes()
    }

    /// Runs SQL on the live database (a hand edit).
    pub fn exec(&self, sql: &str) {
        exec_server(self.db, &self.url, sql);
    }

    /// Applies the migrations of a folder with sqlx's migrator (on a
    /// dedicated connection).
    pub fn migrate(&self, dir: &Path) {
        let dir = dir.to_path_buf();
        let url = self.url.clone();
        let db = self.db;
        rt().block_on(async move {
            let migrator = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
            match db {
                Db::Sqlite => {
                    let mut c = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
                        .unwrap()
                        .connect()
                        .await
                        .unwrap();
                    migrator.run(&mut c).await.unwrap();
                    c.close().await.unwrap();
                }
                Db::Postgres => {
                    let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
                    migrator.run(&mut c).await.unwrap();
                    c.close().await.unwrap();
                }
                Db::MySql => {
                    let mut c = sqlx::MySqlConnection::connect(&url).await.unwrap();
                    migrator.run(&mut c).await.unwrap();
                    c.close().await.unwrap();
                }
            }
        });
    }
}

fn exec_server(db: Db, url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    rt().block_on(async move {
        match db {
            Db::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut c)
                    .await
                    .unwrap();
                c.close().await.unwrap();
            }
            Db::Postgres => {
                let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut c)
                    .await
                    .unwrap();
                c.close().await.unwrap();
            }
            Db::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&url).await.unwrap();
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut c)
                    .await
                    .unwrap();
                c.close().await.unwrap();
            }
        }
    });
}

impl Drop for Live {
    fn drop(&mut self) {
        match self.db {
            Db::Sqlite => {}
            Db::Postgres => exec_server(
                self.db,
                &self.server,
                &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
            ),
            Db::MySql => exec_server(
                self.db,
                &self.server,
                &format!("DROP DATABASE IF EXISTS `{}`", self.name),
            ),
        }
    }
}
