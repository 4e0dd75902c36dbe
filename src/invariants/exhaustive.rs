//! What a property's exhaustive form reads and returns. Each property module
//! checks one block of the enumerated domain ([`Table`]) and says what it
//! found ([`Findings`]); a block is checked whole and what it finds depends on
//! the block alone, so blocks run on any thread in any order. [`merge`]
//! combines the blocks in block order. Every witness is confirmed by the
//! property function ([`super::check`]) before it is reported.

use super::{Mismatch, Mismatches};
use crate::generate::space::{Block, Codes, Covers, Facts, Space};
use crate::model::Decision;
use serde::{Deserialize, Serialize};

/// Which points a witness is made of, with the decisions given to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    /// The points, in the order the property function reads them.
    pub points: Vec<PointRef>,
    /// The decision given to each point.
    pub decisions: Vec<Decision>,
}

/// A point of the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// One block of the domain with the target's answers.
pub struct Table<'a> {
    /// The enumerated domain.
    pub space: &'a Space,
    /// The declared policy's facts per scope set.
    pub facts: &'a Facts,
    /// The covering pairs of the sets.
    pub covers: &'a Covers,
    /// Which block this is.
    pub block: Block,
    /// The target's code for each point.
    pub codes: &'a [u32],
    /// The target's code for each point's variant, when variants were asked.
    pub variants: Option<&'a [u32]>,
    /// The declared policy's code for each point.
    pub expected: &'a [u32],
    /// The codes' decisions.
    pub decisions: &'a Codes,
    /// Per set: cause bits 1 and 2 (see [`Facts::scope_bits`]).
    pub scope_bits: &'a [u8],
}

impl Table<'_> {
    /// Scope sets per tenant pair.
    pub fn sets(&self) -> usize {
        self.space.sets.len()
    }

    /// The decision given to a point.
    pub fn decision(&self, point: usize) -> Decision {
        self.decisions.decision(self.codes[point]).clone()
    }

    /// A witness of this block's points (`true`: the point's variant).
    pub fn witness(&self, points: &[(usize, bool)]) -> Witness {
        let decisions = points
            .iter()
            .map(|&(p, variant)| match (variant, self.variants) {
                (true, Some(v)) => self.decisions.decision(v[p]).clone(),
                _ => self.decision(p),
            })
            .collect();
        let points = points
            .iter()
            .map(|&(p, variant)| PointRef::here(p, variant))
            .collect();
        Witness { points, decisions }
    }
}

/// What one property found in one block.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Findings {
    /// Cases checked.
    pub cases: u64,
    /// The first witness, with the point it is ordered by.
    pub first: Option<(usize, Witness)>,
    /// Classes of points that must be decided alike across the whole domain
    /// (a property without any leaves this empty).
    pub classes: Vec<Class>,
    /// The kind of mismatch of `first`, for a property that picks the
    /// worst point of a block (conformance): [`merge`] then keeps the
    /// worst block's witness over an earlier, milder one.
    pub worst: Option<Mismatch>,
    /// Failing points by kind of mismatch, where the property counts them.
    pub mismatches: Mismatches,
}

/// One class of points that must be decided alike, as seen in one block.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Class {
    /// The block's first point of the class, and its decision.
    pub first: Option<(usize, Decision)>,
    /// The block's first point of the class decided otherwise.
    pub conflict: Option<(usize, Decision)>,
}

impl Class {
    /// Records a point of the class.
    pub fn record(&mut self, point: usize, decision: impl FnOnce() -> Decision) {
        match &self.first {
            None => self.first = Some((point, decision())),
            Some((_, d)) if self.conflict.is_none() => {
                let d2 = decision();
                if !d.same_as(&d2) {
                    self.conflict = Some((point, d2));
                }
            }
            Some(_) => {}
        }
    }
}

/// The blocks' findings for one property, in block order, as one: the
/// first witness in block order, where a class's points are compared with
/// the first point of that class in the whole domain.
pub fn merge(found: &[Findings]) -> Option<(usize, Witness)> {
    // Severity first: the first block holding the worst kind of mismatch.
    if let Some(worst) = found.iter().filter_map(|f| f.worst).max() {
        if let Some((b, f)) = found
            .iter()
            .enumerate()
            .find(|(_, f)| f.worst == Some(worst))
        {
            if let Some((_, w)) = &f.first {
                return Some((b, w.clone()));
            }
        }
    }
    let mut firsts: Vec<Option<(usize, usize, Decision)>> = Vec::new();
    for (b, f) in found.iter().enumerate() {
        if firsts.len() < f.classes.len() {
            firsts.resize(f.classes.len(), None);
        }
        let mut best: Option<(usize, Witness)> = f.first.clone();
        for (c, class) in f.classes.iter().enumerate() {
            let Some((p, d)) = &class.first else { continue };
            let inside = || {
                class.conflict.as_ref().map(|(q, dq)| {
                    let w = Witness {
                        points: vec![PointRef::here(*p, false), PointRef::here(*q, false)],
                        decisions: vec![d.clone(), dq.clone()],
                    };
                    (*q, w)
                })
            };
            let candidate = match &firsts[c] {
                None => {
                    firsts[c] = Some((b, *p, d.clone()));
                    inside()
                }
                Some((rb, rp, rd)) if !rd.same_as(d) => {
                    // This block's first point of the class is decided
                    // otherwise than the domain's first: the pair spans two blocks.
                    let w = Witness {
                        points: vec![
                            PointRef {
                                block: Some(*rb),
                                point: *rp,
                                variant: false,
                            },
                            PointRef {
                                block: Some(b),
                                point: *p,
                                variant: false,
                            },
                        ],
                        decisions: vec![rd.clone(), d.clone()],
                    };
                    return Some((b, w));
                }
                Some(_) => inside(),
            };
            if let Some((q, w)) = candidate {
                if best.as_ref().is_none_or(|(bq, _)| q < *bq) {
                    best = Some((q, w));
                }
            }
        }
        if let Some((_, w)) = best {
            return Some((b, w));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deny(reason: &str) -> Decision {
        Decision::deny(reason, 403)
    }

    fn class(first: (usize, &str), conflict: Option<(usize, &str)>) -> Class {
        Class {
            first: Some((first.0, deny(first.1))),
            conflict: conflict.map(|(p, r)| (p, deny(r))),
        }
    }

    #[test]
    fn without_classes_the_first_witness_in_block_order_wins() {
        let w = |p| Witness {
            points: vec![PointRef::here(p, false)],
            decisions: vec![deny("x")],
        };
        let found = [
            Findings::default(),
            Findings {
                first: Some((9, w(9))),
                ..Findings::default()
            },
            Findings {
                first: Some((1, w(1))),
                ..Findings::default()
            },
        ];
        let (b, got) = merge(&found).unwrap();
        assert_eq!((b, got.points[0].point), (1, 9));
        assert!(merge(&[Findings::default(), Findings::default()]).is_none());
    }

    #[test]
    fn a_class_decided_otherwise_in_a_later_block_spans_both_blocks() {
        let found = [
            Findings {
                classes: vec![class((3, "a"), None)],
                ..Findings::default()
            },
            Findings {
                classes: vec![class((5, "b"), None)],
                ..Findings::default()
            },
        ];
        let (b, w) = merge(&found).unwrap();
        assert_eq!(b, 1);
        assert_eq!(w.points[0].block, Some(0));
        assert_eq!((w.points[0].point, w.points[1].point), (3, 5));
    }

    #[test]
    fn a_conflict_inside_a_block_is_a_witness_of_that_block() {
        let found = [Findings {
            classes: vec![Class::default(), class((2, "a"), Some((7, "b")))],
            ..Findings::default()
        }];
        let (b, w) = merge(&found).unwrap();
        assert_eq!(b, 0);
        assert_eq!((w.points[0].point, w.points[1].point), (2, 7));
    }
}
