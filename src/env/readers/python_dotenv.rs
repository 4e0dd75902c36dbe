//! Python's `python-dotenv` 1.x, as `load_dotenv(path)` loads a file.
//!
//! - The file is opened as UTF-8 text with universal newlines: `\r\n` and
//!   a bare `\r` both become `\n`. A BOM is not removed (the first key then
//!   starts with U+FEFF). Other line separators (U+2028…) are blanks.
//! - Bindings: blanks (Unicode), optional `export` and blanks, a key
//!   (`'…'` or `[^=#\s]+`), blanks, then `=` and a value, or no value (the
//!   key is not set). A binding it cannot read is skipped up to the end of
//!   the line where it failed, with a warning; nothing is refused.
//! - Values: `'…'` with `\\ \'` escapes; `"…"` with `\\ \' \" \a \b \f \n
//!   \r \t \v` escapes (both may span lines); unquoted up to the line end,
//!   cut at a `#` after a blank and right-trimmed. After a value only
//!   blanks and a `#` comment may follow, else the binding is skipped.
//! - `${NAME}` and `${NAME:-default}` are substituted in every value,
//!   quoted or not, from the keys read so far (the reading process's
//!   environment wins, under `override=False`). A key set twice keeps its
//!   last value.

use super::text::{Normalized, py_space};
use super::{Entry, ReadError, Scope};

/// `[^\S\r\n]`: a blank that is not a line break.
fn blank(c: char) -> bool {
    py_space(c) && c != '\r' && c != '\n'
}

fn skip(s: &str, mut pos: usize, f: impl Fn(char) -> bool) -> usize {
    while let Some(c) = s[pos..].chars().next() {
        if !f(c) {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

/// A quoted value `q((?:\\q|[^q])*)q` at `pos`, as Python's backtracking
/// regex engine matches it: the inside and the end. The run stops at the
/// first quote not taken by a `\q` pair; with none, the engine backtracks to
/// the last `\q` pair, whose backslash then ends the value and whose quote
/// closes it.
fn quoted(s: &str, pos: usize, q: char) -> Option<(&str, usize)> {
    let inner = pos + 1;
    let mut i = inner;
    let mut last_pair = None;
    let bytes = s.as_bytes();
    while i < s.len() {
        match bytes[i] {
            b'\\' if s[i + 1..].starts_with(q) => {
                last_pair = Some(i + 1);
                i += 2;
            }
            b if b as char == q => return Some((&s[inner..i], i + 1)),
            _ => i += s[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    last_pair.map(|close| (&s[inner..close], close + 1))
}

/// `decode_escapes`: the listed escapes become their characters.
fn unescape(s: &str, escapes: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&n)) if escapes.contains(n) => {
                chars.next();
                out.push(match n {
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'v' => '\u{b}',
                    other => other,
                });
            }
            _ => out.push(c),
        }
    }
    out
}

/// One binding: `Ok(Some(..))` a key with a value or none, `Ok(None)` a
/// blank or comment line, `Err(pos)` the position where reading failed.
#[allow(clippy::type_complexity)]
fn binding(
    s: &str,
    start: usize,
) -> (
    Result<Option<(String, usize, Option<(String, usize)>)>, usize>,
    usize,
) {
    let mut pos = skip(s, start, py_space);
    if pos >= s.len() {
        return (Ok(None), pos);
    }
    // export[^\S\r\n]+
    if s[pos..].starts_with("export") {
        let after = skip(s, pos + 6, blank);
        if after > pos + 6 {
            pos = after;
        }
    }
    let key_at = pos;
    let key = match s[pos..].chars().next() {
        Some('#') => None,
        Some('\'') => match s[pos + 1..].find('\'') {
            Some(len) if len > 0 => {
                let k = s[pos + 1..pos + 1 + len].to_string();
                pos += len + 2;
                Some(k)
            }
            _ => return (Err(pos), pos),
        },
        _ => {
            let end = skip(s, pos, |c| c != '=' && c != '#' && !py_space(c));
            if end == pos {
                return (Err(pos), pos);
            }
            let k = s[pos..end].to_string();
            pos = end;
            Some(k)
        }
    };
    pos = skip(s, pos, blank);
    let mut value = None;
    if s[pos..].starts_with('=') {
        pos = skip(s, pos + 1, blank);
        let value_at = pos;
        let v = match s[pos..].chars().next() {
            Some(q @ ('\'' | '"')) => {
                let Some((inner, end)) = quoted(s, pos, q) else {
                    return (Err(pos), pos);
                };
                pos = end;
                if q == '\'' {
                    unescape(inner, "\\'")
                } else {
                    unescape(inner, "\\'\"abfnrtv")
                }
            }
            None | Some('\n' | '\r') => String::new(),
            Some(_) => {
                let end = s[pos..].find(['\r', '\n']).map_or(s.len(), |i| pos + i);
                let part = &s[pos..end];
                pos = end;
                strip_comment(part).trim_end_matches(py_space).to_string()
            }
        };
        value = Some((v, value_at));
    }
    // (?:[^\S\r\n]*#[^\r\n]*)?
    let after_blank = skip(s, pos, blank);
    if s[after_blank..].starts_with('#') {
        pos = s[after_blank..]
            .find(['\r', '\n'])
            .map_or(s.len(), |i| after_blank + i);
    }
    // [^\S\r\n]*(?:\r\n|\n|\r|$)
    pos = skip(s, pos, blank);
    if pos < s.len() {
        if s[pos..].starts_with('\n') {
            pos += 1;
        } else {
            return (Err(pos), pos);
        }
    }
    (Ok(key.map(|k| (k, key_at, value))), pos)
}

/// `re.sub(r"\s+#.*", "", part)`: from the first `#` after blanks.
fn strip_comment(part: &str) -> &str {
    let mut prev_blank_from = None;
    for (i, c) in part.char_indices() {
        if py_space(c) {
            prev_blank_from.get_or_insert(i);
        } else if c == '#' && prev_blank_from.is_some() {
            return &part[..prev_blank_from.unwrap_or(i)];
        } else {
            prev_blank_from = None;
        }
    }
    part
}

/// Reads a file as `load_dotenv(path)` does.
pub fn read(original: &str) -> Result<Vec<Entry>, ReadError> {
    let n = Normalized::new(original);
    let s = n.text.as_str();
    let mut pos = 0;
    let mut raw = Vec::new();
    while pos < s.len() {
        let (result, end) = binding(s, pos);
        match result {
            Ok(Some(b)) => {
                raw.push(b);
                pos = end;
            }
            Ok(None) => pos = end,
            Err(at) => {
                // `_rest_of_line` from where it failed.
                pos = s[at..].find('\n').map_or(s.len(), |i| at + i + 1);
            }
        }
    }
    let mut scope = Scope::default();
    let mut out = Vec::new();
    for (key, key_at, value) in raw {
        let Some((v, value_at)) = value else {
            // A key without `=` is not set, but reads as empty in lookups;
            // after a value it unsets the key, which counts as setting it
            // twice.
            scope.set(&key, "", false);
            if out.iter().any(|e: &Entry| e.key == key) {
                out.push(Entry {
                    unsets: true,
                    ..Entry::new(key, "", n.line(key_at))
                });
            }
            continue;
        };
        let mut entry = Entry::new(key, "", n.line(key_at));
        entry.spans_lines = n.line(value_at) != n.line(value_at + raw_len(s, value_at));
        entry.value = interpolate(&v, &scope, &mut entry);
        scope.set(&entry.key, &entry.value, false);
        out.push(entry);
    }
    Ok(out)
}

/// The length of the value's source text at `at` (to the end of its
/// quoted run or line).
fn raw_len(s: &str, at: usize) -> usize {
    match s[at..].chars().next() {
        Some(q @ ('\'' | '"')) => quoted(s, at, q).map_or(0, |(_, end)| end - at),
        _ => s[at..].find('\n').unwrap_or(s.len() - at),
    }
}

/// `${NAME}` and `${NAME:-default}` (name `[^}:]*`, default `[^}]*`).
fn interpolate(v: &str, scope: &Scope, entry: &mut Entry) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(i) = rest.find("${") {
        let body = &rest[i + 2..];
        let name_end = body.find(['}', ':']).unwrap_or(body.len());
        let name = &body[..name_end];
        let tail = &body[name_end..];
        let (default, consumed) = if tail.starts_with('}') {
            (None, name_end + 1)
        } else if let Some(d) = tail.strip_prefix(":-") {
            match d.find('}') {
                Some(j) => (Some(&d[..j]), name_end + 2 + j + 1),
                None => {
                    out.push_str(&rest[..i + 2]);
                    rest = &rest[i + 2..];
                    continue;
                }
            }
        } else {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
            continue;
        };
        out.push_str(&rest[..i]);
        if name.is_empty() {
            out.push_str(default.unwrap_or(""));
        } else {
            scope.substitute(name, default, &mut out, entry);
        }
        rest = &body[consumed..];
    }
    out.push_str(rest);
    out
}
