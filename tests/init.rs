//! `gonogo init`: what it writes works at once, and it never overwrites.

mod common;
use common::*;

#[test]
fn init_then_check_env_check_and_gate_all_succeed() {
    let root = tempfile::tempdir().unwrap();
    let out = gonogo(root.path(), &["init", "proj", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let written: Vec<String> = json(&out)["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    for f in [
        "gonogo.toml",
        "env-matrix.toml",
        "deploy/prod.env",
        "deploy/dev.env",
        ".github/workflows/gonogo.yml",
        "corpus/.gitkeep",
    ] {
        assert!(written.iter().any(|w| w == f), "{f} not in {written:?}");
    }
    let dir = root.path().join("proj");
    let corpus: Vec<_> = std::fs::read_dir(dir.join("corpus")).unwrap().collect();
    assert_eq!(corpus.len(), 1, "corpus/ holds only .gitkeep");

    let check = gonogo(&dir, &["check"]);
    assert_eq!(code(&check), 0, "{}{}", stdout(&check), stderr(&check));
    let env = gonogo(
        &dir,
        &[
            "env",
            "check",
            "--matrix",
            "env-matrix.toml",
            "--env",
            "prod=deploy/prod.env",
            "--env",
            "dev=deploy/dev.env",
        ],
    );
    assert_eq!(code(&env), 0, "{}{}", stdout(&env), stderr(&env));
    let gate = gonogo(&dir, &["gate"]);
    assert_eq!(code(&gate), 0, "{}{}", stdout(&gate), stderr(&gate));
    let verify = gonogo(&dir, &["verify", "release-proof.json"]);
    assert_eq!(code(&verify), 0, "{}", stdout(&verify));
    // The starter matrix is a real gate: the dev bypass in prod is NO-GO.
    let prod = dir.join("deploy/prod.env");
    let text = std::fs::read_to_string(&prod).unwrap();
    std::fs::write(
        &prod,
        text.replace("AUTH_DEV_BYPASS=false", "AUTH_DEV_BYPASS=true"),
    )
    .unwrap();
    let gate = gonogo(&dir, &["gate"]);
    assert_eq!(code(&gate), 1, "{}", stdout(&gate));
}

#[test]
fn init_refuses_to_overwrite_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("env-matrix.toml"), "# mine\n").unwrap();
    let out = gonogo(dir.path(), &["init"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("env-matrix.toml"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("env-matrix.toml")).unwrap(),
        "# mine\n"
    );
    assert!(
        !dir.path().join("gonogo.toml").exists(),
        "nothing half-written"
    );

    let again = tempfile::tempdir().unwrap();
    assert_eq!(code(&gonogo(again.path(), &["init"])), 0);
    let out = gonogo(again.path(), &["init", "--format", "json"]);
    assert_eq!(code(&out), 2);
    assert_eq!(json(&out)["verdict"], "error");
    assert!(stderr(&out).contains("gonogo.toml"), "{}", stderr(&out));
}

#[test]
fn the_starter_workflow_runs_the_gate_and_uploads_the_proof() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&gonogo(dir.path(), &["init"])), 0);
    let wf = std::fs::read_to_string(dir.path().join(".github/workflows/gonogo.yml")).unwrap();
    assert!(wf.contains("gonogo gate --format junit"));
    assert!(wf.contains("release-proof.json"));
    assert!(wf.contains("upload-artifact"));
    assert!(wf.contains("gonogo check --exhaustive"));

    // gonogo is not on crates.io: each job installs it from its repository
    // at one pinned commit, only when the binary of that commit is not
    // cached yet.
    let install = r#"cargo install --locked --git "$GONOGO_GIT" --rev "$GONOGO_REV" gonogo"#;
    assert_eq!(wf.matches(install).count(), 2, "{wf}");
    assert!(!wf.contains("cargo install --locked gonogo"), "{wf}");
    let repository = env!("CARGO_PKG_REPOSITORY");
    assert!(repository.starts_with("https://"), "{repository}");
    assert!(
        wf.contains(&format!("  GONOGO_GIT: \"{repository}\"\n")),
        "{wf}"
    );
    let rev = env_value(&wf, "GONOGO_REV");
    let manifest_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let from_checkout = manifest_dir.join(".git").exists()
        && std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(manifest_dir)
            .output()
            .is_ok_and(|o| o.status.success());
    if from_checkout {
        assert!(
            rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()),
            "built from a checkout, GONOGO_REV is a full commit, not {rev:?}"
        );
        assert_eq!(Some(rev.as_str()), option_env!("GONOGO_GIT_COMMIT"));
    } else {
        assert_eq!(rev, "<pin a commit of gonogo>");
    }
    assert_eq!(
        wf.matches("uses: actions/cache/restore@v4").count(),
        2,
        "{wf}"
    );
    assert_eq!(wf.matches("uses: actions/cache/save@v4").count(), 2, "{wf}");
    assert!(wf.contains("path: ~/.cargo/bin/gonogo"), "{wf}");
    assert!(
        wf.contains("key: gonogo-${{ runner.os }}-${{ env.GONOGO_REV }}"),
        "{wf}"
    );
    assert_eq!(
        wf.matches("if: steps.gonogo-cache.outputs.cache-hit != 'true'")
            .count(),
        4,
        "install and save, in both jobs: {wf}"
    );
}

/// The value of a workflow-level `env:` entry, unquoted.
fn env_value(wf: &str, name: &str) -> String {
    let line = wf
        .lines()
        .find_map(|l| l.strip_prefix(&format!("  {name}: ")))
        .unwrap_or_else(|| panic!("no {name} in {wf}"));
    let value = line.split(" #").next().unwrap().trim();
    value.trim_matches('"').to_string()
}

#[test]
fn init_pins_the_gonogo_repository_and_commit_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let rev = "0123456789abcdef0123456789abcdef01234567";
    let out = gonogo(
        dir.path(),
        &[
            "init",
            "--gonogo-git",
            "https://git.example.com/team/gonogo.git",
            "--gonogo-rev",
            rev,
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let wf = std::fs::read_to_string(dir.path().join(".github/workflows/gonogo.yml")).unwrap();
    assert_eq!(
        env_value(&wf, "GONOGO_GIT"),
        "https://git.example.com/team/gonogo.git"
    );
    assert_eq!(env_value(&wf, "GONOGO_REV"), rev);

    // A branch or a tag moves under the cache key: refused, nothing written.
    let other = tempfile::tempdir().unwrap();
    let out = gonogo(other.path(), &["init", "--gonogo-rev", "main"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("40-hex"), "{}", stderr(&out));
    assert!(!other.path().join("gonogo.toml").exists());
    // A URL that would break out of the YAML string is refused too.
    let out = gonogo(other.path(), &["init", "--gonogo-git", "https://x/\"y"]);
    assert_eq!(code(&out), 2);
    assert!(!other.path().join("gonogo.toml").exists());
}
