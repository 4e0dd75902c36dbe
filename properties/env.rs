//! The environment matrix gate, as properties with shrinking:
//! any spelling of an enabled value of a forbidden flag is NO-GO; the
//! verdict does not depend on the order of lines; no secret value appears
//! in any output for any generated file.

use gonogo::env::{Entry, FileError, Matrix, Reader, bool_enabled, evaluate, read_text};

/// A file as dotenvy reads it (the properties here are about the matrix,
/// not about how readers part ways: `properties/readers.rs` is).
fn parse(text: &str) -> Result<Vec<Entry>, FileError> {
    Ok(read_text(text, &[Reader::Dotenvy])?.readers.remove(0).1)
}
use gonogo::model::SourceFile;
use gonogo::reason::Reason;
use gonogo::report::{EnvReport, EnvResult, Format, Status, Style, render};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::path::Path;

fn matrix() -> Matrix {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/env-matrix.toml");
    Matrix::parse(&SourceFile::read(&path).unwrap()).unwrap()
}

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[42; 32]))
}

/// A value that is not an explicit false: common true spellings, then
/// anything else (which must count as enabled too).
fn enabled_word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "true", "1", "yes", "on", "enabled", "y", "t", "enable", "2", "-1"
        ])
        .prop_map(str::to_string),
        "[a-z0-9]{1,8}".prop_filter("not an explicit false", |w| bool_enabled(w)),
    ]
}

/// One spelling of `KEY=value` as a dotenv line.
#[derive(Debug, Clone)]
struct Spelling {
    word: String,
    upper: Vec<bool>,
    quote: u8,
    pad: (u8, u8),
    export: bool,
    comment: bool,
}

impl Spelling {
    fn line(&self, key: &str) -> String {
        let cased: String = self
            .word
            .chars()
            .zip(self.upper.iter().chain(std::iter::repeat(&false)))
            .map(|(c, u)| if *u { c.to_ascii_uppercase() } else { c })
            .collect();
        let (l, r) = (
            " ".repeat(self.pad.0 as usize),
            " ".repeat(self.pad.1 as usize),
        );
        let value = match self.quote {
            0 => cased.clone(),
            1 => format!("'{l}{cased}{r}'"),
            _ => format!("\"{l}{cased}{r}\""),
        };
        let export = if self.export { "export " } else { "" };
        let comment = if self.comment { " # set by ops" } else { "" };
        format!("{export}{key}={value}{comment}")
    }
}

fn spelling() -> impl Strategy<Value = Spelling> {
    (
        enabled_word(),
        prop::collection::vec(any::<bool>(), 0..8),
        0u8..3,
        (0u8..3, 0u8..3),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(word, upper, quote, pad, export, comment)| Spelling {
            word,
            upper,
            quote,
            pad,
            export,
            comment,
        })
}

/// Other lines a prod file may hold, valid ones.
fn other_lines() -> impl Strategy<Value = Vec<String>> {
    prop::sample::subsequence(
        vec![
            "DATABASE_URL=postgres://app:pw@db:5432/app".to_string(),
            "SESSION_SECRET=abc".to_string(),
            "LOG_LEVEL=info".to_string(),
            "WORKERS=4".to_string(),
            "# a comment".to_string(),
            String::new(),
        ],
        0..6,
    )
}

/// The forbidden-flag property for a bool reader: parse the line, and with
/// `enabled` decide whether the flag is on; it must be.
fn forbidden_flag_is_no_go(
    spelling: &Spelling,
    others: &[String],
    enabled: fn(&str) -> bool,
) -> Result<(), TestCaseError> {
    let mut lines = others.to_vec();
    lines.insert(lines.len() / 2, spelling.line("AUTH_DEV_BYPASS"));
    let text = lines.join("\n") + "\n";
    let entries = parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?} in {text:?}")))?;
    let value = &entries
        .iter()
        .find(|e| e.key == "AUTH_DEV_BYPASS")
        .unwrap()
        .value;
    prop_assert!(
        enabled(value),
        "{:?} read as disabled",
        spelling.line("AUTH_DEV_BYPASS")
    );
    let findings = evaluate(&matrix(), "prod", "prod", &entries);
    prop_assert!(
        findings
            .iter()
            .any(|f| f.reason == Reason::ForbiddenFlag && f.flag == "AUTH_DEV_BYPASS"),
        "no forbidden_flag for {text:?}"
    );
    Ok(())
}

#[test]
fn every_spelling_of_an_enabled_bypass_is_no_go_in_prod() {
    runner(2000)
        .run(&(spelling(), other_lines()), |(s, others)| {
            forbidden_flag_is_no_go(&s, &others, bool_enabled)
        })
        .unwrap();
}

/// The property catches a reader that only knows `true` and `1`, and shrinks
/// the spelling to a plain short word.
#[test]
fn a_naive_bool_reader_is_caught_and_shrunk() {
    fn naive(v: &str) -> bool {
        v == "true" || v == "1"
    }
    match runner(500).run(&(spelling(), other_lines()), |(s, others)| {
        forbidden_flag_is_no_go(&s, &others, naive)
    }) {
        Err(TestError::Fail(_, (s, others))) => {
            let line = s.line("AUTH_DEV_BYPASS");
            assert!(others.is_empty(), "not shrunk: {others:?}");
            assert!(
                !s.export && !s.comment && s.quote == 0,
                "not shrunk: {line}"
            );
            assert!(
                line.len() <= "AUTH_DEV_BYPASS=".len() + 4,
                "not shrunk: {line}"
            );
        }
        other => panic!("the naive reader was not caught: {other:?}"),
    }
}

/// A file of distinct keys (declared and not), in any order.
fn file_lines() -> impl Strategy<Value = Vec<String>> {
    let candidates = vec![
        "AUTH_DEV_BYPASS=on",
        "AUTH_DEV_BYPASS=off",
        "DATABASE_URL=postgres://db/app",
        "DATABASE_URL=\"nope\"",
        "SESSION_SECRET=",
        "SESSION_SECRET=xyz",
        "LOG_LEVEL=debug",
        "LOG_LEVEL=warn",
        "LOG_LEVEL=loud",
        "WORKERS=3",
        "WORKERS=x",
        "UNDECLARED=1",
    ];
    prop::sample::subsequence(candidates, 0..8).prop_map(|lines| {
        let mut seen = std::collections::BTreeSet::new();
        lines
            .into_iter()
            .filter(|l| seen.insert(l.split('=').next().unwrap().to_string()))
            .map(str::to_string)
            .collect()
    })
}

#[test]
fn the_verdict_does_not_depend_on_line_order() {
    let m = matrix();
    let verdict = |lines: &[String]| {
        let entries = parse(&(lines.join("\n") + "\n")).unwrap();
        let mut found: Vec<(Reason, String)> = evaluate(&m, "prod", "prod", &entries)
            .into_iter()
            .map(|f| (f.reason, f.flag))
            .collect();
        found.sort();
        found
    };
    runner(1000)
        .run(
            &(file_lines(), any::<prop::sample::Index>()),
            |(lines, rot)| {
                let mut shuffled = lines.clone();
                shuffled.reverse();
                if !shuffled.is_empty() {
                    let k = rot.index(shuffled.len());
                    shuffled.rotate_left(k);
                }
                prop_assert_eq!(verdict(&lines), verdict(&shuffled));
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn no_secret_value_appears_in_any_output() {
    let m = matrix();
    let secret = "[A-Za-z0-9]{12,20}";
    runner(500)
        .run(
            &(secret, secret, file_lines(), any::<bool>()),
            |(db, session, others, bad_url)| {
                let mut lines: Vec<String> = others
                    .into_iter()
                    .filter(|l| !l.starts_with("DATABASE_URL") && !l.starts_with("SESSION_SECRET"))
                    .collect();
                let db_line = if bad_url {
                    format!("DATABASE_URL=\"{db} is not a url\"")
                } else {
                    format!("DATABASE_URL=postgres://app:{db}@db/app")
                };
                lines.push(db_line);
                lines.push(format!("SESSION_SECRET={session}"));
                let entries = parse(&(lines.join("\n") + "\n")).unwrap();
                for (env, class) in [("prod", "prod"), ("staging", "prod-like"), ("dev", "dev")] {
                    let findings = evaluate(&m, env, class, &entries);
                    let report = EnvReport::new(
                        "matrix.toml".into(),
                        vec![EnvResult {
                            name: env.into(),
                            class: class.into(),
                            file: "x.env".into(),
                            status: if findings.is_empty() {
                                Status::Pass
                            } else {
                                Status::Fail
                            },
                            findings,
                        }],
                    );
                    for format in [Format::Human, Format::Json, Format::Junit] {
                        let text = render(&report, format, &Style::default());
                        prop_assert!(!text.contains(&db) && !text.contains(&session), "{text}");
                    }
                }
                Ok(())
            },
        )
        .unwrap();
}
