//! The covering pairs of the enumerated scope sets: (S, S ∪ {s}) for every
//! set S and scope s. Monotonicity is checked on them (any violation of
//! S ≤ S' has one on a chain of single additions).

use super::{Enumeration, Space};
use crate::model::{Lattice, ScopeSet};

/// The covering pairs of a space's sets, computed once per space.
pub enum Covers {
    /// Raw sets (set `i` is the bitmask `i`): for each scope `s`, the sets
    /// without `s` whose closure holds `s`, as a bitset over set indices.
    Raw {
        /// Catalog size.
        scopes: usize,
        /// Per scope, the bitset (64 set indices a word) of those sets.
        implied: Vec<Vec<u64>>,
    },
    /// Down-closed sets: for each set, the indices of the down-closed sets one
    /// scope above it (compressed rows).
    DownClosed {
        /// Where each set's row starts in `above`, plus the end of the last.
        offsets: Vec<u32>,
        /// The rows, one after another.
        above: Vec<u32>,
    },
}

impl Covers {
    /// The covering pairs of a space.
    pub fn new(space: &Space, lattice: &Lattice) -> Covers {
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
    pub fn count(&self) -> u64 {
        match self {
            Covers::Raw { scopes, .. } if *scopes == 0 => 0,
            Covers::Raw { scopes, .. } => (*scopes as u64) << (*scopes - 1),
            Covers::DownClosed { above, .. } => above.len() as u64,
        }
    }
}
