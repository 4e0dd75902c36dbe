//! Helpers for tests that run the real `gonogo` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The example model shipped in `examples/saas`.
pub fn example_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/gonogo.toml")
}

/// The example model's text.
pub fn example_text() -> String {
    std::fs::read_to_string(example_config()).unwrap()
}

/// The example model with `[target]` replaced.
pub fn example_with_target(target: &str) -> String {
    let text = example_text();
    let start = text.find("[target]").unwrap();
    let end = text.find("[check]").unwrap();
    format!("{}{target}\n\n{}", &text[..start], &text[end..])
}

/// The example model run against a planted-bug mutant.
pub fn example_with_mutant(mutant: &str) -> String {
    example_with_target(&format!(
        "[target]\nkind = \"mutant\"\nmutant = \"{mutant}\""
    ))
}

/// A temporary folder holding `gonogo.toml` with this text.
pub fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gonogo.toml"), config).unwrap();
    dir
}

/// Runs `gonogo` with args in a folder, with a clean environment for its
/// knobs.
pub fn gonogo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .args(args)
        .current_dir(dir)
        .env_remove("GONOGO_SEED")
        .env_remove("GONOGO_CASES")
        .env_remove("GONOGO_PROPERTY")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The exit code (a signal is a failure of the test).
pub fn code(out: &Output) -> i32 {
    out.status.code().expect("gonogo was killed by a signal")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// The JSON document on stdout.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(out)))
}

/// A path under `examples/saas`.
pub fn example_file(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/saas")
        .join(name)
        .display()
        .to_string()
}

/// The example model against a process target running `command`.
pub fn example_with_process(command: &[&str], timeout_ms: u64) -> String {
    let quoted: Vec<String> = command.iter().map(|c| format!("{c:?}")).collect();
    example_with_target(&format!(
        "[target]\nkind = \"process\"\ncommand = [{}]\ntimeout_ms = {timeout_ms}",
        quoted.join(", ")
    ))
}

/// Whether a process id is alive (a zombie counts as gone only once reaped).
pub fn alive(pid: i32) -> bool {
    // SAFETY: kill(2) with signal 0 only checks for existence.
    unsafe { libc::kill(pid, 0) == 0 }
}
