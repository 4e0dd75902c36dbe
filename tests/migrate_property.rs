//! Issue 15's property: random DDL applied by migrations (replayed on a
//! scratch database) and by hand (on the live database only). Preflight's
//! schema diff is empty exactly when a reference model of the two schemas
//! says they are equal. Proptest shrinks a failure to the shortest pair of
//! DDL sequences. Runs on SQLite, and on PostgreSQL and MariaDB when their
//! servers are configured.

#[path = "common/live.rs"]
mod live;

use gonogo::migrate::db::{self, DbUrl};
use gonogo::migrate::schema::{Schema, Sides, diff};
use live::{Db, Live};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::collections::BTreeMap;

// Few names, so that statements often meet the objects earlier ones made.
const TABLES: [&str; 2] = ["ta", "tb"];
const COLUMNS: [&str; 2] = ["ca", "cb"];
const INDEXES: [&str; 2] = ["ia", "ib"];

/// A column type with its nullability (a NOT NULL column has a default, so
/// it can be added to a table with rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColType {
    Int,
    IntNotNull,
    Text,
    TextNotNull,
}

impl ColType {
    fn sql(self) -> &'static str {
        match self {
            ColType::Int => "INTEGER",
            ColType::IntNotNull => "INTEGER NOT NULL DEFAULT 0",
            ColType::Text => "VARCHAR(40)",
            ColType::TextNotNull => "VARCHAR(40) NOT NULL DEFAULT 'x'",
        }
    }
}

/// One DDL statement. Statements that make no sense in the current model
/// (a table that does not exist, a name taken) are skipped, so any
/// subsequence proptest shrinks to is still a valid migration.
#[derive(Debug, Clone)]
enum Op {
    CreateTable(usize),
    DropTable(usize),
    AddColumn(usize, usize, ColType),
    DropColumn(usize, usize),
    /// A column dropped and added again with another type (a hand edit's
    /// `ALTER COLUMN … TYPE`, portably).
    ReplaceColumn(usize, usize, ColType),
    CreateIndex {
        name: usize,
        table: usize,
        column: usize,
        unique: bool,
    },
    DropIndex(usize),
}

/// The reference model: what the statements leave behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Model {
    /// Table → column → type (every table also has `id INTEGER PRIMARY KEY`).
    tables: BTreeMap<usize, BTreeMap<usize, ColType>>,
    /// Index → (table, column, unique).
    indexes: BTreeMap<usize, (usize, usize, bool)>,
}

impl Model {
    /// Applies `op` if it is valid here, returning its SQL.
    fn apply(&mut self, op: &Op, db: Db) -> Option<String> {
        match *op {
            Op::CreateTable(t) => {
                if self.tables.contains_key(&t) {
                    return None;
                }
                self.tables.insert(t, BTreeMap::new());
                Some(format!(
                    "CREATE TABLE {} (id INTEGER PRIMARY KEY);",
                    TABLES[t]
                ))
            }
            Op::DropTable(t) => {
                self.tables.remove(&t)?;
                self.indexes.retain(|_, (table, _, _)| *table != t);
                Some(format!("DROP TABLE {};", TABLES[t]))
            }
            Op::AddColumn(t, c, ty) => {
                let cols = self.tables.get_mut(&t)?;
                if cols.contains_key(&c) {
                    return None;
                }
                cols.insert(c, ty);
                Some(format!(
                    "ALTER TABLE {} ADD COLUMN {} {};",
                    TABLES[t],
                    COLUMNS[c],
                    ty.sql()
                ))
            }
            Op::DropColumn(t, c) => {
                // SQLite cannot drop an indexed column: only unindexed ones.
                if self
                    .indexes
                    .values()
                    .any(|(table, col, _)| *table == t && *col == c)
                {
                    return None;
                }
                self.tables.get_mut(&t)?.remove(&c)?;
                Some(format!(
                    "ALTER TABLE {} DROP COLUMN {};",
                    TABLES[t], COLUMNS[c]
                ))
            }
            Op::ReplaceColumn(t, c, ty) => {
                let drop = self.apply(&Op::DropColumn(t, c), db)?;
                let add = self.apply(&Op::AddColumn(t, c, ty), db)?;
                Some(format!("{drop}\n{add}"))
            }
            Op::CreateIndex {
                name,
                table,
                column,
                unique,
            } => {
                if self.indexes.contains_key(&name)
                    || !self.tables.get(&table)?.contains_key(&column)
                {
                    return None;
                }
                self.indexes.insert(name, (table, column, unique));
                Some(format!(
                    "CREATE {}INDEX {} ON {} ({});",
                    if unique { "UNIQUE " } else { "" },
                    INDEXES[name],
                    TABLES[table],
                    COLUMNS[column]
                ))
            }
            Op::DropIndex(name) => {
                let (table, _, _) = self.indexes.remove(&name)?;
                Some(if db == Db::MySql {
                    format!("DROP INDEX {} ON {};", INDEXES[name], TABLES[table])
                } else {
                    format!("DROP INDEX {};", INDEXES[name])
                })
            }
        }
    }

    /// The SQL of the valid statements of `ops`, applied in order.
    fn run(&mut self, ops: &[Op], db: Db) -> Vec<String> {
        ops.iter().filter_map(|op| self.apply(op, db)).collect()
    }
}

fn op() -> impl Strategy<Value = Op> {
    let t = 0..TABLES.len();
    let c = 0..COLUMNS.len();
    let ty = prop_oneof![
        Just(ColType::Int),
        Just(ColType::IntNotNull),
        Just(ColType::Text),
        Just(ColType::TextNotNull)
    ];
    prop_oneof![
        2 => t.clone().prop_map(Op::CreateTable),
        1 => t.clone().prop_map(Op::DropTable),
        3 => (t.clone(), c.clone(), ty.clone()).prop_map(|(t, c, ty)| Op::AddColumn(t, c, ty)),
        1 => (t.clone(), c.clone()).prop_map(|(t, c)| Op::DropColumn(t, c)),
        2 => (t.clone(), c.clone(), ty.clone()).prop_map(|(t, c, ty)| Op::ReplaceColumn(t, c, ty)),
        2 => (0..INDEXES.len(), t, c, any::<bool>()).prop_map(|(name, table, column, unique)| {
            Op::CreateIndex { name, table, column, unique }
        }),
        1 => (0..INDEXES.len()).prop_map(Op::DropIndex),
    ]
}

/// Migrations, then hand edits: a quarter of the hand edits are empty, and
/// many others undo themselves (the "same schema by another path" case).
fn case() -> impl Strategy<Value = (Vec<Op>, Vec<Op>)> {
    (
        prop::collection::vec(op(), 0..10),
        prop_oneof![
            1 => Just(Vec::new()),
            3 => prop::collection::vec(op(), 1..6),
        ],
    )
}

/// The live and replayed schemas of one case, as gonogo reads them.
fn schemas(db: Db, migrations: &[Op], hand: &[Op]) -> (Model, Model, Schema, Schema) {
    let mut expected = Model::default();
    let migration = expected.run(migrations, db);
    let mut actual = expected.clone();
    let edits = actual.run(hand, db);

    let live = Live::new(db).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut sql = String::from("SELECT 1;\n");
    sql.push_str(&migration.join("\n"));
    std::fs::write(dir.path().join("1_random.sql"), &sql).unwrap();
    live.migrate(dir.path());
    for e in &edits {
        live.exec(e);
    }
    let url = DbUrl::parse(&live.url).unwrap();
    let rt = db::runtime().unwrap();
    let (replayed, read) = rt.block_on(async {
        let mut c = db::connect_live(&url).await.unwrap();
        let read = c.schema(&url).await.unwrap();
        c.close().await;
        let mut s = db::scratch(Some(&url), None).await.unwrap();
        s.conn.execute(&sql).await.unwrap();
        let replayed = s.conn.schema(&s.url).await.unwrap();
        s.drop_it().await;
        (replayed, read)
    });
    (expected, actual, replayed, read)
}

/// The property, with `plant` applied to both schemas before the diff (the
/// identity, or a planted introspection bug).
fn property(db: Db, cases: u32, plant: fn(&mut Schema)) -> Result<(), String> {
    // A fixed seed: the same cases, shrink and report on every run.
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[15; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    runner
        .run(&case(), |(migrations, hand)| {
            let (expected, actual, mut replayed, mut read) = schemas(db, &migrations, &hand);
            plant(&mut replayed);
            plant(&mut read);
            let lines = diff(&replayed, &read, Sides::LIVE);
            let equal = expected == actual;
            if equal != lines.is_empty() {
                return Err(TestCaseError::fail(format!(
                    "model says equal = {equal}, diff = {lines:?}"
                )));
            }
            Ok(())
        })
        .map_err(|e| e.to_string())
}

fn cases(db: Db) -> u32 {
    if db == Db::Sqlite { 96 } else { 24 }
}

#[test]
fn sqlite_diff_is_empty_iff_schemas_are_equal() {
    property(Db::Sqlite, cases(Db::Sqlite), |_| {}).unwrap();
}

#[test]
fn postgres_diff_is_empty_iff_schemas_are_equal() {
    if live::server(Db::Postgres).is_some() {
        property(Db::Postgres, cases(Db::Postgres), |_| {}).unwrap();
    }
}

#[test]
fn mariadb_diff_is_empty_iff_schemas_are_equal() {
    if live::server(Db::MySql).is_some() {
        property(Db::MySql, cases(Db::MySql), |_| {}).unwrap();
    }
}

/// The property catches a planted introspection bug (indexes not read, as
/// when a catalog query filters out a schema) and shrinks it to one table,
/// one column and one hand-made index.
#[test]
fn the_property_catches_a_planted_bug_and_shrinks_it() {
    let failure = property(Db::Sqlite, 256, |s| {
        s.indexes.clear();
        s.objects.retain(|k, _| !k.starts_with("index "));
    })
    .expect_err("a planted bug must be caught");
    assert!(failure.contains("model says equal = false"), "{failure}");
    let compact: String = failure.split_whitespace().collect();
    assert!(
        compact.contains(
            "([CreateTable(0,),AddColumn(0,0,Int,),],\
             [CreateIndex{name:0,table:0,column:0,unique:false,},],)"
        ),
        "not shrunk to a minimal case: {failure}"
    );
}
