//! `gonogo check`, `replay` and `lattice` through the real binary.

mod common;
use common::*;

#[test]
fn example_is_go() {
    let dir = tempfile::tempdir().unwrap();
    let config = example_config();
    let out = gonogo(
        dir.path(),
        &[
            "check",
            "--config",
            config.to_str().unwrap(),
            "--cases",
            "500",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    for p in [
        "monotonicity",
        "isolation",
        "determinism",
        "conformance",
        "symmetry",
    ] {
        assert!(text.contains(p), "{p} missing from:\n{text}");
    }
    assert!(text.contains("seed 0x5eed"));
    assert!(text.trim_end().ends_with("GO"));
}

#[test]
fn json_report_has_the_spec_shape() {
    let dir = project(&example_text());
    let out = gonogo(dir.path(), &["check", "--cases", "50", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let doc = json(&out);
    assert_eq!(doc["verdict"], "go");
    assert_eq!(doc["seed"], "0x5eed");
    let props = doc["properties"].as_array().unwrap();
    assert_eq!(props.len(), gonogo::Property::ALL.len());
    for p in props {
        assert_eq!(p["status"], "pass");
        assert_eq!(p["cases"], 50);
        assert_eq!(p["exhaustive"], false);
    }
}

#[test]
fn same_seed_gives_byte_identical_json() {
    let dir = project(&example_with_mutant("tenant_case_insensitive"));
    let args = [
        "check", "--seed", "0xabc", "--cases", "300", "--format", "json",
    ];
    let first = gonogo(dir.path(), &args);
    let second = gonogo(dir.path(), &args);
    assert_eq!(code(&first), 1);
    assert_eq!(first.stdout, second.stdout);
    let other = gonogo(
        dir.path(),
        &[
            "check", "--seed", "0xabd", "--cases", "300", "--format", "json",
        ],
    );
    assert_ne!(
        first.stdout, other.stdout,
        "another seed should explore other cases"
    );
}

#[test]
fn random_seed_is_printed_and_reproduces() {
    let text = example_with_mutant("ignores_implication").replace("seed = \"0x5eed\"\n", "");
    let dir = project(&text);
    let out = gonogo(
        dir.path(),
        &[
            "check",
            "--property",
            "monotonicity",
            "--format",
            "json",
            "--no-corpus",
        ],
    );
    assert_eq!(code(&out), 1);
    let doc = json(&out);
    let seed = doc["seed"].as_str().unwrap().to_string();
    let again = gonogo(
        dir.path(),
        &[
            "check",
            "--property",
            "monotonicity",
            "--format",
            "json",
            "--no-corpus",
            "--seed",
            &seed,
        ],
    );
    assert_eq!(out.stdout, again.stdout);
}

/// Each planted bug is caught by its property, with exit 1, the property
/// named, and a shrunk counterexample saved to the corpus.
#[test]
fn every_property_catches_its_planted_bug() {
    for (mutant, property) in [
        ("ignores_implication", "monotonicity"),
        ("tenant_case_insensitive", "isolation"),
        ("reason_by_request_id", "determinism"),
        ("delete_needs_write", "conformance"),
        ("hardcoded_tenant", "symmetry"),
    ] {
        let dir = project(&example_with_mutant(mutant));
        let out = gonogo(
            dir.path(),
            &["check", "--property", property, "--format", "json"],
        );
        assert_eq!(code(&out), 1, "{mutant}: {}", stdout(&out));
        let doc = json(&out);
        assert_eq!(doc["verdict"], "no-go");
        let p = &doc["properties"][0];
        assert_eq!(p["name"], property);
        assert_eq!(p["status"], "fail");
        assert_eq!(p["reason"], format!("{property}_violated"));
        let cx = &p["counterexample"];
        assert_eq!(cx["property"], property);
        assert_eq!(cx["seed"], "0x5eed");
        assert!(cx["model_digest"].as_str().unwrap().starts_with("sha256:"));
        assert!(!cx["explanation"].as_str().unwrap().is_empty());
        let saved = p["corpus_file"].as_str().unwrap();
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(saved)).unwrap())
                .unwrap();
        assert_eq!(
            &file, cx,
            "the corpus file holds exactly the counterexample"
        );
        let repro = p["reproduce"].as_array().unwrap();
        assert!(
            repro
                .iter()
                .any(|r| r.as_str().unwrap().starts_with("gonogo replay "))
        );
        assert!(
            repro
                .iter()
                .any(|r| r.as_str().unwrap().contains("--seed 0x5eed"))
        );
    }
}

#[test]
fn human_output_names_the_seed_and_reproduce_lines() {
    let dir = project(&example_with_mutant("tenant_case_insensitive"));
    let out = gonogo(dir.path(), &["check", "--property", "isolation"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("isolation_violated"), "{text}");
    assert!(text.contains("seed 0x5eed"));
    assert!(
        text.contains("gonogo replay --config gonogo.toml corpus/isolation-"),
        "{text}"
    );
    assert!(text.contains("gonogo check --config gonogo.toml --property isolation --seed 0x5eed"));
    assert!(text.trim_end().ends_with("NO-GO"));
}

#[test]
fn replay_fails_while_the_bug_is_there_and_passes_once_fixed() {
    let dir = project(&example_with_mutant("tenant_case_insensitive"));
    let out = gonogo(
        dir.path(),
        &["check", "--property", "isolation", "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    let saved = json(&out)["properties"][0]["corpus_file"]
        .as_str()
        .unwrap()
        .to_string();

    let file = gonogo(dir.path(), &["replay", &saved]);
    assert_eq!(code(&file), 1, "{}", stdout(&file));
    let folder = gonogo(dir.path(), &["replay", "corpus", "--format", "json"]);
    assert_eq!(code(&folder), 1);
    assert_eq!(json(&folder)["files"][0]["reason"], "isolation_violated");

    // The "fix" here swaps the target for the declared policy: another
    // target, so replay refuses (target_mismatch) unless told the change is
    // deliberate.
    std::fs::write(dir.path().join("gonogo.toml"), example_text()).unwrap();
    let swapped = gonogo(dir.path(), &["replay", "corpus"]);
    assert_eq!(code(&swapped), 2, "{}", stdout(&swapped));
    assert!(stdout(&swapped).contains("--allow-target-change"));
    let fixed = gonogo(dir.path(), &["replay", "--allow-target-change", "corpus"]);
    assert_eq!(code(&fixed), 0, "{}", stdout(&fixed));
}

#[test]
fn replay_finds_the_config_above_the_corpus() {
    let dir = project(&example_with_mutant("delete_needs_write"));
    let out = gonogo(dir.path(), &["check", "--property", "conformance"]);
    assert_eq!(code(&out), 1);
    let elsewhere = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let replayed = gonogo(elsewhere.path(), &["replay", corpus.to_str().unwrap()]);
    assert_eq!(
        code(&replayed),
        1,
        "{}{}",
        stdout(&replayed),
        stderr(&replayed)
    );
}

#[test]
fn replay_of_a_broken_file_is_an_error() {
    let dir = project(&example_text());
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    std::fs::write(
        dir.path().join("corpus/x.json"),
        "{\"property\": \"isolation\"",
    )
    .unwrap();
    let out = gonogo(dir.path(), &["replay", "corpus"]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(stdout(&out).contains("corpus/x.json"));

    let empty = tempfile::tempdir().unwrap();
    let out = gonogo(dir.path(), &["replay", empty.path().to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let missing = gonogo(dir.path(), &["replay", "no/such/dir"]);
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("no/such/dir"));
}

#[test]
fn junit_has_one_testcase_per_property() {
    let dir = project(&example_with_mutant("tenant_case_insensitive"));
    let out = gonogo(
        dir.path(),
        &[
            "check",
            "--cases",
            "200",
            "--format",
            "junit",
            "--no-corpus",
        ],
    );
    assert_eq!(code(&out), 1);
    let xml = stdout(&out);
    assert!(xml.starts_with("<?xml"));
    let n = gonogo::Property::COUNT;
    assert_eq!(xml.matches("<testcase ").count(), n, "{xml}");
    assert!(xml.contains("<failure type=\"isolation_violated\""));
    assert!(xml.contains(&format!("tests=\"{n}\"")));
}

#[test]
fn unknown_property_and_bad_seed_are_errors() {
    let dir = project(&example_text());
    assert_eq!(
        code(&gonogo(dir.path(), &["check", "--property", "liveness"])),
        2
    );
    assert_eq!(code(&gonogo(dir.path(), &["check", "--seed", "0xzz"])), 2);
    assert_eq!(code(&gonogo(dir.path(), &["check", "--cases", "0"])), 2);
    assert_eq!(code(&gonogo(dir.path(), &["no-such-command"])), 2);
}

#[test]
fn missing_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = gonogo(dir.path(), &["check"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("gonogo.toml"));
    let out = gonogo(
        dir.path(),
        &["check", "--config", "nope.toml", "--format", "json"],
    );
    assert_eq!(code(&out), 2);
    assert_eq!(json(&out)["verdict"], "error");
    assert!(stderr(&out).contains("nope.toml"));
}

#[test]
fn unset_env_variable_in_the_target_is_an_error() {
    let dir = project(&example_with_target(
        "[target]\nkind = \"http\"\nurl = \"${GONOGO_TEST_SURELY_UNSET_URL}\"",
    ));
    let out = gonogo(dir.path(), &["check"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("GONOGO_TEST_SURELY_UNSET_URL"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("target.url"));
}

#[test]
fn lattice_prints_the_hasse_diagram() {
    let dir = project(&example_text());
    let out = gonogo(dir.path(), &["lattice", "--dot"]);
    assert_eq!(code(&out), 0);
    let dot = stdout(&out);
    assert!(dot.starts_with("digraph scopes {"));
    assert!(dot.contains("\"projects:read\" -> \"projects:write\";"));
    assert!(dot.contains("\"projects:write\" -> \"admin\";"));
    // Covering edges only: admin reaches projects:read through projects:write.
    assert!(!dot.contains("\"projects:read\" -> \"admin\";"));
    // Issue 16: `--dot` speaks every format (it printed DOT under
    // `--format json`).
    let out = gonogo(dir.path(), &["lattice", "--dot", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let doc = json(&out);
    assert_eq!(doc["verdict"], "go");
    assert_eq!(doc["dot"].as_str().unwrap(), dot);
    let out = gonogo(dir.path(), &["lattice", "--dot", "--format", "junit"]);
    assert!(stdout(&out).contains("<testsuite"), "{}", stdout(&out));

    let out = gonogo(dir.path(), &["lattice", "--format", "json"]);
    let doc = json(&out);
    let admin = doc["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "admin")
        .unwrap();
    assert!(
        admin["closure"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "projects:read")
    );
}

/// A counterexample saved under another model is an error, not a pass: it
/// may come from another config and another target.
#[test]
fn replay_under_another_model_is_an_error() {
    let dir = project(&example_with_mutant("tenant_case_insensitive"));
    let out = gonogo(
        dir.path(),
        &["check", "--property", "isolation", "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    let saved = json(&out)["properties"][0]["corpus_file"]
        .as_str()
        .unwrap()
        .to_string();
    let other = example_with_mutant("tenant_case_insensitive").replace(
        "ids = [\"acme\", \"globex\"]",
        "ids = [\"acme\", \"initech\"]",
    );
    std::fs::write(dir.path().join("gonogo.toml"), &other).unwrap();
    let replayed = gonogo(dir.path(), &["replay", &saved]);
    assert_eq!(code(&replayed), 2, "{}", stdout(&replayed));
    assert!(stdout(&replayed).contains("saved under another model"));
    // Allowed, it replays: the bug is still in the target, so it still fails.
    let allowed = gonogo(dir.path(), &["replay", "--allow-model-change", &saved]);
    assert_eq!(code(&allowed), 1, "{}", stdout(&allowed));
    assert!(stdout(&allowed).contains("the model changed"));
}

#[test]
fn argument_errors_still_give_a_json_document() {
    let dir = project(&example_text());
    let out = gonogo(
        dir.path(),
        &["check", "--format", "json", "--property", "bogus"],
    );
    assert_eq!(code(&out), 2);
    let doc = json(&out);
    assert_eq!(doc["verdict"], "error");
    assert!(doc["message"].as_str().unwrap().contains("bogus"));
}
