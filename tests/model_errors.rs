//! Bad model files: exit 2 and a message naming file, line and key.
//! The messages are snapshots (`tests/snapshots/`).

mod common;
use common::*;
use gonogo::model::{Config, SourceFile};

const BASE: &str = r#"[scopes]
"projects:read" = []
"projects:write" = ["projects:read"]
"admin" = ["projects:write"]
"platform:support" = []

[tenants]
cross_tenant_scopes = ["platform:support"]

[resources.project]
read = "projects:read"
delete = ["admin"]

[[reasons]]
code = "unauthenticated"
status = 401
[[reasons]]
code = "unknown_action"
status = 400
[[reasons]]
code = "tenant_mismatch"
status = 404
[[reasons]]
code = "insufficient_scope"
status = 403
"#;

fn error_of(text: &str) -> String {
    match Config::parse(&SourceFile::new("gonogo.toml", text)) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_base_model_parses() {
    let config = Config::parse(&SourceFile::new("gonogo.toml", BASE)).unwrap();
    assert_eq!(config.model.lattice.len(), 4);
}

#[test]
fn malformed_toml() {
    let text = BASE.replace("read = \"projects:read\"", "read = \"projects:read");
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn implication_cycle_is_named() {
    let text = BASE.replace("\"projects:read\" = []", "\"projects:read\" = [\"admin\"]");
    let msg = error_of(&text);
    assert!(
        msg.contains("`admin` -> `projects:write` -> `projects:read` -> `admin`"),
        "{msg}"
    );
    insta::assert_snapshot!(msg);
}

#[test]
fn unknown_scope_in_implies() {
    let text = BASE.replace(
        "\"admin\" = [\"projects:write\"]",
        "\"admin\" = [\"projects:write\", \"billing:write\"]",
    );
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn unknown_scope_in_cross_tenant_scopes() {
    let text = BASE.replace("[\"platform:support\"]", "[\"platform:suport\"]");
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn unknown_scope_in_a_resource() {
    let text = BASE.replace("read = \"projects:read\"", "read = \"project:read\"");
    insta::assert_snapshot!(error_of(&text));
    let text = BASE.replace("delete = [\"admin\"]", "delete = [\"admin\", \"root\"]");
    insta::assert_snapshot!("unknown_scope_in_a_resource_list", error_of(&text));
}

#[test]
fn duplicate_reason_code() {
    let text = format!("{BASE}[[reasons]]\ncode = \"tenant_mismatch\"\nstatus = 403\n");
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn status_outside_100_to_599() {
    let text = BASE.replace("status = 404", "status = 604");
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn empty_reason_catalog() {
    let cut = BASE.find("[[reasons]]").unwrap();
    insta::assert_snapshot!(error_of(&BASE[..cut]));
    let text = format!("reasons = []\n{}", &BASE[..cut]);
    insta::assert_snapshot!("empty_reason_catalog_array", error_of(&text));
}

#[test]
fn catalog_without_a_builtin_cause() {
    let text = BASE.replace("code = \"unknown_action\"\nstatus = 400\n[[reasons]]\n", "");
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn unknown_key() {
    let text = BASE.replace("[tenants]", "[tenants]\ncross_tennant = true");
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn wrong_type() {
    let text = BASE.replace("status = 401", "status = \"401\"");
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn unknown_target_kind() {
    let text = format!("{BASE}\n[target]\nkind = \"grpc\"\n");
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn bad_seed_and_cases() {
    let text = format!("{BASE}\n[check]\nseed = \"0xnope\"\n");
    insta::assert_snapshot!(error_of(&text));
    let text = format!("{BASE}\n[check]\ncases = 0\n");
    insta::assert_snapshot!("bad_cases", error_of(&text));
}

#[test]
fn unknown_mutant() {
    let text = format!("{BASE}\n[target]\nkind = \"mutant\"\nmutant = \"nope\"\n");
    let dir = project(&text);
    let out = gonogo(dir.path(), &["check"]);
    assert_eq!(code(&out), 2);
    insta::assert_snapshot!(stderr(&out));
}

/// Through the binary: exit 2, the message on stderr with file, line and key,
/// and nothing written.
#[test]
fn cli_reports_file_line_and_key() {
    let text = BASE.replace("\"projects:read\" = []", "\"projects:read\" = [\"admin\"]");
    let dir = project(&text);
    let out = gonogo(dir.path(), &["check"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.starts_with("error: `scopes.admin`: implication cycle")
            && err.contains("--> gonogo.toml:4:1"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
    assert!(!dir.path().join("corpus").exists());
    for format in ["json", "junit"] {
        let out = gonogo(dir.path(), &["check", "--format", format]);
        assert_eq!(code(&out), 2);
        assert!(stdout(&out).contains("implication cycle"));
    }
}

#[test]
fn names_must_be_plain() {
    let text = BASE.replace("\"platform:support\" = []", "\"\" = []");
    insta::assert_snapshot!("empty_scope_name", error_of(&text));
    let text = BASE.replace("read = \"projects:read\"", "\"\" = \"projects:read\"");
    insta::assert_snapshot!("empty_action_name", error_of(&text));
    let text = BASE.replace(
        "\"admin\" = [\"projects:write\"]",
        "\"${ADMIN}\" = [\"projects:write\"]",
    );
    insta::assert_snapshot!("variable_in_a_scope_name", error_of(&text));
    let text = BASE.replace("code = \"unauthenticated\"", "code = \"9lives\"");
    insta::assert_snapshot!("reason_code_not_snake_case", error_of(&text));
}

#[test]
fn unset_variable_in_tenant_ids() {
    let text = BASE.replace(
        "[tenants]",
        "[tenants]\nids = [\"${GONOGO_TEST_SURELY_UNSET_TENANT}\"]",
    );
    insta::assert_snapshot!(error_of(&text));
}

#[test]
fn target_keys_must_fit_the_kind() {
    let text = format!("{BASE}\n[target]\nkind = \"policy\"\ncommand = [\"rm\", \"-rf\"]\n");
    insta::assert_snapshot!(error_of(&text));
    let text = format!("{BASE}\n[target]\nkind = \"http\"\nurl = \"ftp://x\"\n");
    insta::assert_snapshot!("http_url_scheme", error_of(&text));
}

/// On a terminal or not, a human reader gets the offending line of the
/// model, matrix or threshold file with a caret under the offending text.
#[test]
fn input_file_errors_show_the_offending_line() {
    let dir = project(&BASE.replace("read = \"projects:read\"", "read = \"projects:raed\""));
    let out = gonogo(dir.path(), &["check"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("--> gonogo.toml:11:8"), "{err}");
    assert!(err.contains("11 | read = \"projects:raed\""), "{err}");
    assert!(err.contains("^^^^^^^^^^^^^^^"), "{err}");
    assert!(
        err.contains("`resources.project.read`: unknown scope `projects:raed`"),
        "{err}"
    );

    let matrix = "[environments]\nprod = { class = \"production\" }\n";
    std::fs::write(dir.path().join("matrix.toml"), matrix).unwrap();
    std::fs::write(dir.path().join("prod.env"), "A=1\n").unwrap();
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
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("--> matrix.toml:2"), "{err}");
    assert!(
        err.contains("2 | prod = { class = \"production\" }"),
        "{err}"
    );
    assert!(err.contains('^'), "{err}");

    let thresholds = "window = \"24h\"\n[[threshold]]\nmetric = \"error_rate\"\nmax = \"low\"\n";
    std::fs::write(dir.path().join("t.toml"), thresholds).unwrap();
    std::fs::write(dir.path().join("m.csv"), "time,metric,value\n").unwrap();
    let out = gonogo(
        dir.path(),
        &["watch", "--thresholds", "t.toml", "--metrics", "m.csv"],
    );
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("--> t.toml:4"), "{err}");
    assert!(err.contains("4 | max = \"low\""), "{err}");
    // JSON keeps the one-line message.
    let out = gonogo(dir.path(), &["check", "--format", "json"]);
    let message = json(&out)["message"].as_str().unwrap().to_string();
    assert!(
        message.starts_with("gonogo.toml:11:8: `resources.project.read`"),
        "{message}"
    );
}
