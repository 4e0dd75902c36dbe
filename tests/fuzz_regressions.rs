//! Every fuzz target's seed corpus (`corpus/fuzz/<target>/`) and every crash
//! turned regression (`corpus/regressions/<target>/`, written by
//! `fuzz/nightly.sh`) replayed through the same functions the fuzz targets
//! call.

use std::path::Path;

#[test]
fn seeds_and_regressions_pass_every_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut replayed = 0;
    for (name, target) in gonogo::fuzzing::TARGETS {
        for dir in [
            root.join("fuzz").join(name),
            root.join("regressions").join(name),
        ] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
            files.sort();
            for f in files {
                let data = std::fs::read(&f).unwrap();
                let outcome = std::panic::catch_unwind(|| target(&data));
                assert!(outcome.is_ok(), "{name}: {} fails", f.display());
                replayed += 1;
            }
        }
    }
    assert!(
        replayed >= 2 * gonogo::fuzzing::TARGETS.len(),
        "only {replayed} inputs replayed"
    );
}
