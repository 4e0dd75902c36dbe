//! The bodies of the cargo-fuzz targets (`fuzz/`), one per surface. Each
//! takes raw bytes and panics when an invariant breaks — the fuzzer's failure
//! signal. `cargo test` replays the saved seeds and crash regressions
//! through the same functions (`tests/fuzz_regressions.rs`): one seed store
//! (`corpus/fuzz/`, `corpus/regressions/`) for both.
//!
//! The property and policy targets read structured input ([`structured`]:
//! a small model and a case built with `Arbitrary`), so coverage guides them.

pub mod structured;

use crate::invariants::{self, Property};
use crate::model::{Config, Decision, Model, Request, ScopeSet, SourceFile};
use crate::reference;
use std::sync::OnceLock;
use structured::{CaseInput, ModelInput, RequestInput, from_bytes};

/// The bundled example matrix.
pub const SAAS_MATRIX: &str = include_str!("../../examples/saas/env-matrix.toml");

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// Every target, by name (the name of its file under `fuzz/fuzz_targets/`).
pub const TARGETS: [(&str, Target); 20] = [
    ("model_parser", model_parser),
    ("dotenv_matrix", dotenv_matrix),
    ("migration_names", migration_names),
    ("lattice", lattice),
    ("policy_differential", policy_differential),
    ("monotonicity", |d| property(d, Property::Monotonicity)),
    ("isolation", |d| property(d, Property::Isolation)),
    ("determinism", |d| property(d, Property::Determinism)),
    ("conformance", |d| property(d, Property::Conformance)),
    ("symmetry", |d| property(d, Property::Symmetry)),
    ("env_dotenvy", |d| {
        env_reader(crate::env::Reader::Dotenvy, d)
    }),
    ("env_python_dotenv", |d| {
        env_reader(crate::env::Reader::PythonDotenv, d)
    }),
    ("env_node_dotenv", |d| {
        env_reader(crate::env::Reader::NodeDotenv, d)
    }),
    ("env_dotenvx", |d| {
        env_reader(crate::env::Reader::Dotenvx, d)
    }),
    ("env_compose", |d| {
        env_reader(crate::env::Reader::Compose, d)
    }),
    ("env_systemd", |d| {
        env_reader(crate::env::Reader::Systemd, d)
    }),
    ("env_docker", |d| env_reader(crate::env::Reader::Docker, d)),
    ("env_bash", |d| env_reader(crate::env::Reader::Bash, d)),
    ("url_redactor", url_redactor),
    ("answer_line", answer_line),
];

/// The model-file parser: any text gives a config or a located error, never
/// a panic; a parsed model's lattice obeys its laws and its digest is stable.
pub fn model_parser(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(&SourceFile::new("gonogo.toml", text)) {
        Err(e) => assert!(e.file == "gonogo.toml", "an error without the file: {e}"),
        Ok(config) => {
            let l = &config.model.lattice;
            let entries: Vec<(String, Vec<String>)> = (0..l.len())
                .map(|i| (l.name(i).to_string(), l.names_of(l.implies(i))))
                .collect();
            let sets: Vec<ScopeSet> = (0..l.len()).map(ScopeSet::single).collect();
            if let Err(e) = reference::check_lattice(&entries, &sets) {
                panic!("{e}");
            }
            assert_eq!(config.model.digest(), config.model.clone().digest());
        }
    }
}

/// Every reader model and the matrix evaluator on one file: see
/// [`env_reader`].
pub fn dotenv_matrix(data: &[u8]) {
    for reader in crate::env::Reader::ALL {
        env_reader(reader, data);
    }
}

/// One reader model and the matrix evaluator: no panic, line numbers inside
/// the file, and no value that must stay hidden (a secret flag's, an
/// undeclared key's, a substituted, opaque or multi-line one) in any
/// finding, under the whole pipeline as `env check` runs it.
pub fn env_reader(reader: crate::env::Reader, data: &[u8]) {
    use crate::env::{Matrix, evaluate, read_bytes};
    static M: OnceLock<Matrix> = OnceLock::new();
    let m = M.get_or_init(|| {
        Matrix::parse(&SourceFile::new("env-matrix.toml", SAAS_MATRIX)).expect("the matrix parses")
    });
    let lines = crate::env::readers::text::LineIndex::new(&String::from_utf8_lossy(data)).count();
    let readings = match read_bytes(data, &[reader]) {
        Ok(r) => r,
        Err(e) => {
            assert!(
                e.line() >= 1 && e.line() <= lines,
                "error line {} of {lines}",
                e.line()
            );
            return;
        }
    };
    let entries = &readings.readers[0].1;
    for e in entries {
        assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}", e.line);
    }
    // A marker no message template holds: a finding that shows it shows a
    // hidden value.
    const MARK: &str = "\u{1}gonogo-secret\u{1}";
    let marked: Vec<crate::env::Entry> = entries
        .iter()
        .map(|e| {
            let mut e = e.clone();
            let hidden = m.flags.get(&e.key).is_none_or(|f| f.secret)
                || !e.is_determined()
                || !e.from.is_empty()
                || e.spans_lines;
            if hidden {
                e.value = format!("{MARK}{}", e.value);
            }
            e
        })
        .collect();
    for (env, class) in [("prod", "prod"), ("staging", "prod-like"), ("dev", "dev")] {
        crate::env::findings(m, env, class, &readings);
        for f in evaluate(m, env, class, &marked) {
            assert!(
                !f.detail.contains(MARK) && !f.detail.contains("gonogo-secret"),
                "a hidden value in a finding: {}",
                f.detail
            );
        }
    }
}

/// The URL redactor (`redact::url`): whatever the spelling, the output
/// does not depend on the userinfo (everything between the scheme and the
/// last `@`): replacing it with `x`s of the same length changes nothing.
/// No control character is shown either.
pub fn url_redactor(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let shown = crate::redact::url(s);
    assert!(
        !shown.chars().any(|c| c.is_control()),
        "a control character in {shown:?}"
    );
    let Some(at) = s.rfind('@') else {
        return;
    };
    let scheme = crate::redact::scheme_len(s);
    let start = scheme + if s[scheme..].starts_with("//") { 2 } else { 0 };
    if start > at {
        return;
    }
    let masked = format!(
        "{}{}{}",
        &s[..start],
        "x".repeat(s[start..at].chars().count()),
        &s[at..]
    );
    assert_eq!(
        shown,
        crate::redact::url(&masked),
        "the userinfo of {s:?} changes what is shown"
    );
}

/// A target's answer line (`targets::wire::parse_answer`): never a panic;
/// an accepted line has no key twice (its decision is what any JSON reader
/// takes from it) and is at most 1 MiB.
pub fn answer_line(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(answer) = crate::targets::wire::parse_answer(text) else {
        return;
    };
    assert!(text.len() <= crate::targets::wire::MAX_LINE);
    let value: serde_json::Value = serde_json::from_str(text.trim()).expect("accepted JSON parses");
    assert_eq!(value["allow"].as_bool(), Some(answer.decision.allow));
    assert_eq!(value["reason"].as_str(), answer.decision.reason.as_deref());
}

/// Migration file names and checksums: any set of files gives migrations
/// sorted by unique version, each with the SHA-384 of its up SQL, or an error.
pub fn migration_names(data: &[u8]) {
    use crate::migrate::source::{Name, checksum, from_files, parse_name};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Lines `name<TAB>contents`.
    let files: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(n, c)| (n.to_string(), c.replace("\\n", "\n")))
        .collect();
    for (n, _) in &files {
        if let Ok(Name::Migration { description, .. }) = parse_name(n) {
            assert!(
                !description.contains('_'),
                "`{n}`: underscores stay in {description:?}"
            );
        }
    }
    if let Ok(migrations) = from_files("migrations", &files) {
        for w in migrations.windows(2) {
            assert!(
                w[0].version < w[1].version,
                "versions not sorted and unique"
            );
        }
        for m in &migrations {
            assert_eq!(m.checksum, checksum(&m.up));
            use sha2::Digest;
            assert_eq!(m.checksum, sha2::Sha384::digest(m.up.as_bytes()).to_vec());
        }
    }
}

/// The bitset lattice against the naive reference, on a catalog made from
/// the bytes (scope `i` may imply only scopes `j < i`, so no cycle).
pub fn lattice(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = (n as usize % 24) + 1;
    let mut bytes = rest.iter().copied();
    let mut entries = Vec::new();
    for i in 0..n {
        let mut implied = std::collections::BTreeSet::new();
        if i > 0 {
            for _ in 0..(bytes.next().unwrap_or(0) % 4) {
                implied.insert(bytes.next().unwrap_or(0) as usize % i);
            }
        }
        entries.push((
            format!("s{i:02}"),
            implied.into_iter().map(|j| format!("s{j:02}")).collect(),
        ));
    }
    let sets: Vec<ScopeSet> = bytes
        .collect::<Vec<u8>>()
        .chunks(4)
        .take(8)
        .map(|c| ScopeSet(c.iter().fold(0u128, |acc, b| acc << 8 | *b as u128)))
        .collect();
    if let Err(e) = reference::check_lattice(&entries, &sets) {
        panic!("{e}");
    }
}

/// The bitset policy against the naive reference, on a fuzzed model and
/// requests over its names (and any other names).
pub fn policy_differential(data: &[u8]) {
    let Some((model, requests)) = from_bytes::<(ModelInput, Vec<RequestInput>)>(data) else {
        return;
    };
    let Some(model) = model.model() else {
        return;
    };
    for r in &requests {
        if let Err(e) = reference::check_policy(&model, &r.request(&model)) {
            panic!("{e}");
        }
    }
}

/// One authorization property over the declared policy of a fuzzed model:
/// every case must hold.
pub fn property(data: &[u8], property: Property) {
    let Some(input) = from_bytes::<CaseInput>(data) else {
        return;
    };
    property_case(&input, property);
}

/// [`property`] on structured input (what `fuzz_target!` hands over).
pub fn property_case(input: &CaseInput, property: Property) {
    if let Err(v) = check_case(input, property, &mut |model, r| model.decide(r)) {
        panic!(
            "{property} broken by the declared policy: {}",
            v.explanation
        );
    }
}

/// One structured case of `property`, decided by `decide` (the declared
/// policy in the fuzz targets; a planted bug in the tests that show the
/// input reaches one).
pub fn check_case(
    input: &CaseInput,
    property: Property,
    decide: &mut dyn FnMut(&Model, &Request) -> Decision,
) -> Result<(), invariants::Violation> {
    let Some((model, requests)) = input.case(property.arity()) else {
        return Ok(());
    };
    let decisions: Vec<Decision> = requests.iter().map(|r| decide(&model, r)).collect();
    invariants::check(property, &model, &requests, &decisions).map(|_| ())
}
