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
