//! The scope order: bitset closure, order, join, meet and covers against a
//! naive reference over names, on random acyclic catalogs.

use gonogo::model::{Lattice, ScopeSet};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// A random acyclic catalog: scope `s<i>` may imply only scopes `s<j>`, j < i
/// (names are zero-padded, so sorting keeps that order).
fn catalog() -> impl Strategy<Value = Vec<(String, Vec<String>)>> {
    (1usize..24).prop_flat_map(|n| {
        prop::collection::vec(prop::collection::vec(any::<prop::sample::Index>(), 0..4), n)
            .prop_map(move |edges| {
                edges
                    .into_iter()
                    .enumerate()
                    .map(|(i, targets)| {
                        let implied = if i == 0 {
                            Vec::new()
                        } else {
                            let set: BTreeSet<usize> = targets.iter().map(|t| t.index(i)).collect();
                            set.into_iter().map(|j| format!("s{j:02}")).collect()
                        };
                        (format!("s{i:02}"), implied)
                    })
                    .collect()
            })
    })
}

/// Naive closure: follow implications by name until nothing changes.
fn naive_closure(catalog: &[(String, Vec<String>)], start: &BTreeSet<String>) -> BTreeSet<String> {
    gonogo::reference::closure(catalog, start)
}

fn names(l: &Lattice, set: ScopeSet) -> BTreeSet<String> {
    l.names_of(set).into_iter().collect()
}

fn subset(l: &Lattice, picks: &[prop::sample::Index]) -> ScopeSet {
    picks
        .iter()
        .fold(ScopeSet::EMPTY, |s, p| s.with(p.index(l.len())))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn closure_matches_the_naive_fixpoint(cat in catalog(), picks in prop::collection::vec(any::<prop::sample::Index>(), 0..6)) {
        let l = Lattice::new(&cat).unwrap();
        let set = subset(&l, &picks);
        prop_assert_eq!(names(&l, l.closure(set)), naive_closure(&cat, &names(&l, set)));
        // The whole check the `lattice` fuzz target makes.
        prop_assert!(gonogo::reference::check_lattice(&cat, &[set]).is_ok());
    }

    #[test]
    fn closure_is_extensive_idempotent_and_monotone(cat in catalog(), a in prop::collection::vec(any::<prop::sample::Index>(), 0..6), b in prop::collection::vec(any::<prop::sample::Index>(), 0..6)) {
        let l = Lattice::new(&cat).unwrap();
        let (a, b) = (subset(&l, &a), subset(&l, &b));
        prop_assert!(a.is_subset(l.closure(a)));
        prop_assert_eq!(l.closure(l.closure(a)), l.closure(a));
        prop_assert!(l.closure(a).is_subset(l.closure(a.union(b))));
    }

    #[test]
    fn join_and_meet_are_least_and_greatest_bounds(cat in catalog(), a in prop::collection::vec(any::<prop::sample::Index>(), 0..6), b in prop::collection::vec(any::<prop::sample::Index>(), 0..6), c in prop::collection::vec(any::<prop::sample::Index>(), 0..6)) {
        let l = Lattice::new(&cat).unwrap();
        let (a, b, c) = (subset(&l, &a), subset(&l, &b), subset(&l, &c));
        let (j, m) = (l.join(a, b), l.meet(a, b));
        prop_assert!(l.is_down_closed(j) && l.is_down_closed(m));
        prop_assert!(l.le(a, j) && l.le(b, j));
        prop_assert!(l.le(m, a) && l.le(m, b));
        // Least: any upper bound of both is above the join; greatest likewise.
        if l.le(a, c) && l.le(b, c) { prop_assert!(l.le(j, c)); }
        if l.le(c, a) && l.le(c, b) { prop_assert!(l.le(c, m)); }
    }

    #[test]
    fn covers_generate_the_order(cat in catalog()) {
        let l = Lattice::new(&cat).unwrap();
        for i in 0..l.len() {
            // The closure of the Hasse diagram below i is the closure of i.
            let mut reached = ScopeSet::single(i);
            loop {
                let next = reached.iter().fold(reached, |acc, s| acc.union(l.covers(s)));
                if next == reached { break; }
                reached = next;
            }
            prop_assert_eq!(reached, l.down(i));
            // No cover is implied through another cover.
            for c in l.covers(i).iter() {
                for d in l.covers(i).iter() {
                    prop_assert!(c == d || !l.down(d).contains(c));
                }
            }
        }
    }
}

#[test]
fn cycles_anywhere_are_rejected() {
    let cat = vec![
        ("a".to_string(), vec!["b".to_string()]),
        ("b".to_string(), vec!["c".to_string()]),
        ("c".to_string(), vec!["d".to_string()]),
        ("d".to_string(), vec!["b".to_string()]),
    ];
    assert!(Lattice::new(&cat).is_err());
}
