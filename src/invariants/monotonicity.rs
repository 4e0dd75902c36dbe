//! `monotonicity`: for requests that differ only in the principal's scopes,
//! S ≤ S' and allow(S) imply allow(S').

use super::exhaustive::{Findings, Table};
use super::{Definition, Held, Property, Violation, access, scope_list, violation};
use crate::generate::space::Covers;
use crate::generate::{Domain, requests::request_spec};
use crate::model::{Decision, Model, Request};
use crate::reason::Reason;
use proptest::prelude::*;
use std::sync::Arc;

/// The property's definition.
pub(super) const DEFINITION: Definition = Definition {
    name: "monotonicity",
    statement: "For two requests that differ only in the principal's scopes, where the second's scopes imply at least the first's (S ≤ S' in the scope order), an allow for the first implies an allow for the second: gaining a scope never loses an access.",
    reason: Reason::MonotonicityViolated,
    arity: Some(2),
    check,
    cases,
    exhaustive,
    variants: false,
    note: |_| {
        Some(
            "checked on covering pairs (S, S ∪ {s}), both ways where S already implies s: \
             this implies monotonicity for every pair S ≤ S'",
        )
    },
};

/// A case is a pair `[a, b]`; both directions are checked where the order holds.
fn check(model: &Model, requests: &[Request], decisions: &[Decision]) -> Result<Held, Violation> {
    let [a, b] = requests else {
        return Ok(Held::Vacuous);
    };
    let (da, db) = (&decisions[0], &decisions[1]);
    if !same_but_scopes(a, b) {
        return Ok(Held::Vacuous);
    }
    let lattice = &model.lattice;
    let (ca, cb) = (
        lattice.closure_of_names(&a.principal.scopes),
        lattice.closure_of_names(&b.principal.scopes),
    );
    let mut held = Held::Vacuous;
    for (lo, hi, dlo, dhi, clo, chi) in [(a, b, da, db, ca, cb), (b, a, db, da, cb, ca)] {
        if !clo.is_subset(chi) {
            continue;
        }
        held = Held::Checked;
        if dlo.allow && !dhi.allow {
            let explanation = format!(
                "scopes {} are allowed {} but {}, which imply at least as much, are denied ({})",
                scope_list(&lo.principal.scopes),
                access(lo),
                scope_list(&hi.principal.scopes),
                dhi.summary()
            );
            return Err(violation(
                Property::Monotonicity,
                &[lo, hi],
                &[dlo, dhi],
                explanation,
            ));
        }
    }
    Ok(held)
}

fn same_but_scopes(a: &Request, b: &Request) -> bool {
    a.action == b.action
        && a.resource == b.resource
        && a.context == b.context
        && a.principal.authenticated == b.principal.authenticated
        && a.principal.tenant == b.principal.tenant
}

/// Covering pairs `[S, S ∪ {s}]`: enough for every pair (any violation of
/// `S ≤ S'` has one on a chain of single additions), and both directions are
/// checked when `s` is already implied by `S`.
fn cases(domain: Arc<Domain>) -> BoxedStrategy<Vec<Request>> {
    let n = domain.scope_count().max(1);
    let d = domain.clone();
    (request_spec(&domain), 0..n)
        .prop_map(move |(spec, extra)| {
            let lo = d.request(&spec);
            let mut hi = lo.clone();
            if !d.model.lattice.is_empty() {
                hi.principal
                    .scopes
                    .push(d.model.lattice.name(extra).to_string());
            }
            vec![lo, hi]
        })
        .boxed()
}

/// Per tenant pair, the first covering pair of sets that breaks the order.
fn exhaustive(t: &Table<'_>) -> Findings {
    let n = t.sets();
    let mut out = Findings {
        cases: t.covers.count() * t.space.pairs() as u64,
        ..Findings::default()
    };
    for pair in 0..t.space.pairs() {
        let table = &t.codes[pair * n..(pair + 1) * n];
        if let Some((lo, hi)) = first_violation(t.covers, table) {
            let (lo, hi) = (pair * n + lo, pair * n + hi);
            out.first = Some((lo.min(hi), t.witness(&[(lo, false), (hi, false)])));
            break;
        }
    }
    out
}

/// The first covering pair `(lo, hi)` of one tenant pair's codes where `lo`
/// is allowed and `hi` is not, `lo` the lower index first.
fn first_violation(covers: &Covers, codes: &[u32]) -> Option<(usize, usize)> {
    match covers {
        Covers::Raw { scopes, implied } => raw_violation(*scopes, implied, codes),
        Covers::DownClosed { offsets, above } => {
            for i in 0..codes.len() {
                if codes[i] != 0 {
                    continue;
                }
                let row = &above[offsets[i] as usize..offsets[i + 1] as usize];
                if let Some(&j) = row.iter().find(|&&j| codes[j as usize] != 0) {
                    return Some((i, j as usize));
                }
            }
            None
        }
    }
}

/// For bit `s < 6` of a position: the positions of a word whose bit `s` is 0.
const LOW: [u64; 6] = [
    0x5555_5555_5555_5555,
    0x3333_3333_3333_3333,
    0x0f0f_0f0f_0f0f_0f0f,
    0x00ff_00ff_00ff_00ff,
    0x0000_ffff_0000_ffff,
    0x0000_0000_ffff_ffff,
];

/// Monotonicity over raw sets, 64 sets per word: for each scope `s`, sets
/// without `s` against the same sets with `s`, forward always, backward where
/// the set already implies `s` (then the two closures are equal).
fn raw_violation(scopes: usize, implied: &[Vec<u64>], codes: &[u32]) -> Option<(usize, usize)> {
    let n = codes.len();
    let words = n.div_ceil(64);
    let mut allow = vec![0u64; words];
    for (i, &c) in codes.iter().enumerate() {
        allow[i / 64] |= u64::from(c == 0) << (i % 64);
    }
    let valid = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    // The smallest (set, scope) found, as (lo, hi).
    let mut best: Option<(usize, usize, usize)> = None;
    for s in 0..scopes {
        let found = if s < 6 {
            let shift = 1usize << s;
            (0..words).find_map(|k| {
                let w = allow[k];
                let up = w >> shift;
                let m = LOW[s] & valid;
                let forward = w & !up & m;
                let backward = up & !w & m & implied[s][k];
                let v = forward | backward;
                (v != 0).then(|| {
                    let p = k * 64 + v.trailing_zeros() as usize;
                    if forward >> (p % 64) & 1 == 1 {
                        (p, p + shift)
                    } else {
                        (p + shift, p)
                    }
                })
            })
        } else {
            let stride = 1usize << (s - 6);
            (0..words).filter(|k| k & stride == 0).find_map(|k| {
                let (lo, hi) = (allow[k], allow[k + stride]);
                let forward = lo & !hi;
                let backward = hi & !lo & implied[s][k];
                let v = forward | backward;
                (v != 0).then(|| {
                    let p = k * 64 + v.trailing_zeros() as usize;
                    if forward >> (p % 64) & 1 == 1 {
                        (p, p + (1 << s))
                    } else {
                        (p + (1 << s), p)
                    }
                })
            })
        };
        if let Some((lo, hi)) = found {
            let key = lo.min(hi);
            if best.is_none_or(|(k, _, _)| key < k) {
                best = Some((key, lo, hi));
            }
        }
    }
    best.map(|(_, lo, hi)| (lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition: the first (set, scope) in order whose covering
    /// pair breaks monotonicity.
    fn plain(
        n: usize,
        closure: &dyn Fn(usize) -> usize,
        allowed: &dyn Fn(usize) -> bool,
    ) -> Option<(usize, usize)> {
        for set in 0..1usize << n {
            for s in 0..n {
                if set >> s & 1 == 1 {
                    continue;
                }
                let hi = set | 1 << s;
                if allowed(set) && !allowed(hi) {
                    return Some((set, hi));
                }
                if closure(set) >> s & 1 == 1 && allowed(hi) && !allowed(set) {
                    return Some((hi, set));
                }
            }
        }
        None
    }

    fn implied(n: usize, closure: &dyn Fn(usize) -> usize) -> Vec<Vec<u64>> {
        (0..n)
            .map(|s| {
                let mut bits = vec![0u64; (1usize << n).div_ceil(64)];
                for set in 0..1usize << n {
                    if set >> s & 1 == 0 && closure(set) >> s & 1 == 1 {
                        bits[set / 64] |= 1 << (set % 64);
                    }
                }
                bits
            })
            .collect()
    }

    /// Every allow pattern of 3 scopes where `c` implies `a`.
    #[test]
    fn raw_violation_agrees_with_the_definition_on_every_small_pattern() {
        let closure = |set: usize| if set & 4 != 0 { set | 1 } else { set };
        let implied = implied(3, &closure);
        for pattern in 0u32..256 {
            let codes: Vec<u32> = (0..8).map(|i| u32::from(pattern >> i & 1 == 0)).collect();
            let allowed = |i: usize| codes[i] == 0;
            assert_eq!(
                raw_violation(3, &implied, &codes),
                plain(3, &closure, &allowed),
                "pattern {pattern:08b}"
            );
        }
    }

    /// 8 scopes (256 sets, four words: scopes 6 and 7 compare across words)
    /// with a chain `s7 → s6 → s0`, on allow patterns that are monotone but
    /// for one flipped set.
    #[test]
    fn raw_violation_agrees_with_the_definition_across_words() {
        let n = 8;
        let closure = |set: usize| {
            let mut c = set;
            if c & 1 << 7 != 0 {
                c |= 1 << 6;
            }
            if c & 1 << 6 != 0 {
                c |= 1;
            }
            c
        };
        let implied = implied(n, &closure);
        // Allowed iff the closure holds scopes 0 and 3: monotone.
        let base = |set: usize| closure(set) & 0b1001 == 0b1001;
        for flip in 0..1usize << n {
            let codes: Vec<u32> = (0..1usize << n)
                .map(|i| u32::from(base(i) == (i != flip)))
                .collect();
            let allowed = |i: usize| codes[i] == 0;
            assert_eq!(
                raw_violation(n, &implied, &codes),
                plain(n, &closure, &allowed),
                "flipped set {flip:08b}"
            );
        }
    }
}
