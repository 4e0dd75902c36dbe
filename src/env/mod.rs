//! The environment matrix gate (SPEC §8): the matrix file, env files read
//! as each real reader reads them, and the evaluation of one against the
//! other (pure apart from reading the files).

pub(crate) mod evaluate;
pub(crate) mod matrix;
pub(crate) mod read;
pub(crate) mod readers;

pub use evaluate::{EnvFinding, bool_enabled, evaluate, shown};
pub use matrix::{Flag, FlagType, Matrix};
pub use read::{FileError, Readings, read_bytes, read_text};
pub use readers::{Entry, Reader};

use crate::reason::Reason;
use std::path::Path;

/// Why an environment could not be checked (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EnvError {
    /// The reason code, when the error has one (none for an unreadable file).
    pub reason: Option<Reason>,
    /// The message, naming the file (and line, when there is one).
    pub message: String,
}

/// Reads one env file with every reader; an unreadable file, a reader that
/// refuses a line, or a key set twice is an error naming the file and line
/// (never a value). Returns the bytes read with the readings, so a caller
/// digests exactly what was checked.
pub fn read_env_file(path: &Path, readers: &[Reader]) -> Result<(Vec<u8>, Readings), EnvError> {
    let shown = path.display();
    let bytes = crate::model::source::read_regular(path).map_err(|e| EnvError {
        reason: None,
        message: format!("{shown}: cannot read the env file: {e}"),
    })?;
    let readings = read_bytes(&bytes, readers).map_err(|e| EnvError {
        reason: Some(e.reason()),
        message: format!("{shown}:{}: {e}", e.line()),
    })?;
    Ok((bytes, readings))
}

/// The findings of one file in one environment: the matrix under every
/// reader (a finding once, naming its readers when not all), and every
/// ambiguity, in line order.
pub fn findings(
    matrix: &Matrix,
    environment: &str,
    class: &str,
    readings: &Readings,
) -> Vec<EnvFinding> {
    let all = readings.readers.len();
    let mut merged: Vec<(EnvFinding, usize)> = Vec::new();
    let mut index: std::collections::HashMap<(Reason, String, Option<usize>), usize> =
        std::collections::HashMap::new();
    for (reader, entries) in &readings.readers {
        for f in evaluate(matrix, environment, class, entries) {
            let key = (f.reason, f.flag.clone(), f.line);
            match index.get(&key).map(|&i| &mut merged[i]) {
                Some((m, n)) => {
                    m.readers.push(reader.name().to_string());
                    *n += 1;
                }
                None => merged.push((
                    EnvFinding {
                        readers: vec![reader.name().to_string()],
                        ..f
                    },
                    1,
                )),
            }
            index.entry(key).or_insert_with(|| merged.len() - 1);
        }
    }
    let mut out: Vec<EnvFinding> = merged
        .into_iter()
        .map(|(mut f, n)| {
            if n == all {
                f.readers.clear();
            }
            f
        })
        .chain(readings.ambiguities())
        .collect();
    out.sort_by_key(|f| (f.line.unwrap_or(usize::MAX), f.reason));
    out
}

/// One environment checked: its class, findings, and the bytes checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The environment's name, as in the matrix.
    pub name: String,
    /// The environment's class, from the matrix.
    pub class: String,
    /// The env file checked.
    pub file: std::path::PathBuf,
    /// The findings, in line order.
    pub findings: Vec<EnvFinding>,
    /// The bytes of the file, exactly as read and checked.
    pub bytes: Vec<u8>,
}

/// Checks each environment's file against the matrix; an unknown
/// environment, an unreadable file, a duplicate key or a line a reader
/// refuses is an error (exit 2).
pub fn check_files(
    matrix: &Matrix,
    matrix_path: &Path,
    envs: &[(String, std::path::PathBuf)],
) -> Result<Vec<Checked>, EnvError> {
    let mut out = Vec::new();
    for (name, file) in envs {
        let Some(class) = matrix.environments.get(name) else {
            let known: Vec<&str> = matrix.environments.keys().map(String::as_str).collect();
            return Err(EnvError {
                reason: Some(Reason::UnknownEnvironment),
                message: format!(
                    "{}: unknown environment `{name}`; the matrix defines {}",
                    matrix_path.display(),
                    known.join(", ")
                ),
            });
        };
        let (bytes, readings) = read_env_file(file, &matrix.readers)?;
        out.push(Checked {
            name: name.clone(),
            class: class.clone(),
            file: file.clone(),
            findings: findings(matrix, name, class, &readings),
            bytes,
        });
    }
    Ok(out)
}
