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

/// A fresh live database migrated with these files, and the folder.
fn migrated_with(db: Db, files: &[(&str, &str)]) -> Case {
    let live = Live::new(db).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let migrations = folder(dir.path(), files);
    live.migrate(&migrations);
    Case {
        live,
        dir,
        migrations,
    }
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

fn preflight_at(dir: &Path, migrations: &str, url: &str) -> std::process::Output {
    gonogo(
        dir,
        &[
            "migrate",
            "preflight",
            "--migrations",
            migrations,
            "--database-url",
            url,
            "--format",
            "json",
        ],
    )
}

#[test]
fn errors_exit_2_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let m = folder(dir.path(), &BASE);
    let m = m.to_str().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("nope.db").display());
    for (url, folder_name, reason, text) in [
        (
            "ftp://example.com/db",
            m,
            "bad_url",
            "unsupported scheme `ftp`",
        ),
        ("not a url", m, "bad_url", "bad database url"),
        (
            "postgres://postgres:s3cr3t-pw@127.0.0.1:1/test",
            m,
            "unreachable",
            "cannot reach `postgres://***@127.0.0.1:1/test`",
        ),
        (sqlite.as_str(), m, "unreachable", "cannot reach"),
        (
            sqlite.as_str(),
            "/no/such/folder",
            "bad_migration_file",
            "/no/such/folder",
        ),
    ] {
        let out = preflight_at(dir.path(), folder_name, url);
        assert_eq!(code(&out), 2, "{url}: {}", stdout(&out));
        let doc = json(&out);
        assert_eq!(doc["reason"], reason, "{url}: {doc:#}");
        let message = doc["message"].as_str().unwrap();
        assert!(message.contains(text), "{url}: {message}");
        assert!(!stdout(&out).contains("s3cr3t") && !stderr(&out).contains("s3cr3t"));
    }
}

#[test]
fn bad_migration_files_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    for (files, text) in [
        (
            vec![("1_a.sql", "select 1;"), ("1_b.sql", "select 2;")],
            "version 1 is also used by",
        ),
        (
            vec![("v1_create.sql", "select 1;")],
            "the version before `_` must be an integer",
        ),
    ] {
        let d = tempfile::tempdir().unwrap();
        let m = folder(d.path(), &files);
        let out = preflight_at(dir.path(), m.to_str().unwrap(), &url);
        assert_eq!(code(&out), 2);
        let doc = json(&out);
        assert_eq!(doc["reason"], "bad_migration_file");
        assert!(doc["message"].as_str().unwrap().contains(text), "{doc:#}");
    }
}

#[test]
fn a_wrong_password_is_unreachable_and_never_printed() {
    let Some(server) = live::server(Db::MySql) else {
        return;
    };
    let url = server.replacen("://root@", "://root:Wr0ngPassw0rd@", 1);
    let dir = tempfile::tempdir().unwrap();
    let m = folder(dir.path(), &BASE);
    for format in ["json", "human", "junit"] {
        let out = gonogo(
            dir.path(),
            &[
                "migrate",
                "preflight",
                "--migrations",
                m.to_str().unwrap(),
                "--database-url",
                &url,
                "--format",
                format,
            ],
        );
        assert_eq!(code(&out), 2, "{}", stdout(&out));
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(all.contains("unreachable"), "{all}");
        assert!(!all.contains("Wr0ngPassw0rd"), "{all}");
    }
}

/// Preflight never writes to the live database: the SQLite file is
/// byte-identical after every kind of run (drift, pending, allow-pending).
#[test]
fn preflight_is_read_only_on_sqlite() {
    let Some(c) = migrated(Db::Sqlite) else {
        return;
    };
    let path = c.live.url.trim_start_matches("sqlite://").to_string();
    c.live.exec("ALTER TABLE users ADD COLUMN by_hand INTEGER");
    std::fs::write(
        c.migrations.join("40_tags.sql"),
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n",
    )
    .unwrap();
    let before = std::fs::read(&path).unwrap();
    for extra in [&[][..], &["--allow-pending"][..]] {
        let (code, _, _) = preflight(&c, extra);
        assert_eq!(code, 1);
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the live database changed"
    );
}

/// The same on PostgreSQL, by comparing `pg_dump` before and after.
#[test]
fn preflight_is_read_only_on_postgres() {
    let Some(c) = migrated(Db::Postgres) else {
        return;
    };
    std::fs::write(
        c.migrations.join("40_tags.sql"),
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n",
    )
    .unwrap();
    let before = c.live.fingerprint();
    let (code, doc, _) = preflight(&c, &["--allow-pending"]);
    assert_eq!(code, 0, "{doc:#}");
    assert!(c.live.fingerprint() == before, "the live database changed");
}

fn roundtrip(dir: &Path, m: &Path, url: Option<&str>) -> (i32, serde_json::Value) {
    let mut args = vec![
        "migrate",
        "roundtrip",
        "--migrations",
        m.to_str().unwrap(),
        "--format",
        "json",
    ];
    if let Some(u) = url {
        args.extend(["--database-url", u]);
    }
    let out = gonogo(dir, &args);
    (code(&out), json(&out))
}

fn roundtrip_on(db: Db) {
    let Some(server) = live::server(db) else {
        return;
    };
    let url = (db != Db::Sqlite).then_some(server.as_str());
    let dir = tempfile::tempdir().unwrap();
    let good = folder(
        dir.path(),
        &[
            (
                "1_users.up.sql",
                "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200));\n",
            ),
            ("1_users.down.sql", "DROP TABLE users;\n"),
            (
                "2_index.up.sql",
                "CREATE INDEX users_email ON users(email);\n",
            ),
            (
                "2_index.down.sql",
                if db == Db::MySql {
                    "DROP INDEX users_email ON users;\n"
                } else {
                    "DROP INDEX users_email;\n"
                },
            ),
            ("3_simple.sql", "CREATE TABLE notes (id INTEGER);\n"),
        ],
    );
    let (code, doc) = roundtrip(dir.path(), &good, url);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["reversible"], 2);
    // A down that forgets the column it should drop.
    std::fs::write(
        good.join("4_nick.up.sql"),
        "ALTER TABLE users ADD COLUMN nick VARCHAR(20);\n",
    )
    .unwrap();
    std::fs::write(good.join("4_nick.down.sql"), "SELECT 1;\n").unwrap();
    let (code, doc) = roundtrip(dir.path(), &good, url);
    assert_eq!(code, 1, "{doc:#}");
    let f = &doc["findings"][0];
    assert_eq!(f["reason"], "not_reversible");
    assert_eq!(f["version"], 4);
    assert!(
        f["objects"][0].as_str().unwrap().contains("users.nick"),
        "{f:#}"
    );
    // A down that fails to apply is not_reversible (exit 1) naming the
    // version, not an error (issue 15); a lone `.up.sql` is accepted, as
    // sqlx accepts it.
    std::fs::write(good.join("4_nick.down.sql"), "DROP TABLE no_such_table;\n").unwrap();
    std::fs::write(
        good.join("5_lone.up.sql"),
        "CREATE TABLE lone (id INTEGER);\n",
    )
    .unwrap();
    let (code, doc) = roundtrip(dir.path(), &good, url);
    assert_eq!(code, 1, "{doc:#}");
    let f = &doc["findings"][0];
    assert_eq!(
        (f["reason"].as_str(), f["version"].as_i64()),
        (Some("not_reversible"), Some(4)),
        "{f:#}"
    );
    assert!(
        !f["detail"].as_str().unwrap().contains(" at line "),
        "{f:#}"
    );
}

#[test]
fn sqlite_roundtrip() {
    roundtrip_on(Db::Sqlite);
}
#[test]
fn postgres_roundtrip() {
    roundtrip_on(Db::Postgres);
}
#[test]
fn mariadb_roundtrip() {
    roundtrip_on(Db::MySql);
}

/// Preflight, checking that the live database is the same before and
/// after (SQLite bytes, `pg_dump --schema-only`, `mariadb-dump --no-data`).
fn read_only_preflight(c: &Case, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let before = c.live.fingerprint();
    let out = preflight(c, extra);
    assert!(
        c.live.fingerprint() == before,
        "preflight changed the live database"
    );
    out
}

/// Issue 15: each object class a multi-tenant database enforces. A
/// migration creates it, the live database is changed by hand, and
/// preflight names the object (NO-GO); an untouched live database is GO,
/// and so is one where `recreations` drop and create objects identically.
fn objects_drift(db: Db, migration: &str, changes: &[(&str, &str)], recreations: &[&str]) {
    let Some(_) = live::server(db) else {
        return;
    };
    let fresh = || migrated_with(db, &[("1_objects.sql", migration)]);
    let c = fresh();
    for sql in recreations {
        c.live.exec(sql);
    }
    let (code, doc, err) = read_only_preflight(&c, &[]);
    assert_eq!(code, 0, "recreated identically must be GO: {doc:#}{err}");
    for (change, named) in changes {
        let c = fresh();
        let (code, doc, err) = read_only_preflight(&c, &[]);
        assert_eq!(code, 0, "untouched must be GO: {doc:#}{err}");
        c.live.exec(change);
        let (code, doc, err) = read_only_preflight(&c, &[]);
        assert_eq!(code, 1, "{change}: {doc:#}{err}");
        let objects = doc["findings"][0]["objects"].to_string();
        assert!(
            objects.contains(named),
            "{change}: {named} not named in {objects}"
        );
        assert!(!objects.contains("[\\\"\\\"]"), "{objects}");
        assert!(
            !doc.to_string().contains("Hunter2Secret"),
            "a password in the report: {doc}"
        );
    }
}

const PG_OBJECTS: &str = "\
CREATE EXTENSION IF NOT EXISTS plpgsql;
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, total INTEGER CHECK (total >= 0));
CREATE VIEW billing.totals AS SELECT tenant, sum(total) AS total FROM billing.invoices GROUP BY tenant;
CREATE TABLE events (n INTEGER GENERATED ALWAYS AS IDENTITY, tenant TEXT NOT NULL, slug TEXT);
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive AS INTEGER CHECK (VALUE > 0);
CREATE SEQUENCE counter INCREMENT 1;
CREATE TABLE docs (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, email TEXT, m mood);
CREATE INDEX docs_email ON docs (lower(email));
CREATE INDEX docs_tenant ON docs (tenant) WHERE tenant <> '';
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON docs USING (tenant = current_setting('app.tenant'));
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.email := lower(NEW.email); RETURN NEW; END $$;
CREATE TRIGGER docs_bump BEFORE INSERT ON docs FOR EACH ROW EXECUTE FUNCTION bump();
COMMENT ON TABLE docs IS 'tenant documents';
CREATE MATERIALIZED VIEW doc_count AS SELECT tenant, count(*) AS n FROM docs GROUP BY tenant;
REVOKE ALL ON docs FROM PUBLIC;
";

#[test]
fn postgres_objects_drift() {
    objects_drift(
        Db::Postgres,
        PG_OBJECTS,
        &[
            (
                "DROP INDEX docs_email; CREATE INDEX docs_email ON docs (email);",
                "docs_email",
            ),
            (
                "DROP INDEX docs_tenant; CREATE INDEX docs_tenant ON docs (tenant);",
                "docs_tenant",
            ),
            (
                "ALTER TABLE docs DISABLE ROW LEVEL SECURITY;",
                "row-level security on `public.docs`",
            ),
            (
                "ALTER TABLE docs FORCE ROW LEVEL SECURITY;",
                "row-level security on `public.docs`",
            ),
            (
                "ALTER POLICY tenant_isolation ON docs USING (true);",
                "public.docs.tenant_isolation",
            ),
            ("GRANT SELECT ON docs TO PUBLIC;", "grants on `public.docs`"),
            (
                "CREATE OR REPLACE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
                "public.bump()",
            ),
            ("DROP TRIGGER docs_bump ON docs;", "public.docs.docs_bump"),
            ("ALTER TYPE mood ADD VALUE 'angry';", "public.mood"),
            (
                "ALTER DOMAIN positive DROP CONSTRAINT positive_check;",
                "public.positive",
            ),
            ("ALTER SEQUENCE counter INCREMENT 2;", "public.counter"),
            (
                "COMMENT ON TABLE docs IS 'changed';",
                "comment on `public.docs`",
            ),
            (
                "DROP MATERIALIZED VIEW doc_count; CREATE MATERIALIZED VIEW doc_count AS SELECT tenant FROM docs;",
                "public.doc_count",
            ),
            (
                "ALTER TABLE billing.invoices ALTER COLUMN id TYPE BIGINT;",
                "billing.invoices",
            ),
            (
                "GRANT USAGE ON SCHEMA billing TO PUBLIC;",
                "grants on schema `billing`",
            ),
            // Missed before the introspection covered every schema and
            // every column attribute:
            (
                "ALTER TABLE billing.invoices DROP CONSTRAINT invoices_total_check;",
                "table `billing.invoices`: check",
            ),
            (
                "CREATE OR REPLACE VIEW billing.totals AS SELECT tenant, sum(total) AS total FROM billing.invoices WHERE tenant <> '' GROUP BY tenant;",
                "view `billing.totals`",
            ),
            (
                "ALTER TABLE events ALTER COLUMN n SET GENERATED BY DEFAULT;",
                "column `events.n`",
            ),
            (
                "ALTER TABLE events ALTER COLUMN slug TYPE TEXT COLLATE \"C\";",
                "column `events.slug`",
            ),
            (
                "GRANT SELECT (email) ON docs TO PUBLIC;",
                "column grants on `public.docs.email`",
            ),
            (
                "GRANT USAGE ON SEQUENCE counter TO PUBLIC;",
                "grants on `public.counter`",
            ),
            (
                "REVOKE EXECUTE ON FUNCTION bump() FROM PUBLIC;",
                "grants on function `public.bump()`",
            ),
            (
                "CREATE PROCEDURE tidy() LANGUAGE sql AS $$ SELECT 1 $$;",
                "function `public.tidy()`",
            ),
            (
                "CREATE COLLATION exact FROM \"C\";",
                "collation `public.exact`",
            ),
            ("CREATE EXTENSION citext;", "extension `citext`"),
        ],
        &[
            "DROP INDEX docs_email; CREATE INDEX docs_email ON docs (lower(email));",
            "DROP POLICY tenant_isolation ON docs; \
             CREATE POLICY tenant_isolation ON docs USING (tenant = current_setting('app.tenant'));",
            "DROP TRIGGER docs_bump ON docs; \
             CREATE TRIGGER docs_bump BEFORE INSERT ON docs FOR EACH ROW EXECUTE FUNCTION bump();",
            "DROP VIEW billing.totals; CREATE VIEW billing.totals AS \
             SELECT tenant, sum(total) AS total FROM billing.invoices GROUP BY tenant;",
            "GRANT SELECT ON docs TO PUBLIC; REVOKE SELECT ON docs FROM PUBLIC;",
            "ALTER TABLE events ADD COLUMN tmp INTEGER; ALTER TABLE events DROP COLUMN tmp;",
            "COMMENT ON TABLE docs IS 'x'; COMMENT ON TABLE docs IS 'tenant documents';",
        ],
    );
}

#[test]
fn sqlite_objects_drift() {
    objects_drift(
        Db::Sqlite,
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, email TEXT, tenant TEXT);\n\
         CREATE INDEX docs_tenant ON docs (tenant) WHERE tenant <> '';\n\
         CREATE INDEX docs_email ON docs (lower(email));\n\
         CREATE TABLE log (id INTEGER PRIMARY KEY, msg TEXT);\n\
         CREATE TRIGGER docs_log AFTER INSERT ON docs BEGIN INSERT INTO log (msg) VALUES ('x'); END;\n",
        &[
            (
                "ALTER TABLE docs ADD COLUMN lower_email TEXT GENERATED ALWAYS AS (lower(email)) VIRTUAL;",
                "docs",
            ),
            (
                "DROP INDEX docs_tenant; CREATE INDEX docs_tenant ON docs (tenant);",
                "docs_tenant",
            ),
            (
                "DROP INDEX docs_email; CREATE INDEX docs_email ON docs (email);",
                "docs_email",
            ),
            (
                "DROP TRIGGER docs_log; CREATE TRIGGER docs_log AFTER INSERT ON docs BEGIN SELECT 1; END;",
                "docs_log",
            ),
        ],
        &[
            "DROP INDEX docs_email; CREATE INDEX docs_email ON docs (lower(email));",
            "DROP TRIGGER docs_log; CREATE TRIGGER docs_log AFTER INSERT ON docs BEGIN INSERT INTO log (msg) VALUES ('x'); END;",
        ],
    );
}

#[test]
fn mariadb_objects_drift() {
    objects_drift(
        Db::MySql,
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, n INTEGER, owner INTEGER, \
         twice INTEGER AS (n * 2) VIRTUAL, name VARCHAR(50), \
         FOREIGN KEY (owner) REFERENCES docs(id) ON DELETE CASCADE);\n\
         CREATE TRIGGER docs_n BEFORE INSERT ON docs FOR EACH ROW SET NEW.n = 1;\n\
         CREATE FUNCTION twice(x INTEGER) RETURNS INTEGER DETERMINISTIC RETURN x * 2;\n\
         CREATE VIEW named AS SELECT id, name FROM docs;\n",
        &[
            (
                "DROP TRIGGER docs_n; CREATE TRIGGER docs_n BEFORE INSERT ON docs FOR EACH ROW SET NEW.n = 2;",
                "docs_n",
            ),
            (
                "DROP FUNCTION twice; CREATE FUNCTION twice(x INTEGER) RETURNS INTEGER DETERMINISTIC RETURN x * 3;",
                "twice",
            ),
            // Missed before: foreign key actions, generated columns,
            // collations.
            (
                "ALTER TABLE docs DROP FOREIGN KEY docs_ibfk_1; \
                 ALTER TABLE docs ADD FOREIGN KEY (owner) REFERENCES docs(id);",
                "foreign key (owner) references docs (id)",
            ),
            (
                "ALTER TABLE docs DROP COLUMN twice, ADD COLUMN twice INTEGER AS (n * 2) STORED;",
                "column `docs.twice`",
            ),
            (
                "ALTER TABLE docs MODIFY name VARCHAR(50) COLLATE utf8mb4_bin;",
                "column `docs.name`",
            ),
            (
                "CREATE OR REPLACE VIEW named AS SELECT id, name FROM docs WHERE id > 0;",
                "view `named`",
            ),
        ],
        &[
            "DROP TRIGGER docs_n; CREATE TRIGGER docs_n BEFORE INSERT ON docs FOR EACH ROW SET NEW.n = 1;",
            "ALTER TABLE docs DROP FOREIGN KEY docs_ibfk_1; \
             ALTER TABLE docs ADD FOREIGN KEY (owner) REFERENCES docs(id) ON DELETE CASCADE;",
        ],
    );
}

/// The live URL with another user (no password: the test servers trust
/// local connections).
fn as_user(url: &str, user: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_username(user).unwrap();
    u.set_password(None).unwrap();
    u.to_string()
}

/// Issue 15: a live role without CREATEDB cannot make a scratch database
/// on the live server (exit 2, never a GO); `--scratch-url` puts it on
/// another server of the same engine, which gives the verdict, and the
/// scratch database is gone afterwards. A scratch server of another
/// engine is refused.
fn scratch_url(db: Db) {
    let Some(c) = migrated(db) else { return };
    let server = live::server(db).unwrap();
    let (user, database) = ("gonogo_no_createdb", url::Url::parse(&c.live.url).unwrap());
    let database = database.path().trim_start_matches('/').to_string();
    match db {
        Db::Postgres => {
            c.live.exec(&format!(
                "DO $$ BEGIN CREATE ROLE {user} LOGIN NOCREATEDB; \
                 EXCEPTION WHEN duplicate_object THEN NULL; END $$; \
                 GRANT SELECT ON _sqlx_migrations TO {user};"
            ));
        }
        _ => {
            c.live.exec(&format!(
                "CREATE USER IF NOT EXISTS '{user}'@'%'; \
                 GRANT SELECT, SHOW VIEW ON `{database}`.* TO '{user}'@'%'; \
                 GRANT SELECT ON mysql.procs_priv TO '{user}'@'%';"
            ));
        }
    }
    let reader = Case {
        live: c.live,
        dir: c.dir,
        migrations: c.migrations,
    };
    let url = as_user(&reader.live.url, user);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "migrate",
            "preflight",
            "--migrations",
            reader.migrations.to_str().unwrap(),
            "--database-url",
            &url,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let out = gonogo(reader.dir.path(), &args);
        (code(&out), json(&out), stderr(&out))
    };
    let (code, doc, err) = run(&[]);
    assert_eq!(code, 2, "{doc:#}{err}");
    assert!(
        format!("{doc}{err}").contains("cannot create a scratch database"),
        "{doc:#}{err}"
    );

    let before = reader.live.fingerprint();
    let (code, doc, err) = run(&["--scratch-url", &server]);
    assert_eq!(code, 0, "{doc:#}{err}");
    assert!(reader.live.fingerprint() == before);
    reader
        .live
        .exec("CREATE TABLE by_hand (id INTEGER PRIMARY KEY)");
    let (code, doc, err) = run(&["--scratch-url", &server]);
    assert_eq!(code, 1, "{doc:#}{err}");
    assert!(
        doc["findings"][0]["objects"]
            .to_string()
            .contains("by_hand")
    );

    let other = match db {
        Db::Postgres => live::server(Db::MySql),
        _ => live::server(Db::Postgres),
    };
    if let Some(other) = other {
        let (code, doc, err) = run(&["--scratch-url", &other]);
        assert_eq!(code, 2, "{doc:#}{err}");
        assert!(
            format!("{doc}{err}").contains("same engine"),
            "{doc:#}{err}"
        );
    }
}

#[test]
fn postgres_scratch_url() {
    scratch_url(Db::Postgres);
}

#[test]
fn mariadb_scratch_url() {
    scratch_url(Db::MySql);
}

/// Issue 15's attack review, PostgreSQL: each change below was GO.
const PG_ATTACKED: &str = "\
CREATE TABLE docs (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY, tenant TEXT);
CREATE TABLE notes (id INTEGER PRIMARY KEY);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY admins ON docs USING (current_setting('app.role', true) = 'Admin');
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER docs_bump BEFORE INSERT ON docs FOR EACH ROW EXECUTE FUNCTION bump();
CREATE VIEW docs_v WITH (security_barrier = true, security_invoker = true) AS SELECT id, tenant FROM docs;
CREATE TABLE parts (tenant INTEGER NOT NULL, id INTEGER NOT NULL) PARTITION BY LIST (tenant);
CREATE TABLE parts_1 PARTITION OF parts FOR VALUES IN (1);
CREATE TABLE parts_2 PARTITION OF parts FOR VALUES IN (2);
CREATE TABLE base_log (id INTEGER);
CREATE TABLE child_log () INHERITS (base_log);
CREATE TABLE pairs (id INTEGER, CONSTRAINT pairs_u UNIQUE (id) DEFERRABLE INITIALLY DEFERRED);
CREATE TYPE money2 AS (amount INTEGER, currency TEXT);
CREATE SEQUENCE counter;
CREATE PUBLICATION docs_pub FOR TABLE docs;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'localhost');
CREATE FOREIGN TABLE ft (id INTEGER) SERVER remote OPTIONS (table_name 'docs');
CREATE TABLE t (tenant TEXT);
CREATE TABLE \"t.a\" (tenant TEXT);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
ALTER TABLE \"t.a\" ENABLE ROW LEVEL SECURITY;
CREATE POLICY \"a.tenant\" ON t AS RESTRICTIVE USING (tenant = 'x');
CREATE FUNCTION noop_evt() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER gonogo_test_noop ON ddl_command_end EXECUTE FUNCTION noop_evt();
CREATE TABLE projects (tenant_id INTEGER, id INTEGER, PRIMARY KEY (tenant_id, id));
CREATE TABLE tasks (tenant_id INTEGER, project_id INTEGER,
  FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id));
DO $$ BEGIN CREATE ROLE gonogo_case; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE \"GONOGO_CASE\"; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT SELECT ON notes TO gonogo_case;
CREATE FOREIGN DATA WRAPPER gonogo_fdw;
CREATE SERVER vault FOREIGN DATA WRAPPER gonogo_fdw OPTIONS (host 'db.internal', password 'OldSecret1');
CREATE TABLE audit_log (id INTEGER);
CREATE RULE audit_no_delete AS ON DELETE TO audit_log DO INSTEAD NOTHING;
CREATE UNIQUE INDEX notes_uniq ON notes (id);
CREATE EXTENSION IF NOT EXISTS pgcrypto;
ALTER VIEW docs_v ALTER COLUMN tenant SET DEFAULT 'x';
";

/// A role for hand edits, made once on the server (roles are cluster-wide).
const PG_OTHER_ROLE: &str = "DO $$ BEGIN CREATE ROLE gonogo_other; \
    EXCEPTION WHEN duplicate_object THEN NULL; END $$;";

#[test]
fn postgres_objects_drift_attacked() {
    let owner = format!("{PG_OTHER_ROLE} ALTER TABLE docs OWNER TO gonogo_other;");
    // Every relation but sqlx's own handed to another role: a majority
    // vote would call the new owner the migrations' role.
    let every_owner = format!(
        "{PG_OTHER_ROLE} DO $$ DECLARE r record; BEGIN FOR r IN SELECT relname FROM pg_class \
         WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'S', 'f') \
         AND relname NOT LIKE '_sqlx_migrations%' AND relname NOT LIKE '%_seq' LOOP \
         EXECUTE format('ALTER TABLE %I OWNER TO gonogo_other', r.relname); END LOOP; END $$;"
    );
    let changes: Vec<(&str, &str)> = vec![
        (
            "ALTER TABLE docs DISABLE TRIGGER docs_bump;",
            "public.docs.docs_bump",
        ),
        (
            "ALTER TABLE docs ENABLE REPLICA TRIGGER docs_bump;",
            "public.docs.docs_bump",
        ),
        (
            "CREATE RULE r AS ON INSERT TO notes DO INSTEAD NOTHING;",
            "rule `public.notes.r`",
        ),
        (
            "ALTER VIEW docs_v SET (security_invoker = false);",
            "public.docs_v",
        ),
        (
            "ALTER VIEW docs_v RESET (security_barrier);",
            "public.docs_v",
        ),
        (
            "ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO PUBLIC;",
            "default privileges",
        ),
        (&owner, "owner of `public.docs`"),
        (
            "ALTER TABLE parts DETACH PARTITION parts_2;",
            "public.parts_2",
        ),
        (
            "ALTER TABLE parts DETACH PARTITION parts_2; \
             ALTER TABLE parts ATTACH PARTITION parts_2 FOR VALUES IN (3);",
            "public.parts_2",
        ),
        (
            "ALTER TABLE child_log NO INHERIT base_log;",
            "public.child_log",
        ),
        (
            "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET session_replication_role = replica', \
             current_database()); END $$;",
            "settings of the database",
        ),
        (
            "DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO PUBLIC', current_database()); END $$;",
            "grants on the database",
        ),
        (
            "ALTER PUBLICATION docs_pub ADD TABLE events;",
            "publication `docs_pub`",
        ),
        ("ALTER FOREIGN TABLE ft ADD COLUMN secret TEXT;", "ft"),
        (
            "ALTER FOREIGN TABLE ft OPTIONS (SET table_name 'other');",
            "public.ft",
        ),
        (
            "ALTER SERVER remote OPTIONS (ADD port '5433');",
            "server `remote`",
        ),
        (
            "CREATE USER MAPPING FOR PUBLIC SERVER remote;",
            "user mapping",
        ),
        ("ALTER TABLE events SET UNLOGGED;", "public.events"),
        ("ALTER TABLE events REPLICA IDENTITY FULL;", "public.events"),
        (
            "ALTER TABLE events SET (autovacuum_enabled = false);",
            "public.events",
        ),
        (
            "ALTER TYPE money2 ADD ATTRIBUTE note TEXT;",
            "public.money2",
        ),
        (
            "REVOKE USAGE ON TYPE money2 FROM PUBLIC;",
            "grants on type `public.money2`",
        ),
        (
            "ALTER SEQUENCE counter OWNED BY notes.id;",
            "public.counter",
        ),
        (
            "ALTER EVENT TRIGGER gonogo_test_noop DISABLE;",
            "event trigger `gonogo_test_noop`",
        ),
        (
            "ALTER POLICY admins ON docs USING (current_setting('app.role', true) = 'admin');",
            "public.docs.admins",
        ),
        (
            "DROP POLICY \"a.tenant\" ON t; \
             CREATE POLICY tenant ON \"t.a\" AS RESTRICTIVE USING (tenant = 'x');",
            "a.tenant",
        ),
        (
            "ALTER TABLE pairs DROP CONSTRAINT pairs_u, ADD CONSTRAINT pairs_u UNIQUE (id);",
            "pairs.pairs_u",
        ),
        // The second attack review:
        (
            "DO $$ DECLARE t text; BEGIN FOR t IN SELECT tgname FROM pg_trigger \
             WHERE tgrelid = 'tasks'::regclass AND tgisinternal LOOP \
             EXECUTE format('ALTER TABLE tasks DISABLE TRIGGER %I', t); END LOOP; END $$;",
            "internal triggers not enabled as usual on `public.tasks`",
        ),
        // The fourth attack review:
        (
            "DO $$ DECLARE t text; BEGIN FOR t IN SELECT tgname FROM pg_trigger \
             WHERE tgrelid = 'tasks'::regclass AND tgisinternal LOOP \
             EXECUTE format('ALTER TABLE tasks ENABLE REPLICA TRIGGER %I', t); END LOOP; END $$;",
            "internal triggers not enabled as usual on `public.tasks`",
        ),
        (
            "ALTER TABLE audit_log DISABLE RULE audit_no_delete;",
            "public.audit_log.audit_no_delete",
        ),
        (
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'notes_uniq'::regclass;",
            "notes_uniq",
        ),
        (
            "CREATE OR REPLACE FUNCTION public.crypt(text, text) RETURNS text \
             LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT $2 $$;",
            "public.crypt(text, text)",
        ),
        (
            "REVOKE EXECUTE ON FUNCTION public.gen_salt(text) FROM PUBLIC;",
            "grants on function `public.gen_salt(text)`",
        ),
        (
            "ALTER TYPE money2 OWNER TO gonogo_case;",
            "owner of `type public.money2`",
        ),
        (
            "ALTER VIEW docs_v ALTER COLUMN tenant SET DEFAULT 'y';",
            "column default on view `public.docs_v.tenant`",
        ),
        (
            "GRANT USAGE ON FOREIGN SERVER remote TO gonogo_case;",
            "grants on server `remote`",
        ),
        (
            "GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO gonogo_case;",
            "grants on foreign-data wrapper `postgres_fdw`",
        ),
        (
            "CREATE FUNCTION pg_catalog.gonogo_shadow() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
            "pg_catalog.gonogo_shadow()",
        ),
        (&every_owner, "owner of `public.docs`"),
        (
            "REVOKE SELECT ON notes FROM gonogo_case; GRANT SELECT ON notes TO \"GONOGO_CASE\";",
            "grants on `public.notes`",
        ),
        (
            "ALTER SERVER vault OPTIONS (SET password 'Hunter2Secret');",
            "server `vault`",
        ),
    ];
    objects_drift(
        Db::Postgres,
        PG_ATTACKED,
        &changes,
        &[
            "ALTER TABLE docs DISABLE TRIGGER docs_bump; ALTER TABLE docs ENABLE TRIGGER docs_bump;",
            "DROP VIEW docs_v; CREATE VIEW docs_v WITH (security_barrier = true, security_invoker = true) \
             AS SELECT id, tenant FROM docs; ALTER VIEW docs_v ALTER COLUMN tenant SET DEFAULT 'x';",
            "ALTER TABLE parts DETACH PARTITION parts_2; \
             ALTER TABLE parts ATTACH PARTITION parts_2 FOR VALUES IN (2);",
        ],
    );
}

/// Issue 15's attack review, SQLite: a case change inside a literal was GO,
/// and a name whose lowercase is longer made preflight panic.
#[test]
fn sqlite_objects_drift_attacked() {
    objects_drift(
        Db::Sqlite,
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, status TEXT CHECK (status IN ('Active', 'Closed')));\n\
         CREATE VIEW active AS SELECT id FROM docs WHERE status = 'ACTIVE';\n\
         CREATE INDEX docs_open ON docs (id) WHERE status = 'ACTIVE';\n\
         CREATE TABLE \"İİİ\" (id INTEGER PRIMARY KEY, amount INT CHECK (amount > 0)/*éé*/);\n",
        &[
            (
                "DROP VIEW active; CREATE VIEW active AS SELECT id FROM docs WHERE status = 'active';",
                "view `active`",
            ),
            (
                "DROP INDEX docs_open; CREATE INDEX docs_open ON docs (id) WHERE status = 'active';",
                "docs_open",
            ),
            (
                "DROP VIEW active; CREATE VIEW active AS SELECT id FROM docs WHERE status = 'ACTIVE  ';",
                "view `active`",
            ),
            // The fourth attack review: `_` in `LIKE 'sqlite_%'` matched any
            // character, so this trigger was never read.
            (
                "CREATE TRIGGER sqlitex_move AFTER INSERT ON docs BEGIN \
                 UPDATE docs SET status = 'x' WHERE id = NEW.id; END;",
                "sqlitex_move",
            ),
        ],
        &["DROP VIEW active; CREATE VIEW active AS SELECT id FROM docs WHERE status = 'ACTIVE';"],
    );
}

/// Issue 15's attack review, MariaDB: each change below was GO.
#[test]
fn mariadb_objects_drift_attacked() {
    let grant = "CREATE USER IF NOT EXISTS 'gonogo_other'@'%'; \
                 GRANT SELECT, DELETE ON docs TO 'gonogo_other'@'%';";
    objects_drift(
        Db::MySql,
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, n INTEGER, name VARCHAR(50));\n\
         CREATE TABLE logs (id INTEGER PRIMARY KEY AUTO_INCREMENT, \
         at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, body TEXT);\n\
         CREATE INDEX ix_body ON logs (body(20));\n\
         CREATE TABLE hist (id INTEGER PRIMARY KEY, v INTEGER) WITH SYSTEM VERSIONING;\n\
         CREATE SQL SECURITY INVOKER VIEW named AS SELECT id, name FROM docs;\n\
         CREATE VIEW checked AS SELECT id, n FROM docs WHERE n > 0 WITH CASCADED CHECK OPTION;\n\
         CREATE FUNCTION twice(x INTEGER) RETURNS INTEGER DETERMINISTIC RETURN x * 2;\n\
         CREATE VIEW acme AS SELECT id, name FROM docs WHERE name <> 'owner''s notes' AND name = 'Acme';\n\
         CREATE TRIGGER logs_a BEFORE INSERT ON logs FOR EACH ROW SET NEW.body = CONCAT('a', NEW.body);\n\
         CREATE TRIGGER logs_b BEFORE INSERT ON logs FOR EACH ROW SET NEW.body = CONCAT('b', NEW.body);\n",
        &[
            // The second attack review: an apostrophe before a literal
            // flipped our idea of what was quoted.
            (
                "CREATE OR REPLACE VIEW acme AS SELECT id, name FROM docs \
                 WHERE name <> 'owner''s notes' AND name = 'acme';",
                "acme",
            ),
            ("ALTER TABLE logs ENGINE=Aria;", "logs"),
            (
                "ALTER TABLE logs MODIFY at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP;",
                "logs",
            ),
            ("ALTER TABLE logs MODIFY id INTEGER NOT NULL;", "logs"),
            ("ALTER TABLE logs MODIFY body TEXT INVISIBLE;", "logs"),
            ("ALTER TABLE logs ALTER INDEX ix_body IGNORED;", "logs"),
            ("ALTER TABLE logs DEFAULT CHARACTER SET latin1;", "logs"),
            (
                "ALTER TABLE logs PARTITION BY HASH(id) PARTITIONS 4;",
                "logs",
            ),
            (
                "SET SESSION system_versioning_alter_history = KEEP; ALTER TABLE hist ADD COLUMN secret TEXT;",
                "hist",
            ),
            (
                "ALTER SQL SECURITY DEFINER VIEW named AS SELECT id, name FROM docs;",
                "named",
            ),
            (
                "CREATE OR REPLACE VIEW checked AS SELECT id, n FROM docs WHERE n > 0;",
                "checked",
            ),
            ("ALTER FUNCTION twice SQL SECURITY INVOKER;", "twice"),
            (
                "DROP FUNCTION twice; CREATE FUNCTION twice(x BIGINT) RETURNS INTEGER DETERMINISTIC RETURN x * 2;",
                "twice",
            ),
            (
                "CREATE EVENT purge_logs ON SCHEDULE EVERY 1 DAY DO DELETE FROM logs;",
                "purge_logs",
            ),
            ("CREATE SEQUENCE s1;", "s1"),
            // The fourth attack review:
            (
                "DROP TRIGGER logs_a; CREATE TRIGGER logs_a BEFORE INSERT ON logs FOR EACH ROW \
                 SET NEW.body = CONCAT('a', NEW.body);",
                "trigger order on",
            ),
            (
                "CREATE USER IF NOT EXISTS 'gonogo_other'@'%'; \
                 GRANT EXECUTE ON FUNCTION twice TO 'gonogo_other'@'%';",
                "grants on routine",
            ),
            (
                "DROP FUNCTION twice; SET SESSION sql_mode = ''; \
                 CREATE FUNCTION twice(x INTEGER) RETURNS INTEGER DETERMINISTIC RETURN x * 2;",
                "twice",
            ),
            (grant, "docs"),
        ],
        &[
            "DROP VIEW named; CREATE SQL SECURITY INVOKER VIEW named AS SELECT id, name FROM docs;",
            "DROP FUNCTION twice; CREATE FUNCTION twice(x INTEGER) RETURNS INTEGER DETERMINISTIC RETURN x * 2;",
        ],
    );
}

/// Issue 15's attack review: a migration that changes the whole server (a
/// role here, even through dynamic SQL or behind a comment) was replayed on
/// a scratch database of the live server, which silently reset the live
/// role's setting. On PostgreSQL the replay now runs in one transaction
/// that is rolled back: the verdict stands (role settings are not schema)
/// and the live server keeps its setting.
#[test]
fn server_wide_migrations_do_not_change_the_live_postgres_server() {
    let Some(server) = live::server(Db::Postgres) else {
        return;
    };
    let role = "DO $$ BEGIN CREATE ROLE gonogo_limited; \
                EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n";
    let dblink = format!(
        "CREATE EXTENSION IF NOT EXISTS dblink;\n\
         SELECT dblink_exec({}, 'ALTER ROLE gonogo_limited CONNECTION LIMIT 9');\n",
        {
            let u = url::Url::parse(&server).unwrap();
            format!(
                "'host={} port={} user={} dbname={}'",
                u.host_str().unwrap(),
                u.port().unwrap_or(5432),
                u.username(),
                u.path().trim_start_matches('/')
            )
        }
    );
    // (second migration, expected exit): 0 when the replay stays inside its
    // transaction (role settings are not schema), 2 when it is refused.
    let cases: Vec<(String, i32)> = vec![
        (
            "ALTER /*;*/ ROLE gonogo_limited CONNECTION LIMIT 5;\n\
             DO $$ BEGIN EXECUTE format('ALTER %s gonogo_limited SET %s = %L', 'ROLE', 'statement_timeout', '1s'); END $$;\n"
                .into(),
            0,
        ),
        // The third attack review: our lexer read `a$E'\'` and `a$b$` as a
        // string and a dollar quote; PostgreSQL reads identifiers, then
        // COMMIT, and the ALTER ROLE ran committed.
        (
            "CREATE DOMAIN a$e AS text;\n\
             SELECT a$E'\\'; COMMIT; ALTER ROLE gonogo_limited CONNECTION LIMIT 7; SELECT 'x';\n"
                .into(),
            2,
        ),
        (
            "SELECT 1 AS a$b$; COMMIT; ALTER ROLE gonogo_limited CONNECTION LIMIT 8; SELECT 1 AS a$b$;\n"
                .into(),
            2,
        ),
        (dblink, 2),
        ("COPY (SELECT 1) TO PROGRAM 'true';\n".into(), 2),
        // An enum value used after it is added needs the per-migration
        // replay, where a comment must not hide the ALTER ROLE.
        (
            "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'happy';\n\
             -- then, in the next migration:\n\
             SELECT 'happy'::mood;\nALTER /* x */ ROLE gonogo_limited CONNECTION LIMIT 5;\n"
                .into(),
            2,
        ),
    ];
    for (second, expected) in cases {
        let (second_file, third_file) = second
            .split_once("-- then, in the next migration:\n")
            .map_or((second.as_str(), None), |(a, b)| (a, Some(b)));
        let first = format!("{role}CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
        let mut files = vec![("1_role.sql", first.as_str()), ("2_more.sql", second_file)];
        if let Some(third) = third_file {
            files.push(("3_use.sql", third));
        }
        let c = migrated_with(Db::Postgres, &files);
        c.live.exec(
            "ALTER ROLE gonogo_limited CONNECTION LIMIT 50; ALTER ROLE gonogo_limited RESET ALL",
        );
        let (code, doc, err) = read_only_preflight(&c, &[]);
        assert_eq!(code, expected, "{second}: {doc:#}{err}");
        let (limit, config) = live::rt().block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&c.live.url).await.unwrap();
            let row: (i32, Option<Vec<String>>) = sqlx::query_as(
                "SELECT rolconnlimit, rolconfig FROM pg_roles WHERE rolname = 'gonogo_limited'",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
            row
        });
        assert_eq!(
            (limit, config),
            (50, None),
            "{second}: preflight changed a live role"
        );
    }
}

/// The third attack review, PostgreSQL, where one rolled-back transaction
/// differed from sqlx's commit after each migration: a pending migration
/// that breaks a deferred constraint (it fails at commit) was "allowed";
/// `SET LOCAL ROLE` in one migration leaked into the next; a temporary view
/// named `pg_attribute` hid a column from the schema reader.
#[test]
fn postgres_replay_in_one_transaction_behaves_as_sqlx() {
    let Some(_) = live::server(Db::Postgres) else {
        return;
    };
    // Deferred constraint.
    let c = migrated_with(
        Db::Postgres,
        &[(
            "1_fk.sql",
            "CREATE TABLE p (id INTEGER PRIMARY KEY);\n\
             CREATE TABLE c (pid INTEGER REFERENCES p DEFERRABLE INITIALLY DEFERRED);\n",
        )],
    );
    std::fs::write(
        c.migrations.join("2_orphan.sql"),
        "INSERT INTO c VALUES (42);\n",
    )
    .unwrap();
    let (code, doc, err) = read_only_preflight(&c, &["--allow-pending"]);
    assert_eq!(code, 1, "{doc:#}{err}");
    assert_eq!(
        doc["findings"][0]["allowed"],
        serde_json::Value::Null,
        "{doc:#}"
    );

    // SET LOCAL ROLE (the role made beforehand, as an operator would, and
    // allowed to write sqlx's table, which sqlx writes before it commits).
    let live = Live::new(Db::Postgres).unwrap();
    let empty = tempfile::tempdir().unwrap();
    live.migrate(empty.path());
    live.exec(&format!(
        "{PG_OTHER_ROLE} GRANT USAGE ON SCHEMA public TO gonogo_other; \
         GRANT ALL ON _sqlx_migrations TO gonogo_other;"
    ));
    let dir = tempfile::tempdir().unwrap();
    let m = folder(
        dir.path(),
        &[
            (
                "1_a.sql",
                "GRANT CREATE, USAGE ON SCHEMA public TO gonogo_other;\n\
                 SET LOCAL ROLE gonogo_other;\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n",
            ),
            ("2_b.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);\n"),
        ],
    );
    live.migrate(&m);
    let c = Case {
        live,
        dir,
        migrations: m,
    };
    let (code, doc, err) = read_only_preflight(&c, &[]);
    assert_eq!(code, 0, "untouched: {doc:#}{err}");
    c.live.exec("ALTER TABLE b OWNER TO gonogo_other");
    let (code, doc, err) = read_only_preflight(&c, &[]);
    assert_eq!(code, 1, "{doc:#}{err}");
}

#[test]
fn postgres_temporary_objects_do_not_hide_the_catalog() {
    objects_drift(
        Db::Postgres,
        "CREATE TABLE t (id INTEGER PRIMARY KEY, secret TEXT);\n\
         CREATE TEMP VIEW pg_attribute AS SELECT attrelid, attname, atttypid, attnum, attnotnull, \
         attisdropped, atttypmod, attcollation, attgenerated, attidentity, attacl \
         FROM pg_catalog.pg_attribute WHERE attname <> 'secret';\n",
        &[("ALTER TABLE t DROP COLUMN secret;", "t.secret")],
        &[],
    );
}

/// The same on MariaDB, which commits DDL at once: a migration with `USE`
/// (the attack: its replay read and wrote the live database, GO on any
/// drift), a name in another database, or a global variable is refused on
/// the live server (exit 2, naming it), and the live data is untouched.
#[test]
fn server_wide_migrations_are_refused_on_the_live_mariadb_server() {
    let Some(_) = live::server(Db::MySql) else {
        return;
    };
    let cases: [(&str, &str); 5] = [
        (
            "USE {db};\nINSERT INTO tenants (id, name) SELECT COALESCE(MAX(id), 0) + 1, 'seeded' FROM tenants;\n",
            "`USE`",
        ),
        // The third attack review:
        (
            "INSERT INTO {db}/*x*/.tenants (id, name) VALUES (7, 'seeded');\n",
            "another database",
        ),
        (
            "EXECUTE IMMEDIATE CONCAT('INSERT INTO ten', 'ants (id, name) VALUES (8, ''seeded'')');\n",
            "EXECUTE IMMEDIATE",
        ),
        (
            "SET SESSION wait_timeout = 28800, GLOBAL max_connect_errors = 100;\n",
            "GLOBAL",
        ),
        ("CREATE OR REPLACE ROLE gonogo_test_role;\n", "REPLACE ROLE"),
    ];
    for (second, named) in cases {
        let live = Live::new(Db::MySql).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let name = url::Url::parse(&live.url)
            .unwrap()
            .path()
            .trim_start_matches('/')
            .to_string();
        let second = second.replace("{db}", &name);
        let m = folder(
            dir.path(),
            &[
                (
                    "1_tenants.sql",
                    "CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT);\n",
                ),
                ("2_more.sql", &second),
            ],
        );
        live.migrate(&m);
        live.exec("CREATE TABLE backdoor (x INTEGER)");
        let c = Case {
            live,
            dir,
            migrations: m,
        };
        let before = c.live.fingerprint();
        let (code, doc, err) = preflight(&c, &[]);
        assert_eq!(code, 2, "{second}: {doc:#}{err}");
        assert!(
            format!("{doc}{err}").contains(named),
            "{second}: {doc:#}{err}"
        );
        let rows = live::rt().block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::MySqlConnection::connect(&c.live.url).await.unwrap();
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tenants")
                .fetch_one(&mut conn)
                .await
                .unwrap();
            n
        });
        let expected_rows = if second.contains("seeded") && !second.contains("USE") {
            1
        } else {
            i64::from(second.contains("USE"))
        };
        assert_eq!(
            rows, expected_rows,
            "{second}: preflight wrote to the live database"
        );
        assert!(
            c.live.fingerprint() == before,
            "{second}: the live schema changed"
        );
    }
}

/// The second attack review's false NO-GOs: a migration that hands a table
/// to another role (an owner tie once decided the "migrations' role" by
/// name) or sets `search_path` (which stayed set in the scratch session
/// that read the schema) is GO on an untouched database.
#[test]
fn postgres_owners_and_search_path_set_by_migrations_are_not_drift() {
    objects_drift(
        Db::Postgres,
        "DO $$ BEGIN CREATE ROLE gonogo_other; EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n\
         CREATE TABLE accounts (id INTEGER PRIMARY KEY);\n\
         CREATE TABLE audit (id INTEGER PRIMARY KEY);\n\
         ALTER TABLE audit OWNER TO gonogo_other;\n\
         CREATE SCHEMA app;\n\
         SET search_path TO app, public;\n\
         CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
        &[(
            "ALTER TABLE accounts OWNER TO gonogo_other;",
            "owner of `public.accounts`",
        )],
        &[],
    );
}

/// The fourth attack review: every relation and `_sqlx_migrations` itself
/// handed to the app role (so the app bypasses unforced row-level
/// security). Relative to `_sqlx_migrations`' owner that is invisible;
/// naming the migrations' role catches it.
#[test]
fn postgres_migrations_role_names_the_owner() {
    let Some(_) = live::server(Db::Postgres) else {
        return;
    };
    let c = migrated_with(
        Db::Postgres,
        &[(
            "1_docs.sql",
            "CREATE TABLE docs (id INTEGER PRIMARY KEY, tenant TEXT);\n\
             ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n\
             CREATE POLICY tenant_isolation ON docs USING (tenant = current_setting('app.tenant'));\n",
        )],
    );
    let (code, doc, err) = read_only_preflight(&c, &["--migrations-role", "postgres"]);
    assert_eq!(code, 0, "untouched: {doc:#}{err}");
    c.live.exec(&format!(
        "{PG_OTHER_ROLE} ALTER TABLE _sqlx_migrations OWNER TO gonogo_other; \
         ALTER TABLE docs OWNER TO gonogo_other;"
    ));
    let (code, doc, err) = read_only_preflight(&c, &["--migrations-role", "postgres"]);
    assert_eq!(code, 1, "{doc:#}{err}");
    assert!(
        doc["findings"][0]["objects"]
            .to_string()
            .contains("owner of `public.docs`")
    );
}

/// A `--scratch-url` that names the live server (same host and port) is
/// the live server: a server-wide migration is refused as without the flag.
/// Before, any `--scratch-url` turned the refusal off.
#[test]
fn a_scratch_url_on_the_live_server_is_the_live_server() {
    let Some(server) = live::server(Db::MySql) else {
        return;
    };
    let c = migrated_with(
        Db::MySql,
        &[
            ("1_t.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n"),
            ("2_global.sql", "SET GLOBAL max_connect_errors = 100;\n"),
        ],
    );
    let same = server.replace("127.0.0.1", "localhost");
    let (code, doc, err) = preflight(&c, &["--scratch-url", &same]);
    assert_eq!(code, 2, "{doc:#}{err}");
    assert!(format!("{doc}{err}").contains("GLOBAL"), "{doc:#}{err}");
}
