//! An env file read as each selected reader reads it, and where the readers
//! part ways (SPEC §8). Pure: text in, readings or a located error out.

use super::evaluate::EnvFinding;
use super::readers::{Entry, Reader};
use crate::reason::Reason;
use crate::redact;
use std::collections::HashMap;

/// Why a file cannot be checked: a reader refuses it, or sets a key twice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// A reader refuses a line.
    #[error("{message}")]
    Parse {
        /// The line refused.
        line: usize,
        /// The readers that refuse it.
        readers: Vec<Reader>,
        /// What the reader says (one sentence naming them all when several refuse).
        message: String,
    },
    /// A reader sets a key twice.
    #[error(
        "`{key}`: duplicate key (first at line {first}), as {} read the file",
        names(readers)
    )]
    Duplicate {
        /// The key, redacted.
        key: String,
        /// The line that first sets it.
        first: usize,
        /// The line that sets it again.
        line: usize,
        /// The readers that read it twice.
        readers: Vec<Reader>,
    },
    /// The bytes are not UTF-8.
    #[error("not UTF-8 text")]
    NotUtf8 {
        /// The line of the first invalid byte.
        line: usize,
    },
}

impl FileError {
    /// The line the error names.
    pub fn line(&self) -> usize {
        match self {
            FileError::Parse { line, .. }
            | FileError::Duplicate { line, .. }
            | FileError::NotUtf8 { line } => *line,
        }
    }

    /// The reason code: `duplicate_key` for a duplicate, else `parse_error`.
    pub fn reason(&self) -> Reason {
        match self {
            FileError::Duplicate { .. } => Reason::DuplicateKey,
            FileError::Parse { .. } | FileError::NotUtf8 { .. } => Reason::ParseError,
        }
    }
}

fn names(readers: &[Reader]) -> String {
    let names: Vec<&str> = readers.iter().map(|r| r.name()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A file as each selected reader reads it; every key once per reader.
#[derive(Debug, Clone)]
pub struct Readings {
    /// Each reader with the entries it reads, in the order the readers were given.
    pub readers: Vec<(Reader, Vec<Entry>)>,
}

/// Reads a file's bytes with every reader. A reader that refuses the file,
/// a key a reader sets twice, or bytes that are not UTF-8 are errors naming
/// the line (the earliest, with every reader that fails there).
pub fn read_bytes(bytes: &[u8], readers: &[Reader]) -> Result<Readings, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|e| FileError::NotUtf8 {
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
    })?;
    read_text(text, readers)
}

/// [`read_bytes`] on text.
pub fn read_text(text: &str, readers: &[Reader]) -> Result<Readings, FileError> {
    let mut out = Vec::new();
    let mut errors: Vec<FileError> = Vec::new();
    for &reader in readers {
        match reader.read(text) {
            Ok(entries) => {
                let mut seen: HashMap<&str, usize> = HashMap::new();
                for e in &entries {
                    if let Some(&first) = seen.get(e.key.as_str()) {
                        errors.push(FileError::Duplicate {
                            key: redact::text(&e.key),
                            first,
                            line: e.line,
                            readers: vec![reader],
                        });
                        break;
                    }
                    seen.insert(&e.key, e.line);
                }
                out.push((reader, entries));
            }
            Err(e) => errors.push(FileError::Parse {
                line: e.line,
                readers: vec![reader],
                message: e.message,
            }),
        }
    }
    if let Some(first) = errors.iter().map(FileError::line).min() {
        let mut at: Vec<FileError> = errors.into_iter().filter(|e| e.line() == first).collect();
        let mut error = at.remove(0);
        for other in at {
            match (&mut error, other) {
                (FileError::Parse { readers, .. }, FileError::Parse { readers: r, .. })
                | (FileError::Duplicate { readers, .. }, FileError::Duplicate { readers: r, .. }) => {
                    readers.extend(r)
                }
                _ => {}
            }
        }
        if let FileError::Parse {
            readers, message, ..
        } = &mut error
            && readers.len() > 1
        {
            *message = format!("{} refuse this line", names(readers));
        }
        return Err(error);
    }
    Ok(Readings { readers: out })
}

impl Readings {
    /// One `ambiguous_line` per key that the readers read differently (or
    /// that some reader cannot know without the reading process's
    /// environment or a command), at the key's first line. Values are never
    /// shown.
    pub fn ambiguities(&self) -> Vec<EnvFinding> {
        let mut first_line: HashMap<&str, usize> = HashMap::new();
        let by_reader: Vec<(Reader, HashMap<&str, &Entry>)> = self
            .readers
            .iter()
            .map(|(r, entries)| (*r, entries.iter().map(|e| (e.key.as_str(), e)).collect()))
            .collect();
        for (_, entries) in &self.readers {
            for e in entries {
                let line = first_line.entry(&e.key).or_insert(e.line);
                *line = (*line).min(e.line);
            }
        }
        let mut keys: Vec<(&str, usize)> = first_line.into_iter().collect();
        keys.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
        let mut out = Vec::new();
        for (key, line) in keys {
            // Group readers by what they read: None = does not set it.
            let mut groups: Vec<(Option<&str>, Vec<Reader>)> = Vec::new();
            let mut unknowable: Vec<String> = Vec::new();
            for (reader, entries) in &by_reader {
                let found = entries.get(key).copied();
                if let Some(e) = found {
                    if let Some(why) = &e.opaque {
                        unknowable.push(format!("{reader}: {why}"));
                    }
                    if !e.external.is_empty() {
                        // Only a plain name is shown: the text inside
                        // `${…}` may hold a default that is a secret.
                        let vars: Vec<String> = e
                            .external
                            .iter()
                            .map(|v| {
                                let plain = v
                                    .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                                    && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                                if plain {
                                    format!("`${{{v}}}`")
                                } else {
                                    "a variable".to_string()
                                }
                            })
                            .collect();
                        unknowable.push(format!(
                            "{reader} takes {} from the environment of the process that reads the file",
                            vars.join(", ")
                        ));
                    }
                }
                let value = found.map(|e| e.value.as_str());
                match groups.iter_mut().find(|(v, _)| *v == value) {
                    Some(g) => g.1.push(*reader),
                    None => groups.push((value, vec![*reader])),
                }
            }
            if groups.len() < 2 && unknowable.is_empty() {
                continue;
            }
            let mut parts = Vec::new();
            if groups.len() > 1 {
                let mut label = b'A';
                let described: Vec<String> = groups
                    .iter()
                    .map(|(v, readers)| match v {
                        Some(_) => {
                            let verb = if readers.len() == 1 { "reads" } else { "read" };
                            let s = format!("{} {verb} value {}", names(readers), label as char);
                            label += 1;
                            s
                        }
                        None => {
                            let verb = if readers.len() == 1 { "does" } else { "do" };
                            format!("{} {verb} not set it", names(readers))
                        }
                    })
                    .collect();
                parts.push(format!("the readers disagree: {}", described.join("; ")));
            }
            parts.extend(unknowable);
            let readers: Vec<String> = if groups.len() > 1 {
                groups
                    .iter()
                    .flat_map(|(_, r)| r.iter().map(|r| r.name().to_string()))
                    .collect()
            } else {
                self.readers
                    .iter()
                    .map(|(r, _)| r.name().to_string())
                    .collect()
            };
            out.push(EnvFinding {
                reason: Reason::AmbiguousLine,
                flag: redact::text(key),
                line: Some(line),
                detail: format!(
                    "`{}` is read differently: {} (values not shown)",
                    redact::text(key),
                    parts.join("; ")
                ),
                readers,
            });
        }
        out
    }
}
