//! Issue 17: `migrate preflight` and `env check` read `gonogo.toml` when
//! their flags are absent (and `$DATABASE_URL`, as sqlx-cli does); a
//! relative SQLite path in the config is taken from the config's folder,
//! wherever gonogo runs.

mod common;
#[allow(dead_code)]
#[path = "common/gate_project.rs"]
mod gate_project;
#[path = "common/live.rs"]
mod live;

use common::*;
use gate_project::*;

/// `gonogo env check` without flags was a usage error (exit 2): it now
/// checks `[env]` of the config, NO-GO on a bypass in prod, as the flags do.
#[test]
fn env_check_reads_the_config() {
    let p = good_project();
    let out = run(&p, &["env", "check", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        json(&out)["environments"].as_array().unwrap().len(),
        2,
        "{}",
        stdout(&out)
    );
    let bad = project_with("AUTH_DEV_BYPASS=true\n");
    let out = run(&bad, &["env", "check"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    // Without a config and without flags: an error naming both ways.
    let empty = tempfile::tempdir().unwrap();
    let out = gonogo(empty.path(), &["env", "check"]);
    assert_eq!(code(&out), 2);
}

/// `gonogo migrate preflight` without flags reads `[migrations]`; the
/// database URL falls back to `$DATABASE_URL`.
#[test]
fn migrate_preflight_reads_the_config_and_database_url() {
    let p = good_project();
    let out = run(&p, &["migrate", "preflight", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    // Flags and $DATABASE_URL, no config.
    let bare = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["migrate", "preflight", "--migrations"])
        .arg(p.dir.path().join("migrations"))
        .current_dir(bare.path())
        .env("DATABASE_URL", &p.db.url)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(["migrate", "preflight", "--migrations"])
        .arg(p.dir.path().join("migrations"))
        .current_dir(bare.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("DATABASE_URL"), "{}", stderr(&out));
}

/// `database_url = "sqlite:app.db"` meant `./app.db` of whoever ran the
/// gate: from another folder the preflight read (or failed on) another
/// file. It is the config's `app.db` now, for the gate and for preflight.
#[test]
fn a_relative_sqlite_url_is_taken_from_the_config_folder() {
    let p = good_project();
    let live = p.db.url.trim_start_matches("sqlite://").to_string();
    std::fs::copy(&live, p.dir.path().join("app.db")).unwrap();
    let config = p.dir.path().join("gonogo.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("\"${GONOGO_TEST_GATE_DB}\"", "\"sqlite:app.db\""),
    )
    .unwrap();
    let parent = p.dir.path().parent().unwrap();
    let name = p.dir.path().file_name().unwrap().to_str().unwrap();
    let config_arg = format!("{name}/gonogo.toml");
    let out = gonogo(parent, &["migrate", "preflight", "--config", &config_arg]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let proof = format!("{name}/proof.json");
    let out = gonogo(
        parent,
        &[
            "gate",
            "--config",
            &config_arg,
            "--format",
            "json",
            "--out",
            &proof,
        ],
    );
    let doc = json(&out);
    let migrations = doc["statement"]["predicate"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "migrations")
        .unwrap()
        .clone();
    assert_eq!(migrations["status"], "pass", "{migrations:#}");
}

/// Runs gonogo with extra environment variables.
fn gonogo_env(dir: &std::path::Path, args: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gonogo"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("GONOGO_SEED")
        .env("NO_COLOR", "1");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// SPEC §3: `${NAME}` in a string is replaced by that variable, an unset
/// one is exit 2. The seed, the target kind, the mutant and `gate.require`
/// were taken literally (`${SEED}` was "not a seed").
#[test]
fn variables_expand_in_every_string_value() {
    let text = example_text();
    let text = format!(
        "{}[target]\nkind = \"${{GONOGO_T_KIND}}\"\nmutant = \"${{GONOGO_T_MUTANT}}\"\n\n\
         [check]\ncases = 300\nseed = \"${{GONOGO_T_SEED}}\"\n\n\
         [gate]\nrequire = [\"${{GONOGO_T_CHECK}}\"]\n",
        &text[..text.find("[target]").unwrap()]
    );
    let dir = project(&text);
    let vars = [
        ("GONOGO_T_SEED", "0x1234"),
        ("GONOGO_T_KIND", "mutant"),
        ("GONOGO_T_MUTANT", "tenant_case_insensitive"),
        ("GONOGO_T_CHECK", "properties"),
    ];
    let out = gonogo_env(
        dir.path(),
        &["check", "--property", "isolation", "--format", "json"],
        &vars,
    );
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(json(&out)["seed"], "0x1234");
    // Unset: exit 2, naming the key.
    for unset in ["GONOGO_T_SEED", "GONOGO_T_KIND", "GONOGO_T_CHECK"] {
        let rest: Vec<(&str, &str)> = vars.iter().copied().filter(|(k, _)| *k != unset).collect();
        let out = gonogo_env(dir.path(), &["check", "--property", "isolation"], &rest);
        assert_eq!(code(&out), 2, "{unset}: {}", stderr(&out));
        assert!(stderr(&out).contains(unset), "{unset}: {}", stderr(&out));
    }
}

/// Attack (review of issue 17): an expanded kind, mutant or seed that is
/// not valid was echoed in the error, printing a value taken from the
/// environment. Errors name the key and the text as written.
#[test]
fn values_from_the_environment_are_never_echoed_in_errors() {
    let head = {
        let text = example_text();
        text[..text.find("[target]").unwrap()].to_string()
    };
    for (config, var) in [
        (
            "[target]\nkind = \"${GONOGO_T_SECRET}\"\n",
            "GONOGO_T_SECRET",
        ),
        (
            "[target]\nkind = \"mutant\"\nmutant = \"${GONOGO_T_SECRET}\"\n",
            "GONOGO_T_SECRET",
        ),
        (
            "[target]\nkind = \"policy\"\n[check]\nseed = \"${GONOGO_T_SECRET}\"\n",
            "GONOGO_T_SECRET",
        ),
    ] {
        let dir = project(&format!("{head}{config}"));
        for format in ["human", "json"] {
            let out = gonogo_env(
                dir.path(),
                &["check", "--cases", "5", "--format", format],
                &[(var, "s3cr3t-value")],
            );
            assert_eq!(code(&out), 2, "{config}");
            let all = format!("{}{}", stdout(&out), stderr(&out));
            assert!(!all.contains("s3cr3t-value"), "{config}: {all}");
        }
    }
}
