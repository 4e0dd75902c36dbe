//! The environment matrix gate (SPEC §8): the matrix file, env files read
//! with dotenvy, and the evaluation of one against the other (pure).

pub mod dotenv;
pub mod evaluate;
pub mod matrix;

pub use evaluate::{EnvFinding, bool_enabled, evaluate};
pub use matrix::{Flag, FlagType, Matrix};

use crate::reason::Reason;
use std::path::Path;

/// Why an environment could not be checked (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EnvError {
    pub reason: Option<Reason>,
    pub message: String,
}

/// Reads one env file; a duplicate key or a line that is not dotenv is an
/// error naming the file and line (never a value).
pub fn read_env_file(path: &Path) -> Result<Vec<dotenv::Entry>, EnvError> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| EnvError {
        reason: None,
        message: format!(
            "{shown}: cannot read the env file: {}",
            crate::model::source::io_message(&e)
        ),
    })?;
    dotenv::parse(&text).map_err(|e| match e {
        dotenv::DotenvError::DuplicateKey { key, first, line } => EnvError {
            reason: Some(Reason::DuplicateKey),
            message: format!("{shown}:{line}: `{key}`: duplicate key (first at line {first})"),
        },
        dotenv::DotenvError::Parse { line, message } => EnvError {
            reason: Some(Reason::ParseError),
            message: format!("{shown}:{line}: {message}"),
        },
    })
}

/// One environment checked: its class and findings.
#[derive(Debug, Clone)]
pub struct Checked {
    pub name: String,
    pub class: String,
    pub file: std::path::PathBuf,
    pub findings: Vec<EnvFinding>,
}

/// Checks each environment's file against the matrix; an unknown
/// environment, an unreadable file, a duplicate key or a line that is not
/// dotenv is an error (exit 2).
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
        let entries = read_env_file(file)?;
        out.push(Checked {
            name: name.clone(),
            class: class.clone(),
            file: file.clone(),
            findings: evaluate(matrix, name, class, &entries),
        });
    }
    Ok(out)
}
