//! The Rust crate `dotenvy` 0.15, as `dotenvy::dotenv()` loads a file.
//!
//! - A leading BOM is dropped (`load` removes it).
//! - Physical lines end at `\n` (a `\r` before it is dropped; a bare `\r`
//!   is part of the value). A quote left open continues the logical line
//!   onto the next physical line, whatever it holds; a file that ends
//!   inside a quote, after a trailing backslash or after trailing blanks
//!   with no newline is refused.
//! - Keys: `[A-Za-z_][A-Za-z0-9_.]*`, optional `export `; a line that is
//!   not `KEY=...` is refused.
//! - Values: `'…'` literal; `"…"` with `\\ \' \" \$ \  \n` escapes and
//!   substitution; unquoted likewise, ending at a blank (after which only
//!   blanks and a `#` comment may follow). Quoted and unquoted runs
//!   concatenate (`a"b"'c'`). Any other escape is refused.
//! - `$NAME` (NAME = alphanumeric, no `_`) and `${NAME}` substitute the
//!   reading process's environment first, then the file's last value so far.
//! - A key set twice keeps its first value.

use super::text::{LineIndex, char_offset, line_at, strip_bom};
use super::{Entry, ReadError, Scope};

/// The state of `dotenvy`'s line joiner after a chunk of text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    Complete,
    Escape,
    Strong,
    StrongEscape,
    Weak,
    WeakEscape,
    Blank,
}

/// Where a logical line starts and what it holds.
struct Logical<'a> {
    start: usize,
    text: &'a str,
}

/// Splits into dotenvy's logical lines (comments already emptied).
fn logical_lines(text: &str) -> Result<Vec<Logical<'_>>, ReadError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let start = pos;
        let mut state = Join::Complete;
        loop {
            if pos >= text.len() {
                if state == Join::Complete {
                    break;
                }
                return Err(ReadError::at(
                    line_at(text, start),
                    "dotenvy refuses this line: a quote, a backslash or trailing blanks run on to the end of the file",
                ));
            }
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
            let chunk = &text[pos..end];
            pos = end;
            if text[start..end].trim_start().starts_with('#') {
                out.push(Logical { start, text: "" });
                state = Join::Complete;
                break;
            }
            let mut cut = None;
            for (i, c) in chunk.char_indices() {
                state = match state {
                    Join::Blank if c == '#' => {
                        cut = Some(pos - chunk.len() + i);
                        break;
                    }
                    Join::Blank | Join::Complete => match c {
                        '\\' => Join::Escape,
                        '"' => Join::Weak,
                        '\'' => Join::Strong,
                        c if state == Join::Complete
                            && c.is_whitespace()
                            && c != '\n'
                            && c != '\r' =>
                        {
                            Join::Blank
                        }
                        _ => Join::Complete,
                    },
                    Join::Escape => Join::Complete,
                    Join::Weak => match c {
                        '\\' => Join::WeakEscape,
                        '"' => Join::Complete,
                        _ => Join::Weak,
                    },
                    Join::WeakEscape => Join::Weak,
                    Join::Strong => match c {
                        '\\' => Join::StrongEscape,
                        '\'' => Join::Complete,
                        _ => Join::Strong,
                    },
                    Join::StrongEscape => Join::Strong,
                };
            }
            if let Some(cut) = cut {
                out.push(Logical {
                    start,
                    text: &text[start..cut],
                });
                state = Join::Complete;
                break;
            }
            if state == Join::Complete {
                let mut line = &text[start..end];
                if let Some(l) = line.strip_suffix('\n') {
                    line = l.strip_suffix('\r').unwrap_or(l);
                }
                out.push(Logical { start, text: line });
                break;
            }
        }
        if state != Join::Complete {
            break;
        }
    }
    Ok(out)
}

/// Reads a file as `dotenvy::dotenv()` does.
pub fn read(text: &str) -> Result<Vec<Entry>, ReadError> {
    let bom = text.len() - strip_bom(text).len();
    let body = strip_bom(text);
    let mut scope = Scope::default();
    let mut out = Vec::new();
    let lines = LineIndex::new(text);
    for logical in logical_lines(body)? {
        let start = bom + logical.start;
        let refuse = |offset: usize| {
            ReadError::at(
                lines.line(offset),
                "dotenvy refuses this line (not `KEY=VALUE`, an unknown escape, or text after a blank)",
            )
        };
        let line = logical.text.trim_end();
        let lead = line.len() - line.trim_start().len();
        let mut rest = &line[lead..];
        let mut at = start + lead;
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let key_at = at;
        let mut key = take_key(rest).ok_or_else(|| refuse(at))?;
        rest = &rest[key.len()..];
        at += key.len();
        let skipped = rest.len() - rest.trim_start().len();
        rest = &rest[skipped..];
        at += skipped;
        if key == "export" && !rest.starts_with('=') {
            key = take_key(rest).ok_or_else(|| refuse(at))?;
            rest = &rest[key.len()..];
            at += key.len();
            let skipped = rest.len() - rest.trim_start().len();
            rest = &rest[skipped..];
            at += skipped;
        }
        let Some(after) = rest.strip_prefix('=') else {
            return Err(refuse(at));
        };
        at += 1;
        let skipped = after.len() - after.trim_start().len();
        let value_text = &after[skipped..];
        at += skipped;
        let mut entry = Entry::new(key, "", lines.line(key_at));
        if !(value_text.is_empty() || value_text.starts_with('#')) {
            let value = parse_value(value_text, &scope, &mut entry)
                .map_err(|chars| refuse(char_offset(text, at, chars)))?;
            entry.spans_lines = value_text.contains('\n');
            entry.value = value;
        }
        scope.set(&entry.key, &entry.value, false);
        out.push(entry);
    }
    Ok(out)
}

/// `[A-Za-z_][A-Za-z0-9_.]*` at the start of `s`.
fn take_key(s: &str) -> Option<&str> {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(s.len());
    Some(&s[..end])
}

#[derive(PartialEq, Eq)]
enum Subst {
    None,
    Name,
    Braced,
}

/// A value as dotenvy unquotes and substitutes it; the error is the
/// character index where dotenvy gives up.
fn parse_value(input: &str, scope: &Scope, entry: &mut Entry) -> Result<String, usize> {
    let (mut strong, mut weak, mut escaped, mut expect_end) = (false, false, false, false);
    let mut out = String::new();
    let mut mode = Subst::None;
    let mut name = String::new();
    for (index, c) in input.chars().enumerate() {
        if expect_end {
            match c {
                ' ' | '\t' => continue,
                '#' => break,
                _ => return Err(index),
            }
        } else if escaped {
            match c {
                '\\' | '\'' | '"' | '$' | ' ' => out.push(c),
                'n' => out.push('\n'),
                _ => return Err(index),
            }
            escaped = false;
        } else if strong {
            if c == '\'' {
                strong = false;
            } else {
                out.push(c);
            }
        } else if mode != Subst::None {
            if c.is_alphanumeric() {
                name.push(c);
            } else if mode == Subst::Name {
                if c == '{' && name.is_empty() {
                    mode = Subst::Braced;
                } else {
                    scope.substitute(&std::mem::take(&mut name), None, &mut out, entry);
                    if c == '$' {
                        mode = Subst::Name;
                    } else {
                        mode = Subst::None;
                        out.push(c);
                    }
                }
            } else if c == '}' {
                mode = Subst::None;
                scope.substitute(&std::mem::take(&mut name), None, &mut out, entry);
            } else {
                name.push(c);
            }
        } else if c == '$' {
            mode = Subst::Name;
        } else if weak {
            match c {
                '"' => weak = false,
                '\\' => escaped = true,
                _ => out.push(c),
            }
        } else {
            match c {
                '\'' => strong = true,
                '"' => weak = true,
                '\\' => escaped = true,
                ' ' | '\t' => expect_end = true,
                _ => out.push(c),
            }
        }
    }
    if mode == Subst::Braced || strong || weak {
        return Err(input.chars().count().saturating_sub(1));
    }
    if mode == Subst::Name {
        scope.substitute(&name, None, &mut out, entry);
    }
    Ok(out)
}
