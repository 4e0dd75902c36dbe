//! `gonogo explain`: every reason code of SPEC.md has an entry.

mod common;
use common::*;

/// Every reason code SPEC.md names (§4–§10).
const SPEC_CODES: [&str; 24] = [
    "target_failed",
    "isolation_violated",
    "pending",
    "checksum_mismatch",
    "missing_local",
    "failed",
    "out_of_order",
    "schema_drift",
    "unreachable",
    "bad_migration_file",
    "bad_url",
    "forbidden_flag",
    "forbidden_value",
    "missing_required",
    "invalid_value",
    "unknown_flag",
    "unknown_environment",
    "duplicate_key",
    "parse_error",
    "digest_mismatch",
    "verdict_no_go",
    "missing_check",
    "bad_signature",
    "no_data",
];

#[test]
fn every_spec_reason_code_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    for code in SPEC_CODES {
        let out = gonogo(dir.path(), &["explain", code, "--format", "json"]);
        assert_eq!(self::code(&out), 0, "{code}: {}", stderr(&out));
        let doc = json(&out);
        assert_eq!(doc["reasons"][0]["code"], code);
        assert!(
            doc["reasons"][0]["explanation"].as_str().unwrap().len() > 40,
            "{code}"
        );
    }
    let all = json(&gonogo(dir.path(), &["explain", "--format", "json"]));
    assert_eq!(
        all["reasons"].as_array().unwrap().len(),
        gonogo::Reason::ALL.len()
    );
    let unknown = gonogo(dir.path(), &["explain", "no_such_code"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("unknown reason code or property `no_such_code`"),
        "{}",
        stderr(&unknown)
    );
}

/// Issue 17: `gonogo explain isolation` explains the property (it was an
/// unknown reason code, exit 2): what it states and the reason it reports.
#[test]
fn every_property_name_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    for p in gonogo::Property::ALL {
        let out = gonogo(dir.path(), &["explain", p.name(), "--format", "json"]);
        assert_eq!(code(&out), 0, "{p}: {}", stderr(&out));
        let doc = json(&out);
        assert_eq!(doc["property"]["name"], p.name());
        assert_eq!(doc["property"]["reason"], p.reason().code());
        assert!(doc["property"]["statement"].as_str().unwrap().len() > 40);
        assert_eq!(doc["reasons"][0]["code"], p.reason().code());
        let human = stdout(&gonogo(dir.path(), &["explain", p.name()]));
        assert!(human.contains("(property)"), "{human}");
        assert!(human.contains(p.reason().code()), "{human}");
    }
}

/// `explain` said "NO-GO, exit 1" for codes whose own explanation (and
/// whose commands) exit 2: the exit it reports is the one the commands use.
#[test]
fn explain_reports_exit_2_for_every_error_code() {
    let dir = tempfile::tempdir().unwrap();
    for code in [
        "unknown_environment",
        "duplicate_key",
        "parse_error",
        "target_mismatch",
        "flaky",
        "target_failed",
        "unreachable",
    ] {
        let doc = json(&gonogo(dir.path(), &["explain", code, "--format", "json"]));
        assert_eq!(doc["reasons"][0]["exit"], 2, "{code}");
    }
}
