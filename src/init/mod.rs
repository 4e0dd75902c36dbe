//! `gonogo init`: the starter files of a new project, written only where
//! nothing exists yet, all or none.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What `init` writes, relative to the project folder, with its text.
pub const FILES: [(&str, &str); 6] = [
    ("gonogo.toml", include_str!("templates/gonogo.toml")),
    ("env-matrix.toml", include_str!("templates/env-matrix.toml")),
    ("deploy/prod.env", include_str!("templates/prod.env")),
    ("deploy/dev.env", include_str!("templates/dev.env")),
    (
        ".github/workflows/gonogo.yml",
        include_str!("templates/gonogo.yml"),
    ),
    ("corpus/.gitkeep", ""),
];

/// The folder counterexamples go to (created empty, with a `.gitkeep` so git keeps it).
pub const CORPUS: &str = "corpus";

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InitError {
    /// A file or folder init would create already exists.
    #[error("`{}` already exists; gonogo init never overwrites anything, so nothing was written", .path.display())]
    Exists { path: PathBuf },
    /// Writing failed; whatever init had written was removed again.
    #[error("could not write `{}`: {message}; nothing was left behind", .path.display())]
    Write { path: PathBuf, message: String },
}

/// Writes the starter files into `dir` (created if missing) and returns the
/// paths written. Refuses, writing nothing, when any of them (or `corpus/`)
/// exists.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    for (name, _) in FILES {
        let path = dir.join(name);
        if path.exists() {
            return Err(InitError::Exists { path });
        }
    }
    let corpus = dir.join(CORPUS);
    if corpus.exists() {
        return Err(InitError::Exists { path: corpus });
    }
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut written: Vec<PathBuf> = Vec::new();
    let undo = |written: &[PathBuf], dirs: &[PathBuf]| {
        for f in written.iter().rev() {
            let _ = std::fs::remove_file(f);
        }
        for d in dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    };
    for (name, text) in FILES {
        let path = dir.join(name);
        let result = (|| -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                // Remember each folder this call creates, outermost first.
                let missing: Vec<PathBuf> = parent
                    .ancestors()
                    .take_while(|a| !a.exists())
                    .map(Path::to_path_buf)
                    .collect();
                std::fs::create_dir_all(parent)?;
                created_dirs.extend(missing.into_iter().rev());
            }
            // Each file is written whole under a temporary name, then moved
            // into place without replacing anything that appeared meanwhile:
            // no file is ever half-written.
            let parent = path.parent().unwrap_or(dir);
            let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
            tmp.write_all(text.as_bytes())?;
            tmp.as_file().sync_all()?;
            tmp.persist_noclobber(&path).map_err(|e| e.error)?;
            written.push(path.clone());
            Ok(())
        })();
        if let Err(e) = result {
            undo(&written, &created_dirs);
            return Err(if e.kind() == std::io::ErrorKind::AlreadyExists {
                InitError::Exists { path }
            } else {
                InitError::Write {
                    path,
                    message: crate::model::source::io_message(&e),
                }
            });
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_stops_everything_and_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("deploy")).unwrap();
        std::fs::write(dir.path().join("deploy/dev.env"), "MINE=1\n").unwrap();
        let err = write(dir.path()).unwrap_err();
        assert!(matches!(&err, InitError::Exists { path } if path.ends_with("deploy/dev.env")));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("deploy/dev.env")).unwrap(),
            "MINE=1\n"
        );
        assert!(!dir.path().join("gonogo.toml").exists());
        assert!(!dir.path().join(".github").exists());
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // `.github` as a file: creating `.github/workflows` fails midway.
        std::fs::write(dir.path().join(".github"), "").unwrap();
        let err = write(dir.path()).unwrap_err();
        assert!(matches!(err, InitError::Write { .. }), "{err}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from(".github")]);
    }
}
