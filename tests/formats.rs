//! Issue 17: every command speaks every format, and the README's commands
//! work as written on a fresh folder.

mod common;

use common::*;

/// `--version --format json` printed `gonogo 0.1.0`, not JSON.
#[test]
fn version_speaks_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = gonogo(dir.path(), &["--version", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["verdict"], "go");
    assert_eq!(doc["name"], "gonogo");
    assert_eq!(doc["version"], env!("CARGO_PKG_VERSION"));
    let out = gonogo(dir.path(), &["--format", "junit", "--version"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with("<?xml"), "{}", stdout(&out));
    assert!(stdout(&out).contains(env!("CARGO_PKG_VERSION")));
    let out = gonogo(dir.path(), &["--version"]);
    assert_eq!(
        stdout(&out).trim(),
        format!("gonogo {}", env!("CARGO_PKG_VERSION"))
    );
}

/// The README's `gonogo keygen --private keys/gate.key --public
/// keys/gate.pub` failed on a fresh folder: `keys/` did not exist.
#[test]
fn keygen_makes_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = gonogo(
        dir.path(),
        &[
            "keygen",
            "--private",
            "keys/gate.key",
            "--public",
            "keys/gate.pub",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(dir.path().join("keys/gate.key").is_file());
    assert!(dir.path().join("keys/gate.pub").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| {
            std::fs::metadata(dir.path().join(p))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("keys/gate.key"), 0o600);
        assert_eq!(mode("keys"), 0o700);
    }
    // Never overwritten.
    let again = gonogo(
        dir.path(),
        &[
            "keygen",
            "--private",
            "keys/gate.key",
            "--public",
            "keys/gate.pub",
        ],
    );
    assert_eq!(code(&again), 2);
}

/// An unreachable target failed every property with the same message,
/// printed five times; it is printed once now.
#[test]
fn an_unreachable_target_is_said_once() {
    let dir = project(&example_with_target(
        "[target]\nkind = \"http\"\nurl = \"http://127.0.0.1:1/authorize\"\ntimeout_ms = 300",
    ));
    let out = gonogo(dir.path(), &["check", "--cases", "5"]);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.matches("every property: ").count(), 1, "{text}");
    assert_eq!(
        text.matches("  ERROR  ").count(),
        gonogo::Property::COUNT,
        "{text}"
    );
}

/// "1 subjects".
#[test]
fn one_subject_is_singular() {
    let dir = project(
        &(example_text().replace("cases = 2000", "cases = 20")
            + "\n[gate]\nrequire = [\"properties\"]\n"),
    );
    let out = gonogo(dir.path(), &["gate"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains(", 1 subject)"), "{}", stdout(&out));
}
