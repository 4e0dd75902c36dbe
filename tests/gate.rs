//! `gonogo gate`, `verify` and `keygen` on a small project: SQLite
//! migrations, env files, a model and a corpus.

mod common;
#[path = "common/live.rs"]
mod live;

use common::*;
use live::{Db, Live};
use std::process::Command;

#[path = "common/gate_project.rs"]
mod gate_project;
use gate_project::*;

#[test]
fn a_clean_project_is_go_with_a_valid_statement() {
    let p = good_project();
    let out = run(&p, &["gate"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let statement: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(p.dir.path().join("release-proof.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    let names: Vec<&str> = statement["subject"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for n in [
        "gonogo.toml",
        "corpus/",
        "migrations/",
        "env-matrix.toml",
        "deploy/prod.env",
        "deploy/staging.env",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    for s in statement["subject"].as_array().unwrap() {
        assert_eq!(s["digest"]["sha256"].as_str().unwrap().len(), 64);
    }
    let pred = &statement["predicate"];
    assert_eq!(pred["verdict"], "go");
    let checks: Vec<(&str, &str)> = pred["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        checks,
        vec![
            ("properties", "pass"),
            ("corpus", "pass"),
            ("migrations", "pass"),
            ("env", "pass")
        ]
    );
    assert_eq!(pred["checks"][0]["evidence"]["seed"], "0x5eed");
    assert_eq!(pred["checks"][0]["evidence"]["cases"], 200);
    assert!(pred["started_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(pred["tool"]["name"], "gonogo");
    // No secret from the env files, no database URL.
    let text = std::fs::read_to_string(p.dir.path().join("release-proof.json")).unwrap();
    for secret in [
        "prod-db-password",
        "prod-session-secret-value",
        "staging-db-password",
        p.db.url.as_str(),
    ] {
        assert!(!text.contains(secret), "the artifact holds `{secret}`");
    }
    let (code, doc) = verify(&p, &[]);
    assert_eq!(code, 0, "{doc:#}");
}

#[test]
fn changing_any_input_fails_verify_naming_it() {
    let p = good_project();
    assert_eq!(code(&run(&p, &["gate"])), 0);
    let root = p.dir.path();
    for (file, name) in [
        ("gonogo.toml", "gonogo.toml"),
        ("migrations/2_index.sql", "migrations/"),
        ("deploy/prod.env", "deploy/prod.env"),
        ("env-matrix.toml", "env-matrix.toml"),
        ("corpus/extra.json", "corpus/"),
    ] {
        let path = root.join(file);
        let before = std::fs::read(&path).ok();
        let mut changed = before.clone().unwrap_or_default();
        changed.extend_from_slice(b"\n# changed\n");
        std::fs::write(&path, &changed).unwrap();
        let (code, doc) = verify(&p, &[]);
        assert_eq!(code, 1, "{file}: {doc:#}");
        assert_eq!(reasons(&doc), vec!["digest_mismatch".to_string()], "{file}");
        assert!(
            doc["findings"][0]["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("`{name}`")),
            "{doc:#}"
        );
        match before {
            Some(b) => std::fs::write(&path, b).unwrap(),
            None => std::fs::remove_file(&path).unwrap(),
        }
        assert_eq!(verify(&p, &[]).0, 0, "{file} restored");
    }
}

#[test]
fn editing_the_verdict_or_a_check_fails_verify() {
    let p = good_project();
    assert_eq!(code(&run(&p, &["gate"])), 0);
    let path = p.dir.path().join("release-proof.json");
    let original = std::fs::read_to_string(&path).unwrap();
    let statement: serde_json::Value = serde_json::from_str(&original).unwrap();
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut s = statement.clone();
        f(&mut s);
        std::fs::write(&path, serde_json::to_string_pretty(&s).unwrap()).unwrap();
        verify(&p, &[])
    };
    let (code, doc) = edit(&|s| s["predicate"]["verdict"] = "no-go".into());
    assert_eq!(
        (code, reasons(&doc)),
        (1, vec!["verdict_no_go".to_string()])
    );
    let (code, doc) = edit(&|s| s["predicate"]["checks"][2]["status"] = "fail".into());
    assert_eq!(code, 1);
    assert!(
        reasons(&doc).iter().all(|r| r == "verdict_no_go"),
        "{doc:#}"
    );
    let (code, doc) = edit(&|s| {
        s["predicate"]["checks"].as_array_mut().unwrap().remove(3);
    });
    assert_eq!(code, 1);
    assert_eq!(reasons(&doc)[0], "missing_check", "{doc:#}");
    std::fs::write(&path, "{ not json").unwrap();
    assert_eq!(verify(&p, &[]).0, 2);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(verify(&p, &[]).0, 2);
}

#[test]
fn a_failing_or_missing_check_is_no_go_and_says_so_in_the_artifact() {
    let p = project_with("DATABASE_URL=postgres://db/app\nSESSION_SECRET=x\nAUTH_DEV_BYPASS=yes\n");
    let out = run(&p, &["gate", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let doc = json(&out);
    assert_eq!(doc["statement"]["predicate"]["verdict"], "no-go");
    let (status, doc) = verify(&p, &[]);
    assert_eq!(status, 1);
    assert!(reasons(&doc).contains(&"verdict_no_go".to_string()));

    // A required section that is absent: `missing`, NO-GO.
    let p = good_project();
    let config = p.dir.path().join("gonogo.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let cut = text.find("[env]").unwrap();
    std::fs::write(&config, &text[..cut]).unwrap();
    let out = run(&p, &["gate", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let env = json(&out)["statement"]["predicate"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "env")
        .cloned()
        .unwrap();
    assert_eq!(env["status"], "missing");
    assert!(reasons(&verify(&p, &[]).1).contains(&"missing_check".to_string()));

    // An unset database variable: the check errors, the gate is NO-GO.
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["gate", "--format", "json"])
        .current_dir(p.dir.path())
        .env_remove("GONOGO_TEST_GATE_DB")
        .output()
        .unwrap();
    // The required env section is missing (a failure), so exit 1 even
    // though migrations errored (SPEC §1).
    assert_eq!(code(&out), 1);
    let m = json(&out)["statement"]["predicate"]["checks"][2].clone();
    assert_eq!(m["status"], "error");
    assert!(
        m["evidence"]["message"]
            .as_str()
            .unwrap()
            .contains("GONOGO_TEST_GATE_DB")
    );
}

#[test]
fn a_signed_statement_edited_in_any_byte_fails_with_bad_signature() {
    let p = good_project();
    let keys = p.dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let out = run(
        &p,
        &[
            "keygen",
            "--private",
            "keys/gate.key",
            "--public",
            "keys/gate.pub",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Issue 16: keygen speaks every format (it printed a sentence under
    // `--format json`).
    let again = run(
        &p,
        &[
            "keygen",
            "--private",
            "keys/second.key",
            "--public",
            "keys/second.pub",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    let doc: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(doc["verdict"], "go");
    assert_eq!(doc["public"], "keys/second.pub");
    assert!(
        doc["keyid"].as_str().is_some_and(|k| !k.is_empty()),
        "{doc}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keys.join("gate.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Keys are never overwritten.
    assert_eq!(
        code(&run(
            &p,
            &[
                "keygen",
                "--private",
                "keys/gate.key",
                "--public",
                "keys/other.pub"
            ]
        )),
        2
    );

    let out = run(&p, &["gate", "--sign", "keys/gate.key"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(verify(&p, &["--key", "keys/gate.pub"]).0, 0);

    let path = p.dir.path().join("release-proof.json");
    let original = std::fs::read(&path).unwrap();
    let options = |file: &std::path::Path| gonogo::gate::VerifyOptions {
        file: file.to_path_buf(),
        root: Some(p.dir.path().to_path_buf()),
        key: Some(keys.join("gate.pub")),
        config: None,
        any_commit: false,
    };
    let scratch = p.dir.path().join("edited.json");
    for i in 0..original.len() {
        let mut edited = original.clone();
        edited[i] ^= 0x01;
        std::fs::write(&scratch, &edited).unwrap();
        let report =
            gonogo::gate::verify(&options(&scratch)).unwrap_or_else(|e| panic!("byte {i}: {e}"));
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.reason == gonogo::Reason::BadSignature),
            "byte {i} edited and still verified: {:?}",
            report.findings
        );
    }
    // Another key, and an unsigned statement under --key: bad_signature.
    assert_eq!(
        code(&run(
            &p,
            &[
                "keygen",
                "--private",
                "keys/b.key",
                "--public",
                "keys/b.pub"
            ]
        )),
        0
    );
    let (code, doc) = verify(&p, &["--key", "keys/b.pub"]);
    assert_eq!(
        (code, reasons(&doc)),
        (1, vec!["bad_signature".to_string()])
    );
    assert_eq!(self::code(&run(&p, &["gate"])), 0);
    let (code, doc) = verify(&p, &["--key", "keys/gate.pub"]);
    assert_eq!(
        (code, reasons(&doc)),
        (1, vec!["bad_signature".to_string()])
    );
}

/// The password of the database URL is in no artifact (PostgreSQL with trust
/// auth takes any password).
#[test]
fn the_database_password_never_reaches_the_artifact() {
    let Some(server) = live::server(Db::Postgres) else {
        return;
    };
    let p = good_project();
    let pg = Live::new(Db::Postgres).unwrap();
    pg.migrate(&p.dir.path().join("migrations"));
    let url = pg
        .url
        .replacen("postgres://postgres@", "postgres://postgres:hunter2-pw@", 1);
    assert_ne!(url, pg.url, "{server}");
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["gate", "--format", "json"])
        .current_dir(p.dir.path())
        .env("GONOGO_TEST_GATE_DB", &url)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let all = format!(
        "{}{}{}",
        stdout(&out),
        stderr(&out),
        std::fs::read_to_string(p.dir.path().join("release-proof.json")).unwrap()
    );
    assert!(!all.contains("hunter2"));
}

/// Issue 13's leak classes reach neither the gate's output nor the proof: a
/// secret substituted into another flag, a quote running on into a secret's
/// line, a URL's password in a non-secret flag.
#[test]
fn env_values_that_must_stay_hidden_reach_no_output_and_no_proof() {
    let prod = "DATABASE_URL=postgres://app:s3cr3t-db-pw@db:5432/app\n\
                SESSION_SECRET=s3cr3t-session-x\n\
                LOG_LEVEL=${SESSION_SECRET}\n\
                WORKERS=in'fo\nEXTRA=s3cr3t-run-on\nX=1'\n\
                LOG_LEVEL_URL=http://u:s3cr3t-url-pw@h/x\n";
    let p = project_with(prod);
    for format in ["human", "json", "junit"] {
        let out = run(&p, &["gate", "--format", format]);
        assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
        let all = format!(
            "{}{}{}",
            stdout(&out),
            stderr(&out),
            std::fs::read_to_string(p.dir.path().join("release-proof.json")).unwrap()
        );
        for secret in [
            "s3cr3t-db-pw",
            "s3cr3t-session-x",
            "s3cr3t-run-on",
            "s3cr3t-url-pw",
        ] {
            assert!(!all.contains(secret), "{format}: {secret} in\n{all}");
        }
    }
}

/// in-toto's `dirHash` of a folder, computed by the attestation spec's own
/// shell pipeline (coreutils), not by gonogo's code.
fn dir_hash_by_coreutils(dir: &std::path::Path) -> String {
    let out = Command::new("sh")
        .arg("-c")
        .arg("find . -type f | cut -c3- | LC_ALL=C sort | xargs -r sha256sum | sha256sum | cut -f1 -d' '")
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn folder_subjects_carry_in_totos_dir_hash_and_verify_checks_it() {
    let p = good_project();
    std::fs::create_dir_all(p.dir.path().join("migrations/nested")).unwrap();
    std::fs::write(p.dir.path().join("migrations/nested/B.txt"), "b").unwrap();
    std::fs::write(p.dir.path().join("migrations/nested/a.txt"), "a").unwrap();
    assert_eq!(code(&run(&p, &["gate"])), 0);
    let proof = p.dir.path().join("release-proof.json");
    let mut statement: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&proof).unwrap()).unwrap();
    let mut folders = 0;
    for s in statement["subject"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        match name.strip_suffix('/') {
            Some(dir) => {
                folders += 1;
                assert_eq!(
                    s["digest"]["dirHash"].as_str(),
                    Some(dir_hash_by_coreutils(&p.dir.path().join(dir)).as_str()),
                    "{name}"
                );
            }
            None => assert!(s["digest"].get("dirHash").is_none(), "{name}"),
        }
    }
    assert_eq!(folders, 2, "corpus/ and migrations/");
    // verify recomputes it: a forged or missing dirHash is a mismatch.
    let i = statement["subject"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s["name"] == "migrations/")
        .unwrap();
    statement["subject"][i]["digest"]["dirHash"] = serde_json::json!("00".repeat(32));
    std::fs::write(&proof, statement.to_string()).unwrap();
    let (code, doc) = verify(&p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(reasons(&doc), vec!["digest_mismatch".to_string()]);
    statement["subject"][i]["digest"]
        .as_object_mut()
        .unwrap()
        .remove("dirHash");
    std::fs::write(&proof, statement.to_string()).unwrap();
    let (code, doc) = verify(&p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(reasons(&doc), vec!["digest_mismatch".to_string()]);
}
