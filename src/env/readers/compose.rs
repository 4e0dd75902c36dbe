//! Docker Compose (v2, compose-go's `dotenv` parser): `.env` and `env_file`.
//!
//! - A BOM is dropped and `\r\n` becomes `\n`; a bare `\r` is a blank.
//! - Statements: blanks and `#` comment lines skipped; optional `export`;
//!   a key of letters, digits and `_ . - [ ]` ended by `=` or `:` (a key
//!   alone on its line is taken from the reading process's environment).
//! - Unquoted values run to the line end, cut at ` #`, trimmed.
//!   `'…'` and `"…"` values may span lines; a backslash keeps the next
//!   character (`\"` inside `"…"` is a quote); in `"…"` `\n` and `\r` are
//!   line breaks and other escapes drop the backslash. Text after a closing
//!   quote starts the next statement.
//! - `$NAME`, `${NAME}`, `${NAME:-d}`, `${NAME-d}` and `$$` are expanded in
//!   unquoted and `"…"` values (the reading process's environment wins);
//!   other `$` forms are opaque. A key set twice keeps its last value.

use super::subst::expand;
use super::text::{LineIndex, go_space, strip_bom};
use super::{Entry, ReadError, Scope};

/// compose-go's `isSpace`: blanks other than `\n`.
fn blank(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

/// Reads a file as Docker Compose does.
pub fn read(original: &str) -> Result<Vec<Entry>, ReadError> {
    let text = strip_bom(original).replace("\r\n", "\n");
    // Offsets in `text` back to lines of the original: count `\n`s, which
    // the replacement kept one for one.
    let lines = LineIndex::new(&text);
    let line = |at: usize| lines.line(at);
    let mut scope = Scope::default();
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        // getStatementStart: skip Unicode space and `#` lines.
        loop {
            pos += text[pos..]
                .find(|c: char| !go_space(c))
                .unwrap_or(text.len() - pos);
            if text[pos..].starts_with('#') {
                pos = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
                continue;
            }
            break;
        }
        if pos >= text.len() {
            break;
        }
        let mut src = &text[pos..];
        if let Some(after) = src.strip_prefix("export")
            && after.starts_with(|c: char| c.is_whitespace())
        {
            src = after.trim_start_matches(blank);
        }
        let start = text.len() - src.len();
        let mut key_end = None;
        for (i, c) in src.char_indices() {
            if blank(c) {
                continue;
            }
            match c {
                '=' | ':' | '\n' => {
                    key_end = Some((i, c));
                    break;
                }
                '_' | '.' | '-' | '[' | ']' => {}
                c if c.is_alphabetic() || c.is_numeric() => {}
                _ => {
                    return Err(ReadError::at(
                        line(start),
                        "compose refuses this line: a character a variable name cannot hold",
                    ));
                }
            }
        }
        let Some((i, sep)) = key_end else {
            return Err(ReadError::at(
                line(start),
                "compose refuses this line: no `=`",
            ));
        };
        let key = src[..i].trim_end_matches(go_space).to_string();
        if key.contains(' ') {
            return Err(ReadError::at(
                line(start),
                "compose refuses this line: a key cannot contain a space",
            ));
        }
        let key_line = line(start);
        if sep == '\n' {
            // Inherited from the reading process's environment.
            out.push(Entry {
                external: vec![key.clone()],
                ..Entry::new(key, "", key_line)
            });
            pos = start + i + 1;
            continue;
        }
        let rest = src[i + 1..].trim_start_matches(blank);
        let value_at = text.len() - rest.len();
        let mut entry = Entry::new(key, "", key_line);
        let (value, next) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let Some((raw, end)) = quoted(rest, q) else {
                    return Err(ReadError::at(
                        key_line,
                        "compose refuses this line: an unterminated quoted value",
                    ));
                };
                entry.spans_lines = raw.contains('\n');
                let v = if q == '"' && raw.contains("\\$") {
                    None
                } else if q == '"' {
                    expand(&escapes(&raw), true, &scope, &mut entry)
                } else {
                    Some(raw)
                };
                (v, value_at + end)
            }
            _ => {
                let (v, _) = rest.split_once('\n').unwrap_or((rest, ""));
                let v = v
                    .split(" #")
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches(go_space);
                let next = value_at + rest.find('\n').map_or(rest.len(), |j| j + 1);
                (expand(v, true, &scope, &mut entry), next)
            }
        };
        match value {
            Some(v) => entry.value = v,
            None => {
                entry.opaque =
                    Some("compose expands this `$` form in a way the model does not follow".into())
            }
        }
        scope.set(&entry.key, &entry.value, false);
        out.push(entry);
        pos = next;
    }
    Ok(out)
}

/// A quoted value at the start of `s`: its text (a backslash before the
/// quote dropped, other backslashes kept) and the offset after the quote.
fn quoted(s: &str, q: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut escape = false;
    for (i, c) in s.char_indices().skip(1) {
        if c != q {
            if !escape && c == '\\' {
                escape = true;
                continue;
            }
            if escape {
                escape = false;
                out.push('\\');
            }
            out.push(c);
            continue;
        }
        if escape {
            escape = false;
            out.push(c);
            continue;
        }
        return Some((out, i + 1));
    }
    None
}

/// `expandEscapes`: `\n` and `\r` become breaks, `\$` stays, any other
/// `\X` becomes `X`.
fn escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('$') => out.push_str("\\$"),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
