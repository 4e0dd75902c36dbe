//! `gonogo env check` through the real binary: every reason code with its
//! exit code in human, JSON and JUnit output, and never a secret value.

mod common;
use common::*;
use std::path::Path;

const SECRETS: [&str; 3] = ["s3cr3t-db-pass", "s3cr3t-session", "s3cr3t-unknown"];

fn matrix() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/env-matrix.toml"),
    )
    .unwrap()
}

fn setup(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("matrix.toml"), matrix()).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Runs `env check` in all three formats; checks exit codes agree and no
/// secret appears; returns (code, json, human, junit).
fn check(dir: &Path, envs: &[&str]) -> (i32, serde_json::Value, String, String) {
    let mut outs = Vec::new();
    for format in ["json", "human", "junit"] {
        let mut args = vec![
            "env",
            "check",
            "--matrix",
            "matrix.toml",
            "--format",
            format,
        ];
        for e in envs {
            args.extend(["--env", e]);
        }
        let out = gonogo(dir, &args);
        let all = format!("{}{}", stdout(&out), stderr(&out));
        for s in SECRETS {
            assert!(!all.contains(s), "{format} output holds a secret:\n{all}");
        }
        outs.push(out);
    }
    let code0 = code(&outs[0]);
    assert!(
        outs.iter().all(|o| code(o) == code0),
        "formats disagree on the exit code"
    );
    (
        code0,
        json(&outs[0]),
        stdout(&outs[1]) + &stderr(&outs[1]),
        stdout(&outs[2]),
    )
}

fn reasons(doc: &serde_json::Value) -> Vec<(String, Option<u64>)> {
    doc["environments"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["reason"].as_str().unwrap().to_string(),
                f["line"].as_u64(),
            )
        })
        .collect()
}

const GOOD_PROD: &str = "DATABASE_URL=postgres://app:s3cr3t-db-pass@db:5432/app\nSESSION_SECRET=s3cr3t-session\nLOG_LEVEL=info\n";

#[test]
fn a_clean_environment_is_go() {
    let dir = setup(&[("prod.env", GOOD_PROD)]);
    let (code, doc, human, junit) = check(dir.path(), &["prod=prod.env"]);
    assert_eq!(code, 0, "{doc:#}");
    assert!(human.contains("PASS"));
    assert!(
        junit.contains("<testcase classname=\"gonogo env check\" name=\"prod\"/>"),
        "{junit}"
    );
}

#[test]
fn each_finding_reason_is_no_go_with_file_line_and_flag() {
    for (line, reason) in [
        ("AUTH_DEV_BYPASS=true", "forbidden_flag"),
        ("LOG_LEVEL=debug", "forbidden_value"),
        ("WORKERS=eight", "invalid_value"),
        ("EXTRA_TOKEN=s3cr3t-unknown", "unknown_flag"),
    ] {
        let text = format!("{GOOD_PROD}{line}\n").replace(
            "LOG_LEVEL=info\n",
            if line.starts_with("LOG_LEVEL") {
                ""
            } else {
                "LOG_LEVEL=info\n"
            },
        );
        let dir = setup(&[("prod.env", &text)]);
        let (code, doc, human, junit) = check(dir.path(), &["prod=prod.env"]);
        assert_eq!(code, 1, "{reason}: {doc:#}");
        let found = reasons(&doc);
        assert_eq!(found.len(), 1, "{reason}: {found:?}");
        assert_eq!(found[0].0, reason);
        let flag = line.split('=').next().unwrap();
        assert_eq!(doc["environments"][0]["findings"][0]["flag"], flag);
        let at = format!("prod.env:{}", found[0].1.unwrap());
        assert!(human.contains(&at) && human.contains(reason), "{human}");
        assert!(
            junit.contains(&format!("<failure type=\"{reason}\"")),
            "{junit}"
        );
    }
    // missing_required: absent, and present but empty.
    for text in [
        "DATABASE_URL=postgres://db/app\nLOG_LEVEL=info\n",
        "DATABASE_URL=postgres://db/app\nSESSION_SECRET=\n",
    ] {
        let dir = setup(&[("prod.env", text)]);
        let (code, doc, _, _) = check(dir.path(), &["prod=prod.env"]);
        assert_eq!(code, 1);
        assert_eq!(reasons(&doc)[0].0, "missing_required");
    }
    // A secret flag with a bad value: reported, its value never shown.
    let dir = setup(&[(
        "prod.env",
        &GOOD_PROD.replace(
            "postgres://app:s3cr3t-db-pass@db:5432/app",
            "\"s3cr3t-db-pass not a url\"",
        ),
    )]);
    let (code, doc, human, _) = check(dir.path(), &["prod=prod.env"]);
    assert_eq!(code, 1);
    assert_eq!(reasons(&doc)[0].0, "invalid_value");
    assert!(human.contains("(secret)"), "{human}");
}

#[test]
fn every_environment_is_checked_and_reported() {
    let dir = setup(&[
        ("prod.env", GOOD_PROD),
        (
            "staging.env",
            "DATABASE_URL=postgres://db/app\nSESSION_SECRET=x\nAUTH_DEV_BYPASS=on\n",
        ),
        ("dev.env", "AUTH_DEV_BYPASS=true\n"),
    ]);
    let (code, doc, _, junit) = check(
        dir.path(),
        &["prod=prod.env", "staging=staging.env", "dev=dev.env"],
    );
    assert_eq!(code, 1);
    let envs = doc["environments"].as_array().unwrap();
    let statuses: Vec<(&str, &str)> = envs
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        vec![("prod", "pass"), ("staging", "fail"), ("dev", "pass")]
    );
    assert_eq!(junit.matches("<testcase ").count(), 3);
}

#[test]
fn errors_exit_2() {
    for (file, env, reason, text) in [
        (
            "A=1\n",
            "production=prod.env",
            "unknown_environment",
            "unknown environment `production`",
        ),
        (
            "LOG_LEVEL=info\nWORKERS=1\nLOG_LEVEL=warn\n",
            "prod=prod.env",
            "duplicate_key",
            "prod.env:3: `LOG_LEVEL`: duplicate key (first at line 1)",
        ),
        (
            "LOG_LEVEL=info\nthis line is not dotenv\n",
            "prod=prod.env",
            "parse_error",
            "prod.env:2",
        ),
    ] {
        let dir = setup(&[("prod.env", file)]);
        let (code, doc, human, junit) = check(dir.path(), &[env]);
        assert_eq!(code, 2, "{reason}");
        assert_eq!(doc["reason"], reason, "{doc:#}");
        assert!(human.contains(text), "{human}");
        assert!(junit.contains(reason), "{junit}");
    }
    let dir = setup(&[]);
    let (code, _, human, _) = check(dir.path(), &["prod=missing.env"]);
    assert_eq!(code, 2);
    assert!(human.contains("missing.env"));
}

/// A secret is not echoed even where dotenvy rejects its line.
#[test]
fn a_broken_secret_line_is_not_echoed() {
    let dir = setup(&[("prod.env", "SESSION_SECRET=s3cr3t-session and more\n")]);
    let (code, _, _, _) = check(dir.path(), &["prod=prod.env"]);
    assert_eq!(code, 2);
}

fn matrix_error(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("matrix.toml"), text).unwrap();
    std::fs::write(dir.path().join("prod.env"), "").unwrap();
    let out = gonogo(
        dir.path(),
        &[
            "env",
            "check",
            "--matrix",
            "matrix.toml",
            "--env",
            "prod=prod.env",
        ],
    );
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    stderr(&out)
}

#[test]
fn bad_matrices_name_the_key() {
    let m = matrix();
    insta::assert_snapshot!(
        "matrix_unknown_class",
        matrix_error(&m.replace("{ class = \"prod-like\" }", "{ class = \"production\" }"))
    );
    insta::assert_snapshot!(
        "matrix_unknown_type",
        matrix_error(&m.replace("type = \"int\"", "type = \"integer\""))
    );
    insta::assert_snapshot!(
        "matrix_forbidden_and_required",
        matrix_error(&m.replace(
            "forbid_in = [\"prod\", \"prod-like\"]",
            "forbid_in = [\"prod\", \"prod-like\"]\nrequired_in = [\"prod\"]"
        ))
    );
    insta::assert_snapshot!(
        "matrix_malformed",
        matrix_error(&m.replace("[flags.WORKERS]", "[flags.WORKERS"))
    );
    insta::assert_snapshot!(
        "matrix_unknown_key",
        matrix_error(&m.replace("secret = true", "secrett = true"))
    );
}

// ---- Issue 13: every file read the way every real reader reads it. ----
// Each of these made `env check` exit 0 before the reader models (the file
// was read as dotenvy alone, `${VAR}` filled from gonogo's environment).

/// The findings' reasons, deduplicated, in order.
fn reason_codes(doc: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = reasons(doc).into_iter().map(|(r, _)| r).collect();
    out.dedup();
    out
}

#[test]
fn files_real_readers_read_as_a_bypass_are_no_go() {
    for (attack, what) in [
        (
            "SESSION_SECRET=pa'ss\nAUTH_DEV_BYPASS=true\nWORKERS=1'\n",
            "a quote inside an unquoted value",
        ),
        ("SESSION_SECRET=abc\rAUTH_DEV_BYPASS=true\n", "a bare CR"),
        ("AUTH_DEV_BYPASS=fal\"\"se\n", "quotes inside a value"),
        ("AUTH_DEV_BYPASS=false$X\n", "a `$` after the value"),
        ("AUTH_DEV_BYPASS=\\ false\n", "an escaped blank"),
        ("AUTH_DEV_BYPASS=false#x\n", "a `#` without a blank"),
        (
            "AUTH_DEV_BYPASS='fal\\se'\n",
            "an escape inside single quotes",
        ),
    ] {
        let text = GOOD_PROD.replace("SESSION_SECRET=s3cr3t-session\n", "") + attack;
        let text = if text.contains("SESSION_SECRET") {
            text
        } else {
            text + "SESSION_SECRET=s3cr3t-session\n"
        };
        let dir = setup(&[("prod.env", &text)]);
        let (code, doc, human, _) = check(dir.path(), &["prod=prod.env"]);
        assert!(code == 1, "{what}: exit {code}\n{human}");
        let found = reason_codes(&doc);
        assert!(
            found.contains(&"forbidden_flag".to_string()),
            "{what}: {found:?}\n{human}"
        );
    }
}

/// `${VAR}` is resolved from the file as each reader does, never from the
/// environment gonogo runs in: the verdict is the same either way.
#[test]
fn substitution_never_reads_gonogos_environment() {
    let text = format!("{GOOD_PROD}AUTH_DEV_BYPASS=${{GONOGO_TEST_OFF}}\n");
    let dir = setup(&[("prod.env", &text)]);
    let mut codes = Vec::new();
    for value in [Some("false"), None] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gonogo"));
        cmd.args([
            "env",
            "check",
            "--matrix",
            "matrix.toml",
            "--env",
            "prod=prod.env",
        ])
        .args(["--format", "json"])
        .current_dir(dir.path());
        match value {
            Some(v) => cmd.env("GONOGO_TEST_OFF", v),
            None => cmd.env_remove("GONOGO_TEST_OFF"),
        };
        let out = cmd.output().unwrap();
        let doc = json(&out);
        assert!(
            reason_codes(&doc).contains(&"ambiguous_line".to_string()),
            "{doc:#}"
        );
        codes.push(code(&out));
    }
    assert_eq!(codes, vec![1, 1]);
}

/// The leak classes: a secret substituted into a non-secret flag, a quote
/// running on into a secret's line, a URL's password. `check` greps human,
/// JSON and JUnit output for every secret.
#[test]
fn no_secret_leaks_through_substitution_run_ons_or_urls() {
    for attack in [
        "LOG_LEVEL=${SESSION_SECRET}\n",
        "LOG_LEVEL=\"${SESSION_SECRET}\"\n",
        "WORKERS=1'\nEXTRA=s3cr3t-unknown\nX=2'\n",
        "LOG_LEVEL=in'fo\nSESSION_SECRET=s3cr3t-session\nWORKERS=1'\n",
        "WORKERS=http://u:s3cr3t-db-pass@h/x\n",
        "WORKERS=u:s3cr3t-db-pass@h\n",
        "LOG_LEVEL=postgres:u:s3cr3t-db-pass@h/db\n",
        "LOG_LEVEL=\"postgres://u:s3cr3t/db#pass@h/db\"\n",
        // Found by the attack review: a secret in a `${…:-default}`, and a
        // NEL, VT or FF running a value on into a secret's "line".
        "SESSION_SECRET=${SS:-s3cr3t-session}\n",
        "DATABASE_URL=${DATABASE_URL:-postgres://app:s3cr3t-db-pass@db/app}\n",
        "LOG_LEVEL=info\u{85}SESSION_SECRET=s3cr3t-session\n",
        "LOG_LEVEL=info\u{b}SESSION_SECRET=s3cr3t-session\n",
        "LOG_LEVEL=info\u{c}SESSION_SECRET=s3cr3t-session\n",
    ] {
        let text = format!("{GOOD_PROD}{attack}");
        let dir = setup(&[("prod.env", &text)]);
        let (code, doc, human, _) = check(dir.path(), &["prod=prod.env"]);
        assert_ne!(code, 0, "{attack:?}: {doc:#}\n{human}");
    }
}

/// A file every reader reads the same way is accepted: a BOM before a
/// comment, and (without dotenvy, which refuses them) unquoted values with
/// blanks. A BOM right before a key is not: python-dotenv keeps it in the
/// key name, so its service never sees the flag.
#[test]
fn what_every_reader_reads_the_same_way_is_go() {
    let dir = setup(&[("prod.env", &format!("\u{feff}# prod\n{GOOD_PROD}"))]);
    let (code, doc, _, _) = check(dir.path(), &["prod=prod.env"]);
    assert_eq!(code, 0, "{doc:#}");

    let dir = setup(&[("prod.env", &format!("\u{feff}{GOOD_PROD}"))]);
    let (code, doc, human, _) = check(dir.path(), &["prod=prod.env"]);
    assert_eq!(code, 1, "{human}");
    let f = &doc["environments"][0]["findings"];
    assert!(
        f.as_array()
            .unwrap()
            .iter()
            .any(|f| f["reason"] == "ambiguous_line"
                && f["line"] == 1
                && f["readers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r == "python-dotenv")),
        "{doc:#}"
    );

    let spaced = GOOD_PROD.replace(
        "SESSION_SECRET=s3cr3t-session",
        "SESSION_SECRET=s3cr3t-session and more",
    );
    let dir = setup(&[("prod.env", &spaced)]);
    let (code, doc, human, _) = check(dir.path(), &["prod=prod.env"]);
    assert_eq!(code, 2, "{doc:#}");
    assert!(human.contains("prod.env:2: dotenvy refuses"), "{human}");
    let matrix = matrix() + "readers = [\"python-dotenv\", \"node-dotenv\", \"compose\"]\n";
    std::fs::write(dir.path().join("matrix.toml"), matrix).unwrap();
    let (code, doc, _, _) = check(dir.path(), &["prod=prod.env"]);
    assert_eq!(code, 0, "{doc:#}");
}

/// Errors point at the line the reader fails on, not the blank line before
/// it or the line where a multi-line value starts.
#[test]
fn parse_errors_name_the_true_line() {
    for (tail, line) in [
        ("\n\nWORKERS=two words\n", 6),
        ("WORKERS=\"1\n2\\q\"\n", 5),
        ("\n\n\nWORKERS='unterminated\n", 7),
    ] {
        let dir = setup(&[("prod.env", &format!("{GOOD_PROD}{tail}"))]);
        let (code, doc, human, _) = check(dir.path(), &["prod=prod.env"]);
        assert_eq!(code, 2, "{tail:?}: {doc:#}");
        assert!(
            human.contains(&format!("prod.env:{line}:")),
            "{tail:?}: {human}"
        );
    }
}

#[test]
fn unknown_readers_are_refused_naming_the_key() {
    let text = matrix() + "readers = [\"dotenvy\", \"python_dotenv\"]\n";
    let dir = setup(&[("prod.env", GOOD_PROD)]);
    std::fs::write(dir.path().join("matrix.toml"), text).unwrap();
    let (code, _, human, _) = check(dir.path(), &["prod=prod.env"]);
    assert_eq!(code, 2);
    assert!(
        human.contains("policy.readers") && human.contains("python_dotenv"),
        "{human}"
    );
}
