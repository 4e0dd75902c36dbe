//! Issue 17: `check --exhaustive --shard K/N` and `gonogo merge` through the
//! real binary: the merged report is the unsharded one (same JSON, same
//! exit), and shards that are not one run are refused (exit 2).

mod common;
use common::*;

/// Runs the shards 1..=n of an exhaustive check; returns their files.
fn shards(dir: &std::path::Path, n: u32, extra: &[&str]) -> Vec<String> {
    (1..=n)
        .map(|k| {
            let file = format!("s{k}of{n}.json");
            let shard = format!("{k}/{n}");
            let mut args = vec![
                "check",
                "--exhaustive",
                "--shard",
                &shard,
                "--shard-out",
                &file,
                "--no-corpus",
            ];
            args.extend_from_slice(extra);
            let out = gonogo(dir, &args);
            assert!(code(&out) <= 1, "{}{}", stdout(&out), stderr(&out));
            file
        })
        .collect()
}

fn merged(dir: &std::path::Path, files: &[String]) -> std::process::Output {
    let mut args = vec!["merge", "--no-corpus", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    gonogo(dir, &args)
}

#[test]
fn merged_shards_are_the_unsharded_run() {
    for target in [
        "[target]\nkind = \"policy\"".to_string(),
        "[target]\nkind = \"mutant\"\nmutant = \"tenant_case_insensitive\"".to_string(),
        "[target]\nkind = \"mutant\"\nmutant = \"reason_by_request_id\"".to_string(),
    ] {
        let dir = project(&example_with_target(&target));
        let whole = gonogo(
            dir.path(),
            &["check", "--exhaustive", "--no-corpus", "--format", "json"],
        );
        for n in [1, 3] {
            let files = shards(dir.path(), n, &[]);
            let out = merged(dir.path(), &files);
            assert_eq!(code(&out), code(&whole), "{target} N={n}: {}", stderr(&out));
            assert_eq!(json(&out), json(&whole), "{target} N={n}");
        }
    }
}

#[test]
fn a_shard_reports_its_part_and_never_the_verdict() {
    let dir = project(&example_with_mutant("tenant_case_insensitive"));
    let out = gonogo(
        dir.path(),
        &[
            "check",
            "--exhaustive",
            "--shard",
            "2/4",
            "--format",
            "json",
            "--no-corpus",
        ],
    );
    let doc = json(&out);
    assert_eq!(doc["complete"], false, "{doc:#}");
    assert_eq!(doc["shard"], "2/4");
    assert_eq!(doc["file"], "gonogo-shard-2-of-4.json");
    assert!(dir.path().join("gonogo-shard-2-of-4.json").is_file());
    // A failure inside the shard's blocks is NO-GO already.
    assert_eq!(code(&out), if doc["verdict"] == "no-go" { 1 } else { 0 });
}

#[test]
fn shards_that_are_not_one_run_are_refused() {
    let dir = project(&example_text());
    let files = shards(dir.path(), 3, &[]);
    // One missing, one twice.
    for set in [
        vec![files[0].clone(), files[1].clone()],
        vec![files[0].clone(), files[1].clone(), files[1].clone()],
    ] {
        let out = merged(dir.path(), &set);
        assert_eq!(code(&out), 2, "{set:?}: {}", stdout(&out));
        assert!(stderr(&out).contains("missing"), "{}", stderr(&out));
    }
    // Shards of 2 and of 3 do not mix.
    let two = shards(dir.path(), 2, &[]);
    let out = merged(
        dir.path(),
        &[two[0].clone(), files[1].clone(), files[2].clone()],
    );
    assert_eq!(code(&out), 2);
    // A shard of another model: the config changed since.
    let other = example_text().replace(
        "\"members:read\"     = []",
        "\"members:read\"     = []\n\"audit:read\" = []",
    );
    std::fs::write(dir.path().join("gonogo.toml"), other).unwrap();
    let out = merged(dir.path(), &files);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(stderr(&out).contains("another model"), "{}", stderr(&out));
    std::fs::write(dir.path().join("gonogo.toml"), example_text()).unwrap();
    // A file with a key twice is read two ways: refused.
    let path = dir.path().join(&files[0]);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("{", "{\"seed\": \"0x1\",", 1)).unwrap();
    let out = merged(dir.path(), &files);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains(&files[0]), "{}", stderr(&out));
}

#[test]
fn shard_flags_are_checked() {
    let dir = project(&example_text());
    for args in [
        vec!["check", "--shard", "1/2"],
        vec!["check", "--exhaustive", "--shard", "0/2"],
        vec!["check", "--exhaustive", "--shard", "3/2"],
        vec!["check", "--exhaustive", "--shard", "1"],
    ] {
        let out = gonogo(dir.path(), &args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stdout(&out));
    }
}

/// The gate merges shard files as its exhaustive run: the same evidence
/// (and verdict) as the gate running the whole domain, the shard files
/// recorded with their digests; the proof verifies.
#[test]
fn the_gate_merges_shards_into_one_proof() {
    for target in [
        "[target]\nkind = \"policy\"",
        "[target]\nkind = \"mutant\"\nmutant = \"tenant_case_insensitive\"",
    ] {
        let text = example_with_target(target).replace("[check]\n", "[check]\nexhaustive = true\n");
        let dir = project(&text);
        let whole = gonogo(dir.path(), &["gate", "--out", "whole.json"]);
        let files = shards(dir.path(), 3, &[]);
        let mut args = vec!["gate", "--out", "sharded.json", "--shards"];
        args.extend(files.iter().map(String::as_str));
        let sharded = gonogo(dir.path(), &args);
        assert_eq!(
            code(&sharded),
            code(&whole),
            "{target}: {}",
            stderr(&sharded)
        );
        let read = |f: &str| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(f)).unwrap()).unwrap()
        };
        let (w, s) = (read("whole.json"), read("sharded.json"));
        let props = |v: &serde_json::Value| v["predicate"]["checks"][0]["evidence"].clone();
        let (mut we, mut se) = (props(&w), props(&s));
        assert_eq!(
            se["exhaustive_shards"].as_array().unwrap().len(),
            3,
            "{se:#}"
        );
        se.as_object_mut().unwrap().remove("exhaustive_shards");
        // The random runs draw from the gate's own seed: compare the
        // exhaustive evidence, and the verdicts.
        for e in [&mut we, &mut se] {
            e.as_object_mut().unwrap().remove("properties");
        }
        assert_eq!(se, we, "{target}");
        assert_eq!(s["predicate"]["verdict"], w["predicate"]["verdict"]);
        let out = gonogo(dir.path(), &["verify", "sharded.json", "--any-commit"]);
        assert_eq!(code(&out), code(&whole), "{}{}", stdout(&out), stderr(&out));
    }
    // Shards without `[check] exhaustive` in the config: refused.
    let dir = project(&example_text());
    let files = shards(dir.path(), 2, &[]);
    let out = gonogo(dir.path(), &["gate", "--shards", &files[0], &files[1]]);
    assert_eq!(code(&out), 2);
}
