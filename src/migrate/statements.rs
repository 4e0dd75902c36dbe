//! Migration text split into statements the way the server's lexer sees
//! them: literals, quoted names, dollar-quoted bodies and comments never
//! end a statement, and identifiers may hold `$` and any letter. Pure.
//!
//! This lexer only decides how a replay is run (one transaction or one per
//! migration); the transaction itself is checked on the server after every
//! migration, so a misreading here can cost a retry, never the live server.

/// Which server's lexical rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lexer {
    /// `'…'` (`E'…'` with backslash escapes), `"…"`, `$tag$…$tag$`, `--`,
    /// nested `/* */`.
    Postgres,
    /// `'…'` and `"…"` with backslash escapes, `` `…` ``, `--`, `#`,
    /// `/* */` (but `/*! … */` is code, which MySQL runs).
    MySql,
}

/// One piece of migration text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// Code, including quoted names.
    Code,
    /// A string literal or dollar-quoted body (its text, quotes included).
    Literal,
    Comment,
}

/// The text cut into code, literals and comments.
fn pieces(sql: &str, lexer: Lexer) -> Vec<(Piece, &str)> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let ident = |j: usize| -> bool {
        j < b.len()
            && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'$' || b[j] >= 0x80)
    };
    while i < b.len() {
        let prev_ident = i > 0 && ident(i - 1);
        let found = match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => Some((
                Piece::Comment,
                b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |p| i + p),
            )),
            b'#' if lexer == Lexer::MySql => Some((
                Piece::Comment,
                b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |p| i + p),
            )),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                if lexer == Lexer::MySql && b.get(i + 2) == Some(&b'!') {
                    None // executable comment: code
                } else {
                    Some((
                        Piece::Comment,
                        block_comment(b, i, lexer == Lexer::Postgres),
                    ))
                }
            }
            b'\'' => {
                let escapes = match lexer {
                    Lexer::MySql => true,
                    // `E'…'` only where `E` starts a token: in `a$E'…'` the
                    // `E` ends an identifier and the string is a plain one.
                    Lexer::Postgres => {
                        i > 0 && matches!(b[i - 1], b'E' | b'e') && !(i > 1 && ident(i - 2))
                    }
                };
                Some((Piece::Literal, quoted(b, i, b'\'', escapes)))
            }
            b'"' => Some((Piece::Code, quoted(b, i, b'"', lexer == Lexer::MySql))),
            b'`' if lexer == Lexer::MySql => Some((Piece::Code, quoted(b, i, b'`', false))),
            b'$' if lexer == Lexer::Postgres && !prev_ident => {
                dollar_quoted(sql, i).map(|end| (Piece::Literal, end))
            }
            _ => None,
        };
        match found {
            Some((piece, end)) => {
                if start < i {
                    out.push((Piece::Code, &sql[start..i]));
                }
                out.push((piece, &sql[i..end]));
                i = end;
                start = end;
            }
            None => i += 1,
        }
    }
    if start < b.len() {
        out.push((Piece::Code, &sql[start..]));
    }
    out
}

/// The text without its comments (MySQL's `/*! … */` stays: it runs).
pub fn without_comments(sql: &str, lexer: Lexer) -> String {
    pieces(sql, lexer)
        .into_iter()
        .map(|(p, t)| if p == Piece::Comment { " " } else { t })
        .collect()
}

/// The first two words of each statement, uppercased (`CREATE TABLE`,
/// `COMMIT`, `SET LOCAL`).
pub fn heads(sql: &str, lexer: Lexer) -> Vec<String> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut open = true; // still reading the statement's first words
    let flush = |words: &mut Vec<String>, out: &mut Vec<String>| {
        if !words.is_empty() {
            out.push(words.join(" "));
        }
        words.clear();
    };
    for (piece, text) in pieces(sql, lexer) {
        match piece {
            Piece::Comment => {}
            Piece::Literal => {
                if open {
                    flush(&mut words, &mut out);
                }
                open = false;
            }
            Piece::Code => {
                for part in text.split_inclusive(';') {
                    let (body, ends) = match part.strip_suffix(';') {
                        Some(b) => (b, true),
                        None => (part, false),
                    };
                    if open {
                        let mut rest = body.trim_start();
                        while open && !rest.is_empty() {
                            let len = rest
                                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                                .unwrap_or(rest.len());
                            if len == 0 {
                                open = false;
                                break;
                            }
                            words.push(rest[..len].to_uppercase());
                            rest = rest[len..].trim_start();
                            if words.len() == 2 {
                                open = false;
                            }
                        }
                        if !open {
                            flush(&mut words, &mut out);
                        }
                    }
                    if ends {
                        flush(&mut words, &mut out);
                        open = true;
                    }
                }
            }
        }
    }
    flush(&mut words, &mut out);
    out
}

/// Whether a PostgreSQL migration can run inside a transaction it does not
/// control: not `-- no-transaction`, no statement of its own begins, ends
/// or commits a transaction, and no `SET LOCAL` (which sqlx's commit after
/// each migration would end, and one long transaction would not).
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
        && heads(sql, Lexer::Postgres).iter().all(|h| {
            let first = h.split(' ').next().unwrap_or_default();
            !CONTROL.contains(&first) && h != "SET LOCAL"
        })
}

/// The end of a `/* … */` comment starting at `i` (nested when `nested`).
fn block_comment(b: &[u8], mut i: usize, nested: bool) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') && (nested || depth == 0) {
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

/// The end of a dollar-quoted string starting at `i`, if one starts there
/// (`$$`, `$tag$`, tags of letters — any letter — digits and `_`, not
/// starting with a digit).
fn dollar_quoted(s: &str, i: usize) -> Option<usize> {
    let rest = &s[i + 1..];
    let tag_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
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
            heads(
                "CREATE TABLE t (x text DEFAULT ';'); -- COMMIT;\n\
                 DO $$ BEGIN PERFORM 1; END $$;\n\
                 /* outer /* COMMIT; */ still */ insert INTO t VALUES (E'\\';COMMIT');\n\
                 COMMIT;",
                Lexer::Postgres
            ),
            ["CREATE TABLE", "DO", "INSERT INTO", "COMMIT"]
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
        assert!(!runs_inside_a_transaction(
            "SET LOCAL ROLE app; CREATE TABLE a (id int);"
        ));
        // The third attack review: `$` and letters continue an identifier,
        // so neither `a$E'\'` nor `a$b$` opens anything.
        assert!(!runs_inside_a_transaction(
            "SELECT a$E'\\'; COMMIT; ALTER ROLE app CONNECTION LIMIT 7; SELECT 'x';"
        ));
        assert!(!runs_inside_a_transaction(
            "SELECT 1 AS a$b$; COMMIT; ALTER ROLE app CONNECTION LIMIT 8; SELECT 1 AS a$b$;"
        ));
        assert!(!runs_inside_a_transaction(
            "SELECT éE'\\'; COMMIT; SELECT 'x';"
        ));
    }

    #[test]
    fn comments_go_and_executable_comments_stay() {
        assert_eq!(
            without_comments(
                "ALTER /* x */ ROLE a; -- c\nGRANT r /* ON */ TO u",
                Lexer::Postgres
            ),
            "ALTER   ROLE a;  \nGRANT r   TO u"
        );
        assert_eq!(
            without_comments(
                "SET /*x*/ GLOBAL a = 1; # c\n/*!50000 SET GLOBAL b = 2 */",
                Lexer::MySql
            ),
            "SET   GLOBAL a = 1;  \n/*!50000 SET GLOBAL b = 2 */"
        );
        // A `--` inside a literal is not a comment.
        assert_eq!(
            without_comments("SELECT 'a--'; ALTER ROLE x", Lexer::Postgres),
            "SELECT 'a--'; ALTER ROLE x"
        );
    }
}
