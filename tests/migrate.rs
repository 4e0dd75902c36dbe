//! `gonogo migrate preflight` and `roundtrip` against real SQLite, PostgreSQL
//! and MariaDB: every finding and error with its exit code and reason.

mod common;
#[path = "common/live.rs"]
mod live;

use common::*;
use live::{Db, Live};
use std::path::Path;

/// A migrations folder in `dir/migrations` with these files.
fn folder(dir: &Path, files: &[(&str, &str)]) -> std::path::PathBuf {
    let m = dir.join("migrations");
    std::fs::create_dir_all(&m).unwrap();
    for (name, sql) in files {
        std::fs::write(m.join(name), sql).unwrap();
    }
    m
}

/// Portable SQL for the three databases.
const BASE: [(&str, &str); 3] = [
    (
        "10_users.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE);\n",
    ),
    (
        "20_projects.sql",
        "CREATE TABLE projects (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES users(id), \
         name VARCHAR(100) NOT NULL DEFAULT 'untitled', CHECK (id > 0));\n\
         CREATE INDEX projects_owner ON projects(owner_id);\n\
         CREATE INDEX projects_name ON projects(name);\n",
    ),
    (
        "30_active.sql",
        "CREATE VIEW active_users AS SELECT id, email FROM users;\n",
    ),
];

struct Case {
    live: Live,
    dir: tempfile::TempDir,
    migrations: std::path::PathBuf,
}

/// A live database migrated with BASE, and the same folder on disk.
fn migrated(db: Db) -> Option<Case> {
    let live = Live::new(db)?;
    let dir = tempfile::tempdir().unwrap();
    let migrations = folder(dir.path(), &BASE);
    live.migrate(&migrations);
    Some(Case {
        live,
        dir,
        migrations,
    })
}

fn preflight(c: &Case, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let mut args = vec![
        "migrate",
        "preflight",
        "--migrations",
        c.migrations.to_str().unwrap(),
        "--database-url",
        &c.live.url,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = gonogo(c.dir.path(), &args);
    (code(&out), json(&out), stderr(&out))
}

fn reasons(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings: {doc:#}"))
        .iter()
        .map(|f| f["reason"].as_str().unwrap().to_string())
        .collect()
}

fn every_finding(db: Db) {
    // Clean: GO.
    let Some(c) = migrated(db) else { return };
    let (code, doc, err) = preflight(&c, &[]);
    assert_eq!(code, 0, "{doc:#}{err}");
    assert_eq!(doc["verdict"], "go");
    assert_eq!(doc["applied"], 3);

    // pending, and --allow-pending when it applies cleanly (or not).
    std::fs::write(
        c.migrations.join("40_tags.sql"),
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n",
    )
    .unwrap();
    let (code, doc, _) = preflight(&c, &[]);
    assert_eq!((code, reasons(&doc)), (1, vec!["pending".to_string()]));
    assert_eq!(doc["findings"][0]["version"], 40);
    let (code, doc, _) = preflight(&c, &["--allow-pending"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["findings"][0]["allowed"], true);
    std::fs::write(
        c.migrations.join("40_tags.sql"),
        "CREATE TABLE users (id INTEGER);\n",
    )
    .unwrap();
    let (code, doc, _) = preflight(&c, &["--allow-pending"]);
    assert_eq!(code, 1, "{doc:#}");
    assert!(
        doc["findings"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("does not apply cleanly")
    );
    std::fs::remove_file(c.migrations.join("40_tags.sql")).unwrap();

    // checksum_mismatch, noting a line-ending-only change.
    let original = std::fs::read_to_string(c.migrations.join("10_users.sql")).unwrap();
    std::fs::write(
        c.migrations.join("10_users.sql"),
        original.replace('\n', "\r\n"),
    )
    .unwrap();
    let (code, doc, _) = preflight(&c, &[]);
    assert_eq!(
        (code, reasons(&doc)),
        (1, vec!["checksum_mismatch".to_string()])
    );
    assert!(
        doc["findings"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("line endings or trailing whitespace")
    );
    std::fs::write(
        c.migrations.join("10_users.sql"),
        original.replace("200", "300"),
    )
    .unwrap();
    let (code, doc, _) = preflight(&c, &[]);
    assert_eq!(code, 1);
    assert!(reasons(&doc).contains(&"checksum_mismatch".to_string()));
    assert!(
        !doc["findings"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("line endings")
    );
    std::fs::write(c.migrations.join("10_users.sql"), &original).unwrap();

    // missing_local.
    let view = std::fs::read_to_string(c.migrations.join("30_active.sql")).unwrap();
    std::fs::remove_file(c.migrations.join("30_active.sql")).unwrap();
    let (code, doc, _) = preflight(&c, &[]);
    assert_eq!(code, 1);
    assert!(
        reasons(&doc).contains(&"missing_local".to_string()),
        "{doc:#}"
    );
    std::fs::write(c.migrations.join("30_active.sql"), &view).unwrap();

    // out_of_order.
    std::fs::write(
        c.migrations.join("15_late.sql"),
        "CREATE TABLE late (id INTEGER);\n",
    )
    .unwrap();
    let (code, doc, _) = preflight(&c, &["--allow-pending"]);
    assert_eq!(
        (code, reasons(&doc)),
        (1, vec!["out_of_order".to_string()]),
        "{doc:#}"
    );
    std::fs::remove_file(c.migrations.join("15_late.sql")).unwrap();

    // failed (dirty).
    let falsy = if db == Db::Postgres { "false" } else { "0" };
    c.live.exec(&format!(
        "UPDATE _sqlx_migrations SET success = {falsy} WHERE version = 20"
    ));
    let (code, doc, _) = preflight(&c, &[]);
    assert_eq!(code, 1);
    assert!(reasons(&doc).contains(&"failed".to_string()), "{doc:#}");
}

fn drift(db: Db) {
    let Some(c) = migrated(db) else { return };
    // A column added by hand, then an index dropped by hand: each named.
    c.live
        .exec("ALTER TABLE users ADD COLUMN nickname VARCHAR(50)");
    c.live.exec(if db == Db::MySql {
        "DROP INDEX projects_name ON projects"
    } else {
        "DROP INDEX projects_name"
    });
    let (code, doc, _) = preflight(&c, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(reasons(&doc), vec!["schema_drift".to_string()]);
    let objects: Vec<String> = doc["findings"][0]["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap().to_string())
        .collect();
    assert!(
        objects.iter().any(|o| o.contains("users.nickname")),
        "{objects:?}"
    );
    assert!(
        objects.iter().any(|o| o.contains("projects_name")),
        "{objects:?}"
    );
}

/// The same schema by another path is not drift: a column added and dropped
/// by hand, a view dropped and created again.
fn same_schema_other_path(db: Db) {
    let Some(c) = migrated(db) else { return };
    c.live.exec("ALTER TABLE users ADD COLUMN tmp INTEGER");
    c.live.exec("ALTER TABLE users DROP COLUMN tmp");
    c.live.exec("DROP VIEW active_users");
    c.live
        .exec("CREATE VIEW active_users AS SELECT id, email FROM users");
    let (code, doc, _) = preflight(&c, &[]);
    assert_eq!(code, 0, "{doc:#}");
}

#[test]
fn sqlite_every_finding() {
    every_finding(Db::Sqlite);
}
#[test]
fn postgres_every_finding() {
    every_finding(Db::Postgres);
}
#[test]
fn mariadb_every_finding() {
    every_finding(Db::MySql);
}
#[test]
fn sqlite_drift() {
    drift(Db::Sqlite);
}
#[test]
fn postgres_drift() {
    drift(Db::Postgres);
}
#[test]
fn mariadb_drift() {
    drift(Db::MySql);
}
#[test]
fn sqlite_same_schema_other_path() {
    same_schema_other_path(Db::Sqlite);
}
#[test]
fn postgres_same_schema_other_path() {
    same_schema_other_path(Db::Postgres);
}
#[test]
fn mariadb_same_schema_other_path() {
    same_schema_other_path(Db::MySql);
}
