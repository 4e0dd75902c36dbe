//! The preflight checker against a small reference model: generated
//! migration histories (create table, add column, index, view, drop table)
//! and tamper events (edit an applied file, delete one, mark one failed,
//! alter the live schema by hand, skip one, add one); the findings must be
//! the ones the reference predicts. A failing history shrinks to a minimal one.

#[path = "../tests/common/live.rs"]
mod live;

use gonogo::migrate::{PreflightOptions, preflight};
use live::{Db, Live};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::collections::BTreeSet;

/// One schema change, by indices into what exists when it runs.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    CreateTable,
    AddColumn(usize),
    Index(usize),
    View(usize),
    DropTable(usize),
}

/// A tamper event, by index into the migrations.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tamper {
    EditApplied(usize),
    DeleteFile(usize),
    MarkFailed(usize),
    HandAlter,
    Skip(usize),
    AddPending,
}

/// A history made concrete: migration files and what depends on what.
struct History {
    files: Vec<(i64, String, String)>,
    /// Migrations no later migration depends on (safe to skip).
    independent: BTreeSet<usize>,
    /// A table that exists at the end, if any.
    last_table: Option<String>,
}

fn build(ops: &[Op]) -> History {
    let mut tables: Vec<(String, usize, bool)> = Vec::new(); // name, creator, has a view
    let mut files = Vec::new();
    let mut dependents: Vec<BTreeSet<usize>> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let version = (i as i64 + 1) * 10;
        dependents.push(BTreeSet::new());
        let live_tables: Vec<usize> = (0..tables.len())
            .filter(|&t| !tables[t].0.is_empty())
            .collect();
        let pick = |k: usize| live_tables.get(k % live_tables.len().max(1)).copied();
        let sql = match (
            op,
            pick(match op {
                Op::AddColumn(k) | Op::Index(k) | Op::View(k) | Op::DropTable(k) => *k,
                Op::CreateTable => 0,
            }),
        ) {
            (Op::AddColumn(_), Some(t)) => {
                dependents[tables[t].1].insert(i);
                format!("ALTER TABLE {} ADD COLUMN c{i} INTEGER;\n", tables[t].0)
            }
            (Op::Index(_), Some(t)) => {
                dependents[tables[t].1].insert(i);
                format!("CREATE INDEX ix{i} ON {}(id);\n", tables[t].0)
            }
            (Op::View(_), Some(t)) => {
                dependents[tables[t].1].insert(i);
                tables[t].2 = true;
                format!("CREATE VIEW v{i} AS SELECT id FROM {};\n", tables[t].0)
            }
            (Op::DropTable(_), Some(t)) if !tables[t].2 => {
                dependents[tables[t].1].insert(i);
                let name = std::mem::take(&mut tables[t].0);
                format!("DROP TABLE {name};\n")
            }
            _ => {
                tables.push((format!("t{i}"), i, false));
                format!("CREATE TABLE t{i} (id INTEGER PRIMARY KEY, v VARCHAR(20));\n")
            }
        };
        files.push((version, format!("{version}_step{i}.sql"), sql));
    }
    let independent = (0..ops.len())
        .filter(|&i| dependents[i].is_empty())
        .collect();
    let last_table = tables
        .iter()
        .rev()
        .find(|t| !t.0.is_empty())
        .map(|t| t.0.clone());
    History {
        files,
        independent,
        last_table,
    }
}

/// What the reference model predicts: (reason, version) for every finding
/// but drift, and whether there is drift.
type Expected = (BTreeSet<(String, Option<i64>)>, bool);

/// Runs one case: builds the live database, tampers, runs the preflight, and
/// returns (what it found, what the reference predicts).
fn case(
    db: Db,
    ops: &[Op],
    tampers: &[Tamper],
    buggy_reference: bool,
) -> Option<(Expected, Expected)> {
    let history = build(ops);
    let n = history.files.len();
    let live = Live::new(db)?;
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("migrations");
    std::fs::create_dir(&m).unwrap();
    // Normalize the tamper list: one event per migration, skips only where safe.
    let mut used = BTreeSet::new();
    let mut events = Vec::new();
    for t in tampers {
        let t = match *t {
            Tamper::EditApplied(k) => Tamper::EditApplied(k % n),
            Tamper::DeleteFile(k) => Tamper::DeleteFile(k % n),
            Tamper::MarkFailed(k) => Tamper::MarkFailed(k % n),
            Tamper::Skip(k) => Tamper::Skip(k % n),
            other => other,
        };
        let key = match t {
            Tamper::EditApplied(k)
            | Tamper::DeleteFile(k)
            | Tamper::MarkFailed(k)
            | Tamper::Skip(k) => k,
            Tamper::HandAlter => usize::MAX,
            Tamper::AddPending => usize::MAX - 1,
        };
        let safe = match t {
            Tamper::Skip(k) => history.independent.contains(&k),
            Tamper::HandAlter => history.last_table.is_some(),
            _ => true,
        };
        if safe && used.insert(key) {
            events.push(t);
        }
    }
    let skipped: BTreeSet<usize> = events
        .iter()
        .filter_map(|t| {
            if let Tamper::Skip(k) = t {
                Some(*k)
            } else {
                None
            }
        })
        .collect();
    for (i, (_, name, sql)) in history.files.iter().enumerate() {
        if !skipped.contains(&i) {
            std::fs::write(m.join(name), sql).unwrap();
        }
    }
    live.migrate(&m);
    let applied: Vec<usize> = (0..n).filter(|i| !skipped.contains(i)).collect();
    let newest = applied.iter().map(|&i| history.files[i].0).max();
    let mut expected = BTreeSet::new();
    let mut drift = false;
    for t in &events {
        match *t {
            Tamper::Skip(k) => {
                let (v, name, sql) = &history.files[k];
                std::fs::write(m.join(name), sql).unwrap();
                let reason = if newest.is_some_and(|n| *v < n) {
                    "out_of_order"
                } else {
                    "pending"
                };
                expected.insert((reason.to_string(), Some(*v)));
            }
            Tamper::EditApplied(k) if !skipped.contains(&k) => {
                let (v, name, sql) = &history.files[k];
                std::fs::write(m.join(name), format!("{sql}-- edited by hand\n")).unwrap();
                expected.insert(("checksum_mismatch".to_string(), Some(*v)));
            }
            Tamper::DeleteFile(k) if !skipped.contains(&k) => {
                let (v, name, _) = &history.files[k];
                std::fs::remove_file(m.join(name)).unwrap();
                expected.insert(("missing_local".to_string(), Some(*v)));
                drift |= !buggy_reference;
            }
            Tamper::MarkFailed(k) if !skipped.contains(&k) => {
                let v = history.files[k].0;
                let falsy = if db == Db::Postgres { "false" } else { "0" };
                live.exec(&format!(
                    "UPDATE _sqlx_migrations SET success = {falsy} WHERE version = {v}"
                ));
                expected.insert(("failed".to_string(), Some(v)));
                drift = true;
            }
            Tamper::HandAlter => {
                let t = history.last_table.as_ref().unwrap();
                live.exec(&format!("ALTER TABLE {t} ADD COLUMN by_hand INTEGER"));
                drift = true;
            }
            Tamper::AddPending => {
                let v = (n as i64 + 1) * 10;
                std::fs::write(
                    m.join(format!("{v}_added.sql")),
                    "CREATE TABLE added (id INTEGER);\n",
                )
                .unwrap();
                expected.insert(("pending".to_string(), Some(v)));
            }
            _ => {}
        }
    }
    let report = preflight(&PreflightOptions {
        migrations: m,
        database_url: live.url.clone(),
        allow_pending: false,
        scratch_url: None,
        migrations_role: None,
    })
    .unwrap_or_else(|e| panic!("preflight failed: {e}"));
    let mut found = BTreeSet::new();
    let mut found_drift = false;
    for f in &report.findings {
        if f.reason.code() == "schema_drift" {
            found_drift = true;
        } else {
            found.insert((f.reason.code().to_string(), f.version));
        }
    }
    Some(((found, found_drift), (expected, drift)))
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            3 => Just(Op::CreateTable),
            2 => (0usize..4).prop_map(Op::AddColumn),
            1 => (0usize..4).prop_map(Op::Index),
            1 => (0usize..4).prop_map(Op::View),
            1 => (0usize..4).prop_map(Op::DropTable),
        ],
        1..7,
    )
}

fn tampers() -> impl Strategy<Value = Vec<Tamper>> {
    prop::collection::vec(
        prop_oneof![
            (0usize..8).prop_map(Tamper::EditApplied),
            (0usize..8).prop_map(Tamper::DeleteFile),
            (0usize..8).prop_map(Tamper::MarkFailed),
            Just(Tamper::HandAlter),
            (0usize..8).prop_map(Tamper::Skip),
            Just(Tamper::AddPending),
        ],
        0..3,
    )
}

/// A generated history with its tamper events.
type Scenario = (Vec<Op>, Vec<Tamper>);

fn run(db: Db, cases: u32, buggy_reference: bool) -> Result<(), TestError<Scenario>> {
    if live::server(db).is_none() {
        return Ok(());
    }
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    runner.run(&(ops(), tampers()), |(ops, tampers)| {
        let Some((found, expected)) = case(db, &ops, &tampers, buggy_reference) else {
            return Ok(());
        };
        if found != expected {
            return Err(TestCaseError::fail(format!(
                "found {found:?}, the reference predicts {expected:?}"
            )));
        }
        Ok(())
    })
}

#[test]
fn sqlite_preflight_matches_the_reference() {
    if let Err(e) = run(Db::Sqlite, 40, false) {
        panic!("{e}");
    }
}

#[test]
fn postgres_preflight_matches_the_reference() {
    if let Err(e) = run(Db::Postgres, 12, false) {
        panic!("{e}");
    }
}

/// The property can fail, and shrinks: with a reference that forgets that a
/// deleted applied file also leaves the scratch schema short (drift), the
/// counterexample shrinks to one migration and one tamper event.
#[test]
fn a_wrong_reference_is_caught_and_shrunk_to_a_minimal_history() {
    match run(Db::Sqlite, 60, true) {
        Err(TestError::Fail(_, (ops, tampers))) => {
            assert_eq!(
                ops,
                vec![Op::CreateTable],
                "not minimal: {ops:?} {tampers:?}"
            );
            assert_eq!(
                tampers,
                vec![Tamper::DeleteFile(0)],
                "not minimal: {ops:?} {tampers:?}"
            );
        }
        other => panic!("the planted reference bug was not caught: {other:?}"),
    }
}
