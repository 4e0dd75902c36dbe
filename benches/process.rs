//! Decisions per second through the process target against the same oracle
//! reading its input from a file with no harness at all. Both include the
//! oracle's start-up; the README records both and their ratio.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gonogo::Property;
use gonogo::generate::{Domain, requests::request_spec};
use gonogo::model::{Config, Request};
use gonogo::runner::{BATCH_CASES, Options, run_property};
use gonogo::targets::{ProcessTarget, Target, request_line};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const N: usize = 200_000;

fn saas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas")
}

fn requests(domain: &Domain) -> Vec<Request> {
    let strategy = request_spec(domain);
    let mut runner = TestRunner::new_with_rng(
        Default::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    (0..N)
        .map(|_| domain.request(&strategy.new_tree(&mut runner).unwrap().current()))
        .collect()
}

fn bench(c: &mut Criterion) {
    let config = Config::load(&saas_dir().join("gonogo.toml")).unwrap();
    let domain = Domain::new(config.model.clone());
    let requests = requests(&domain);
    let file = tempfile::NamedTempFile::new().unwrap();
    let lines: String = requests
        .iter()
        .enumerate()
        .map(|(i, r)| request_line(i as u64, r))
        .collect();
    std::fs::write(file.path(), lines).unwrap();
    let oracle = saas_dir().join("oracle.js").display().to_string();
    let command = vec!["node".to_string(), oracle.clone()];

    let mut g = c.benchmark_group("process");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(N as u64));
    g.bench_function("oracle_alone_from_file", |b| {
        b.iter(|| {
            let status = Command::new("node")
                .arg(&oracle)
                .stdin(std::fs::File::open(file.path()).unwrap())
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        })
    });
    g.bench_function("through_process_target", |b| {
        b.iter(|| {
            let mut target =
                ProcessTarget::spawn(&command, &saas_dir(), Duration::from_secs(10)).unwrap();
            for chunk in requests.chunks(BATCH_CASES) {
                target.decide_all(chunk).unwrap();
            }
        })
    });
    let domain = Arc::new(domain);
    g.bench_function("check_conformance_through_process_target", |b| {
        b.iter(|| {
            let mut target =
                ProcessTarget::spawn(&command, &saas_dir(), Duration::from_secs(10)).unwrap();
            let run = run_property(
                &domain,
                &mut target,
                Property::Conformance,
                &Options::new(1, N as u32),
            );
            assert_eq!(run.cases, N as u64);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
