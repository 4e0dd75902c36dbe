//! Attacks on the gates around the harness (issue 14), each against the
//! real binary. Every test here made gonogo exit 0 (or leak, or hang) before
//! its fix; they stay forever.

mod common;
#[path = "common/gate_project.rs"]
mod gate_project;
#[path = "common/live.rs"]
mod live;

use common::*;
use gate_project::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn proof(p: &Project) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p.dir.path().join("release-proof.json")).unwrap())
        .unwrap()
}

fn write_proof(p: &Project, v: &serde_json::Value) {
    std::fs::write(
        p.dir.path().join("release-proof.json"),
        serde_json::to_string_pretty(v).unwrap(),
    )
    .unwrap();
}

/// An edit of a statement.
type Edit = dyn Fn(&mut serde_json::Value);

/// An unsigned proof whose own lists were edited to hide an input or a
/// required check: verify rebuilds them from the digest-checked config.
#[test]
fn verify_does_not_trust_the_statements_own_lists() {
    let p = good_project();
    assert_eq!(code(&run(&p, &["gate"])), 0);
    let original = proof(&p);
    let edits: [(&str, &Edit); 4] = [
        ("a removed subject", &|s| {
            s["subject"]
                .as_array_mut()
                .unwrap()
                .retain(|x| x["name"] != "deploy/prod.env");
        }),
        ("an empty subject", &|s| {
            s["subject"] = serde_json::json!([])
        }),
        ("required shrunk with checks", &|s| {
            s["predicate"]["required"] = serde_json::json!(["properties", "corpus", "migrations"]);
            s["predicate"]["checks"]
                .as_array_mut()
                .unwrap()
                .retain(|c| c["name"] != "env");
        }),
        ("a duplicated subject", &|s| {
            let first = s["subject"][0].clone();
            s["subject"].as_array_mut().unwrap().push(first);
        }),
    ];
    for (what, edit) in edits {
        let mut s = original.clone();
        edit(&mut s);
        write_proof(&p, &s);
        let (code, doc) = verify(&p, &[]);
        assert_eq!(code, 1, "{what}: {doc:#}");
    }
}

/// A NO-GO proof whose statuses and verdict were flipped while its evidence
/// still lists findings: a check with findings is never `pass`.
#[test]
fn a_flipped_no_go_proof_fails_verify() {
    let p = project_with("DATABASE_URL=postgres://db/app\nSESSION_SECRET=x\nAUTH_DEV_BYPASS=yes\n");
    assert_eq!(code(&run(&p, &["gate"])), 1);
    let mut s = proof(&p);
    for c in s["predicate"]["checks"].as_array_mut().unwrap() {
        c["status"] = "pass".into();
    }
    s["predicate"]["verdict"] = "go".into();
    write_proof(&p, &s);
    let (code, doc) = verify(&p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert!(
        reasons(&doc).contains(&"verdict_no_go".to_string()),
        "{doc:#}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A proof made at commit A does not verify at commit B.
#[test]
fn verify_is_bound_to_the_commit() {
    let p = good_project();
    let dir = p.dir.path();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "A"]);
    assert_eq!(code(&run(&p, &["gate"])), 0);
    assert_eq!(verify(&p, &[]).0, 0);
    std::fs::write(dir.join("README"), "b\n").unwrap();
    git(dir, &["add", "README"]);
    git(dir, &["commit", "-qm", "B"]);
    let (code, doc) = verify(&p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(reasons(&doc), vec!["commit_mismatch".to_string()]);
    assert_eq!(verify(&p, &["--any-commit"]).0, 0);
    assert_eq!(proof(&p)["predicate"]["git_dirty"], false);
}

/// The config swapped while the gate runs (here by the target itself): the
/// proof binds the bytes that were checked, so it no longer verifies.
#[test]
fn a_config_swapped_mid_run_is_not_what_the_proof_binds() {
    let p = good_project();
    let dir = p.dir.path();
    let config = std::fs::read_to_string(dir.join("gonogo.toml")).unwrap();
    let oracle = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/oracle.py");
    let swapped = config.replace(
        "kind = \"policy\"",
        &format!(
            "kind = \"process\"\ncommand = [\"sh\", \"-c\", \"cp evil.toml gonogo.toml; exec python3 {}\"]",
            oracle.display()
        ),
    );
    assert_ne!(swapped, config);
    std::fs::write(dir.join("gonogo.toml"), &swapped).unwrap();
    std::fs::write(
        dir.join("evil.toml"),
        swapped.replace(
            "require = [\"properties\", \"corpus\", \"migrations\", \"env\"]",
            "require = []",
        ),
    )
    .unwrap();
    let out = run(&p, &["gate"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_ne!(
        std::fs::read_to_string(dir.join("gonogo.toml")).unwrap(),
        swapped,
        "the target swapped it"
    );
    let (code, doc) = verify(&p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert!(reasons(&doc).contains(&"digest_mismatch".to_string()));
}

/// An input the gate cannot read is exit 2, never a GO proof recording
/// `unreadable`.
#[test]
fn an_unreadable_input_is_exit_2() {
    let p = good_project();
    std::fs::remove_dir_all(p.dir.path().join("corpus")).unwrap();
    let out = run(&p, &["gate"]);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("corpus"), "{}", stderr(&out));
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// Runs with a deadline: a hang is a failure, not a stuck CI job.
fn run_within(p: &Project, args: &[&str], limit: Duration) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .current_dir(p.dir.path())
        .env("GONOGO_TEST_GATE_DB", &p.db.url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("`gonogo {args:?}` hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// A FIFO in `corpus/` or `migrations/` is refused at once, never waited on.
#[test]
fn a_fifo_among_the_inputs_is_refused_not_waited_on() {
    for (folder, name) in [("corpus", "x.json"), ("migrations", "3_fifo.sql")] {
        let p = good_project();
        mkfifo(&p.dir.path().join(folder).join(name));
        let out = run_within(&p, &["gate"], Duration::from_secs(60));
        assert_eq!(code(&out), 2, "{folder}: {}{}", stdout(&out), stderr(&out));
        if folder == "corpus" {
            let out = run_within(&p, &["replay", "corpus"], Duration::from_secs(60));
            assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
        }
    }
}

/// SPEC §1: only an errored check (no failure) is exit 2, so CI can tell an
/// outage from a NO-GO.
#[test]
fn a_gate_whose_checks_only_errored_exits_2() {
    let p = good_project();
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["gate", "--format", "json"])
        .current_dir(p.dir.path())
        .env_remove("GONOGO_TEST_GATE_DB")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert_eq!(json(&out)["statement"]["predicate"]["verdict"], "no-go");
}
