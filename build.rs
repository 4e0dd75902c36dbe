//! Records the commit gonogo is built from as `GONOGO_GIT_COMMIT`: `gonogo
//! init` pins it in the CI workflow it writes. Left unset without git, or
//! outside a checkout of gonogo itself (a copy inside another repository).

use std::path::{Path, PathBuf};
use std::process::Command;

/// `git ARGS` in `dir`, its trimmed output when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    out.status.success().then(|| text.trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return;
    };
    let top = git(&dir, &["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    if top.and_then(|t| t.canonicalize().ok()) != dir.canonicalize().ok() {
        return;
    }
    // Built again when HEAD moves: HEAD, the branch it names (or, while that
    // branch is only packed, the folder its loose ref will appear in) and
    // the packed refs.
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watched.extend(git(&dir, &["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        if let Some(path) = git(&dir, &["rev-parse", "--git-path", &name]) {
            let path = dir.join(path);
            let watch = match path.parent() {
                _ if path.exists() => &path,
                Some(folder) if name != "packed-refs" && folder.exists() => folder,
                _ => continue,
            };
            println!("cargo:rerun-if-changed={}", watch.display());
        }
    }
    if let Some(commit) = git(&dir, &["rev-parse", "HEAD"])
        && commit.len() == 40
        && commit.bytes().all(|b| b.is_ascii_hexdigit())
    {
        println!("cargo:rustc-env=GONOGO_GIT_COMMIT={commit}");
    }
}
