//! The scope order: a finite set of named scopes, each implying others, ordered
//! by the reflexive-transitive closure of "implies". Sets of scopes are bitsets,
//! so closure, comparison, join and meet are a few instructions.

use std::fmt;

/// The most scopes one catalog may hold (one bit each in a [`ScopeSet`]).
pub const MAX_SCOPES: usize = 128;

/// A set of scopes of one catalog, as a bitset indexed by [`ScopeId`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct ScopeSet(pub u128);

/// The index of a scope in its catalog (scopes are sorted by name).
pub type ScopeId = usize;

impl ScopeSet {
    /// The empty set.
    pub const EMPTY: ScopeSet = ScopeSet(0);

    /// The set holding one scope.
    pub fn single(id: ScopeId) -> ScopeSet {
        ScopeSet(1u128 << id)
    }

    /// Whether the set holds `id`.
    pub fn contains(self, id: ScopeId) -> bool {
        self.0 >> id & 1 == 1
    }

    /// This set with `id` added.
    pub fn with(self, id: ScopeId) -> ScopeSet {
        ScopeSet(self.0 | 1u128 << id)
    }

    /// Set union.
    pub fn union(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 | other.0)
    }

    /// Set intersection.
    pub fn intersection(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 & other.0)
    }

    /// Set difference.
    pub fn minus(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 & !other.0)
    }

    /// Whether every element of `self` is in `other`.
    pub fn is_subset(self, other: ScopeSet) -> bool {
        self.0 & !other.0 == 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many scopes the set holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The scope ids in the set, ascending.
    pub fn iter(self) -> impl Iterator<Item = ScopeId> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let id = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(id)
        })
    }
}

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// A scope catalog with its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lattice {
    names: Vec<String>,
    /// `implies[i]`: the scopes `i` directly implies.
    implies: Vec<ScopeSet>,
    /// `down[i]`: every scope `i` implies, itself included.
    down: Vec<ScopeSet>,
}

/// Why a scope catalog is not an order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LatticeError {
    /// More scopes than a [`ScopeSet`] holds.
    #[error("{count} scopes: at most {MAX_SCOPES} are supported")]
    TooMany {
        /// How many scopes the catalog declares.
        count: usize,
    },
    /// `scope` implies a scope that is not in the catalog.
    #[error("scope `{scope}` implies `{implied}`, which is not in the catalog")]
    UnknownImplied {
        /// The implying scope.
        scope: String,
        /// The undeclared scope it implies.
        implied: String,
    },
    /// The implications form a cycle; the path starts and ends at one scope.
    #[error("the implications form a cycle: {}", .path.join(" → "))]
    Cycle {
        /// The scopes on the cycle, the first repeated at the end.
        path: Vec<String>,
    },
}

impl Lattice {
    /// Builds the order from `(scope, directly implied scopes)`, scopes in any order.
    pub fn new(entries: &[(String, Vec<String>)]) -> Result<Lattice, LatticeError> {
        if entries.len() > MAX_SCOPES {
            return Err(LatticeError::TooMany {
                count: entries.len(),
            });
        }
        let mut names: Vec<String> = entries.iter().map(|(n, _)| n.clone()).collect();
        names.sort();
        names.dedup();
        let index = |name: &str| names.binary_search_by(|n| n.as_str().cmp(name)).ok();
        let mut implies = vec![ScopeSet::EMPTY; names.len()];
        for (scope, implied) in entries {
            let i = index(scope).expect("scope was just indexed");
            for target in implied {
                let j = index(target).ok_or_else(|| LatticeError::UnknownImplied {
                    scope: scope.clone(),
                    implied: target.clone(),
                })?;
                implies[i] = implies[i].with(j);
            }
        }
        let down = closures(&names, &implies)?;
        Ok(Lattice {
            names,
            implies,
            down,
        })
    }

    /// How many scopes the catalog holds.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Scope names, sorted; a scope's index is its [`ScopeId`].
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The name of a scope.
    pub fn name(&self, id: ScopeId) -> &str {
        &self.names[id]
    }

    /// The id of a named scope.
    pub fn id(&self, name: &str) -> Option<ScopeId> {
        self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()
    }

    /// Every scope of the catalog.
    pub fn all(&self) -> ScopeSet {
        if self.names.len() == MAX_SCOPES {
            ScopeSet(u128::MAX)
        } else {
            ScopeSet((1u128 << self.names.len()) - 1)
        }
    }

    /// The scopes `id` directly implies.
    pub fn implies(&self, id: ScopeId) -> ScopeSet {
        self.implies[id]
    }

    /// Every scope `id` implies, itself included.
    pub fn down(&self, id: ScopeId) -> ScopeSet {
        self.down[id]
    }

    /// The down-closure of a set: everything its scopes imply.
    pub fn closure(&self, set: ScopeSet) -> ScopeSet {
        set.iter()
            .fold(ScopeSet::EMPTY, |acc, id| acc.union(self.down[id]))
    }

    /// The down-closure of named scopes; names outside the catalog grant nothing.
    pub fn closure_of_names<S: AsRef<str>>(&self, names: &[S]) -> ScopeSet {
        let set = names
            .iter()
            .filter_map(|n| self.id(n.as_ref()))
            .fold(ScopeSet::EMPTY, ScopeSet::with);
        self.closure(set)
    }

    /// `a ≤ b` in the order of scope sets: `closure(a) ⊆ closure(b)`.
    pub fn le(&self, a: ScopeSet, b: ScopeSet) -> bool {
        self.closure(a).is_subset(self.closure(b))
    }

    /// Whether a set is down-closed (equal to its closure).
    pub fn is_down_closed(&self, set: ScopeSet) -> bool {
        self.closure(set) == set
    }

    /// The least upper bound of two sets, as a down-closed set.
    pub fn join(&self, a: ScopeSet, b: ScopeSet) -> ScopeSet {
        self.closure(a.union(b))
    }

    /// The greatest lower bound of two sets, as a down-closed set.
    pub fn meet(&self, a: ScopeSet, b: ScopeSet) -> ScopeSet {
        self.closure(a).intersection(self.closure(b))
    }

    /// The scopes `id` covers in the Hasse diagram: implied, and not implied
    /// through another implied scope.
    pub fn covers(&self, id: ScopeId) -> ScopeSet {
        let strictly_below = self.down[id].minus(ScopeSet::single(id));
        let reached_through = strictly_below.iter().fold(ScopeSet::EMPTY, |acc, c| {
            acc.union(self.down[c].minus(ScopeSet::single(c)))
        });
        strictly_below.minus(reached_through)
    }

    /// Names of the scopes in a set, in catalog order.
    pub fn names_of(&self, set: ScopeSet) -> Vec<String> {
        set.iter().map(|id| self.names[id].clone()).collect()
    }
}

/// Depth-first closure with cycle detection (white/grey/black).
fn closures(names: &[String], implies: &[ScopeSet]) -> Result<Vec<ScopeSet>, LatticeError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        i: usize,
        implies: &[ScopeSet],
        marks: &mut [Mark],
        down: &mut [ScopeSet],
        stack: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        marks[i] = Mark::Open;
        stack.push(i);
        let mut acc = ScopeSet::single(i);
        for j in implies[i].iter() {
            match marks[j] {
                Mark::Open => {
                    let start = stack.iter().position(|&s| s == j).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(j);
                    return Err(cycle);
                }
                Mark::New => visit(j, implies, marks, down, stack)?,
                Mark::Done => {}
            }
            acc = acc.union(down[j]);
        }
        stack.pop();
        marks[i] = Mark::Done;
        down[i] = acc;
        Ok(())
    }
    let mut marks = vec![Mark::New; names.len()];
    let mut down = vec![ScopeSet::EMPTY; names.len()];
    let mut stack = Vec::new();
    for i in 0..names.len() {
        if marks[i] == Mark::New {
            visit(i, implies, &mut marks, &mut down, &mut stack).map_err(|cycle| {
                LatticeError::Cycle {
                    path: cycle.into_iter().map(|c| names[c].clone()).collect(),
                }
            })?;
        }
    }
    Ok(down)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lattice(entries: &[(&str, &[&str])]) -> Result<Lattice, LatticeError> {
        let owned: Vec<(String, Vec<String>)> = entries
            .iter()
            .map(|(s, i)| (s.to_string(), i.iter().map(|x| x.to_string()).collect()))
            .collect();
        Lattice::new(&owned)
    }

    #[test]
    fn closure_is_reflexive_and_transitive() {
        let l = lattice(&[("a", &["b"]), ("b", &["c"]), ("c", &[]), ("d", &[])]).unwrap();
        let (a, b, c, d) = (0, 1, 2, 3);
        assert_eq!(l.down(a), ScopeSet::single(a).with(b).with(c));
        assert_eq!(l.down(d), ScopeSet::single(d));
        assert!(l.le(ScopeSet::single(c), ScopeSet::single(a)));
        assert!(!l.le(ScopeSet::single(a), ScopeSet::single(c)));
        assert_eq!(l.covers(a), ScopeSet::single(b));
    }

    #[test]
    fn join_and_meet_are_down_closed() {
        let l = lattice(&[("a", &["c"]), ("b", &["c"]), ("c", &[])]).unwrap();
        let (a, b, c) = (0, 1, 2);
        assert_eq!(
            l.meet(ScopeSet::single(a), ScopeSet::single(b)),
            ScopeSet::single(c)
        );
        assert_eq!(
            l.join(ScopeSet::single(a), ScopeSet::single(b)),
            ScopeSet::single(a).with(b).with(c)
        );
    }

    #[test]
    fn cycles_are_named() {
        let err = lattice(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"])]).unwrap_err();
        assert_eq!(
            err,
            LatticeError::Cycle {
                path: vec!["a".into(), "b".into(), "c".into(), "a".into()]
            }
        );
        let err = lattice(&[("a", &["a"])]).unwrap_err();
        assert_eq!(
            err,
            LatticeError::Cycle {
                path: vec!["a".into(), "a".into()]
            }
        );
    }

    #[test]
    fn unknown_implied_scope_is_an_error() {
        let err = lattice(&[("a", &["zz"])]).unwrap_err();
        assert!(matches!(err, LatticeError::UnknownImplied { .. }));
    }
}
