//! The properties over one block of codes. A block is checked whole; what it
//! finds depends on the block alone, so blocks run on any thread in any order
//! and are merged in block order. Every witness found here is confirmed by
//! [`crate::invariants::check`] before it is reported.

use super::evaluate::{Codes, Facts};
use super::space::{Block, Enumeration, Space};
use crate::invariants::Property;
use crate::model::{Decision, ScopeSet};

/// Which points a witness is made of, with the decisions given to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    pub points: Vec<PointRef>,
    pub decisions: Vec<Decision>,
}

/// A point of the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointRef {
    /// Its block; `None`: the block the witness was found in.
    pub block: Option<usize>,
    /// Its index in the block.
    pub point: usize,
    /// The point's equivalent variant rather than the point itself.
    pub variant: bool,
}

impl PointRef {
    /// A point of the block at hand.
    pub fn here(point: usize, variant: bool) -> PointRef {
        PointRef {
            block: None,
            point,
            variant,
        }
    }
}

/// A block's answers.
pub struct Answers<'a> {
    /// The target's code for each point.
    pub codes: &'a [u32],
    /// The target's code for each point's variant, when variants were asked.
    pub variants: Option<&'a [u32]>,
    /// The declared policy's code for each point.
    pub expected: &'a [u32],
    /// The codes' decisions.
    pub table: &'a Codes,
    /// Per set: cause bits 1 and 2 (see [`Facts::scope_bits`]).
    pub scope_bits: &'a [u8],
}

/// What checking one block found.
#[derive(Debug, Clone, Default)]
pub struct BlockFindings {
    /// Cases checked, per property (indexed as [`Property::ALL`]).
    pub cases: [u64; Property::COUNT],
    /// The first witness per property, in point order.
    pub first: [Option<(usize, Witness)>; Property::COUNT],
    /// Per combination of causes: the first denied point and its decision.
    pub reps: [Option<(usize, Decision)>; 16],
    /// Per combination of causes: the first denied point whose decision
    /// differs from that of `reps`.
    pub conflicts: [Option<(usize, Decision)>; 16],
}

/// The index of a property in [`Property::ALL`].
pub fn slot(p: Property) -> usize {
    p.index()
}

/// What monotonicity needs of the order of the enumerated sets, computed
/// once per space.
pub enum Covers {
    /// Raw sets (set `i` is the bitmask `i`): for each scope `s`, the sets
    /// without `s` whose closure holds `s`, as a bitset over set indices.
    Raw {
        scopes: usize,
        implied: Vec<Vec<u64>>,
    },
    /// Down-closed sets: for each set, the indices of the down-closed sets one
    /// scope above it (compressed rows).
    DownClosed { offsets: Vec<u32>, above: Vec<u32> },
}

impl Covers {
    /// The covering pairs of a space.
    pub fn new(space: &Space, lattice: &crate::model::Lattice) -> Covers {
        let n = space.sets.len();
        match space.enumeration {
            Enumeration::Raw => {
                let words = n.div_ceil(64);
                let implied = (0..space.scopes)
                    .map(|s| {
                        let mut bits = vec![0u64; words];
                        for (i, (set, closure)) in
                            space.sets.iter().zip(&space.closures).enumerate()
                        {
                            if !set.contains(s) && closure.contains(s) {
                                bits[i / 64] |= 1 << (i % 64);
                            }
                        }
                        bits
                    })
                    .collect();
                Covers::Raw {
                    scopes: space.scopes,
                    implied,
                }
            }
            Enumeration::DownClosed => {
                let mut offsets = Vec::with_capacity(n + 1);
                let mut above = Vec::new();
                offsets.push(0);
                for &set in &space.sets {
                    for s in 0..space.scopes {
                        if set.contains(s)
                            || !lattice.down(s).minus(ScopeSet::single(s)).is_subset(set)
                        {
                            continue;
                        }
                        let j = space
                            .index_of(set.with(s))
                            .expect("a down-closed set plus a scope whose strict down-set it holds is down-closed");
                        above.push(j as u32);
                    }
                    offsets.push(above.len() as u32);
                }
                Covers::DownClosed { offsets, above }
            }
        }
    }

    /// Covering pairs per tenant pair and action.
    pub fn count(&self, sets: usize) -> u64 {
        match self {
            Covers::Raw { scopes, .. } if *scopes == 0 => 0,
            Covers::Raw { scopes, .. } => (*scopes as u64) << (*scopes - 1),
            Covers::DownClosed { above, .. } => {
                let _ = sets;
                above.len() as u64
            }
        }
    }

    /// The first covering pair `(lo, hi)` of one table where `lo` is allowed
    /// and `hi` is not, `lo` the lower index first.
    pub fn first_violation(&self, codes: &[u32]) -> Option<(usize, usize)> {
        match self {
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

/// Checks the selected properties on one block.
pub fn check_block(
    space: &Space,
    facts: &Facts,
    covers: &Covers,
    selected: &[Property],
    block: Block,
    answers: &Answers<'_>,
) -> BlockFindings {
    let mut out = BlockFindings::default();
    let n = space.sets.len();
    let codes = answers.codes;
    let decision = |p: usize| answers.table.decision(codes[p]).clone();
    let witness = |points: Vec<(usize, bool)>| {
        let decisions = points
            .iter()
            .map(|&(p, variant)| match (variant, answers.variants) {
                (true, Some(v)) => answers.table.decision(v[p]).clone(),
                _ => decision(p),
            })
            .collect();
        let points = points
            .into_iter()
            .map(|(p, variant)| PointRef::here(p, variant))
            .collect();
        Witness { points, decisions }
    };
    for &property in selected {
        let k = slot(property);
        match property {
            Property::Monotonicity => {
                out.cases[k] = covers.count(n) * space.pairs() as u64;
                for pair in 0..space.pairs() {
                    let table = &codes[pair * n..(pair + 1) * n];
                    if let Some((lo, hi)) = covers.first_violation(table) {
                        let (lo, hi) = (pair * n + lo, pair * n + hi);
                        out.first[k] = Some((lo.min(hi), witness(vec![(lo, false), (hi, false)])));
                        break;
                    }
                }
            }
            Property::Isolation => {
                let open = facts.crosses.iter().filter(|&&c| !c).count() as u64;
                for pair in (0..space.pairs()).filter(|&p| !space.same(p)) {
                    out.cases[k] += open;
                    if out.first[k].is_some() {
                        continue;
                    }
                    let hit = (0..n).find(|&i| !facts.crosses[i] && codes[pair * n + i] == 0);
                    if let Some(i) = hit {
                        let p = pair * n + i;
                        out.first[k] = Some((p, witness(vec![(p, false)])));
                    }
                }
            }
            Property::Conformance => {
                out.cases[k] = codes.len() as u64;
                if let Some(p) = (0..codes.len()).find(|&p| codes[p] != answers.expected[p]) {
                    out.first[k] = Some((p, witness(vec![(p, false)])));
                }
            }
            Property::Symmetry => {
                // A one-to-one renaming takes any pair of equal ids to any
                // other, and any pair of different ids to any other: every
                // pair must be decided as the first pair of its kind.
                let (ref_same, ref_other) = (0, 1);
                for pair in 2..space.pairs() {
                    out.cases[k] += n as u64;
                    if out.first[k].is_some() {
                        continue;
                    }
                    let reference = if space.same(pair) {
                        ref_same
                    } else {
                        ref_other
                    };
                    let hit = (0..n).find(|&i| codes[pair * n + i] != codes[reference * n + i]);
                    if let Some(i) = hit {
                        let p = pair * n + i;
                        out.first[k] =
                            Some((p, witness(vec![(reference * n + i, false), (p, false)])));
                    }
                }
            }
            Property::Determinism => {
                out.cases[k] = codes.len() as u64;
                for (p, &code) in codes.iter().enumerate() {
                    if out.first[k].is_none() {
                        if !answers.table.in_catalog(code) {
                            out.first[k] = Some((p, witness(vec![(p, false)])));
                        } else if let Some(v) = answers.variants {
                            if v[p] != code {
                                out.first[k] = Some((p, witness(vec![(p, false), (p, true)])));
                            }
                        }
                    }
                    if code == 0 {
                        continue;
                    }
                    let (pair, set) = (p / n, p % n);
                    let c = facts.cause_bits(block, answers.scope_bits[set], space.same(pair), set);
                    match &out.reps[c] {
                        None => out.reps[c] = Some((p, decision(p))),
                        Some((_, d)) => {
                            if out.conflicts[c].is_none() && !d.same_as(&decision(p)) {
                                out.conflicts[c] = Some((p, decision(p)));
                            }
                        }
                    }
                }
            }
        }
    }
    out
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
