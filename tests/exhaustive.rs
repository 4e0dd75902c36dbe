//! `gonogo check --exhaustive` through the real binary: exact counts, every
//! planted bug, the refusal past `--max-cases`, and results that do not
//! depend on the number of threads.

mod common;
use common::*;
use gonogo::model::{Config, ScopeSet};

/// The example's domain sizes, counted here from the model: (down-closed
/// sets, raw sets, actions).
fn example_sizes() -> (u64, u64, u64) {
    let model = Config::load(&example_config()).unwrap().model;
    let l = &model.lattice;
    let raw = 1u64 << l.len();
    let down = (0..u128::from(raw))
        .filter(|&s| l.is_down_closed(ScopeSet(s)))
        .count() as u64;
    let declared: usize = model.resources.iter().map(|r| r.actions.len()).sum();
    // One unknown action per type, and one action on an unknown type.
    let actions = (declared + model.resources.len() + 1) as u64;
    (down, raw, actions)
}

/// Two base ids, six variant classes of the first, a long pair, the empty
/// id, `*` and a special name.
const TENANTS: u64 = 13;

#[test]
fn the_declared_policy_is_go_with_every_request_counted() {
    let dir = project(&example_text());
    let out = gonogo(dir.path(), &["check", "--exhaustive", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let doc = json(&out);
    let (down, _, actions) = example_sizes();
    let requests = down * actions * TENANTS * TENANTS * 2;
    let x = &doc["exhaustive"];
    assert_eq!(x["enumeration"], "down-closed");
    assert_eq!(x["scope_sets"], down);
    assert_eq!(x["requests"], requests);
    assert_eq!(x["tenants"].as_array().unwrap().len() as u64, TENANTS);
    for p in doc["properties"].as_array().unwrap() {
        assert_eq!(p["status"], "pass", "{p}");
        assert_eq!(p["exhaustive"], true);
    }
    let by_name = |n: &str| {
        doc["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("conformance")["cases"], requests);
    assert_eq!(by_name("determinism")["cases"], requests);
    // Every pair but the two reference pairs is compared.
    assert_eq!(
        by_name("symmetry")["cases"],
        down * actions * (TENANTS * TENANTS - 2) * 2
    );
    let note = by_name("monotonicity")["note"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(note.contains("covering pairs (S, S ∪ {s})"), "{note}");
    assert!(note.contains("every pair S ≤ S'"), "{note}");
    assert_eq!(doc["coverage"]["never_count"], 0);
    assert!(x["domain"].as_str().unwrap().contains("down-closed"));
}

#[test]
fn human_output_says_which_enumeration_ran() {
    let dir = project(&example_text());
    let out = gonogo(dir.path(), &["check", "--exhaustive"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("cases, exhaustive"), "{text}");
    assert!(text.contains("down-closed sets"), "{text}");
    assert!(text.contains("covering pairs"), "{text}");
    assert!(text.contains("coverage all"), "{text}");
    let dir = project(&example_with_mutant("delete_needs_write"));
    let out = gonogo(dir.path(), &["check", "--exhaustive"]);
    assert!(stdout(&out).contains("subsets of the 8 scopes as raw lists"));
}

#[test]
fn every_planted_bug_is_caught_exhaustively_by_its_property() {
    for m in gonogo::targets::Mutant::ALL {
        let (mutant, property) = (m.name(), m.breaks().name());
        let dir = project(&example_with_mutant(mutant));
        let out = gonogo(
            dir.path(),
            &[
                "check",
                "--exhaustive",
                "--property",
                property,
                "--format",
                "json",
            ],
        );
        assert_eq!(code(&out), 1, "{mutant}: {}{}", stdout(&out), stderr(&out));
        let doc = json(&out);
        assert_eq!(doc["exhaustive"]["enumeration"], "raw", "{mutant}");
        let p = &doc["properties"][0];
        assert_eq!(p["reason"], format!("{property}_violated"), "{mutant}");
        assert_eq!(p["exhaustive"], true);
        let repro = p["reproduce"].as_array().unwrap();
        assert!(
            repro.iter().any(|r| r
                .as_str()
                .unwrap()
                .ends_with(&format!("--property {property} --exhaustive"))),
            "{mutant}: {repro:?}"
        );
        let replay = gonogo(dir.path(), &["replay", p["corpus_file"].as_str().unwrap()]);
        assert_eq!(code(&replay), 1, "{mutant}: replay {}", stdout(&replay));
    }
}

/// `[admin]` and `[admin, projects:read]` have equal closures; a target that
/// reads the raw list allows the second only. Only raw enumeration sees it.
#[test]
fn a_raw_list_bug_between_equal_closures_is_caught() {
    let dir = project(&example_with_mutant("ignores_implication"));
    let out = gonogo(
        dir.path(),
        &[
            "check",
            "--exhaustive",
            "--property",
            "monotonicity",
            "--no-corpus",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1);
    let doc = json(&out);
    let cx = &doc["properties"][0]["counterexample"];
    let model = Config::load(&example_config()).unwrap().model;
    let scopes = |i: usize| -> Vec<String> {
        cx["requests"][i]["principal"]["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let (allowed, denied) = (scopes(0), scopes(1));
    assert_eq!(cx["decisions"][0]["allow"], true);
    assert_eq!(cx["decisions"][1]["allow"], false);
    let l = &model.lattice;
    assert_eq!(
        l.closure_of_names(&allowed),
        l.closure_of_names(&denied),
        "{allowed:?} {denied:?}"
    );
    assert!(allowed.len() > denied.len(), "{allowed:?} {denied:?}");
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    for target in [
        example_text(),
        example_with_mutant("tenant_case_insensitive"),
        example_with_mutant("reason_by_request_id"),
        example_with_mutant("ignores_implication"),
    ] {
        let dir = project(&target);
        let run = |threads: Option<&str>| {
            let mut args = vec!["check", "--exhaustive", "--no-corpus", "--format", "json"];
            if let Some(t) = threads {
                args.extend(["--threads", t]);
            }
            let out = gonogo(dir.path(), &args);
            assert!(code(&out) <= 1, "{}", stderr(&out));
            stdout(&out)
        };
        let one = run(Some("1"));
        assert_eq!(one, run(None), "1 thread against every core");
        assert_eq!(one, run(Some("3")), "1 thread against 3");
    }
}

/// Random runs too: batches are drawn from their own streams and merged in
/// order, so the cases, the shrink and the report are the same.
#[test]
fn random_runs_do_not_depend_on_the_number_of_threads() {
    for mutant in [
        "tenant_case_insensitive",
        "ignores_implication",
        "delete_needs_write",
    ] {
        let dir = project(&example_with_mutant(mutant));
        let run = |threads: &str| {
            let args = [
                "check",
                "--cases",
                "3000",
                "--seed",
                "0x77",
                "--no-corpus",
                "--format",
                "json",
                "--threads",
                threads,
            ];
            let out = gonogo(dir.path(), &args);
            assert_eq!(code(&out), 1, "{}", stderr(&out));
            stdout(&out)
        };
        let one = run("1");
        assert_eq!(one, run("2"), "{mutant}: 1 thread against 2");
        assert_eq!(one, run("5"), "{mutant}: 1 thread against 5");
    }
}

#[test]
fn a_domain_past_max_cases_is_refused_with_its_size() {
    let dir = project(&example_with_mutant("delete_needs_write"));
    let (_, raw, actions) = example_sizes();
    let requests = raw * actions * TENANTS * TENANTS * 2;
    let max = (requests - 1).to_string();
    let out = gonogo(dir.path(), &["check", "--exhaustive", "--max-cases", &max]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("{requests} requests")), "{err}");
    assert!(err.contains("2^8 scope sets"), "{err}");
    assert!(err.contains("--max-cases"), "{err}");
    let max = requests.to_string();
    let out = gonogo(dir.path(), &["check", "--exhaustive", "--max-cases", &max]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

#[test]
fn cases_and_exhaustive_together_are_an_error() {
    let dir = project(&example_text());
    let out = gonogo(dir.path(), &["check", "--exhaustive", "--cases", "10"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--exhaustive"), "{}", stderr(&out));
    let out = gonogo(dir.path(), &["check", "--max-cases", "10"]);
    assert_eq!(code(&out), 2, "--max-cases needs --exhaustive");
    assert!(stderr(&out).contains("--max-cases applies to exhaustive runs"));
}

/// `[check] exhaustive = true`: `check` enumerates by default (`--cases`
/// asks for a random run), and `gate` records the exhaustive run in the proof.
#[test]
fn config_exhaustive_drives_check_and_gate() {
    let text = example_text().replace("[check]\n", "[check]\nexhaustive = true\n")
        + "\n[gate]\nrequire = [\"properties\"]\n";
    let dir = project(&text);
    let out = gonogo(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["properties"][0]["exhaustive"], true);
    let out = gonogo(dir.path(), &["check", "--cases", "20", "--format", "json"]);
    assert_eq!(json(&out)["properties"][0]["exhaustive"], false);
    assert_eq!(json(&out)["properties"][0]["cases"], 20);

    let out = gonogo(dir.path(), &["gate", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let statement = &json(&out)["statement"];
    let check = &statement["predicate"]["checks"][0];
    assert_eq!(check["name"], "properties");
    assert_eq!(check["evidence"]["exhaustive"], true);
    // Both runs: the random cases and the bounded domain.
    assert_eq!(check["evidence"]["properties"][0]["cases"], 2000);
    assert_eq!(
        check["evidence"]["exhaustive_properties"]
            .as_array()
            .unwrap()
            .len(),
        gonogo::Property::COUNT
    );
    let (down, _, actions) = example_sizes();
    assert_eq!(
        check["evidence"]["requests"],
        down * actions * TENANTS * TENANTS * 2
    );
    let verify = gonogo(dir.path(), &["verify", "release-proof.json"]);
    assert_eq!(code(&verify), 0, "{}", stdout(&verify));
}

/// With `[check] exhaustive = true` a planted bug fails the gate, and
/// `--max-cases` applies without `--exhaustive`.
#[test]
fn config_exhaustive_gate_fails_on_a_planted_bug() {
    let text = example_with_mutant("delete_needs_write")
        .replace("[check]\n", "[check]\nexhaustive = true\n")
        + "\n[gate]\nrequire = [\"properties\"]\n";
    let dir = project(&text);
    let out = gonogo(dir.path(), &["gate", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let check = &json(&out)["statement"]["predicate"]["checks"][0];
    assert_eq!(check["status"], "fail");
    let out = gonogo(dir.path(), &["check", "--max-cases", "10"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("more than --max-cases 10"),
        "{}",
        stderr(&out)
    );
}
