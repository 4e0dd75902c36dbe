//! Each model on the cases where real readers part ways (observed with the
//! real libraries; see `tests/readers/CALIBRATION.md`).

use super::*;

fn read(r: Reader, text: &str) -> Vec<(String, String, usize)> {
    r.read(text)
        .unwrap_or_else(|e| panic!("{r} refused {text:?}: {e:?}"))
        .into_iter()
        .map(|e| (e.key, e.value, e.line))
        .collect()
}

fn kv(pairs: &[(&str, &str, usize)]) -> Vec<(String, String, usize)> {
    pairs
        .iter()
        .map(|(k, v, l)| (k.to_string(), v.to_string(), *l))
        .collect()
}

#[test]
fn a_quote_inside_an_unquoted_value() {
    let text = "DB_PASS=pa'ss\nAUTH_DEV_BYPASS=true\nLOG_LEVEL=in'fo\n";
    let split = kv(&[
        ("DB_PASS", "pa'ss", 1),
        ("AUTH_DEV_BYPASS", "true", 2),
        ("LOG_LEVEL", "in'fo", 3),
    ]);
    for r in [Reader::PythonDotenv, Reader::NodeDotenv, Reader::Dotenvx] {
        assert_eq!(read(r, text), split, "{r}");
    }
    // dotenvy runs the quote on to the next `'`.
    assert_eq!(
        read(Reader::Dotenvy, text),
        kv(&[("DB_PASS", "pass\nAUTH_DEV_BYPASS=true\nLOG_LEVEL=info", 1)])
    );
}

#[test]
fn line_breaks_per_reader() {
    let cr = "A=1\rAUTH_DEV_BYPASS=true\n";
    // A lone CR ends a line for the line numbers of every reader.
    assert_eq!(
        read(Reader::PythonDotenv, cr),
        kv(&[("A", "1", 1), ("AUTH_DEV_BYPASS", "true", 2)])
    );
    assert_eq!(
        read(Reader::NodeDotenv, cr),
        kv(&[("A", "1", 1), ("AUTH_DEV_BYPASS", "true", 2)])
    );
    assert_eq!(
        read(Reader::Dotenvy, cr),
        kv(&[("A", "1\rAUTH_DEV_BYPASS=true", 1)])
    );
    let ls = "A=1\u{2028}B=2\n";
    for r in [Reader::PythonDotenv, Reader::NodeDotenv, Reader::Dotenvy] {
        assert_eq!(read(r, ls), kv(&[("A", "1\u{2028}B=2", 1)]), "{r}");
    }
}

#[test]
fn a_bom() {
    let text = "\u{feff}A=1\nB=2\n";
    for r in [
        Reader::Dotenvy,
        Reader::NodeDotenv,
        Reader::Compose,
        Reader::Docker,
    ] {
        assert_eq!(read(r, text), kv(&[("A", "1", 1), ("B", "2", 2)]), "{r}");
    }
    assert_eq!(
        read(Reader::PythonDotenv, text),
        kv(&[("\u{feff}A", "1", 1), ("B", "2", 2)])
    );
}

#[test]
fn escapes_and_quotes() {
    assert_eq!(
        read(Reader::PythonDotenv, "A='fa\\lse'\n"),
        kv(&[("A", "fa\\lse", 1)])
    );
    assert_eq!(
        read(Reader::NodeDotenv, "A='fa\\lse'\n"),
        kv(&[("A", "fa\\lse", 1)])
    );
    assert!(Reader::Dotenvy.read("A=\"fa\\lse\"\n").is_err());
    assert_eq!(
        read(Reader::PythonDotenv, "A=fal\"\"se\n"),
        kv(&[("A", "fal\"\"se", 1)])
    );
    assert_eq!(
        read(Reader::Dotenvy, "A=fal\"\"se\n"),
        kv(&[("A", "false", 1)])
    );
    assert_eq!(read(Reader::NodeDotenv, "A=x#c\n"), kv(&[("A", "x", 1)]));
    assert_eq!(
        read(Reader::PythonDotenv, "A=x#c\n"),
        kv(&[("A", "x#c", 1)])
    );
    assert_eq!(
        read(Reader::Docker, "A=\"false\"\n"),
        kv(&[("A", "\"false\"", 1)])
    );
    assert_eq!(
        read(Reader::Systemd, "A=\"fal\\se\"\n"),
        kv(&[("A", "fal\\se", 1)])
    );
    assert_eq!(read(Reader::Bash, "A=fal\\se\n"), kv(&[("A", "false", 1)]));
}

#[test]
fn substitution_from_the_file_only() {
    let text = "B=x\nA=${B}\nC=${NOPE_NOT_IN_FILE}\n";
    for r in [
        Reader::Dotenvy,
        Reader::PythonDotenv,
        Reader::Compose,
        Reader::Bash,
    ] {
        let e = r.read(text).unwrap();
        assert_eq!(e[1].value, "x", "{r}");
        assert_eq!(e[1].from, vec!["B".to_string()], "{r}");
        assert_eq!(e[2].external, vec!["NOPE_NOT_IN_FILE".to_string()], "{r}");
    }
    let node = Reader::NodeDotenv.read(text).unwrap();
    assert_eq!(node[1].value, "${B}");
    assert!(Reader::Dotenvx.read(text).unwrap()[1].opaque.is_some());
}

#[test]
fn refusals_name_the_true_line() {
    let e = Reader::Dotenvy.read("A=1\n\nB=two words\n").unwrap_err();
    assert_eq!(e.line, 3);
    let e = Reader::Dotenvy.read("A=1\nB=\"x\ny\\q\"\n").unwrap_err();
    assert_eq!(e.line, 3);
    let e = Reader::Bash.read("A=1\n\nrm -rf /\n").unwrap_err();
    assert_eq!(e.line, 3);
}

/// Found by the attack review of issue 13.
#[test]
fn nul_bytes_js_builtins_and_substitution_bombs() {
    let nul = "X=\0\nA=1\n";
    for r in [Reader::Dotenvy, Reader::PythonDotenv, Reader::Compose] {
        assert!(r.read(nul).is_err(), "{r}");
    }
    assert_eq!(read(Reader::NodeDotenv, nul)[0].1, "");
    assert!(Reader::Dotenvx.read("toString=1\nA=1\n").is_err());
    assert!(
        read(Reader::NodeDotenv, "__proto__=1\nA=1\n")
            .iter()
            .all(|e| e.0 != "__proto__")
    );
    let mut bomb = format!("A={}\n", "x".repeat(16));
    for level in 0..12u8 {
        let (k, prev) = ((b'B' + level) as char, (b'A' + level) as char);
        bomb.push_str(&format!("{k}={}\n", format!("${{{prev}}}").repeat(8)));
    }
    for r in [
        Reader::Dotenvy,
        Reader::PythonDotenv,
        Reader::Compose,
        Reader::Bash,
    ] {
        let entries = r.read(&bomb).unwrap();
        assert!(
            entries.iter().all(|e| e.value.len() <= MAX_SUBSTITUTED),
            "{r}"
        );
        assert!(entries.iter().any(|e| e.opaque.is_some()), "{r}");
    }
}
