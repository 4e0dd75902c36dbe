//! Closure and order checks on the scope lattice, the declared policy's
//! decisions, random cases per second for each property on the declared
//! policy of `examples/saas`, the same monotonicity property written as a
//! plain proptest test beside the harness's, and exhaustive checks of 12, 16
//! and 20 scopes on one thread.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gonogo::Property;
use gonogo::generate::Domain;
use gonogo::model::{Config, Lattice, ScopeSet};
use gonogo::runner::exhaustive::{self, Enumeration};
use gonogo::runner::{Options, run_property};
use gonogo::targets::PolicyTarget;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

fn saas() -> Config {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/gonogo.toml")).unwrap()
}

/// A chain-and-fan catalog of `n` scopes: `s<i>` implies `s<i-1>` and `s<i/2>`.
fn catalog(n: usize) -> Lattice {
    let entries: Vec<(String, Vec<String>)> = (0..n)
        .map(|i| {
            let implied = if i == 0 {
                vec![]
            } else {
                vec![format!("s{:03}", i - 1), format!("s{:03}", i / 2)]
            };
            (format!("s{i:03}"), implied)
        })
        .collect();
    Lattice::new(&entries).unwrap()
}

fn lattice(c: &mut Criterion) {
    let mut g = c.benchmark_group("lattice");
    for n in [16usize, 64, 128] {
        let l = catalog(n);
        let sets: Vec<ScopeSet> = (0..256u64)
            .map(|k| {
                ScopeSet(
                    (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) as u128)
                        & l.all().0
                        & 0x5555_5555_5555_5555_5555_5555_5555_5555,
                )
            })
            .collect();
        g.throughput(Throughput::Elements(sets.len() as u64));
        g.bench_with_input(BenchmarkId::new("closure", n), &sets, |b, sets| {
            b.iter(|| {
                sets.iter()
                    .map(|s| l.closure(*s).0)
                    .fold(0u128, |a, x| a ^ x)
            })
        });
        g.bench_with_input(BenchmarkId::new("le", n), &sets, |b, sets| {
            b.iter(|| sets.windows(2).filter(|w| l.le(w[0], w[1])).count())
        });
    }
    g.finish();
}

fn policy(c: &mut Criterion) {
    let config = saas();
    let domain = Domain::new(config.model.clone());
    let requests: Vec<_> = (0..1000u32)
        .map(|i| {
            let spec = gonogo::generate::RequestSpec {
                authenticated: i % 10 != 0,
                scopes: vec![(i % 8) as usize, (i / 8 % 8) as usize],
                redundant: None,
                unknown_scope: None,
                resource: (i % 3) as usize,
                action: (i % 4) as usize,
                tenants: gonogo::generate::TenantPair::Any {
                    first: (i % 7) as usize,
                    offset: (i % 3) as usize,
                },
                resource_id: i,
                request_id: i as u64,
                time: i,
            };
            domain.request(&spec)
        })
        .collect();
    let mut g = c.benchmark_group("policy");
    g.throughput(Throughput::Elements(requests.len() as u64));
    g.bench_function("decide", |b| {
        b.iter(|| {
            requests
                .iter()
                .filter(|r| config.model.decide(black_box(r)).allow)
                .count()
        })
    });
    g.finish();
}

fn properties(c: &mut Criterion) {
    let config = saas();
    let domain = Arc::new(Domain::new(config.model.clone()));
    let cases = 1000u32;
    let mut g = c.benchmark_group("cases");
    g.throughput(Throughput::Elements(cases as u64));
    g.sample_size(20);
    for property in Property::ALL {
        let opts = Options::new(0x5eed, cases);
        g.bench_function(property.name(), |b| {
            b.iter(|| {
                let mut target = PolicyTarget::new(config.model.clone());
                run_property(&domain, &mut target, property, &opts).cases
            })
        });
    }
    g.finish();
}

/// Monotonicity as a user would write it with proptest alone: a random
/// request over the model's scopes, actions and tenants, the same request
/// with one more scope, both decided by the declared policy.
fn plain_proptest_monotonicity(model: &gonogo::Model, cases: u32, seed: u64) -> u32 {
    let scopes: Vec<String> = model.lattice.names().to_vec();
    let actions: Vec<(String, String)> = model
        .resources
        .iter()
        .flat_map(|r| r.actions.iter().map(|a| (r.name.clone(), a.name.clone())))
        .collect();
    let tenants = ["acme", "globex", "ACME", "acme ", ""];
    let n = scopes.len();
    let strategy = (
        prop::bool::weighted(0.9),
        prop::collection::vec(0..n, 0..=4),
        0..n,
        0..actions.len(),
        0..tenants.len(),
        0..tenants.len(),
        any::<u64>(),
    )
        .prop_map(move |(auth, held, extra, action, p, r, id)| {
            let (kind, action) = actions[action].clone();
            let lo = gonogo::Request {
                principal: gonogo::model::Principal {
                    authenticated: auth,
                    tenant: tenants[p].to_string(),
                    scopes: held.iter().map(|&s| scopes[s].clone()).collect(),
                },
                action,
                resource: gonogo::model::Resource {
                    kind,
                    tenant: tenants[r].to_string(),
                    id: format!("p-{}", id % 1000),
                },
                context: gonogo::model::Context {
                    request_id: format!("{id:016x}"),
                    time: "2026-03-01T12:00:00Z".to_string(),
                },
            };
            let mut hi = lo.clone();
            hi.principal.scopes.push(scopes[extra].clone());
            (lo, hi)
        });
    let config = RunnerConfig {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..RunnerConfig::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    runner
        .run(&strategy, |(lo, hi)| {
            let (a, b) = (model.decide(&lo), model.decide(&hi));
            prop_assert!(!a.allow || b.allow, "{lo:?} allowed, {hi:?} denied");
            Ok(())
        })
        .unwrap();
    cases
}

/// The harness against hand-written proptest, same property, same cases.
fn versus_proptest(c: &mut Criterion) {
    let config = saas();
    let domain = Arc::new(Domain::new(config.model.clone()));
    let cases = 2000u32;
    let mut g = c.benchmark_group("monotonicity");
    g.throughput(Throughput::Elements(cases as u64));
    g.sample_size(20);
    g.bench_function("plain_proptest_own_generator", |b| {
        b.iter(|| plain_proptest_monotonicity(&config.model, cases, 0x5eed))
    });
    // The same property over gonogo's own generator (adversarial tenants,
    // unknown actions and scopes, redundant scopes), run by proptest's
    // TestRunner: the harness's overhead, apples to apples.
    g.bench_function("plain_proptest_gonogo_generator", |b| {
        let strategy = gonogo::invariants::cases(domain.clone(), Property::Monotonicity);
        b.iter(|| {
            let config = RunnerConfig {
                cases,
                failure_persistence: None,
                rng_algorithm: RngAlgorithm::ChaCha,
                ..RunnerConfig::default()
            };
            let mut runner = TestRunner::new_with_rng(
                config,
                TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
            );
            runner
                .run(&strategy, |case| {
                    let decisions: Vec<_> = case.iter().map(|r| domain.model.decide(r)).collect();
                    let held = gonogo::invariants::check(
                        Property::Monotonicity,
                        &domain.model,
                        &case,
                        &decisions,
                    );
                    prop_assert!(held.is_ok());
                    Ok(())
                })
                .unwrap();
        })
    });
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    g.bench_function("gonogo_harness_one_thread", |b| {
        let opts = Options::new(0x5eed, cases);
        b.iter(|| {
            one.install(|| {
                let mut target = PolicyTarget::new(config.model.clone());
                run_property(&domain, &mut target, Property::Monotonicity, &opts).cases
            })
        })
    });
    g.bench_function("gonogo_harness", |b| {
        let opts = Options::new(0x5eed, cases);
        b.iter(|| {
            let mut target = PolicyTarget::new(config.model.clone());
            run_property(&domain, &mut target, Property::Monotonicity, &opts).cases
        })
    });
    g.finish();
}

/// A model of `n` scopes as `n / 2` read ≤ write pairs, 3 resource types of
/// 3 actions each (read, write, and delete needing two writes).
fn scaled_model(n: usize) -> gonogo::Model {
    let mut text = String::from("[scopes]\n");
    for k in 0..n / 2 {
        text.push_str(&format!(
            "\"a{k:02}:read\" = []\n\"a{k:02}:write\" = [\"a{k:02}:read\"]\n"
        ));
    }
    text.push_str(
        "[tenants]\ncross_tenant_scopes = [\"a00:read\"]\nids = [\"acme\", \"globex\"]\n",
    );
    for r in 0..3 {
        let (x, y) = (r % (n / 2), (r + 1) % (n / 2));
        text.push_str(&format!(
            "[resources.r{r}]\nread = \"a{x:02}:read\"\nwrite = \"a{x:02}:write\"\ndelete = [\"a{x:02}:write\", \"a{y:02}:write\"]\n"
        ));
    }
    for (code, status) in [
        ("unauthenticated", 401),
        ("unknown_action", 400),
        ("tenant_mismatch", 404),
        ("insufficient_scope", 403),
    ] {
        text.push_str(&format!(
            "[[reasons]]\ncode = \"{code}\"\nstatus = {status}\n"
        ));
    }
    text.push_str("[target]\nkind = \"policy\"\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gonogo.toml");
    std::fs::write(&path, text).unwrap();
    Config::load(&path).unwrap().model
}

/// Exhaustive checks of the declared policy on one thread: monotonicity
/// alone and every property, down-closed sets (what `check --exhaustive`
/// runs on a policy) and raw lists (what it runs on any other target).
fn exhaustive_checks(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut g = c.benchmark_group("exhaustive");
    g.sample_size(10);
    for n in [12usize, 16, 20] {
        let model = scaled_model(n);
        let domain = Arc::new(Domain::new(model.clone()));
        let mut runs = vec![
            (
                "monotonicity_down_closed",
                Enumeration::DownClosed,
                vec![Property::Monotonicity],
            ),
            (
                "all_down_closed",
                Enumeration::DownClosed,
                Property::ALL.to_vec(),
            ),
        ];
        if n <= 16 {
            runs.push((
                "monotonicity_raw",
                Enumeration::Raw,
                vec![Property::Monotonicity],
            ));
        }
        for (name, enumeration, properties) in runs {
            let mut opts = Options::new(0x5eed, 1);
            opts.properties = properties;
            let requests = exhaustive::Space::new(&domain, enumeration, u128::MAX)
                .unwrap()
                .requests() as u64;
            g.throughput(Throughput::Elements(requests));
            g.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter(|| {
                    pool.install(|| {
                        let report = exhaustive::check(
                            &domain,
                            exhaustive::Subject::DeclaredPolicy,
                            &opts,
                            Some(enumeration),
                            u128::MAX,
                        )
                        .unwrap();
                        assert_eq!(report.verdict(), gonogo::Verdict::Go);
                    })
                })
            });
        }
    }
    g.finish();
}

criterion_group!(
    benches,
    lattice,
    policy,
    properties,
    versus_proptest,
    exhaustive_checks
);
criterion_main!(benches);
