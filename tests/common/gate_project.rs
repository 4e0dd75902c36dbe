//! A small project for `gate` and `verify`: SQLite migrations, env files,
//! the example model and its corpus.

use super::common::*;
use super::live::{Db, Live};
use std::path::Path;
use std::process::Command;

pub const GATE: &str = r#"
[gate]
require = ["properties", "corpus", "migrations", "env"]

[corpus]
dir = "corpus"

[migrations]
dir = "migrations"
database_url = "${GONOGO_TEST_GATE_DB}"

[env]
matrix = "env-matrix.toml"
files = { prod = "deploy/prod.env", staging = "deploy/staging.env" }
"#;

pub struct Project {
    pub dir: tempfile::TempDir,
    pub db: Live,
}

pub fn project_with(prod_env: &str) -> Project {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let saas = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas");
    std::fs::write(
        p.join("gonogo.toml"),
        example_text().replace("cases = 2000", "cases = 200") + GATE,
    )
    .unwrap();
    std::fs::copy(saas.join("env-matrix.toml"), p.join("env-matrix.toml")).unwrap();
    std::fs::create_dir_all(p.join("deploy")).unwrap();
    std::fs::write(p.join("deploy/prod.env"), prod_env).unwrap();
    std::fs::copy(
        saas.join("deploy/staging.env"),
        p.join("deploy/staging.env"),
    )
    .unwrap();
    std::fs::create_dir_all(p.join("migrations")).unwrap();
    std::fs::write(
        p.join("migrations/1_users.sql"),
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n",
    )
    .unwrap();
    std::fs::write(
        p.join("migrations/2_index.sql"),
        "CREATE INDEX users_email ON users(email);\n",
    )
    .unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/saas");
    std::fs::create_dir_all(p.join("corpus")).unwrap();
    for f in std::fs::read_dir(corpus).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, p.join("corpus").join(f.file_name().unwrap())).unwrap();
    }
    let db = Live::new(Db::Sqlite).unwrap();
    db.migrate(&p.join("migrations"));
    Project { dir, db }
}

pub fn good_project() -> Project {
    project_with(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/deploy/prod.env"),
        )
        .unwrap(),
    )
}

pub fn run(p: &Project, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .current_dir(p.dir.path())
        .env("GONOGO_TEST_GATE_DB", &p.db.url)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

pub fn verify(p: &Project, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["verify", "release-proof.json", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(p, &args);
    (
        code(&out),
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
    )
}

pub fn reasons(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"].as_array().map_or(Vec::new(), |f| {
        f.iter()
            .map(|x| x["reason"].as_str().unwrap().to_string())
            .collect()
    })
}
