//! Sharded exhaustive runs: `check --exhaustive --shard K/N` asks and checks
//! a deterministic, disjoint 1/N of the domain's blocks (block `b` belongs to
//! shard `b mod N + 1`) and records each block's findings; [`merge_shards`] puts
//! the N shards back in block order and finishes the run exactly as the
//! unsharded one does (merge, confirm, shrink), so merged == unsharded.

use super::{ExhaustiveError, Prepared, Subject};
use crate::generate::Domain;
use crate::generate::space::Enumeration;
use crate::invariants::Property;
use crate::invariants::exhaustive::Findings;
use crate::model::Request;
use crate::runner::Options;
use crate::runner::outcome::CheckReport;
use crate::targets::TargetError;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The most shards a run may be split into.
pub const MAX_SHARDS: u32 = 4096;

/// Shard `index` of `count` (1-based, as written `K/N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// K: which shard, from 1.
    pub index: u32,
    /// N: how many shards.
    pub count: u32,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || {
            format!("`{text}` is not a shard: write K/N with 1 ≤ K ≤ N ≤ {MAX_SHARDS}, such as 2/4")
        };
        let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count || count > MAX_SHARDS {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether block `b` belongs to this shard.
    pub fn holds(self, block: usize) -> bool {
        block % self.count as usize == (self.index - 1) as usize
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One block's findings, one per property in the run's order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockFindings {
    /// The block's index in the domain.
    pub block: usize,
    /// What each property found in it.
    pub findings: Vec<Findings>,
}

/// The target failing on a block: the shard stopped there.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardError {
    /// The block being asked.
    pub block: usize,
    /// What went wrong.
    pub message: String,
    /// The last request sent.
    pub last_request: Option<Box<Request>>,
}

/// What one shard found: the file `gonogo merge` reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardReport {
    /// Always `gonogo-shard/v1`.
    pub kind: String,
    /// Which shard this is.
    pub shard: Shard,
    /// The model's digest: every shard ran on the same model.
    pub model_digest: String,
    /// The target's digest ([`crate::model::Config::target_digest`]).
    pub target_digest: String,
    /// The seed, as printed.
    pub seed: String,
    /// `raw` or `down-closed`.
    pub enumeration: Enumeration,
    /// The properties, in order.
    pub properties: Vec<Property>,
    /// How many blocks the whole domain has.
    pub blocks_total: usize,
    /// Requests in this shard's blocks.
    pub requests: u64,
    /// The blocks checked, ascending (all of the shard's, up to an error).
    pub blocks: Vec<BlockFindings>,
    /// The first error met, if any.
    pub error: Option<ShardError>,
}

/// The kind written in every shard file.
pub const SHARD_KIND: &str = "gonogo-shard/v1";

impl ShardReport {
    /// Whether a failure was found inside the shard's own blocks (the
    /// merged run is then NO-GO whatever the other shards hold).
    pub fn found_failure(&self) -> bool {
        self.blocks.iter().any(|b| {
            b.findings
                .iter()
                .any(|f| f.first.is_some() || f.classes.iter().any(|c| c.conflict.is_some()))
        })
    }
}

/// Runs one shard of an exhaustive check. `target_digest` is recorded so
/// that [`merge_shards`] refuses shards of another target.
pub fn check_shard(
    domain: &Arc<Domain>,
    subject: Subject<'_>,
    opts: &Options,
    enumeration: Option<Enumeration>,
    max_requests: u128,
    shard: Shard,
    target_digest: &str,
) -> Result<ShardReport, ExhaustiveError> {
    let mut policy = crate::targets::PolicyTarget::new(domain.model.clone());
    let (is_policy, target) = subject.resolve(&mut policy);
    let run = Prepared::new(domain, is_policy, opts, enumeration, max_requests)?;
    if shard.count as usize > run.blocks.len() {
        // A shard with no block would check nothing: never a GO.
        return Err(ExhaustiveError::Shards(format!(
            "{} shards for a domain of {} blocks (one per authenticated × action): use at most {} shards",
            shard.count,
            run.blocks.len(),
            run.blocks.len()
        )));
    }
    let mine: Vec<usize> = (0..run.blocks.len()).filter(|&b| shard.holds(b)).collect();
    let mut blocks = Vec::new();
    let mut error = None;
    for (block, outcome) in run.evaluate(domain, target, opts, &mine) {
        match outcome {
            Ok(findings) => blocks.push(BlockFindings { block, findings }),
            Err(e) => {
                error = Some(ShardError {
                    block,
                    message: e.message,
                    last_request: e.last_request,
                });
                break;
            }
        }
    }
    Ok(ShardReport {
        kind: SHARD_KIND.to_string(),
        shard,
        model_digest: domain.model.digest(),
        target_digest: target_digest.to_string(),
        seed: crate::model::config::format_seed(opts.seed),
        enumeration: run.space.enumeration,
        properties: opts.properties.clone(),
        blocks_total: run.blocks.len(),
        requests: (mine.len() * run.space.block_len()) as u64,
        blocks,
        error,
    })
}

/// What makes one block's findings impossible for a run to have produced
/// (a witness off the domain, decisions not one per point, a worst kind
/// without its witness): such a file is refused, never merged.
fn inconsistent(f: &Findings, blocks: usize, block_len: usize) -> Option<String> {
    let point = |p: &crate::invariants::exhaustive::PointRef| {
        p.point < block_len && p.block.is_none_or(|b| b < blocks)
    };
    if let Some((_, w)) = &f.first {
        if w.points.is_empty() || w.points.len() != w.decisions.len() {
            return Some("a witness without one decision per point".into());
        }
        if !w.points.iter().all(point) {
            return Some("a witness point outside the domain".into());
        }
    }
    if f.worst.is_some() != f.first.is_some() && f.worst.is_some() {
        return Some("a worst mismatch without its witness".into());
    }
    if !f.mismatches.is_empty() && f.first.is_none() {
        return Some("mismatches counted without a witness".into());
    }
    for c in &f.classes {
        for (p, _) in c.first.iter().chain(&c.conflict) {
            if *p >= block_len {
                return Some("a class point outside the domain".into());
            }
        }
        if c.conflict.is_some() && c.first.is_none() {
            return Some("a class conflict without its first point".into());
        }
    }
    None
}

/// Why shards cannot be merged (exit 2): they do not make up one run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// No shard was given.
    #[error("no shard file was given")]
    Empty,
    /// A shard of another run: model, target, seed, enumeration, properties
    /// or shard count differ.
    #[error(
        "shard {shard} differs from shard {first} in its {what}: they are not shards of one run"
    )]
    Mismatch {
        /// The shard that differs.
        shard: String,
        /// The first shard given.
        first: String,
        /// What differs.
        what: &'static str,
    },
    /// The shards are of another model or target than the config's.
    #[error(
        "the shards ran on another {what} than the config's: merge them with the config they ran with"
    )]
    NotThisRun {
        /// `model` or `target`.
        what: &'static str,
    },
    /// A shard is given twice, or one is missing.
    #[error(
        "shards {missing:?} are missing and {twice:?} are given twice: every shard 1..{count} once"
    )]
    Incomplete {
        /// Shards absent.
        missing: Vec<u32>,
        /// Shards given more than once.
        twice: Vec<u32>,
        /// N.
        count: u32,
    },
    /// A shard's blocks are not the ones it owns, or a block's findings do
    /// not match the run's properties.
    #[error("shard {shard} is malformed: {why}")]
    Malformed {
        /// The shard.
        shard: String,
        /// What is wrong.
        why: String,
    },
    /// The exhaustive run itself cannot be set up.
    #[error(transparent)]
    Exhaustive(#[from] ExhaustiveError),
}

/// Merges the shards of one exhaustive run into the report the unsharded run
/// gives: every block's findings in block order (or the first error in block
/// order), then the same merge, confirmation and shrinking, with `subject`.
/// The properties and the seed are taken from the shards; with `expect`
/// (the gate's), they must be exactly those.
pub fn merge_shards(
    domain: &Arc<Domain>,
    subject: Subject<'_>,
    opts: &Options,
    max_requests: u128,
    target_digest: &str,
    shards: Vec<ShardReport>,
    expect: Option<&Options>,
) -> Result<CheckReport, MergeError> {
    let first = shards.first().ok_or(MergeError::Empty)?.clone();
    let count = first.shard.count;
    if let Some(expected) = expect {
        if first.properties != expected.properties {
            return Err(MergeError::NotThisRun {
                what: "set of properties (every property the gate checks must be in the shards)",
            });
        }
        if first.seed != crate::model::config::format_seed(expected.seed) {
            return Err(MergeError::NotThisRun {
                what: "seed (run the shards with the gate's --seed or `[check] seed`)",
            });
        }
    }
    for s in &shards {
        let differs = |what| MergeError::Mismatch {
            shard: s.shard.to_string(),
            first: first.shard.to_string(),
            what,
        };
        if s.kind != SHARD_KIND {
            return Err(MergeError::Malformed {
                shard: s.shard.to_string(),
                why: format!("its kind is `{}`, not `{SHARD_KIND}`", s.kind),
            });
        }
        if s.shard.count != count {
            return Err(differs("shard count"));
        }
        if s.model_digest != first.model_digest {
            return Err(differs("model"));
        }
        if s.target_digest != first.target_digest {
            return Err(differs("target"));
        }
        if s.seed != first.seed {
            return Err(differs(
                "seed (run every shard with the same --seed or `[check] seed`)",
            ));
        }
        if s.enumeration != first.enumeration {
            return Err(differs("enumeration"));
        }
        if s.properties != first.properties {
            return Err(differs("properties"));
        }
        if s.blocks_total != first.blocks_total {
            return Err(differs("domain"));
        }
    }
    if first.model_digest != domain.model.digest() {
        return Err(MergeError::NotThisRun { what: "model" });
    }
    if first.target_digest != target_digest {
        return Err(MergeError::NotThisRun { what: "target" });
    }
    if count as usize > first.blocks_total || count > MAX_SHARDS {
        return Err(MergeError::Malformed {
            shard: first.shard.to_string(),
            why: format!(
                "{count} shards for {} blocks: a shard would hold none",
                first.blocks_total
            ),
        });
    }
    let missing: Vec<u32> = (1..=count)
        .filter(|k| !shards.iter().any(|s| s.shard.index == *k))
        .collect();
    let twice: Vec<u32> = (1..=count)
        .filter(|k| shards.iter().filter(|s| s.shard.index == *k).count() > 1)
        .collect();
    if !missing.is_empty() || !twice.is_empty() {
        return Err(MergeError::Incomplete {
            missing,
            twice,
            count,
        });
    }
    let opts = Options {
        properties: first.properties.clone(),
        seed: crate::model::config::parse_seed(&first.seed).map_err(|why| {
            MergeError::Malformed {
                shard: first.shard.to_string(),
                why,
            }
        })?,
        ..opts.clone()
    };
    let mut policy = crate::targets::PolicyTarget::new(domain.model.clone());
    let (is_policy, target) = subject.resolve(&mut policy);
    let run = Prepared::new(
        domain,
        is_policy,
        &opts,
        Some(first.enumeration),
        max_requests,
    )?;
    if run.blocks.len() != first.blocks_total {
        return Err(MergeError::NotThisRun { what: "model" });
    }
    // Every block once, from the shard that owns it; a shard's blocks end
    // only at its error.
    let mut by_block: Vec<Option<Vec<Findings>>> = vec![None; run.blocks.len()];
    let mut errors: Vec<ShardError> = Vec::new();
    for s in shards {
        let name = s.shard.to_string();
        let malformed = |why: String| MergeError::Malformed {
            shard: name.clone(),
            why,
        };
        let owned: Vec<usize> = (0..run.blocks.len())
            .filter(|&b| s.shard.holds(b))
            .collect();
        let held: Vec<usize> = s.blocks.iter().map(|b| b.block).collect();
        let expected_len = match &s.error {
            Some(e) => owned.iter().position(|&b| b == e.block).ok_or_else(|| {
                malformed(format!(
                    "its error names block {}, which is not its own",
                    e.block
                ))
            })?,
            None => owned.len(),
        };
        if held != owned[..expected_len] {
            return Err(malformed(
                "its blocks are not the ones it owns (b mod N = K − 1), in order".to_string(),
            ));
        }
        for b in s.blocks {
            if let Some(why) = b
                .findings
                .iter()
                .find_map(|f| inconsistent(f, run.blocks.len(), run.space.block_len()))
            {
                return Err(malformed(format!("block {}: {why}", b.block)));
            }
            if b.findings.len() != opts.properties.len() {
                return Err(malformed(format!(
                    "block {} holds {} findings for {} properties",
                    b.block,
                    b.findings.len(),
                    opts.properties.len()
                )));
            }
            by_block[b.block] = Some(b.findings);
        }
        errors.extend(s.error);
    }
    // The unsharded run reports the first error in block order, and checks
    // nothing after it: the same here.
    errors.sort_by_key(|e| e.block);
    let findings = match errors.into_iter().next() {
        Some(e) if by_block[..e.block].iter().all(Option::is_some) => Err(TargetError {
            message: e.message,
            last_request: e.last_request,
        }),
        Some(e) => {
            return Err(MergeError::Malformed {
                shard: "?".into(),
                why: format!("blocks before the error at block {} are missing", e.block),
            });
        }
        None => by_block
            .into_iter()
            .enumerate()
            .map(|(b, f)| {
                f.ok_or_else(|| MergeError::Malformed {
                    shard: "?".into(),
                    why: format!("block {b} is in no shard"),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Ok)?,
    };
    Ok(run.report(domain, target, &opts, findings))
}
