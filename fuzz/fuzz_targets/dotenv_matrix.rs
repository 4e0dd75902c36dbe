//! The dotenv reader and the matrix evaluator on arbitrary env files: no
//! panic, line numbers within the file, and never a secret value (or an
//! undeclared key's value) in a finding.
#![no_main]

use gonogo::env::{Matrix, dotenv, evaluate};
use gonogo::model::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const MATRIX: &str = include_str!("../../examples/saas/env-matrix.toml");

fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| {
        Matrix::parse(&SourceFile::new("env-matrix.toml", MATRIX))
            .expect("the example matrix parses")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(entries) = dotenv::parse(text) else {
        return;
    };
    let lines = text.lines().count().max(1);
    for e in &entries {
        assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}", e.line);
    }
    // Give every secret or undeclared value a marker no message template
    // holds: a finding that shows the marker would show the value.
    const MARK: &str = "\u{1}gonogo-secret\u{1}";
    let m = matrix();
    let marked: Vec<dotenv::Entry> = entries
        .iter()
        .map(|e| {
            let hidden = m.flags.get(&e.key).is_none_or(|flag| flag.secret);
            let mut e = e.clone();
            if hidden {
                e.value = format!("{MARK}{}", e.value);
            }
            e
        })
        .collect();
    for (env, class) in [("prod", "prod"), ("staging", "prod-like"), ("dev", "dev")] {
        evaluate(m, env, class, &entries);
        for f in evaluate(m, env, class, &marked) {
            assert!(
                !f.detail.contains(MARK),
                "a hidden value in a finding: {}",
                f.detail
            );
        }
    }
});
