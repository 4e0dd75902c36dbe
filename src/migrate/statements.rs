//! PostgreSQL migration text split into statements the way the server's
//! lexer sees them: literals (`'…'`, `E'…'`), quoted names, dollar-quoted
//! bodies and comments (nested `/* */`) never end a statement. Pure.

/// The first word of each statement, uppercased (`CREATE`, `COMMIT`, …).
pub fn first_words(sql: &str) -> Vec<String> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut at_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let skip = match c {
            b'-' if b.get(i + 1) == Some(&b'-') => b[i..]
                .iter()
                .position(|&x| x == b'\n')
                .map_or(b.len(), |p| i + p),
            b'/' if b.get(i + 1) == Some(&b'*') => block_comment(b, i),
            b'\'' => {
                let escapes = i > 0 && matches!(b[i - 1], b'E' | b'e') && !word_char(b, i - 2);
                quoted(b, i, b'\'', escapes)
            }
            b'"' => quoted(b, i, b'"', false),
            b'$' => dollar_quoted(sql, i).unwrap_or(i + 1),
            _ => i,
        };
        if skip != i {
            if at_start && !word.is_empty() {
                out.push(std::mem::take(&mut word).to_ascii_uppercase());
                at_start = false;
            }
            i = skip;
            continue;
        }
        if c == b';' {
            if at_start && !word.is_empty() {
                out.push(std::mem::take(&mut word).to_ascii_uppercase());
            }
            word.clear();
            at_start = true;
        } else if at_start {
            if c.is_ascii_alphabetic() || (c == b'_' && !word.is_empty()) {
                word.push(c as char);
            } else if !word.is_empty() {
                out.push(std::mem::take(&mut word).to_ascii_uppercase());
                at_start = false;
            } else if !c.is_ascii_whitespace() {
                at_start = false;
            }
        }
        i += 1;
    }
    if at_start && !word.is_empty() {
        out.push(word.to_ascii_uppercase());
    }
    out
}

/// Whether a migration can run inside a transaction it does not control:
/// not `-- no-transaction`, and no statement of its own begins, ends or
/// commits a transaction.
pub fn runs_inside_a_transaction(sql: &str) -> bool {
    const CONTROL: [&str; 9] = [
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "END",
        "ABORT",
        "START",
        "SAVEPOINT",
        "RELEASE",
        "PREPARE",
    ];
    !sql.starts_with("-- no-transaction")
        && first_words(sql)
            .iter()
            .all(|w| !CONTROL.contains(&w.as_str()))
}

fn word_char(b: &[u8], i: usize) -> bool {
    b.get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// The end of a nested `/* … */` comment starting at `i`.
fn block_comment(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// The end of a quoted run starting at `i` (a doubled quote stays inside;
/// with `escapes`, so does a backslash-escaped one).
fn quoted(b: &[u8], mut i: usize, q: u8, escapes: bool) -> usize {
    i += 1;
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
        } else if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// The end of a dollar-quoted string starting at `i`, if one starts there.
fn dollar_quoted(s: &str, i: usize) -> Option<usize> {
    let rest = &s[i + 1..];
    let tag_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    if !rest[tag_len..].starts_with('$') || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let tag = &s[i..i + tag_len + 2];
    let body = i + tag.len();
    Some(
        s[body..]
            .find(tag)
            .map_or(s.len(), |p| body + p + tag.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_split_as_the_server_splits_them() {
        assert_eq!(
            first_words(
                "CREATE TABLE t (x text DEFAULT ';'); -- COMMIT;\n\
                 DO $$ BEGIN PERFORM 1; END $$;\n\
                 /* outer /* COMMIT; */ still */ insert INTO t VALUES (E'\\';COMMIT');\n\
                 COMMIT;"
            ),
            ["CREATE", "DO", "INSERT", "COMMIT"]
        );
    }

    #[test]
    fn transaction_control_is_found() {
        assert!(runs_inside_a_transaction(
            "CREATE TABLE t (id int);\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;"
        ));
        assert!(!runs_inside_a_transaction(
            "BEGIN; CREATE TABLE t (id int); COMMIT;"
        ));
        assert!(!runs_inside_a_transaction(
            "CREATE TABLE t (id int);\ncommit;"
        ));
        assert!(!runs_inside_a_transaction(
            "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);"
        ));
    }
}
