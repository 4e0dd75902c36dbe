//! The README's "Five minutes with gonogo" section, run as written: every
//! `sh` block of the section in one shell, in order, in a fresh folder, with
//! the `gonogo` just built first on `PATH` (the `cargo install` block is the
//! one skipped). A block whose last line says `exit N` must end with N, every
//! other block with 0.

use std::path::Path;
use std::process::Command;

/// The `sh` blocks of the tutorial section.
fn blocks() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("## Five minutes with gonogo")
        .expect("the README has the tutorial");
    let section = &readme[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |e| e + 3);
    let section = &section[..end];
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```sh\n") {
        let body = &rest[open + 6..];
        let close = body.find("\n```").expect("a closed block");
        out.push(body[..close].to_string());
        rest = &body[close + 4..];
    }
    out
}

#[test]
fn the_readme_tutorial_works_as_written() {
    if Command::new("python3").arg("--version").output().is_err()
        || Command::new("perl").arg("-v").output().is_err()
    {
        eprintln!("skipped: the tutorial needs python3 and perl");
        return;
    }
    let blocks: Vec<String> = blocks()
        .into_iter()
        .filter(|b| !b.contains("cargo install"))
        .collect();
    assert!(blocks.len() >= 6, "{blocks:?}");
    let mut script = String::new();
    let mut expected = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let last = b.lines().last().unwrap_or_default();
        let code = last
            .split("exit ")
            .nth(1)
            .and_then(|t| t.trim().parse::<i32>().ok())
            .unwrap_or(0);
        expected.push(code);
        script.push_str(&format!("{{\n{b}\n}}\necho \"::step {i} exit $?\"\n"));
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_gonogo")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let got: Vec<i32> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("::step "))
        .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(got, expected, "{stdout}\n{stderr}");
    // The bug was caught by isolation, and saved.
    assert!(stdout.contains("isolation_violated"), "{stdout}");
    let corpus = dir.path().join("demo/corpus");
    let saved = std::fs::read_dir(&corpus)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("isolation-")
        })
        .count();
    assert_eq!(saved, 1);
}
