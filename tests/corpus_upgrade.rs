//! Issue 17: a model edit keeps the corpus. `gonogo corpus upgrade`
//! re-validates each counterexample against the new model, rewrites the
//! digest of those that still break their property, and lists the others
//! for review, never dropping them; replay and the gate say so.

mod common;

use common::*;
use std::path::Path;

/// The example model with one more scope (a model edit every team makes).
fn edited(text: &str) -> String {
    text.replace("[tenants]", "\"audit:read\"       = []\n\n[tenants]")
}

fn corpus_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir.join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

fn read_json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn a_model_edit_is_upgraded_and_the_corpus_replays_again() {
    // A bug caught and saved.
    let dir = project(&example_with_mutant("tenant_case_insensitive"));
    let out = gonogo(dir.path(), &["check", "--property", "isolation"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let files = corpus_files(dir.path());
    assert_eq!(files.len(), 1);
    let saved = std::fs::read_to_string(&files[0]).unwrap();

    // The model gains a scope: the corpus refuses to replay, and says how out.
    let config = dir.path().join("gonogo.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, edited(&text)).unwrap();
    let out = gonogo(dir.path(), &["replay", "corpus"]);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("gonogo corpus upgrade"),
        "{}",
        stdout(&out)
    );

    // A dry run writes nothing.
    let out = gonogo(dir.path(), &["corpus", "upgrade", "--dry-run"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("would upgrade"), "{}", stdout(&out));
    assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), saved);

    // The upgrade rewrites the digest, keeps the old one and everything else.
    let out = gonogo(dir.path(), &["corpus", "upgrade", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let report = json(&out);
    assert_eq!(report["verdict"], "go");
    assert_eq!(report["files"][0]["status"], "upgraded");
    let before: serde_json::Value = serde_json::from_str(&saved).unwrap();
    let after = read_json(&files[0]);
    assert_eq!(after["upgraded_from"][0], before["model_digest"]);
    assert_eq!(after["model_digest"], report["model_digest"]);
    assert_eq!(after["requests"], before["requests"]);
    assert_eq!(after["decisions"], before["decisions"]);

    // The bug still fails on replay; the fix passes.
    let out = gonogo(dir.path(), &["replay", "corpus"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    std::fs::write(
        &config,
        edited(&text).replace(
            "kind = \"mutant\"\nmutant = \"tenant_case_insensitive\"",
            "kind = \"policy\"",
        ),
    )
    .unwrap();
    let out = gonogo(dir.path(), &["replay", "corpus", "--allow-target-change"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));

    // Upgrading again: the file is current.
    let out = gonogo(dir.path(), &["corpus", "upgrade", "--format", "json"]);
    assert_eq!(json(&out)["files"][0]["status"], "current");
}

/// An isolation counterexample (a reader of `acme` allowed on `globex`) and
/// files that make no sense: under a model where the reader's scope became
/// cross-tenant, the case no longer applies. Each is listed for review and
/// left byte for byte; the upgrade is NO-GO; nothing is dropped.
#[test]
fn files_that_no_longer_apply_are_listed_never_dropped() {
    let dir = project(&example_text().replace(
        "cross_tenant_scopes = [\"platform:support\"]",
        "cross_tenant_scopes = [\"platform:support\", \"projects:read\"]",
    ));
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    let request = |scopes: &str| {
        format!(
            r#"{{"principal":{{"authenticated":true,"tenant":"acme","scopes":[{scopes}]}},"action":"read","resource":{{"type":"project","tenant":"globex","id":"p-1"}},"context":{{"request_id":"1","time":"2026-03-01T00:00:00Z"}}}}"#
        )
    };
    let file = |property: &str, requests: &str, decisions: &str| {
        format!(
            r#"{{"property":"{property}","seed":"0x1","model_digest":"sha256:0000","requests":[{requests}],"decisions":[{decisions}],"explanation":"x"}}"#
        )
    };
    let allow = r#"{"allow":true}"#;
    let files = [
        (
            "a-vacuous.json",
            file("isolation", &request("\"projects:read\""), allow),
        ),
        (
            "b-unknown.json",
            file("no_such_property", &request(""), allow),
        ),
        ("c-short.json", file("monotonicity", &request(""), allow)),
        (
            "d-still.json",
            file("isolation", &request("\"billing:read\""), allow),
        ),
    ];
    for (name, body) in &files {
        std::fs::write(dir.path().join("corpus").join(name), body).unwrap();
    }
    let out = gonogo(dir.path(), &["corpus", "upgrade", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let report = json(&out);
    let status: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        status,
        ["review", "review", "review", "upgraded"],
        "{report}"
    );
    for (name, body) in &files[..3] {
        let now = std::fs::read_to_string(dir.path().join("corpus").join(name)).unwrap();
        assert_eq!(&now, body, "{name} was changed");
    }
    assert!(
        report["files"][0]["why"]
            .as_str()
            .unwrap()
            .contains("precondition")
    );
    // The human report says the gate keeps refusing them.
    let out = gonogo(dir.path(), &["corpus", "upgrade"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("left as it is"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("the gate refuses them"),
        "{}",
        stdout(&out)
    );
}

/// The gate's corpus check names the way out when files were saved under
/// another model (it said only `ERROR corpus required error`).
#[test]
fn the_gate_names_corpus_upgrade_after_a_model_edit() {
    let dir = project(&example_with_mutant("tenant_case_insensitive"));
    let out = gonogo(dir.path(), &["check", "--property", "isolation"]);
    assert_eq!(code(&out), 1);
    let config = dir.path().join("gonogo.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, edited(&text) + "\n[corpus]\ndir = \"corpus\"\n").unwrap();
    let out = gonogo(dir.path(), &["gate"]);
    assert_ne!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("gonogo corpus upgrade"),
        "{}",
        stdout(&out)
    );
}

/// Attack (review of 17a): a counterexample naming a resource type the
/// new model renamed was upgraded (the name was only printed), the corpus
/// then replayed GO against a target that still had the bug. A scope,
/// type or action the new model does not declare now sends the file to
/// review.
#[test]
fn a_renamed_resource_type_is_reviewed_not_upgraded() {
    let dir = project(&example_text().replace("[resources.member]", "[resources.user]"));
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    let body = r#"{"property":"conformance","seed":"0x1","model_digest":"sha256:0000","requests":[{"principal":{"authenticated":true,"tenant":"acme","scopes":[]},"action":"remove","resource":{"type":"member","tenant":"acme","id":"m-4242"},"context":{"request_id":"1","time":"2026-03-01T00:00:00Z"}}],"decisions":[{"allow":true}],"explanation":"x"}"#;
    let file = dir.path().join("corpus/conformance-x.json");
    std::fs::write(&file, body).unwrap();
    let out = gonogo(dir.path(), &["corpus", "upgrade", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let report = json(&out);
    assert_eq!(report["files"][0]["status"], "review", "{report}");
    assert!(
        report["files"][0]["why"]
            .as_str()
            .unwrap()
            .contains("resource type `member`"),
        "{report}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), body);
}

/// Attack (review of 17a): a broken file after an upgradable one stopped
/// the upgrade with exit 2, the first file already rewritten. Every file is
/// read first now: nothing is written.
#[test]
fn a_broken_file_stops_the_upgrade_before_anything_is_written() {
    let dir = project(&example_text());
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    let good = r#"{"property":"isolation","seed":"0x1","model_digest":"sha256:0000","requests":[{"principal":{"authenticated":true,"tenant":"acme","scopes":[]},"action":"read","resource":{"type":"project","tenant":"globex","id":"p-1"},"context":{"request_id":"1","time":"t"}}],"decisions":[{"allow":true}],"explanation":"x"}"#;
    std::fs::write(dir.path().join("corpus/a.json"), good).unwrap();
    std::fs::write(dir.path().join("corpus/b.json"), "{bad").unwrap();
    let out = gonogo(dir.path(), &["corpus", "upgrade"]);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("corpus/a.json")).unwrap(),
        good
    );
}

/// Attack (review of 17a): a linked folder in the corpus was followed: an
/// upgrade rewrote files outside the corpus, a link loop was walked forty
/// levels deep. A linked folder is an error (skipping it would leave its
/// counterexamples unchecked), for the upgrade and for replay.
#[cfg(unix)]
#[test]
fn a_linked_folder_in_the_corpus_is_an_error() {
    let outside = tempfile::tempdir().unwrap();
    let body = r#"{"property":"isolation","seed":"0x1","model_digest":"sha256:0000","requests":[{"principal":{"authenticated":true,"tenant":"acme","scopes":[]},"action":"read","resource":{"type":"project","tenant":"globex","id":"p-1"},"context":{"request_id":"1","time":"t"}}],"decisions":[{"allow":true}],"explanation":"x"}"#;
    std::fs::write(outside.path().join("other.json"), body).unwrap();
    let dir = project(&example_text());
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("corpus/ext")).unwrap();
    let out = gonogo(dir.path(), &["corpus", "upgrade"]);
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(outside.path().join("other.json")).unwrap(),
        body
    );
    let out = gonogo(dir.path(), &["replay", "corpus"]);
    assert_eq!(code(&out), 2);
}

/// SPEC §6: `replay` exits 1 if any file still fails, even beside a file
/// that errors (it exited 2: an outage hid a real NO-GO).
#[test]
fn replay_with_a_failing_and_an_erroring_file_is_no_go() {
    let dir = project(&example_with_mutant("tenant_case_insensitive"));
    let out = gonogo(dir.path(), &["check", "--property", "isolation"]);
    assert_eq!(code(&out), 1);
    let mut other = read_json(&corpus_files(dir.path())[0]);
    other["property"] = "no_such_property".into();
    std::fs::write(
        dir.path().join("corpus/zz-error.json"),
        serde_json::to_string(&other).unwrap(),
    )
    .unwrap();
    let out = gonogo(dir.path(), &["replay", "corpus", "--format", "json"]);
    let doc = json(&out);
    let statuses: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains(&"fail") && statuses.contains(&"error"),
        "{doc}"
    );
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
}
