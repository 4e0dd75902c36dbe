//! `@dotenvx/dotenvx` (`dotenvx run`, `require('@dotenvx/dotenvx').config()`).
//!
//! dotenvx splits a file into keys and values as node `dotenv` does, then
//! expands `$NAME`, `${NAME}` and the shell's `${NAME:-…}` forms, decodes
//! more escapes in `"…"` values, runs `$(command)` substitutions and
//! decrypts `encrypted:` values. The model reads the split exactly and
//! stays out of what it cannot know: a value (not `'…'`-quoted) holding a
//! `$`, a backslash or a backtick, or any `encrypted:` value, is opaque,
//! which makes its key ambiguous (NO-GO), never a guess.

use super::node_dotenv::{finish, matches};
use super::text::{Normalized, js_line_end, js_space};
use super::{Entry, ReadError};

/// The properties of `Object.prototype`.
const JS_BUILTINS: [&str; 12] = [
    "__proto__",
    "constructor",
    "__defineGetter__",
    "__defineSetter__",
    "hasOwnProperty",
    "__lookupGetter__",
    "__lookupSetter__",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toString",
    "valueOf",
    "toLocaleString",
];

/// Reads a file as dotenvx splits it; expansions are opaque.
pub fn read(original: &str) -> Result<Vec<Entry>, ReadError> {
    let n = Normalized::new(original);
    let found = matches(&n.text);
    // dotenvx keeps its keys in a plain object: a key named like one of
    // `Object.prototype`'s properties makes it throw and set nothing.
    if let Some((_, at, _)) = found
        .iter()
        .find(|(k, _, _)| JS_BUILTINS.contains(&k.as_str()))
    {
        return Err(ReadError::at(
            n.line(*at),
            "dotenvx fails on a key named like a JavaScript built-in (`toString`, `__proto__`, …) and loads nothing",
        ));
    }
    Ok(found
        .into_iter()
        .map(|(key, at, raw)| {
            let raw = raw.unwrap_or("");
            let trimmed = raw.trim_matches(js_space);
            let value = finish(raw);
            let literal = trimmed.starts_with('\'') && trimmed.ends_with('\'') && trimmed.len() > 1;
            let opaque = if value.starts_with("encrypted:") {
                Some("dotenvx decrypts `encrypted:` values".to_string())
            } else if trimmed.contains('\\') || (!literal && trimmed.contains(['$', '`'])) {
                Some("dotenvx expands `$`, escapes and command substitutions here".to_string())
            } else {
                None
            };
            Entry {
                spans_lines: trimmed.contains(js_line_end),
                opaque,
                ..Entry::new(key, value, n.line(at))
            }
        })
        .collect())
}
