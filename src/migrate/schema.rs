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
    /// Whether the column accepts null.
    pub nullable: bool,
    /// The default expression as the database reports it, when there is one.
    pub default: Option<String>,
    /// How the column is computed, when it is: `stored as (…)`, `virtual
    /// as (…)`, `identity always`, `identity by default`.
    pub generated: Option<String>,
    /// A collation other than the database default.
    pub collation: Option<String>,
}

/// A foreign key: its columns, the referenced table and columns, and its
/// `on delete`/`on update` actions (lowercase, empty when none).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ForeignKey {
    /// The referencing columns, in key order.
    pub columns: Vec<String>,
    /// The referenced table.
    pub table: String,
    /// The referenced columns, in key order.
    pub referenced: Vec<String>,
    /// The `on delete`/`on update` actions (lowercase, empty when none).
    pub actions: String,
}

impl std::fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "foreign key {} references {} {}",
            list(&self.columns),
            self.table,
            list(&self.referenced)
        )?;
        if !self.actions.is_empty() {
            write!(f, " {}", self.actions)?;
        }
        Ok(())
    }
}

/// `(a, b)`: a column list as SQL writes it.
pub fn list(columns: &[String]) -> String {
    format!("({})", columns.join(", "))
}

/// A table with its columns and constraints.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Table {
    /// Column name → column.
    pub columns: BTreeMap<String, Column>,
    /// The primary key's columns, in key order (empty when none).
    pub primary_key: Vec<String>,
    /// Unique constraints, as column lists.
    pub uniques: BTreeSet<Vec<String>>,
    /// Foreign keys.
    pub foreign_keys: BTreeSet<ForeignKey>,
    /// Check constraints, as normalized expressions.
    pub checks: BTreeSet<String>,
}

/// An index that does not back a primary key or unique constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Index {
    /// The table the index is on.
    pub table: String,
    /// Key columns; an expression key is `<expression>` (the full
    /// definition is compared among the `objects`).
    pub columns: Vec<String>,
    /// Whether it is a unique index.
    pub unique: bool,
    /// A partial index (`WHERE …`); its predicate is compared among the
    /// `objects`.
    pub partial: bool,
}

impl std::fmt::Display for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unique = if self.unique { "unique " } else { "" };
        write!(f, "{unique}on {} {}", self.table, list(&self.columns))?;
        if self.partial {
            write!(f, " where …")?;
        }
        Ok(())
    }
}

/// What the two schemas of a diff are, in the words its lines use.
#[derive(Debug, Clone, Copy)]
pub struct Sides {
    /// The reference schema (`expected`, `before`).
    pub expected: &'static str,
    /// The schema checked against it (`live`, `after down`).
    pub actual: &'static str,
    /// Said of an object only the reference has.
    pub missing: &'static str,
    /// Said of an object only the checked schema has.
    pub extra: &'static str,
}

impl Sides {
    /// Preflight: the replayed migrations against the live database.
    pub const LIVE: Sides = Sides {
        expected: "expected",
        actual: "live",
        missing: "missing live",
        extra: "not expected (live only)",
    };
    /// Round trip: before an up against after its down.
    pub const AFTER_DOWN: Sides = Sides {
        expected: "before the up",
        actual: "after the down",
        missing: "missing after the down",
        extra: "left behind by the down",
    };
    /// Round trip: after an up against after down and up again.
    pub const AFTER_REUP: Sides = Sides {
        expected: "after the up",
        actual: "after down and up again",
        missing: "missing after down and up again",
        extra: "only after down and up again",
    };
}

/// A database schema.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Schema {
    /// Table name → table.
    pub tables: BTreeMap<String, Table>,
    /// Index name → index.
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

/// A definition as compared text: keywords and unquoted names lowercased and
/// whitespace folded, but string literals (`'…'`), quoted identifiers
/// (`"…"`, `` `…` ``) and dollar-quoted bodies (`$tag$…$tag$`) kept byte for
/// byte, so `'Admin'` never equals `'admin'` and `'a  b'` never `'a b'`.
pub fn normalize_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut space = false;
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        let verbatim = match c {
            '\'' | '"' | '`' => Some(quoted(rest, c)),
            '$' => dollar_quoted(rest),
            _ => None,
        };
        if c.is_whitespace() {
            space = true;
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match verbatim {
            Some(len) => {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
            None => {
                out.extend(c.to_lowercase());
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The length of a quoted run starting at `s` (a doubled quote stays
/// inside); an unterminated one runs to the end.
fn quoted(s: &str, q: char) -> usize {
    let mut i = q.len_utf8();
    while let Some(j) = s[i..].find(q) {
        let end = i + j + q.len_utf8();
        if s[end..].starts_with(q) {
            i = end + q.len_utf8();
        } else {
            return end;
        }
    }
    s.len()
}

/// The length of a PostgreSQL dollar-quoted string starting at `s`, if it
/// is one (`$$…$$`, `$body$…$body$`; `$1` is not).
fn dollar_quoted(s: &str) -> Option<usize> {
    let tag_end = s[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))? + 1;
    if !s[tag_end..].starts_with('$') || s[1..tag_end].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let tag = &s[..=tag_end];
    let close = s[tag.len()..]
        .find(tag)
        .map_or(s.len(), |i| tag.len() + i + tag.len());
    Some(close)
}

/// Each object that differs between `expected` (built by replaying the
/// applied migrations) and `actual` (the live database), as one line naming
/// it, worded by `sides`.
pub fn diff(expected: &Schema, actual: &Schema, sides: Sides) -> Vec<String> {
    let (e_side, a_side) = (sides.expected, sides.actual);
    let mut out = Vec::new();
    let table = |n: &str| format!("table `{n}`");
    keyed(
        &expected.tables,
        &actual.tables,
        &table,
        sides,
        &mut out,
        |name, e, l, out| {
            let column = |c: &str| format!("column `{name}.{c}`");
            keyed(
                &e.columns,
                &l.columns,
                &column,
                sides,
                out,
                |col, ec, lc, out| {
                    let mut differs = |what: String, l: String| {
                        out.push(format!(
                            "column `{name}.{col}`: {what} {e_side}, {l} {a_side}"
                        ))
                    };
                    if ec.data_type != lc.data_type {
                        differs(
                            format!("type `{}`", ec.data_type),
                            format!("type `{}`", lc.data_type),
                        );
                    }
                    if ec.nullable != lc.nullable {
                        let n = |b: bool| if b { "nullable" } else { "not null" }.to_string();
                        differs(n(ec.nullable), n(lc.nullable));
                    }
                    let shown = |x: &Option<String>, what: &str| {
                        x.clone()
                            .map_or(format!("no {what}"), |v| format!("{what} `{v}`"))
                    };
                    if ec.default != lc.default {
                        differs(shown(&ec.default, "default"), shown(&lc.default, "default"));
                    }
                    if ec.generated != lc.generated {
                        let g = |x: &Option<String>| {
                            x.clone()
                                .map_or("not generated".to_string(), |v| format!("`{v}`"))
                        };
                        differs(g(&ec.generated), g(&lc.generated));
                    }
                    if ec.collation != lc.collation {
                        differs(
                            shown(&ec.collation, "collation"),
                            shown(&lc.collation, "collation"),
                        );
                    }
                },
            );
            if e.primary_key != l.primary_key {
                let pk = |k: &[String]| {
                    if k.is_empty() {
                        "no primary key".to_string()
                    } else {
                        format!("primary key {}", list(k))
                    }
                };
                out.push(format!(
                    "table `{name}`: {} {e_side}, {} {a_side}",
                    pk(&e.primary_key),
                    pk(&l.primary_key)
                ));
            }
            one_sided(&e.uniques, &l.uniques, sides, out, |u| {
                format!("table `{name}`: unique {}", list(u))
            });
            one_sided(&e.foreign_keys, &l.foreign_keys, sides, out, |fk| {
                format!("table `{name}`: {fk}")
            });
            one_sided(&e.checks, &l.checks, sides, out, |c| {
                format!("table `{name}`: check `{c}`")
            });
        },
    );
    let index = |n: &str| format!("index `{n}`");
    keyed(
        &expected.indexes,
        &actual.indexes,
        &index,
        sides,
        &mut out,
        |name, e, l, out| {
            if e != l {
                out.push(format!("index `{name}`: {e} {e_side}, {l} {a_side}"));
            }
        },
    );
    let object = |n: &str| n.to_string();
    keyed(
        &expected.objects,
        &actual.objects,
        &object,
        sides,
        &mut out,
        |name, e, l, out| {
            if e != l {
                out.push(format!("{name}: differs (`{e}` {e_side}, `{l}` {a_side})"));
            }
        },
    );
    let view = |n: &str| format!("view `{n}`");
    keyed(
        &expected.views,
        &actual.views,
        &view,
        sides,
        &mut out,
        |name, e, l, out| {
            if e != l {
                out.push(format!("view `{name}`: definition differs"));
            }
        },
    );
    out
}

/// Members of a set on one side only.
fn one_sided<T: Ord>(
    expected: &BTreeSet<T>,
    actual: &BTreeSet<T>,
    sides: Sides,
    out: &mut Vec<String>,
    label: impl Fn(&T) -> String,
) {
    for x in expected.difference(actual) {
        out.push(format!("{}: {}", label(x), sides.missing));
    }
    for x in actual.difference(expected) {
        out.push(format!("{}: {}", label(x), sides.extra));
    }
}

/// Walks two maps: names on one side only, then `both` for names on both.
fn keyed<V>(
    expected: &BTreeMap<String, V>,
    actual: &BTreeMap<String, V>,
    label: &dyn Fn(&str) -> String,
    sides: Sides,
    out: &mut Vec<String>,
    both: impl Fn(&str, &V, &V, &mut Vec<String>),
) {
    for (name, e) in expected {
        match actual.get(name) {
            None => out.push(format!("{}: {}", label(name), sides.missing)),
            Some(l) => both(name, e, l, out),
        }
    }
    for name in actual.keys().filter(|n| !expected.contains_key(*n)) {
        out.push(format!("{}: {}", label(name), sides.extra));
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
            generated: None,
            collation: None,
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
        let d = diff(&a, &b, Sides::LIVE);
        assert!(
            d.contains(
                &"column `users.email`: type `text` expected, type `varchar(255)` live".to_string()
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
        assert!(diff(&a, &a, Sides::LIVE).is_empty());
        // Round trips word the sides as steps, not as "live".
        let d = diff(&a, &b, Sides::AFTER_DOWN);
        assert!(
            d.contains(&"view `v`: left behind by the down".to_string()),
            "{d:?}"
        );
        assert!(d.iter().all(|l| !l.contains("live")), "{d:?}");
    }

    #[test]
    fn literals_keep_their_case_and_spaces() {
        assert_eq!(
            normalize_sql("SELECT  X\nFROM t WHERE r = 'Admin'"),
            "select x from t where r = 'Admin'"
        );
        assert_ne!(normalize_sql("r = 'Admin'"), normalize_sql("r = 'admin'"));
        assert_ne!(normalize_sql("r = 'a  b'"), normalize_sql("r = 'a b'"));
        assert_ne!(normalize_sql("\"T\".x"), normalize_sql("\"t\".x"));
        assert_eq!(normalize_sql("'it''s'  X"), "'it''s' x");
        assert_eq!(
            normalize_sql("AS $$ BEGIN  IF r = 'A' $$ LANGUAGE X"),
            "as $$ BEGIN  IF r = 'A' $$ language x"
        );
        assert_eq!(normalize_sql("$1 + $Tag$x$Tag$"), "$1 + $Tag$x$Tag$");
        assert_eq!(normalize_sql("'unterminated  X"), "'unterminated  X");
    }

    #[test]
    fn keys_and_indexes_read_as_sql() {
        let mut a = Schema::default();
        let mut t = Table::default();
        t.columns.insert("id".into(), col("integer"));
        a.tables.insert("docs".into(), t);
        a.indexes.insert(
            "docs_email".into(),
            Index {
                table: "docs".into(),
                columns: vec!["<expression>".into()],
                unique: true,
                partial: false,
            },
        );
        let mut b = a.clone();
        let docs = b.tables.get_mut("docs").unwrap();
        docs.primary_key = vec!["id".into()];
        docs.uniques.insert(vec!["id".into()]);
        docs.foreign_keys.insert(ForeignKey {
            columns: vec!["owner_id".into()],
            table: "users".into(),
            referenced: vec!["id".into()],
            actions: "on delete cascade".into(),
        });
        let ix = b.indexes.get_mut("docs_email").unwrap();
        ix.columns = vec!["email".into()];
        ix.partial = true;
        let d = diff(&a, &b, Sides::LIVE);
        assert_eq!(
            d,
            [
                "table `docs`: no primary key expected, primary key (id) live",
                "table `docs`: unique (id): not expected (live only)",
                "table `docs`: foreign key (owner_id) references users (id) on delete cascade: not expected (live only)",
                "index `docs_email`: unique on docs (<expression>) expected, unique on docs (email) where … live",
            ]
        );
    }
}
