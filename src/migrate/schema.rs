//! One normalized schema model for every database, and the diff between two
//! schemas of the same database kind. Pure. Column order is not compared:
//! identical schemas reached by different paths are not drift.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// The type as the database reports it, lowercased.
    pub data_type: String,
    pub nullable: bool,
    pub default: Option<String>,
}

/// A table with its columns and constraints.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    pub primary_key: Vec<String>,
    /// Unique constraints, as column lists.
    pub uniques: BTreeSet<Vec<String>>,
    /// `(columns, referenced table, referenced columns)`.
    pub foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>)>,
    /// Check constraints, as normalized expressions.
    pub checks: BTreeSet<String>,
}

/// An index that does not back a primary key or unique constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Index {
    pub table: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// A database schema.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    pub indexes: BTreeMap<String, Index>,
    /// View name to normalized definition.
    pub views: BTreeMap<String, String>,
    /// Every other object the database enforces, as a label naming it (for
    /// example "row-level security on `public.documents`") and its
    /// normalized definition: full index definitions, policies, grants,
    /// functions, triggers, types, sequences, extensions, comments, tables
    /// outside the current schema.
    pub objects: BTreeMap<String, String>,
}

/// Lowercases and folds whitespace, for definitions compared as text.
pub fn normalize_sql(sql: &str) -> String {
    sql.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Each object that differs between `expected` (built by replaying the
/// applied migrations) and `live`, as one line naming it.
pub fn diff(expected: &Schema, live: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let table = |n: &str| format!("table `{n}`");
    keyed(
        &expected.tables,
        &live.tables,
        &table,
        &mut out,
        |name, e, l, out| {
            let column = |c: &str| format!("column `{name}.{c}`");
            keyed(&e.columns, &l.columns, &column, out, |col, ec, lc, out| {
                if ec.data_type != lc.data_type {
                    out.push(format!(
                        "column `{name}.{col}`: type `{}` expected, `{}` live",
                        ec.data_type, lc.data_type
                    ));
                }
                if ec.nullable != lc.nullable {
                    let n = |b: bool| if b { "nullable" } else { "not null" };
                    out.push(format!(
                        "column `{name}.{col}`: {} expected, {} live",
                        n(ec.nullable),
                        n(lc.nullable)
                    ));
                }
                if ec.default != lc.default {
                    let d = |x: &Option<String>| {
                        x.clone()
                            .map_or("no default".to_string(), |v| format!("default `{v}`"))
                    };
                    out.push(format!(
                        "column `{name}.{col}`: {} expected, {} live",
                        d(&ec.default),
                        d(&lc.default)
                    ));
                }
            });
            if e.primary_key != l.primary_key {
                out.push(format!(
                    "table `{name}`: primary key {:?} expected, {:?} live",
                    e.primary_key, l.primary_key
                ));
            }
            for u in e.uniques.symmetric_difference(&l.uniques) {
                let side = if e.uniques.contains(u) {
                    "missing live"
                } else {
                    "not expected"
                };
                out.push(format!("table `{name}`: unique constraint {u:?} {side}"));
            }
            for fk in e.foreign_keys.symmetric_difference(&l.foreign_keys) {
                let side = if e.foreign_keys.contains(fk) {
                    "missing live"
                } else {
                    "not expected"
                };
                out.push(format!(
                    "table `{name}`: foreign key {:?} -> `{}`{:?} {side}",
                    fk.0, fk.1, fk.2
                ));
            }
            for c in e.checks.symmetric_difference(&l.checks) {
                let side = if e.checks.contains(c) {
                    "missing live"
                } else {
                    "not expected"
                };
                out.push(format!("table `{name}`: check `{c}` {side}"));
            }
        },
    );
    let index = |n: &str| format!("index `{n}`");
    keyed(
        &expected.indexes,
        &live.indexes,
        &index,
        &mut out,
        |name, e, l, out| {
            if e != l {
                out.push(format!(
                    "index `{name}`: on `{}`{:?}{} expected, on `{}`{:?}{} live",
                    e.table,
                    e.columns,
                    if e.unique { " unique" } else { "" },
                    l.table,
                    l.columns,
                    if l.unique { " unique" } else { "" }
                ));
            }
        },
    );
    let object = |n: &str| n.to_string();
    keyed(
        &expected.objects,
        &live.objects,
        &object,
        &mut out,
        |name, e, l, out| {
            if e != l {
                out.push(format!("{name}: differs (`{e}` expected, `{l}` live)"));
            }
        },
    );
    let view = |n: &str| format!("view `{n}`");
    keyed(
        &expected.views,
        &live.views,
        &view,
        &mut out,
        |name, e, l, out| {
            if e != l {
                out.push(format!("view `{name}`: definition differs"));
            }
        },
    );
    out
}

/// Walks two maps: names on one side only, then `both` for names on both.
fn keyed<V>(
    expected: &BTreeMap<String, V>,
    live: &BTreeMap<String, V>,
    label: &dyn Fn(&str) -> String,
    out: &mut Vec<String>,
    both: impl Fn(&str, &V, &V, &mut Vec<String>),
) {
    for (name, e) in expected {
        match live.get(name) {
            None => out.push(format!("{}: missing live", label(name))),
            Some(l) => both(name, e, l, out),
        }
    }
    for name in live.keys().filter(|n| !expected.contains_key(*n)) {
        out.push(format!("{}: not expected (live only)", label(name)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(t: &str) -> Column {
        Column {
            data_type: t.into(),
            nullable: true,
            default: None,
        }
    }

    #[test]
    fn diff_names_each_object() {
        let mut a = Schema::default();
        let mut t = Table::default();
        t.columns.insert("id".into(), col("integer"));
        t.columns.insert("email".into(), col("text"));
        a.tables.insert("users".into(), t.clone());
        let mut b = a.clone();
        b.tables
            .get_mut("users")
            .unwrap()
            .columns
            .insert("email".into(), col("varchar(255)"));
        b.tables
            .get_mut("users")
            .unwrap()
            .columns
            .insert("nick".into(), col("text"));
        b.views.insert("v".into(), "select 1".into());
        let d = diff(&a, &b);
        assert!(
            d.contains(
                &"column `users.email`: type `text` expected, `varchar(255)` live".to_string()
            ),
            "{d:?}"
        );
        assert!(
            d.contains(&"column `users.nick`: not expected (live only)".to_string()),
            "{d:?}"
        );
        assert!(
            d.contains(&"view `v`: not expected (live only)".to_string()),
            "{d:?}"
        );
        assert!(diff(&a, &a).is_empty());
    }
}
