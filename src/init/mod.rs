//! `gonogo init`: the starter files of a new project, written only where
//! nothing exists yet, all or none.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The CI workflow, before gonogo's repository and commit are filled in.
const WORKFLOW: &str = include_str!("templates/gonogo.yml");

/// `GONOGO_REV` in the workflow of a gonogo not built from a git checkout.
pub const REV_PLACEHOLDER: &str = "<pin a commit of gonogo>";

/// What `init` writes, relative to the project folder, with its text: the
/// workflow installs gonogo as `install` says.
fn files(install: &Install) -> [(&'static str, String); 6] {
    [
        ("gonogo.toml", include_str!("templates/gonogo.toml").into()),
        (
            "env-matrix.toml",
            include_str!("templates/env-matrix.toml").into(),
        ),
        ("deploy/prod.env", include_str!("templates/prod.env").into()),
        ("deploy/dev.env", include_str!("templates/dev.env").into()),
        (".github/workflows/gonogo.yml", workflow(install)),
        ("corpus/.gitkeep", String::new()),
    ]
}

/// Where the CI workflow installs gonogo from (it is not on crates.io): a
/// git repository and a commit in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Install {
    /// The repository's URL.
    pub git: String,
    /// A full 40-hex commit id; none when this gonogo was not built from a
    /// git checkout and none was given (the workflow then says to pin one).
    pub rev: Option<String>,
}

impl Install {
    /// The repository and commit given (`--gonogo-git`, `--gonogo-rev`),
    /// else this gonogo's own: its package repository and the commit it was
    /// built from. A revision must be a full commit id: a branch or a tag
    /// moves while the cached binary keyed on it would not.
    pub fn new(git: Option<&str>, rev: Option<&str>) -> Result<Install, InitError> {
        let git = git.unwrap_or(env!("CARGO_PKG_REPOSITORY")).trim();
        let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\\' | '\'');
        if git.is_empty() || git.contains(bad) || git.contains("${{") {
            return Err(InitError::Install {
                message: format!(
                    "--gonogo-git `{git}` is not a git URL the workflow can hold (no spaces, quotes, backslashes or `${{{{`)"
                ),
            });
        }
        let rev = match rev {
            Some(r) => {
                let r = r.trim();
                if r.len() != 40 || !r.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(InitError::Install {
                        message: format!(
                            "--gonogo-rev `{r}` is not a full 40-hex commit id (a branch or a tag would move under the cached binary)"
                        ),
                    });
                }
                Some(r.to_ascii_lowercase())
            }
            None => option_env!("GONOGO_GIT_COMMIT").map(str::to_string),
        };
        Ok(Install {
            git: git.to_string(),
            rev,
        })
    }
}

/// The CI workflow installing gonogo from `install`.
pub fn workflow(install: &Install) -> String {
    let rev = match &install.rev {
        Some(rev) => format!("\"{rev}\""),
        None => format!(
            "\"{REV_PLACEHOLDER}\"  # this gonogo was not built from a git checkout: put a full 40-hex commit of GONOGO_GIT here"
        ),
    };
    WORKFLOW
        .replace("\"@GONOGO_GIT@\"", &format!("\"{}\"", install.git))
        .replace("\"@GONOGO_REV@\"", &rev)
}

/// The folder counterexamples go to (created empty, with a `.gitkeep` so git keeps it).
pub const CORPUS: &str = "corpus";

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InitError {
    /// A file or folder init would create already exists.
    #[error("`{}` already exists; gonogo init never overwrites anything, so nothing was written", .path.display())]
    Exists { path: PathBuf },
    /// `--gonogo-git` or `--gonogo-rev` cannot be written into the workflow.
    #[error("{message}; nothing was written")]
    Install { message: String },
    /// Writing failed; whatever init had written was removed again.
    #[error("could not write `{}`: {message}; nothing was left behind", .path.display())]
    Write { path: PathBuf, message: String },
}

/// Writes the starter files into `dir` (created if missing), the workflow
/// installing gonogo as `install` says, and returns the paths written.
/// Refuses, writing nothing, when any of them (or `corpus/`) exists.
pub fn write(dir: &Path, install: &Install) -> Result<Vec<PathBuf>, InitError> {
    let files = files(install);
    for (name, _) in &files {
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
    for (name, text) in &files {
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
        let err = write(dir.path(), &Install::new(None, None).unwrap()).unwrap_err();
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
        let err = write(dir.path(), &Install::new(None, None).unwrap()).unwrap_err();
        assert!(matches!(err, InitError::Write { .. }), "{err}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from(".github")]);
    }

    #[test]
    fn the_workflow_pins_the_repository_and_commit() {
        let rev = "89ABCDEF0123456789abcdef0123456789abcdef";
        let install = Install::new(Some("https://example.com/g.git"), Some(rev)).unwrap();
        let wf = workflow(&install);
        assert!(
            wf.contains("  GONOGO_GIT: \"https://example.com/g.git\"\n"),
            "{wf}"
        );
        assert!(wf.contains(&format!("  GONOGO_REV: \"{}\"\n", rev.to_ascii_lowercase())));
        assert!(!wf.contains("@GONOGO_"), "{wf}");

        // Not built from a checkout: a placeholder that says what to do.
        let wf = workflow(&Install {
            rev: None,
            ..install
        });
        assert!(
            wf.contains(&format!("  GONOGO_REV: \"{REV_PLACEHOLDER}\"  # ")),
            "{wf}"
        );
        assert!(wf.contains("full 40-hex commit"));

        let default = Install::new(None, None).unwrap();
        assert_eq!(default.git, env!("CARGO_PKG_REPOSITORY"));
        assert_eq!(default.rev.as_deref(), option_env!("GONOGO_GIT_COMMIT"));
    }

    #[test]
    fn a_moving_revision_or_an_unquotable_url_is_refused() {
        for rev in ["main", "v0.1.0", "5f98121", "HEAD"] {
            assert!(Install::new(None, Some(rev)).is_err(), "{rev}");
        }
        for git in [
            "",
            "https://x/a b",
            "https://x/\"",
            "https://x/${{ secrets.T }}",
        ] {
            assert!(Install::new(Some(git), None).is_err(), "{git:?}");
        }
    }
}
