//! Closure and order checks on the scope lattice, the declared policy's
//! decisions, and random cases per second for each property on the declared
//! policy of `examples/saas`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gonogo::Property;
use gonogo::generate::Domain;
use gonogo::model::{Config, Lattice, ScopeSet};
use gonogo::runner::{Options, run_property};
use gonogo::targets::PolicyTarget;
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

criterion_group!(benches, lattice, policy, properties);
criterion_main!(benches);
