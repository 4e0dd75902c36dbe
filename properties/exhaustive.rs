//! `check --exhaustive` against a brute-force reference, on random small
//! models: the reference enumerates the same domain by itself (every subset
//! of the scope names, or those equal to their naive closure; every action,
//! an unknown one per type and one on an unknown type; every ordered pair of
//! the tenant ids the report lists), asks every request one by one and calls
//! the property functions on every case. It shares no code with the engine
//! (no `Space`, no bitsets, no block layout): the word-parallel, blocked,
//! parallel engine must reach the same verdict per property with the same
//! number of cases.

use gonogo::generate::Domain;
use gonogo::invariants::{self, Property};
use gonogo::model::{Cause, Config, Context, Decision, Model, Principal, Request, Resource};
use gonogo::reference;
use gonogo::report::Status;
use gonogo::runner::Options;
use gonogo::runner::exhaustive::{self, Enumeration, Subject};
use gonogo::targets::{Mutant, PolicyTarget, Target, TargetExt};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The scope declarations of a model: each scope with what it implies.
type Entries = Vec<(String, Vec<String>)>;

/// A small random model: up to 4 scopes (`s0 … s3`, each implying only
/// lower ones), one or two resource types with one or two actions, a random
/// cross-tenant set and a random catalog order; with its scope declarations.
fn model() -> impl Strategy<Value = (Model, Entries)> {
    (
        1usize..=4,
        prop::collection::vec(any::<u8>(), 4),
        any::<u8>(),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 1..=2), 1..=2),
        Just([
            "unauthenticated",
            "unknown_action",
            "tenant_mismatch",
            "insufficient_scope",
        ])
        .prop_shuffle(),
    )
        .prop_map(|(n, implies, cross, resources, order)| {
            let mut text = String::from("[scopes]\n");
            let mut entries: Entries = Vec::new();
            for (i, bits) in implies.iter().enumerate().take(n) {
                let below: Vec<String> = (0..i)
                    .filter(|j| bits >> j & 1 == 1)
                    .map(|j| format!("s{j}"))
                    .collect();
                let quoted: Vec<String> = below.iter().map(|b| format!("\"{b}\"")).collect();
                text.push_str(&format!("s{i} = [{}]\n", quoted.join(", ")));
                entries.push((format!("s{i}"), below));
            }
            let cross: Vec<String> = (0..n)
                .filter(|j| cross >> j & 1 == 1 && cross & 0x80 != 0)
                .map(|j| format!("\"s{j}\""))
                .collect();
            text.push_str(&format!(
                "[tenants]\ncross_tenant_scopes = [{}]\nids = [\"acme\", \"globex\"]\n",
                cross.join(", ")
            ));
            for (r, actions) in resources.iter().enumerate() {
                text.push_str(&format!("[resources.r{r}]\n"));
                for (a, req) in actions.iter().enumerate() {
                    let needed: Vec<String> = (0..n)
                        .filter(|j| req >> j & 1 == 1)
                        .map(|j| format!("\"s{j}\""))
                        .collect();
                    text.push_str(&format!("a{a} = [{}]\n", needed.join(", ")));
                }
            }
            let statuses = [401, 400, 404, 403];
            for code in order {
                let i = [
                    "unauthenticated",
                    "unknown_action",
                    "tenant_mismatch",
                    "insufficient_scope",
                ]
                .iter()
                .position(|c| *c == code)
                .unwrap();
                text.push_str(&format!(
                    "[[reasons]]\ncode = \"{code}\"\nstatus = {}\n",
                    statuses[i]
                ));
            }
            text.push_str("[target]\nkind = \"policy\"\n");
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("gonogo.toml");
            std::fs::write(&path, &text).unwrap();
            let model = Config::load(&path)
                .unwrap_or_else(|e| panic!("{e}\n{text}"))
                .model;
            (model, entries)
        })
}

/// The reference's domain, enumerated by hand.
struct Naive {
    /// The declared scope names, in declaration order.
    names: Vec<String>,
    /// Scope name lists, as subsets of the declared names in declaration order.
    sets: Vec<Vec<String>>,
    /// (resource type, action).
    actions: Vec<(String, String)>,
    tenants: Vec<String>,
}

impl Naive {
    fn new(
        model: &Model,
        entries: &Entries,
        enumeration: Enumeration,
        tenants: &[String],
    ) -> Naive {
        let names: Vec<String> = entries.iter().map(|(s, _)| s.clone()).collect();
        let mut sets = Vec::new();
        for mask in 0..1usize << names.len() {
            let set: Vec<String> = (0..names.len())
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| names[i].clone())
                .collect();
            let named: BTreeSet<String> = set.iter().cloned().collect();
            if enumeration == Enumeration::DownClosed
                && reference::closure(entries, &named) != named
            {
                continue;
            }
            sets.push(set);
        }
        let mut actions = Vec::new();
        for r in &model.resources {
            for a in &r.actions {
                actions.push((r.name.clone(), a.name.clone()));
            }
            actions.push((r.name.clone(), "purge".to_string()));
        }
        let first = &model.resources[0];
        actions.push(("no_such_type".to_string(), first.actions[0].name.clone()));
        Naive {
            names,
            sets,
            actions,
            tenants: tenants.to_vec(),
        }
    }

    /// A request of the domain; `variant`: the scopes reversed with the
    /// first repeated, another context and resource id.
    fn request(
        &self,
        authenticated: bool,
        action: usize,
        (p, r): (usize, usize),
        set: &[String],
        variant: bool,
    ) -> Request {
        let (kind, action) = &self.actions[action];
        let mut scopes = set.to_vec();
        if variant {
            scopes.reverse();
            if let Some(first) = scopes.first().cloned() {
                scopes.push(first);
            }
        }
        Request {
            principal: Principal {
                authenticated,
                tenant: self.tenants[p].clone(),
                scopes,
            },
            action: action.clone(),
            resource: Resource {
                kind: kind.clone(),
                tenant: self.tenants[r].clone(),
                id: if variant { "other-id" } else { "the-id" }.to_string(),
            },
            context: Context {
                request_id: if variant { "1" } else { "0" }.to_string(),
                time: if variant {
                    "2026-03-02T12:00:00Z"
                } else {
                    "2026-03-01T00:00:00Z"
                }
                .to_string(),
            },
        }
    }
}

/// The properties the reference checks, each written here again by hand. A
/// new property needs its brute force added to [`brute_force`] (the
/// reference shares no code with the engine, so nothing does it for you).
const REFERENCE: [Property; 5] = [
    Property::Monotonicity,
    Property::Isolation,
    Property::Determinism,
    Property::Conformance,
    Property::Symmetry,
];

#[test]
fn the_reference_checks_every_property() {
    for p in Property::ALL {
        assert!(
            REFERENCE.contains(&p),
            "the brute-force reference does not check `{p}`: add it to `brute_force` and `REFERENCE`"
        );
    }
}

/// Per property: whether the brute force found a violation, and its case count.
fn brute_force(
    model: &Model,
    naive: &Naive,
    target: &mut dyn Target,
) -> HashMap<Property, (bool, u64)> {
    let t = naive.tenants.len();
    let mut out: HashMap<Property, (bool, u64)> =
        REFERENCE.iter().map(|&p| (p, (false, 0))).collect();
    let mut ask = |r: &Request| target.decide(r).unwrap();
    let hit = |out: &mut HashMap<Property, (bool, u64)>,
               p: Property,
               case: &[Request],
               d: &[Decision]| {
        let entry = out.get_mut(&p).unwrap();
        match invariants::check(p, model, case, d) {
            Err(_) => {
                entry.0 = true;
                entry.1 += 1;
            }
            Ok(invariants::Held::Checked) => entry.1 += 1,
            // No target of this reference skips.
            Ok(invariants::Held::Vacuous | invariants::Held::Skipped) => {}
        }
    };
    let known: BTreeSet<&Vec<String>> = naive.sets.iter().collect();
    let mut first_denial: HashMap<gonogo::model::Causes, (Request, Decision)> = HashMap::new();
    for authenticated in [true, false] {
        for action in 0..naive.actions.len() {
            for p in 0..t {
                for r in 0..t {
                    for set in &naive.sets {
                        let req = naive.request(authenticated, action, (p, r), set, false);
                        let d = ask(&req);
                        hit(
                            &mut out,
                            Property::Conformance,
                            std::slice::from_ref(&req),
                            std::slice::from_ref(&d),
                        );
                        hit(
                            &mut out,
                            Property::Isolation,
                            std::slice::from_ref(&req),
                            std::slice::from_ref(&d),
                        );
                        // Symmetry: against the first pair of the same kind.
                        if (p, r) != (0, 0) && (p, r) != (0, 1) {
                            let reference = if p == r { (0, 0) } else { (0, 1) };
                            let rq = naive.request(authenticated, action, reference, set, false);
                            let rd = ask(&rq);
                            hit(
                                &mut out,
                                Property::Symmetry,
                                &[rq, req.clone()],
                                &[rd, d.clone()],
                            );
                        }
                        // Determinism: the variant, then the domain's first
                        // denial with the same causes.
                        let v = naive.request(authenticated, action, (p, r), set, true);
                        let vd = ask(&v);
                        let entry = out.get_mut(&Property::Determinism).unwrap();
                        entry.1 += 1;
                        let mut broken = invariants::check(
                            Property::Determinism,
                            model,
                            &[req.clone(), v],
                            &[d.clone(), vd],
                        )
                        .is_err();
                        if !d.allow {
                            let causes = model.causes(&req);
                            match first_denial.get(&causes) {
                                None => {
                                    first_denial.insert(causes, (req.clone(), d.clone()));
                                }
                                Some((fr, fd)) => {
                                    broken |= invariants::check(
                                        Property::Determinism,
                                        model,
                                        &[fr.clone(), req.clone()],
                                        &[fd.clone(), d.clone()],
                                    )
                                    .is_err();
                                }
                            }
                        }
                        let entry = out.get_mut(&Property::Determinism).unwrap();
                        entry.0 |= broken;
                        // Monotonicity: S against S plus one more scope name,
                        // where the domain holds both.
                        for extra in &naive.names {
                            if set.contains(extra) {
                                continue;
                            }
                            let mut up = set.clone();
                            up.push(extra.clone());
                            up.sort_by_key(|s| naive.names.iter().position(|n| n == s));
                            if !known.contains(&up) {
                                continue;
                            }
                            let hi = naive.request(authenticated, action, (p, r), &up, false);
                            let hd = ask(&hi);
                            let entry = out.get_mut(&Property::Monotonicity).unwrap();
                            entry.1 += 1;
                            entry.0 |= invariants::check(
                                Property::Monotonicity,
                                model,
                                &[req.clone(), hi],
                                &[d.clone(), hd],
                            )
                            .is_err();
                        }
                    }
                }
            }
        }
    }
    out
}

/// Targets to compare on: the declared policy, every mutant (forked onto
/// threads), and a closure target (asked on one thread) whose reason for
/// two causes depends on the action, so that only requests of different
/// blocks disagree.
fn targets(model: &Model) -> Vec<(String, Box<dyn TargetExt + Send>)> {
    // `policy`: the declared policy evaluated on bitsets; `policy-asked`:
    // the same policy as any other target, asked request by request.
    let mut out: Vec<(String, Box<dyn TargetExt + Send>)> = vec![
        ("policy".into(), Box::new(PolicyTarget::new(model.clone()))),
        (
            "policy-asked".into(),
            Box::new(PolicyTarget::new(model.clone())),
        ),
    ];
    for m in Mutant::ALL {
        out.push((m.name().into(), Box::new(m.target(model.clone()))));
    }
    let m = model.clone();
    out.push((
        "reason_by_action".into(),
        Box::new(move |r: &Request| {
            let causes = m.causes(r);
            if causes.contains(Cause::TenantMismatch)
                && causes.contains(Cause::InsufficientScope)
                && r.action.ends_with('1')
            {
                let status = m.catalog.status_of("insufficient_scope").unwrap();
                return Decision::deny("insufficient_scope", status);
            }
            m.decide(r)
        }),
    ));
    out
}

fn compare((model, entries): (Model, Entries)) -> Result<(), TestCaseError> {
    let domain = Arc::new(Domain::new(model.clone()));
    for (name, mut target) in targets(&model) {
        for enumeration in [Enumeration::Raw, Enumeration::DownClosed] {
            if enumeration == Enumeration::DownClosed && name != "policy" {
                continue;
            }
            let opts = Options::new(1, 1);
            let subject = if name == "policy" {
                Subject::DeclaredPolicy
            } else {
                Subject::Target(target.as_mut())
            };
            let report =
                exhaustive::check(&domain, subject, &opts, Some(enumeration), u128::MAX).unwrap();
            let summary = report.exhaustive.as_ref().unwrap();
            for declared in &model.tenant_ids {
                prop_assert!(
                    summary.tenants.contains(declared),
                    "{} is enumerated",
                    declared
                );
            }
            let naive = Naive::new(&model, &entries, enumeration, &summary.tenants);
            prop_assert_eq!(summary.scope_sets, naive.sets.len() as u64);
            prop_assert_eq!(summary.actions, naive.actions.len() as u64);
            let reference = brute_force(&model, &naive, target.as_mut());
            // A small raw domain is enumerated once per unknown scope name
            // as well (the reference asks declared names only): each
            // property's cases scale by that factor.
            let t = summary.tenants.len() as u64;
            let factor = summary.requests / (summary.scope_sets * summary.actions * t * t * 2);
            for p in REFERENCE {
                let got = report.property(p.name()).unwrap();
                prop_assert_ne!(
                    got.status,
                    Status::Error,
                    "{} {:?}: {:?}",
                    name,
                    p,
                    got.message
                );
                let (broken, cases) = reference[&p];
                prop_assert_eq!(
                    got.status == Status::Fail,
                    broken,
                    "{} {:?} {:?}: exhaustive says {:?}",
                    name,
                    enumeration,
                    p,
                    got.status
                );
                prop_assert_eq!(
                    got.cases,
                    cases * factor,
                    "{} {:?} {:?} cases",
                    name,
                    enumeration,
                    p
                );
            }
        }
    }
    Ok(())
}

#[test]
fn exhaustive_agrees_with_brute_force_on_random_models() {
    let config = RunnerConfig {
        cases: 12,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    runner.run(&model(), compare).unwrap();
}

/// Issue 17: `check --exhaustive --shard K/N` then `gonogo merge`. On random
/// models and every target, for several N: the shards' blocks are disjoint
/// and cover the domain exactly, and the merged report is the unsharded one
/// (same JSON: verdict, cases, counterexamples, mismatches, summary).
fn shards_merge_to_the_unsharded_run((model, _): (Model, Entries)) -> Result<(), TestCaseError> {
    let domain = Arc::new(Domain::new(model.clone()));
    fn subject<'a>(name: &str, t: &'a mut Box<dyn TargetExt + Send>) -> Subject<'a> {
        if name == "policy" {
            Subject::DeclaredPolicy
        } else {
            Subject::Target(t.as_mut())
        }
    }
    for (name, mut target) in targets(&model) {
        let mut opts = Options::new(7, 1);
        opts.corpus_dir = None;
        let whole = exhaustive::check(&domain, subject(&name, &mut target), &opts, None, u128::MAX)
            .unwrap();
        let whole = serde_json::to_value(&whole).unwrap();
        for n in [1u32, 2, 3, 5] {
            let mut shards = Vec::new();
            for k in 1..=n {
                let shard = exhaustive::Shard { index: k, count: n };
                let s = exhaustive::check_shard(
                    &domain,
                    subject(&name, &mut target),
                    &opts,
                    None,
                    u128::MAX,
                    shard,
                    "sha256:t",
                )
                .unwrap();
                // Through the file format: what `gonogo merge` reads.
                let s: exhaustive::ShardReport =
                    serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
                shards.push(s);
            }
            let mut seen: Vec<usize> = shards
                .iter()
                .flat_map(|s| s.blocks.iter().map(|b| b.block))
                .collect();
            let total = shards[0].blocks_total;
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..total).collect::<Vec<_>>(), "{} N={}", name, n);
            // Shards given in any order merge the same.
            shards.reverse();
            let merged = exhaustive::merge_shards(
                &domain,
                subject(&name, &mut target),
                &opts,
                u128::MAX,
                "sha256:t",
                shards,
                None,
            )
            .unwrap();
            prop_assert_eq!(
                serde_json::to_value(&merged).unwrap(),
                whole.clone(),
                "{} N={}",
                name,
                n
            );
        }
    }
    Ok(())
}

#[test]
fn sharded_exhaustive_runs_merge_to_the_unsharded_one_on_random_models() {
    let config = RunnerConfig {
        cases: 8,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    runner
        .run(&model(), shards_merge_to_the_unsharded_run)
        .unwrap();
}
