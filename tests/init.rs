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
}
