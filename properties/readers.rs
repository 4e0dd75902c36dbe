//! The reader models against the real libraries (issue 13): tricky env
//! files are generated (quotes, escapes, CR/LF/U+2028, BOM, `$`, `export`,
//! duplicates, look-alike keys, long lines) and read by python-dotenv, node
//! `dotenv`, `@dotenvx/dotenvx` (through `tests/readers/*`) and the real
//! `dotenvy` crate, and by gonogo.
//!
//! - Fail-open: whenever a real library yields an enabled
//!   `AUTH_DEV_BYPASS`, gonogo (its readers including that library's model)
//!   is NO-GO or exit 2 in prod.
//! - Agreement: whenever python-dotenv, node dotenv and dotenvy agree on a
//!   file, gonogo's models of the three read exactly what they read.
//!
//! A failure is shrunk to the minimal file, the real libraries asked again
//! at every step. `GONOGO_READERS_CASES` sets the number of files (default
//! 10,000); under `CI=true` the libraries must be installed (`.ci/run`
//! does), elsewhere the test says why it skips.

use gonogo::env::{Matrix, Reader, bool_enabled, findings, read_text};
use gonogo::model::SourceFile;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const MATRIX: &str = r#"
[environments]
prod = { class = "prod" }
[flags.AUTH_DEV_BYPASS]
type = "bool"
forbid_in = ["prod"]
[flags.LOG_LEVEL]
type = "string"
[flags.DB_PASS]
type = "string"
secret = true
[policy]
unknown_flags = "allow"
"#;

/// Keys a service reads, and look-alikes of the one that matters.
fn key() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        6 => Just("AUTH_DEV_BYPASS"),
        2 => Just("LOG_LEVEL"),
        2 => Just("DB_PASS"),
        1 => Just("A"),
        1 => Just("B"),
        1 => Just("auth_dev_bypass"),
        1 => Just("AUTH-DEV-BYPASS"),
        1 => Just("AUTH_DEV_BYPASS.x"),
    ]
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop_oneof![
            Just("true"), Just("false"), Just("fal"), Just("se"), Just("0"), Just("off"),
            Just("FALSE"), Just("info"), Just("x"), Just("1"),
        ].prop_map(String::from),
        6 => prop_oneof![
            Just("'"), Just("\""), Just("`"), Just("\\"), Just("\\n"), Just("\\ "), Just("\\'"),
            Just("\\\""), Just("'x'"), Just("\"x\""), Just("''"), Just("\"\""), Just("pa'ss"),
        ].prop_map(String::from),
        4 => prop_oneof![
            Just("$"), Just("${A}"), Just("${B:-true}"), Just("$A"), Just("${AUTH_DEV_BYPASS}"),
            Just("${NOPE}"), Just("$$"),
        ].prop_map(String::from),
        4 => prop_oneof![
            Just("#"), Just(" #c"), Just(" "), Just("\t"), Just("\r"), Just("\u{2028}"),
            Just("\u{85}"), Just("\u{a0}"), Just("="), Just(":"), Just("\n"),
            Just("\nAUTH_DEV_BYPASS=true"), Just("\r\nAUTH_DEV_BYPASS=1"),
        ].prop_map(String::from),
        1 => Just("y".repeat(3000)),
    ]
}

fn line() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![
        8 => Just(""), 1 => Just(" "), 1 => Just("\t"), 2 => Just("export "),
        1 => Just("export\t"), 1 => Just("# "), 1 => Just("#"),
    ];
    let sep = prop_oneof![
        8 => Just("="), 1 => Just(" = "), 1 => Just("= "), 1 => Just(" ="), 1 => Just(":"),
        1 => Just(": "), 1 => Just("=\t"),
    ];
    let end = prop_oneof![
        8 => Just("\n"), 2 => Just("\r\n"), 1 => Just("\r"), 1 => Just("\u{2028}"), 1 => Just(""),
    ];
    prop_oneof![
        10 => (prefix, key(), sep, prop::collection::vec(fragment(), 0..5), end).prop_map(
            |(p, k, s, v, e)| format!("{p}{k}{s}{}{e}", v.concat())
        ),
        1 => Just("\n".to_string()),
        1 => prop::collection::vec(fragment(), 1..4).prop_map(|v| v.concat() + "\n"),
    ]
}

fn file() -> impl Strategy<Value = String> {
    (
        prop_oneof![9 => Just(""), 1 => Just("\u{feff}")],
        prop::collection::vec(line(), 1..7),
    )
        .prop_map(|(bom, lines)| format!("{bom}{}", lines.concat()))
}

/// What the real libraries read: key -> value, or `None` when the library
/// refuses the file. Maps hold what lands in the service's environment.
#[derive(Debug, Clone, PartialEq)]
struct Real {
    python: Option<BTreeMap<String, String>>,
    node: Option<BTreeMap<String, String>>,
    dotenvx: Option<BTreeMap<String, String>>,
    /// dotenvy as `dotenvy::dotenv().ok()` leaves the environment: the keys
    /// before the first error, first value wins.
    dotenvy_partial: BTreeMap<String, String>,
    dotenvy_ok: bool,
}

struct Libraries {
    node_modules: PathBuf,
}

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers")
}

impl Libraries {
    /// The installed libraries, or why they are not there.
    fn find() -> Result<Libraries, String> {
        let node_modules = std::env::var_os("GONOGO_NODE_MODULES")
            .map(PathBuf::from)
            .ok_or("GONOGO_NODE_MODULES is not set (.ci/run installs dotenv and @dotenvx/dotenvx and sets it)")?;
        if !node_modules.join("dotenv").exists() || !node_modules.join("@dotenvx/dotenvx").exists()
        {
            return Err(format!(
                "{} lacks dotenv or @dotenvx/dotenvx",
                node_modules.display()
            ));
        }
        let py = Command::new("python3")
            .args(["-c", "import dotenv"])
            .output();
        if !py.is_ok_and(|o| o.status.success()) {
            return Err("python3 cannot import dotenv (pip install python-dotenv)".into());
        }
        Ok(Libraries { node_modules })
    }

    /// Reads every file with every real library.
    fn read(&self, texts: &[String]) -> Vec<Real> {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let p = dir.path().join(format!("{i}.env"));
                std::fs::write(&p, t).unwrap();
                p
            })
            .collect();
        let run = |cmd: &mut Command| -> Vec<Value> {
            let list = dir.path().join("files.txt");
            let _ = list;
            let out = cmd
                .args(&paths)
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("GONOGO_NODE_MODULES", &self.node_modules)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect()
        };
        let python = run(Command::new("python3").arg(scripts().join("python_dotenv.py")));
        let node = run(Command::new("node").arg(scripts().join("node_dotenv.js")));
        assert_eq!(python.len(), texts.len());
        assert_eq!(node.len(), texts.len());
        texts
            .iter()
            .zip(python.iter().zip(&node))
            .map(|(text, (py, nd))| {
                let python = (py["ok"] == true).then(|| {
                    py["values"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter_map(|kv| {
                            Some((kv[0].as_str()?.to_string(), kv[1].as_str()?.to_string()))
                        })
                        .collect()
                });
                let object = |v: &Value| -> Option<BTreeMap<String, String>> {
                    let o = v.as_object()?;
                    if o.contains_key("error") && o.len() == 1 {
                        return None;
                    }
                    Some(
                        o.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                            .collect(),
                    )
                };
                let (dotenvy_partial, dotenvy_ok) = real_dotenvy(text);
                Real {
                    python,
                    node: object(&nd["node-dotenv"]),
                    dotenvx: object(&nd["dotenvx"]),
                    dotenvy_partial,
                    dotenvy_ok,
                }
            })
            .collect()
    }
}

/// The real `dotenvy` crate, as `dotenvy::dotenv()` loads a file (BOM
/// dropped, first value wins, stopping at the first error).
fn real_dotenvy(text: &str) -> (BTreeMap<String, String>, bool) {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = BTreeMap::new();
    for item in dotenvy::from_read_iter(body.as_bytes()) {
        match item {
            Ok((k, v)) => {
                out.entry(k).or_insert(v);
            }
            Err(_) => return (out, false),
        }
    }
    (out, true)
}

/// gonogo's verdict on a file in prod with these readers: `Err` for exit 2,
/// `Ok(true)` for GO.
fn gonogo_go(matrix: &Matrix, text: &str, readers: &[Reader]) -> Result<bool, String> {
    let readings = read_text(text, readers).map_err(|e| e.to_string())?;
    Ok(findings(matrix, "prod", "prod", &readings).is_empty())
}

/// A model's reading as a map, as the reader's program ends up with it.
fn model_map(reader: Reader, text: &str) -> Option<BTreeMap<String, String>> {
    let entries = reader.read(text).ok()?;
    let mut out = BTreeMap::new();
    for e in entries {
        if e.unsets {
            out.remove(&e.key);
        } else if reader.first_wins() {
            out.entry(e.key).or_insert(e.value);
        } else {
            out.insert(e.key, e.value);
        }
    }
    Some(out)
}

/// What is wrong with gonogo on this file, if anything, when it reads env
/// files with `defaults` (and `defaults` + dotenvx for dotenvx).
fn violation(matrix: &Matrix, text: &str, real: &Real, defaults: &[Reader]) -> Option<String> {
    let enabled =
        |m: &BTreeMap<String, String>| m.get("AUTH_DEV_BYPASS").is_some_and(|v| bool_enabled(v));
    let defaults = defaults.to_vec();
    let mut with_dotenvx = defaults.clone();
    with_dotenvx.push(Reader::Dotenvx);
    for (library, on, readers) in [
        (
            "python-dotenv",
            real.python.as_ref().is_some_and(enabled),
            &defaults,
        ),
        (
            "node dotenv",
            real.node.as_ref().is_some_and(enabled),
            &defaults,
        ),
        ("dotenvy", enabled(&real.dotenvy_partial), &defaults),
        (
            "dotenvx",
            real.dotenvx.as_ref().is_some_and(enabled),
            &with_dotenvx,
        ),
    ] {
        if on && gonogo_go(matrix, text, readers) == Ok(true) {
            return Some(format!(
                "fail-open: {library} enables AUTH_DEV_BYPASS and gonogo says GO"
            ));
        }
    }
    if let (Some(py), Some(node), true) = (&real.python, &real.node, real.dotenvy_ok)
        && py == node
        && node == &real.dotenvy_partial
    {
        for reader in [Reader::PythonDotenv, Reader::NodeDotenv, Reader::Dotenvy] {
            let model = model_map(reader, text);
            if model.as_ref() != Some(py) {
                return Some(format!(
                    "disagreement: the libraries agree on {py:?}; the {reader} model reads {model:?}"
                ));
            }
        }
    }
    None
}

/// Generates `cases` files, reads them with the real libraries and gonogo
/// (with `readers`), and returns the first violation shrunk to its minimal
/// file, or `None`; `None` too (after saying why) when the libraries are
/// missing outside CI.
fn search(readers: &[Reader], cases: usize, seed: u8) -> Option<(String, String)> {
    let libraries = match Libraries::find() {
        Ok(l) => l,
        Err(why) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipped: {why}");
            return None;
        }
        Err(why) => panic!("CI must run the differential reader test: {why}"),
    };
    for name in ["A", "B", "AUTH_DEV_BYPASS", "LOG_LEVEL", "DB_PASS", "NOPE"] {
        assert!(
            std::env::var_os(name).is_none(),
            "unset {name}: dotenvy reads it from the environment"
        );
    }
    let matrix = Matrix::parse(&SourceFile::new("matrix.toml", MATRIX)).unwrap();
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    );
    let strategy = file();
    let trees: Vec<_> = (0..cases)
        .map(|_| strategy.new_tree(&mut runner).unwrap())
        .collect();
    let texts: Vec<String> = trees.iter().map(|t| t.current()).collect();
    let real = libraries.read(&texts);
    let mut stats = BTreeMap::<&str, usize>::new();
    let mut first_failure = None;
    for (i, (text, r)) in texts.iter().zip(&real).enumerate() {
        for (reader, m) in [
            (Reader::PythonDotenv, &r.python),
            (Reader::NodeDotenv, &r.node),
        ] {
            if m.is_some() {
                *stats.entry(reader.name()).or_default() += 1;
                if model_map(reader, text).as_ref() == m.as_ref() {
                    *stats
                        .entry(if reader == Reader::NodeDotenv {
                            "node-dotenv model exact"
                        } else {
                            "python-dotenv model exact"
                        })
                        .or_default() += 1;
                }
            }
        }
        if r.dotenvy_ok {
            *stats.entry("dotenvy").or_default() += 1;
            if model_map(Reader::Dotenvy, text).as_ref() == Some(&r.dotenvy_partial) {
                *stats.entry("dotenvy model exact").or_default() += 1;
            }
        } else if model_map(Reader::Dotenvy, text).is_none() {
            *stats
                .entry("dotenvy refuses, and so does its model")
                .or_default() += 1;
        }
        if gonogo_go(&matrix, text, readers) == Ok(true) {
            *stats.entry("gonogo GO").or_default() += 1;
        }
        if first_failure.is_none() && violation(&matrix, text, r, readers).is_some() {
            first_failure = Some(i);
        }
    }
    eprintln!(
        "{cases} files read by each library, and how often its model read exactly the same: {stats:?}"
    );
    let i = first_failure?;
    // Shrink, asking the real libraries again at every step.
    let mut tree = trees.into_iter().nth(i).unwrap();
    let fails = |text: &str| {
        let real = libraries.read(&[text.to_string()]);
        violation(&matrix, text, &real[0], readers)
    };
    let mut why = fails(&tree.current()).expect("the failure reproduces");
    let mut steps = 0;
    while steps < 500 && tree.simplify() {
        steps += 1;
        match fails(&tree.current()) {
            Some(w) => why = w,
            None => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    Some((why, tree.current()))
}

fn cases() -> usize {
    std::env::var("GONOGO_READERS_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

#[test]
fn reader_models_never_fail_open_and_agree_with_the_real_libraries() {
    if let Some((why, text)) = search(&Reader::DEFAULT, cases(), 13) {
        panic!("{why}\nminimal file: {text:?}");
    }
}

/// Red before green: gonogo before issue 13 read env files as dotenvy alone.
/// The same search finds that gate failing open, and shrinks the file.
#[test]
fn a_gate_that_reads_as_dotenvy_alone_fails_open_and_is_shrunk() {
    if Libraries::find().is_err() && std::env::var("CI").as_deref() != Ok("true") {
        eprintln!("skipped: the real libraries are not installed");
        return;
    }
    let (why, text) =
        search(&[Reader::Dotenvy], 2_000, 14).expect("the dotenvy-only gate fails open");
    assert!(why.starts_with("fail-open"), "{why}");
    assert!(
        text.lines().count() <= 3 && text.len() <= 80,
        "not shrunk: {text:?}"
    );
    eprintln!("{why}: {text:?}");
}
