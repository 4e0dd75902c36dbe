//! systemd's `EnvironmentFile=` (its `env-file` parser).
//!
//! - Lines starting (after blanks) with `#` or `;` are comments; a
//!   backslash at the end of a comment continues it.
//! - `KEY=VALUE`; blanks around the key and before the value are dropped.
//!   No `export`: `export KEY=…` is an invalid name, and the line is
//!   ignored, as are keys that are not valid names.
//! - Unquoted values: a backslash keeps the next character (a backslash
//!   before a line break joins the lines); trailing blanks are dropped;
//!   quotes in the middle are literal.
//! - A value starting with `'` runs literally to the next `'`; one starting
//!   with `"` runs to the next unescaped `"`, where `\"`, `\\`, `` \` ``
//!   and `\$` lose the backslash and other escapes keep it. Text after the
//!   closing quote is appended. No substitution. Last value wins.

use super::text::LineIndex;
use super::{Entry, ReadError};

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    PreKey,
    Key,
    PreValue,
    Value,
    ValueEscape,
    Single,
    Double,
    DoubleEscape,
    Comment,
    CommentEscape,
}

/// A valid environment variable name, as systemd checks it.
fn valid_name(k: &str) -> bool {
    !k.is_empty()
        && !k.starts_with(|c: char| c.is_ascii_digit())
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads a file as systemd's `EnvironmentFile=` does.
pub fn read(text: &str) -> Result<Vec<Entry>, ReadError> {
    use State::*;
    let mut out = Vec::new();
    let mut state = PreKey;
    let (mut key, mut value) = (String::new(), String::new());
    let (mut key_at, mut value_at) = (0, 0);
    // The length of `value` before its trailing unquoted blanks.
    let mut last_solid = 0;
    let lines = LineIndex::new(text);
    let finish = |key: &mut String,
                  value: &mut String,
                  key_at: usize,
                  value_at: usize,
                  end: usize,
                  out: &mut Vec<Entry>| {
        let k = key.trim_end_matches([' ', '\t', '\n', '\r']).to_string();
        if valid_name(&k) {
            out.push(Entry {
                spans_lines: lines.line(value_at) != lines.line(end),
                ..Entry::new(k, std::mem::take(value), lines.line(key_at))
            });
        }
        key.clear();
        value.clear();
    };
    for (i, c) in text.char_indices() {
        let newline = c == '\n' || c == '\r';
        state = match state {
            PreKey if c == '#' || c == ';' => Comment,
            PreKey if matches!(c, ' ' | '\t' | '\n' | '\r') => PreKey,
            PreKey => {
                key.push(c);
                key_at = i;
                Key
            }
            Key if newline => {
                key.clear();
                PreKey
            }
            Key if c == '=' => {
                value_at = i + 1;
                PreValue
            }
            Key => {
                key.push(c);
                Key
            }
            PreValue if newline => {
                finish(&mut key, &mut value, key_at, value_at, i, &mut out);
                PreKey
            }
            PreValue if c == ' ' || c == '\t' => PreValue,
            PreValue if c == '\'' => Single,
            PreValue if c == '"' => Double,
            PreValue if c == '\\' => ValueEscape,
            PreValue | Value if newline => {
                value.truncate(last_solid);
                finish(&mut key, &mut value, key_at, value_at, i, &mut out);
                last_solid = 0;
                PreKey
            }
            PreValue | Value if c == '\\' => ValueEscape,
            PreValue | Value => {
                value.push(c);
                if !matches!(c, ' ' | '\t') {
                    last_solid = value.len();
                }
                Value
            }
            ValueEscape => {
                if !newline {
                    value.push(c);
                    last_solid = value.len();
                }
                Value
            }
            Single if c == '\'' => {
                last_solid = value.len();
                PreValue
            }
            Single => {
                value.push(c);
                Single
            }
            Double if c == '"' => {
                last_solid = value.len();
                PreValue
            }
            Double if c == '\\' => DoubleEscape,
            Double => {
                value.push(c);
                Double
            }
            DoubleEscape => {
                if matches!(c, '"' | '\\' | '`' | '$') {
                    value.push(c);
                } else if !newline {
                    value.push('\\');
                    value.push(c);
                }
                Double
            }
            Comment if c == '\\' => CommentEscape,
            Comment if newline => PreKey,
            Comment => Comment,
            CommentEscape => Comment,
        };
    }
    match state {
        PreValue | Value | ValueEscape | Single | Double | DoubleEscape => {
            if matches!(state, PreValue | Value | ValueEscape) {
                value.truncate(last_solid.min(value.len()));
            }
            finish(&mut key, &mut value, key_at, value_at, text.len(), &mut out);
        }
        PreKey | Key | Comment | CommentEscape => {}
    }
    Ok(out)
}
