//! Pure parsing of the definition text databases return: column lists,
//! foreign keys, SQLite CHECK clauses.

use super::super::schema::{ForeignKey, normalize_sql};
use std::collections::BTreeSet;

/// The names inside the first parenthesized list: `PRIMARY KEY (a, "b")` → `[a, b]`.
pub(super) fn paren_list(def: &str) -> Vec<String> {
    let Some(open) = def.find('(') else {
        return Vec::new();
    };
    let close = def[open..].find(')').map_or(def.len(), |i| open + i);
    def[open + 1..close]
        .split(',')
        .map(|s| s.trim().trim_matches('"').trim_matches('`').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `FOREIGN KEY (a) REFERENCES t(b) ON DELETE CASCADE`, as PostgreSQL's
/// `pg_get_constraintdef` writes it.
pub(super) fn foreign_key(def: &str) -> ForeignKey {
    let columns = paren_list(def);
    let Some(r) = def.find("REFERENCES ") else {
        return ForeignKey {
            columns,
            table: def.to_string(),
            referenced: Vec::new(),
            actions: String::new(),
        };
    };
    let rest = &def[r + "REFERENCES ".len()..];
    let table_end = rest.find('(').unwrap_or(rest.len());
    let table = rest[..table_end].trim().trim_matches('"').to_string();
    let referenced = paren_list(&rest[table_end..]);
    let actions = rest[table_end..]
        .find(')')
        .map_or("", |i| rest[table_end + i + 1..].trim())
        .to_lowercase();
    ForeignKey {
        columns,
        table,
        referenced,
        actions,
    }
}

/// The `CHECK (…)` clauses of a SQLite `CREATE TABLE` statement.
pub(super) fn sqlite_checks(sql: &str) -> BTreeSet<String> {
    // ASCII lowercase keeps every byte offset (a full lowercase does not:
    // `İ` grows), so positions found in `lower` slice `sql` safely.
    let lower = sql.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = BTreeSet::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("check") {
        let start = from + i;
        from = start + 5;
        let before_ok =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('(') {
            continue;
        }
        let open = lower.len() - after.len();
        let mut depth = 0;
        for (j, ch) in lower[open..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        out.insert(normalize_sql(&sql[open..=open + j]));
                        from = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_checks_are_found() {
        let c = sqlite_checks(
            "CREATE TABLE t (x int CHECK (x > 0), y int, CONSTRAINT c CHECK(y < (x + 1)))",
        );
        assert!(c.contains("(x > 0)"), "{c:?}");
        assert!(c.contains("(y < (x + 1))"), "{c:?}");
    }

    #[test]
    fn checks_after_names_that_grow_when_lowercased() {
        // Issue 15's attack: this panicked (a byte index inside `é`).
        let c = sqlite_checks(
            "CREATE TABLE \"İİİ\" (id INTEGER PRIMARY KEY, amount INT CHECK (amount > 0)/*éé*/)",
        );
        assert!(c.contains("(amount > 0)"), "{c:?}");
    }

    #[test]
    fn foreign_keys_parse() {
        let fk = foreign_key("FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE");
        assert_eq!(
            fk,
            ForeignKey {
                columns: vec!["owner_id".into()],
                table: "users".into(),
                referenced: vec!["id".into()],
                actions: "on delete cascade".into(),
            }
        );
        assert_eq!(
            fk.to_string(),
            "foreign key (owner_id) references users (id) on delete cascade"
        );
    }
}
