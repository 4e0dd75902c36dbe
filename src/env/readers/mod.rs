//! Reader models (SPEC §8): how each real consumer of an env file reads it.
//!
//! Each model is a small pure function from the file's text to the
//! assignments that consumer makes, in file order, duplicates included. A
//! model never consults gonogo's own environment: a `${NAME}` the file does
//! not define is recorded in [`Entry::external`], and a value the model
//! cannot determine (a command the consumer would run) in
//! [`Entry::opaque`]. The differential tests in `properties/readers.rs`
//! hold the models to the real libraries.

mod bash;
mod compose;
mod docker;
mod dotenvx;
mod dotenvy;
mod node_dotenv;
mod python_dotenv;
mod subst;
mod systemd;
pub(crate) mod text;

use std::fmt;

/// A consumer of env files that gonogo models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reader {
    /// The Rust crate `dotenvy` (`dotenvy::dotenv()`, first value wins).
    Dotenvy,
    /// Python's `python-dotenv` (`load_dotenv`, with interpolation).
    PythonDotenv,
    /// Node's `dotenv` (`require('dotenv').config()`).
    NodeDotenv,
    /// `@dotenvx/dotenvx` (expansion; command substitution is opaque).
    Dotenvx,
    /// Docker Compose's `.env` and `env_file` reader (compose-go).
    Compose,
    /// systemd's `EnvironmentFile=`.
    Systemd,
    /// `docker run --env-file` (values taken literally).
    Docker,
    /// A POSIX shell: `set -a; . ./file` in bash.
    Bash,
}

impl Reader {
    /// Every reader, in documentation order.
    pub const ALL: [Reader; 8] = [
        Reader::Dotenvy,
        Reader::PythonDotenv,
        Reader::NodeDotenv,
        Reader::Dotenvx,
        Reader::Compose,
        Reader::Systemd,
        Reader::Docker,
        Reader::Bash,
    ];

    /// The default `[policy] readers` (SPEC §8).
    pub const DEFAULT: [Reader; 4] = [
        Reader::Dotenvy,
        Reader::PythonDotenv,
        Reader::NodeDotenv,
        Reader::Compose,
    ];

    /// The name used in the matrix file and in findings.
    pub fn name(self) -> &'static str {
        match self {
            Reader::Dotenvy => "dotenvy",
            Reader::PythonDotenv => "python-dotenv",
            Reader::NodeDotenv => "node-dotenv",
            Reader::Dotenvx => "dotenvx",
            Reader::Compose => "compose",
            Reader::Systemd => "systemd",
            Reader::Docker => "docker",
            Reader::Bash => "bash",
        }
    }

    /// The reader with this name.
    pub fn from_name(name: &str) -> Option<Reader> {
        Reader::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Reads a file's text as this consumer does.
    pub fn read(self, text: &str) -> Result<Vec<Entry>, ReadError> {
        let mut entries = self.read_model(text)?;
        // What the consumer does with a NUL byte when it sets the variable:
        // Node's `process.env` cuts the value there; python-dotenv raises,
        // dotenvy panics; the others are not known to accept it.
        for e in &mut entries {
            if e.key.contains('\0') || e.value.contains('\0') {
                match self {
                    Reader::NodeDotenv | Reader::Dotenvx if !e.key.contains('\0') => {
                        let cut = e.value.find('\0').unwrap_or(e.value.len());
                        e.value.truncate(cut);
                    }
                    _ => {
                        return Err(ReadError::at(
                            e.line,
                            format!("{self} refuses a NUL byte in a key or value"),
                        ));
                    }
                }
            }
        }
        Ok(entries)
    }

    fn read_model(self, text: &str) -> Result<Vec<Entry>, ReadError> {
        match self {
            Reader::Dotenvy => dotenvy::read(text),
            Reader::PythonDotenv => python_dotenv::read(text),
            Reader::NodeDotenv => node_dotenv::read(text),
            Reader::Dotenvx => dotenvx::read(text),
            Reader::Compose => compose::read(text),
            Reader::Systemd => systemd::read(text),
            Reader::Docker => docker::read(text),
            Reader::Bash => bash::read(text),
        }
    }

    /// Whether a key set twice keeps its first value (else the last).
    pub fn first_wins(self) -> bool {
        matches!(self, Reader::Dotenvy)
    }
}

impl fmt::Display for Reader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One assignment as a consumer makes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    /// The key, as the consumer reads it.
    pub key: String,
    /// The value, as the consumer reads it (after any substitution).
    pub value: String,
    /// 1-based line of the key (lines end at `\n`).
    pub line: usize,
    /// Keys of the file whose values were substituted into this value.
    pub from: Vec<String>,
    /// Names substituted that the file does not define: the reading
    /// process's environment decides them.
    pub external: Vec<String>,
    /// Why the value cannot be known without running something.
    pub opaque: Option<String>,
    /// The value's text spans more than one line of the file.
    pub spans_lines: bool,
    /// This line removes the key instead of setting it (python-dotenv's
    /// bare `KEY` after `KEY=value`); it counts as setting the key twice.
    pub unsets: bool,
}

impl Entry {
    /// An entry with a plain value.
    pub fn new(key: impl Into<String>, value: impl Into<String>, line: usize) -> Entry {
        Entry {
            key: key.into(),
            value: value.into(),
            line,
            ..Entry::default()
        }
    }

    /// Whether the value is exactly what the file says, known without the
    /// reading process's environment or a command.
    pub fn is_determined(&self) -> bool {
        self.external.is_empty() && self.opaque.is_none()
    }
}

/// A file a consumer refuses (or, for a consumer that skips what it cannot
/// read, nothing: those models never fail). Never holds a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// 1-based line where the consumer fails.
    pub line: usize,
    /// Why the consumer refuses the line.
    pub message: String,
}

impl ReadError {
    pub(crate) fn at(line: usize, message: impl Into<String>) -> ReadError {
        ReadError {
            line,
            message: message.into(),
        }
    }
}

/// The longest value substitution may build: past it (nested `${A}`s
/// doubling at every level) the value is opaque instead of exhausting
/// memory.
pub const MAX_SUBSTITUTED: usize = 1 << 20;

/// The values a substituting reader has seen so far, for `${NAME}` lookups
/// inside the file.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    values: std::collections::HashMap<String, String>,
}

impl Scope {
    /// Records an assignment; a later one shadows an earlier one for lookups
    /// unless `first_wins`.
    pub fn set(&mut self, key: &str, value: &str, first_wins: bool) {
        if first_wins && self.values.contains_key(key) {
            return;
        }
        self.values.insert(key.to_string(), value.to_string());
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// Substitutes `name` into `out`, recording the dependency on `entry`:
    /// from the file when it defines the name, else empty and external.
    pub fn substitute(
        &self,
        name: &str,
        default: Option<&str>,
        out: &mut String,
        entry: &mut Entry,
    ) {
        if name.is_empty() {
            out.push_str(default.unwrap_or(""));
            return;
        }
        match self.get(name) {
            Some(v) if out.len() + v.len() > MAX_SUBSTITUTED => {
                entry.opaque = Some(format!(
                    "substitution makes the value longer than {MAX_SUBSTITUTED} bytes"
                ));
            }
            Some(v) => {
                out.push_str(v);
                if !entry.from.iter().any(|f| f == name) {
                    entry.from.push(name.to_string());
                }
            }
            None => {
                out.push_str(default.unwrap_or(""));
                if !entry.external.iter().any(|f| f == name) {
                    entry.external.push(name.to_string());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
