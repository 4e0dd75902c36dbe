//! SPEC §4: a process target may answer `{"id": N, "skip": "why"}` for a
//! request it cannot represent: skipped and counted per property with the
//! cause, never a decision. A run that skipped everything checked nothing
//! (exit 2); an exhaustive run needs every request decided (exit 2); a
//! replayed failure the target now skips is never a pass.

mod common;
use common::*;

/// A wrapper around the Python reference oracle that skips requests whose
/// resource id a URL path could not carry (empty, `..`, or with `/`), or
/// every request with `SKIP_ALL`, or answers a skip beside a decision with
/// `SKIP_BROKEN`.
const WRAPPER: &str = r#"
import json, os, sys
sys.path.insert(0, os.environ["ORACLE_DIR"])
from oracle import decide
mode = os.environ.get("SKIP_MODE", "paths")
for line in sys.stdin:
    req = json.loads(line)
    rid = req["resource"]["id"]
    unrepresentable = rid in ("", ".", "..") or "/" in rid
    if mode == "all" or (mode != "none" and unrepresentable):
        answer = {"id": req["id"], "skip": "the id cannot be a path segment"}
        if mode == "broken":
            answer["allow"] = True
    else:
        answer = dict(decide(req, None), id=req["id"])
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
"#;

fn project_with(mode: &str) -> (tempfile::TempDir, Vec<(String, String)>) {
    let dir = project(&example_with_process(&["python3", "wrapper.py"], 5000));
    std::fs::write(dir.path().join("wrapper.py"), WRAPPER).unwrap();
    let oracle_dir = std::path::Path::new(&example_file("oracle.py"))
        .parent()
        .unwrap()
        .display()
        .to_string();
    (
        dir,
        vec![
            ("ORACLE_DIR".into(), oracle_dir),
            ("SKIP_MODE".into(), mode.into()),
        ],
    )
}

fn run(dir: &std::path::Path, vars: &[(String, String)], args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gonogo"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GONOGO_SEED");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn skipped_requests_are_counted_per_property_with_the_cause() {
    let (dir, vars) = project_with("paths");
    let out = run(
        dir.path(),
        &vars,
        &["check", "--cases", "600", "--format", "json", "--no-corpus"],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let doc = json(&out);
    let mut skipped_somewhere = false;
    for p in doc["properties"].as_array().unwrap() {
        assert_eq!(p["status"], "pass", "{p:#}");
        if let Some(n) = p["skipped"]["the id cannot be a path segment"].as_u64() {
            assert!(n > 0);
            skipped_somewhere = true;
        }
    }
    assert!(skipped_somewhere, "{doc:#}");
    let human = run(
        dir.path(),
        &vars,
        &["check", "--cases", "600", "--no-corpus"],
    );
    assert!(stdout(&human).contains("skipped "), "{}", stdout(&human));
}

#[test]
fn a_target_that_skips_everything_checked_nothing() {
    let (dir, vars) = project_with("all");
    let out = run(
        dir.path(),
        &vars,
        &["check", "--cases", "50", "--format", "json", "--no-corpus"],
    );
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("nothing was checked"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_skip_beside_a_decision_is_not_an_answer() {
    let (dir, vars) = project_with("broken");
    let out = run(
        dir.path(),
        &vars,
        &["check", "--cases", "600", "--no-corpus"],
    );
    assert_eq!(code(&out), 2, "{}", stdout(&out));
}

#[test]
fn an_exhaustive_run_needs_every_request_decided() {
    let (dir, vars) = project_with("paths");
    let out = run(
        dir.path(),
        &vars,
        &[
            "check",
            "--exhaustive",
            "--property",
            "conformance",
            "--no-corpus",
        ],
    );
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("skipped a request"),
        "{}",
        stdout(&out)
    );
}

/// A saved failure the target now skips is not fixed: replay is an error.
#[test]
fn a_replayed_failure_the_target_now_skips_is_never_a_pass() {
    let (dir, vars) = project_with("none");
    // A counterexample file saved by a run against a buggy mutant...
    let mutant = project(&example_with_mutant("tenant_case_insensitive"));
    let out = gonogo(
        mutant.path(),
        &["check", "--property", "isolation", "--cases", "2000"],
    );
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let file = std::fs::read_dir(mutant.path().join("corpus"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // ...replayed against the wrapper, which now skips every request.
    let vars: Vec<(String, String)> = vars
        .into_iter()
        .map(|(k, v)| {
            if k == "SKIP_MODE" {
                (k, "all".into())
            } else {
                (k, v)
            }
        })
        .collect();
    let out = run(
        dir.path(),
        &vars,
        &[
            "replay",
            "--config",
            "gonogo.toml",
            "--allow-target-change",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("skips"), "{}", stdout(&out));
}
