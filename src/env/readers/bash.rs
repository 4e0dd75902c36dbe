//! A POSIX shell sourcing the file with every variable exported
//! (`set -a; . ./file` in bash).
//!
//! The model follows files made of assignments only: `NAME=WORD` (several
//! on a line, optionally after `export`), `#` comments, `;` between
//! commands. Words follow the shell's quoting: `'…'` literal, `"…"` with
//! `\$ \` \" \\` and line-joining escapes, a backslash outside quotes
//! keeping the next character, `$NAME`, `${NAME}`, `${NAME:-d}` and
//! `${NAME-d}` expanded from earlier assignments (else the reading
//! process's environment). Anything else the shell would run or expand (a
//! command, `$(…)`, a backtick, `~`, `$1`, a redirection, a pipe) is
//! refused: the model does not guess what a command does.

use super::subst::expand;
use super::text::LineIndex;
use super::{Entry, ReadError, Scope};

/// Reads a file as `set -a; . ./file` does, or refuses it.
pub fn read(text: &str) -> Result<Vec<Entry>, ReadError> {
    let mut p = Parser {
        text,
        lines: LineIndex::new(text),
        pos: 0,
        scope: Scope::default(),
        out: Vec::new(),
    };
    p.run()?;
    Ok(p.out)
}

struct Parser<'a> {
    text: &'a str,
    lines: LineIndex,
    pos: usize,
    scope: Scope,
    out: Vec<Entry>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn refuse(&self, at: usize, why: &str) -> ReadError {
        ReadError::at(
            self.lines.line(at),
            format!("bash would {why} here; the model reads assignments only"),
        )
    }

    fn run(&mut self) -> Result<(), ReadError> {
        let mut first_word = true;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' => self.pos += 1,
                '\n' | ';' => {
                    self.pos += 1;
                    first_word = true;
                }
                '#' => {
                    self.pos = self.text[self.pos..]
                        .find('\n')
                        .map_or(self.text.len(), |i| self.pos + i);
                }
                '\\' if self.text[self.pos + 1..].starts_with('\n') => self.pos += 2,
                _ => {
                    let at = self.pos;
                    if first_word && self.text[at..].starts_with("export") {
                        let after = &self.text[at + 6..];
                        if after.starts_with([' ', '\t']) {
                            self.pos += 6;
                            first_word = false;
                            continue;
                        }
                    }
                    first_word = false;
                    self.assignment()?;
                }
            }
        }
        Ok(())
    }

    fn assignment(&mut self) -> Result<(), ReadError> {
        let at = self.pos;
        let rest = &self.text[at..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        if name.is_empty()
            || name.starts_with(|c: char| c.is_ascii_digit())
            || !rest[name_len..].starts_with('=')
        {
            return Err(self.refuse(at, "run a command"));
        }
        let name = name.to_string();
        self.pos = at + name_len + 1;
        let mut entry = Entry::new(name, "", self.lines.line(at));
        let value_at = self.pos;
        if self.text[self.pos..].starts_with('~') {
            return Err(self.refuse(self.pos, "expand `~`"));
        }
        let mut value = String::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | ';' => break,
                '|' | '&' | '(' | ')' | '<' | '>' | '`' => {
                    return Err(self.refuse(self.pos, "run or redirect a command"));
                }
                '\'' => {
                    let start = self.pos + 1;
                    let Some(len) = self.text[start..].find('\'') else {
                        return Err(self.refuse(self.pos, "fail on an unterminated quote"));
                    };
                    value.push_str(&self.text[start..start + len]);
                    self.pos = start + len + 1;
                }
                '"' => self.double(&mut value, &mut entry)?,
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(n) => {
                            value.push(n);
                            self.pos += n.len_utf8();
                        }
                        None => value.push('\\'),
                    }
                }
                '$' => self.dollar(&mut value, &mut entry)?,
                c => {
                    value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        entry.spans_lines = self.text[value_at..self.pos].contains('\n');
        entry.value = value;
        self.scope.set(&entry.key, &entry.value, false);
        self.out.push(entry);
        Ok(())
    }

    fn double(&mut self, value: &mut String, entry: &mut Entry) -> Result<(), ReadError> {
        let open = self.pos;
        self.pos += 1;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.refuse(open, "fail on an unterminated quote"));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(());
                }
                '`' => return Err(self.refuse(self.pos, "run a command")),
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(n @ ('$' | '`' | '"' | '\\')) => {
                            value.push(n);
                            self.pos += 1;
                        }
                        _ => value.push('\\'),
                    }
                }
                '$' => self.dollar(value, entry)?,
                c => {
                    value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn dollar(&mut self, value: &mut String, entry: &mut Entry) -> Result<(), ReadError> {
        let rest = &self.text[self.pos..];
        let len = if rest[1..].starts_with('{') {
            rest.find('}').map(|i| i + 1)
        } else {
            let n = rest[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len() - 1);
            (n > 0 && !rest[1..].starts_with(|c: char| c.is_ascii_digit())).then_some(n + 1)
        };
        let Some(len) = len else {
            return Err(self.refuse(self.pos, "expand a special parameter or run a command"));
        };
        let token = &rest[..len];
        let Some(expanded) = expand(token, false, &self.scope, entry) else {
            return Err(self.refuse(self.pos, "expand a form the model does not follow"));
        };
        if value.len() + expanded.len() > super::MAX_SUBSTITUTED {
            entry.opaque = Some(format!(
                "substitution makes the value longer than {} bytes",
                super::MAX_SUBSTITUTED
            ));
        } else {
            value.push_str(&expanded);
        }
        self.pos += len;
        Ok(())
    }
}
