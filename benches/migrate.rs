//! Preflight on 20 and 500 migrations against what a user runs instead:
//! `sqlx database create` + `sqlx migrate run` of the same folder on a fresh
//! database (sqlx's own migrator, in process), on SQLite and, when
//! `GONOGO_TEST_POSTGRES_URL` is set, PostgreSQL.

#[path = "../tests/common/live.rs"]
mod live;

use criterion::{Criterion, criterion_group, criterion_main};
use gonogo::migrate::{PreflightOptions, preflight};
use live::{Db, Live};
use std::time::Duration;

fn folder(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 1..=n {
        let sql = if i % 5 == 0 {
            format!("CREATE INDEX ix{i} ON t{}(v);\n", i - 1)
        } else {
            format!(
                "CREATE TABLE t{i} (id INTEGER PRIMARY KEY, v VARCHAR(40) NOT NULL DEFAULT 'x');\n"
            )
        };
        std::fs::write(dir.path().join(format!("{i}_step.sql")), sql).unwrap();
    }
    dir
}

fn bench(c: &mut Criterion) {
    for (n, db) in [
        (20, Db::Sqlite),
        (500, Db::Sqlite),
        (20, Db::Postgres),
        (500, Db::Postgres),
    ] {
        let migrations = folder(n);
        if live::server(db).is_none() {
            continue;
        }
        let name = if db == Db::Sqlite {
            "sqlite"
        } else {
            "postgres"
        };
        let mut g = c.benchmark_group(format!("migrate_{n}/{name}"));
        g.sample_size(10).measurement_time(Duration::from_secs(20));
        g.bench_function("sqlx_create_and_migrate_run", |b| {
            b.iter_with_large_drop(|| {
                let live = Live::new(db).unwrap();
                live.migrate(migrations.path());
                live
            })
        });
        let live = Live::new(db).unwrap();
        live.migrate(migrations.path());
        let opts = PreflightOptions {
            migrations: migrations.path().to_path_buf(),
            database_url: live.url.clone(),
            allow_pending: false,
            scratch_url: None,
            migrations_role: None,
        };
        g.bench_function("preflight", |b| {
            b.iter(|| {
                let report = preflight(&opts).unwrap();
                assert!(report.findings.is_empty());
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
