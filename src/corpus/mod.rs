//! The corpus: counterexamples saved as JSON files (SPEC §6), written by a
//! failing check and read back by `replay` and the property suites; and
//! [`upgrade`], the reviewed path for a corpus after a model edit.

pub mod upgrade;

use crate::invariants::Violation;
use crate::model::{Decision, Request};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A minimal counterexample, exactly as the corpus file and the JSON report
/// hold it: the shrunk request(s), the decisions the target gave, and one
/// sentence saying what broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counterexample {
    /// The name of the property that broke, as on the command line.
    pub property: String,
    /// The seed of the run that found it, as `0x` and lowercase hex.
    pub seed: String,
    /// The digest of the model it was found under: `sha256:<hex>`.
    pub model_digest: String,
    /// The shrunk request(s) that break the property.
    pub requests: Vec<Request>,
    /// The decisions the target gave to `requests`.
    pub decisions: Vec<Decision>,
    /// One sentence saying what broke.
    pub explanation: String,
    /// The target it failed on: `sha256:` of [`Counterexample::target`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_digest: Option<String>,
    /// `[target]` as written in the config (`${NAME}` unexpanded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<serde_json::Value>,
    /// Earlier requests the failure needs (a stale cache, an
    /// order-dependent reason): replay asks them first, on a fresh target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix: Vec<Request>,
    /// The failure did not reproduce on a fresh target, even after every
    /// request asked before it: replay tries it again, and reports `flaky`
    /// (never a pass) when it still does not reproduce.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flaky: bool,
    /// The model digests it was saved under before `gonogo corpus upgrade`
    /// re-validated it against the current one, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upgraded_from: Vec<String>,
}

impl Counterexample {
    /// The counterexample of a violation found from a seed.
    pub fn new(violation: &Violation, seed: &str, model_digest: &str) -> Counterexample {
        Counterexample {
            property: violation.property.name().to_string(),
            seed: seed.to_string(),
            model_digest: model_digest.to_string(),
            requests: violation.requests.clone(),
            decisions: violation.decisions.clone(),
            explanation: violation.explanation.clone(),
            target_digest: None,
            target: None,
            prefix: Vec::new(),
            flaky: false,
            upgraded_from: Vec::new(),
        }
    }

    /// The same, recording the target it failed on: its digest, and the
    /// target as the config writes it.
    pub fn on_target(mut self, digest: &str, record: &serde_json::Value) -> Counterexample {
        self.target_digest = Some(digest.to_string());
        self.target = Some(record.clone());
        self
    }

    /// The file name it is saved under: `<property>-<content hash>.json`, so
    /// the same counterexample is saved once.
    pub fn file_name(&self) -> String {
        let body = serde_json::to_string(&(&self.property, &self.requests)).unwrap_or_default();
        let hash = hex::encode(Sha256::digest(body.as_bytes()));
        format!("{}-{}.json", self.property, &hash[..12])
    }
}

/// A corpus file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CorpusError {
    /// A file or folder could not be read.
    #[error("{path}: cannot read: {message}")]
    Read {
        /// The file or folder that could not be read.
        path: PathBuf,
        /// Why it could not be read.
        message: String,
    },
    /// A file is not valid counterexample JSON.
    #[error("{path}:{line}:{column}: not a counterexample: {message}")]
    Parse {
        /// The file that could not be parsed.
        path: PathBuf,
        /// The line of the error, from 1.
        line: usize,
        /// The column of the error.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A counterexample could not be saved.
    #[error("{message}")]
    Write {
        /// The file or folder that could not be written.
        path: PathBuf,
        /// Why it could not be written.
        message: String,
    },
}

/// Writes a counterexample under `dir` (created if needed), atomically:
/// a half-written file never takes the final name. Returns its path.
pub fn save(dir: &Path, cx: &Counterexample) -> Result<PathBuf, CorpusError> {
    let path = dir.join(cx.file_name());
    let write_err = |e: std::io::Error, p: &Path| CorpusError::Write {
        path: p.to_path_buf(),
        message: format!(
            "cannot write `{}`: {}",
            p.display(),
            crate::model::source::io_message(&e)
        ),
    };
    std::fs::create_dir_all(dir).map_err(|e| write_err(e, dir))?;
    write_at(&path, cx)?;
    Ok(path)
}

/// Writes a counterexample as its file holds it (pretty JSON, a final
/// newline) at `path`, atomically.
pub(crate) fn write_at(path: &Path, cx: &Counterexample) -> Result<(), CorpusError> {
    let mut text = serde_json::to_string_pretty(cx).expect("a counterexample serializes");
    text.push('\n');
    crate::model::source::write_atomic(path, text.as_bytes()).map_err(|message| {
        CorpusError::Write {
            path: path.to_path_buf(),
            message,
        }
    })
}

/// Reads one counterexample file.
pub fn load(path: &Path) -> Result<Counterexample, CorpusError> {
    let text =
        crate::model::source::read_regular_text(path).map_err(|message| CorpusError::Read {
            path: path.to_path_buf(),
            message,
        })?;
    serde_json::from_str(&text).map_err(|e| CorpusError::Parse {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Every counterexample file at `path`: the file itself, or every `*.json`
/// below the folder (sorted; `fuzz/` folders hold fuzzer inputs and are
/// skipped).
pub fn files(path: &Path) -> Result<Vec<PathBuf>, CorpusError> {
    let meta = std::fs::metadata(path).map_err(|e| CorpusError::Read {
        path: path.to_path_buf(),
        message: crate::model::source::io_message(&e),
    })?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| CorpusError::Read {
            path: dir.clone(),
            message: crate::model::source::io_message(&e),
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| CorpusError::Read {
                path: dir.clone(),
                message: crate::model::source::io_message(&e),
            })?;
            let p = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // A linked folder is never followed: it may loop, or hold files
            // outside the corpus (which an upgrade would rewrite). Skipping
            // it would leave its counterexamples unchecked: an error.
            let linked = entry.file_type().is_ok_and(|t| t.is_symlink());
            if p.is_dir() {
                if name == "fuzz" || name.starts_with('.') {
                    continue;
                }
                if linked {
                    return Err(CorpusError::Read {
                        path: p.clone(),
                        message: "a symbolic link to a folder: gonogo does not follow it (it may loop or lead outside the corpus); put the folder itself there".into(),
                    });
                }
                stack.push(p);
            } else if name.ends_with(".json") && !name.starts_with('.') {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}
