//! Issue 17: the gate says why. Per failed property: its reason, the
//! counterexample in one sentence, the file it was saved to and the line
//! that reproduces it; JUnit's failure `type` is the reason code (it was
//! the word `fail`).

mod common;

use common::*;

fn failing_gate() -> tempfile::TempDir {
    project(
        &(example_with_mutant("tenant_case_insensitive").replace("cases = 2000", "cases = 300")
            + "\n[gate]\nrequire = [\"properties\"]\n"),
    )
}

#[test]
fn the_gate_prints_each_counterexample_and_its_repro_line() {
    let dir = failing_gate();
    let out = gonogo(dir.path(), &["gate", "--seed", "7"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    // Every failed property of the proof's evidence, in the human output.
    let proof: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("release-proof.json")).unwrap(),
    )
    .unwrap();
    let props = proof["predicate"]["checks"][0]["evidence"]["properties"]
        .as_array()
        .unwrap()
        .clone();
    let failed: Vec<&serde_json::Value> = props.iter().filter(|p| p["status"] == "fail").collect();
    assert!(!failed.is_empty(), "{proof:#}");
    for p in failed {
        let (name, reason) = (p["name"].as_str().unwrap(), p["reason"].as_str().unwrap());
        let explanation = p["explanation"].as_str().unwrap();
        let file = p["corpus_file"].as_str().unwrap();
        assert!(file.starts_with("corpus/"), "{p:#}");
        assert!(
            text.contains(&format!("{name}: {reason}: {explanation}")),
            "{text}"
        );
        assert!(text.contains(&format!("saved to {file}")), "{text}");
        assert!(
            text.contains(&format!("replay --config gonogo.toml {file}")),
            "{text}"
        );
    }
}

#[test]
fn junit_failures_carry_the_reason_code() {
    let dir = failing_gate();
    let out = gonogo(dir.path(), &["gate", "--seed", "7", "--format", "junit"]);
    assert_eq!(code(&out), 1);
    let xml = stdout(&out);
    // The first failing property's reason code, not the word `fail`.
    assert!(
        xml.contains("<failure type=\"determinism_violated\""),
        "{xml}"
    );
    assert!(!xml.contains("type=\"fail\""), "{xml}");
}
