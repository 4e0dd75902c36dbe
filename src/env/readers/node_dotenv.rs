//! Node's `dotenv` (16–18), as `require('dotenv').config()` loads a file:
//! its `LINE` regular expression, run globally over the text.
//!
//! - `\r\n` and a bare `\r` become `\n`; lines also end at U+2028 and
//!   U+2029 (JavaScript's `^`/`$` under `/m`), and `\s` includes the BOM,
//!   so a BOM is a blank.
//! - Each match: blanks, optional `export`, a key `[\w.-]+`, `=` (or `:`
//!   and a blank), then a `'…'`, `"…"` or `` `…` `` value (which may span
//!   lines) or an unquoted run up to `#` or the line end. Text that does not
//!   match is skipped silently.
//! - The value is trimmed; one pair of outer quotes is removed on each line
//!   of it; in a `"…"` value `\n` and `\r` become line breaks. No
//!   substitution. A key set twice keeps its last value.

use super::text::{Normalized, js_line_end, js_space};
use super::{Entry, ReadError};
use regex::Regex;
use std::sync::OnceLock;

/// dotenv's `LINE`, with JavaScript's `\s`, `\w` and `.` spelled out and the
/// final `$` consuming the line end (group 3) so it can be handed back.
fn line_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let s = r"[\t\n\x0B\x0C\r \xA0\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]";
        let pattern = format!(
            r#"\A{s}*(?:export{s}+)?([A-Za-z0-9_.\-]+)(?:{s}*={s}*?|:{s}+?)({s}*'(?:\\'|[^'])*'|{s}*"(?:\\"|[^"])*"|{s}*`(?:\\`|[^`])*`|[^#\r\n]+)?{s}*(?:#[^\n\r\x{{2028}}\x{{2029}}]*)?(?:\z|([\n\r\x{{2028}}\x{{2029}}]))"#
        );
        Regex::new(&pattern).expect("the LINE pattern compiles")
    })
}

/// The matches of `LINE` as `RegExp.prototype.exec` finds them: (key, its
/// offset, the raw value if any).
pub(crate) fn matches(s: &str) -> Vec<(String, usize, Option<&str>)> {
    let re = line_regex();
    let mut starts = vec![0];
    starts.extend(
        s.char_indices()
            .filter(|&(_, c)| js_line_end(c))
            .map(|(i, c)| i + c.len_utf8()),
    );
    let mut out = Vec::new();
    let mut last = 0;
    let mut next = 0;
    while next < starts.len() {
        let p = starts[next];
        next += 1;
        if p < last || p > s.len() {
            continue;
        }
        let Some(caps) = re.captures(&s[p..]) else {
            continue;
        };
        let whole = caps.get(0).expect("group 0");
        let end = p + whole.end() - caps.get(3).map_or(0, |m| m.len());
        let key = caps.get(1).expect("the key group");
        out.push((
            key.as_str().to_string(),
            p + key.start(),
            caps.get(2).map(|m| m.as_str()),
        ));
        last = end;
    }
    out
}

/// `value.replace(/^(['"`])([\s\S]*)\1$/mg, '$2')`.
pub(crate) fn strip_quotes(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        let at_line_start = i == 0 || v[..i].chars().next_back().is_some_and(js_line_end);
        let c = v[i..].chars().next().expect("in bounds");
        if at_line_start && matches!(c, '\'' | '"' | '`') {
            let close = v[i + 1..]
                .char_indices()
                .map(|(j, d)| (i + 1 + j, d))
                .rfind(|&(j, d)| d == c && v[j + 1..].chars().next().is_none_or(js_line_end));
            if let Some((j, _)) = close {
                out.push_str(&v[i + 1..j]);
                i = j + 1;
                continue;
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// A raw `LINE` value as dotenv finishes it.
pub(crate) fn finish(raw: &str) -> String {
    let trimmed = raw.trim_matches(js_space);
    let first = trimmed.chars().next();
    let mut v = strip_quotes(trimmed);
    if first == Some('"') {
        v = v.replace("\\n", "\n").replace("\\r", "\r");
    }
    v
}

/// Reads a file as `dotenv.config()` does.
pub fn read(original: &str) -> Result<Vec<Entry>, ReadError> {
    let n = Normalized::new(original);
    Ok(matches(&n.text)
        .into_iter()
        // `obj['__proto__'] = value` sets no key.
        .filter(|(key, _, _)| key != "__proto__")
        .map(|(key, at, raw)| {
            let raw = raw.unwrap_or("");
            Entry {
                spans_lines: raw.trim_matches(js_space).contains(js_line_end),
                ..Entry::new(key, finish(raw), n.line(at))
            }
        })
        .collect())
}
