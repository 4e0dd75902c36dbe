//! `check --exhaustive`: every request of a bounded domain, every property.
//!
//! The domain ([`Space`]) is every scope set (raw lists; down-closed sets for
//! the declared policy alone) × every action and one unknown action per
//! resource type × every ordered pair of a fixed adversarial tenant set ×
//! authenticated or not. Each request is asked once (with an equivalent
//! variant for determinism); the properties are then checked on the answers,
//! block by block, in parallel with rayon. Blocks are merged in order, so the
//! result does not depend on the number of threads.

mod ask;
mod shard;

pub use shard::{
    BlockFindings, MergeError, SHARD_KIND, Shard, ShardError, ShardReport, check_shard,
    merge_shards,
};

pub use crate::generate::space::{
    Enumeration, Limit, MEMORY_BUDGET, Space, TooLarge, down_sets, tenant_set,
};

use super::coverage::{Coverage, Relation};
use super::{Found, Options, PropertyRun, result_of};
use crate::generate::Domain;
use crate::generate::space::{Block, Codes, Covers, Facts, policy_block, request};
use crate::invariants::exhaustive::{Findings, Table, Witness, merge};
use crate::invariants::{self, Mismatches, Property};
use crate::model::config::format_seed;
use crate::runner::outcome::{CheckReport, ExhaustiveSummary};
use crate::targets::{TargetError, TargetExt};
use crate::verdict::Status;
use rayon::prelude::*;
use std::sync::Arc;

/// The most requests an exhaustive check asks by default.
pub const DEFAULT_MAX_REQUESTS: u128 = 100_000_000;

/// Why an exhaustive check did not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExhaustiveError {
    /// The domain holds more requests than allowed, or more scope sets than
    /// memory holds.
    #[error("{}", too_large(.size, *.max))]
    TooLarge {
        /// How large the domain is, and which limit it broke.
        size: TooLarge,
        /// The most requests allowed (`--max-cases`).
        max: u128,
    },
    /// No property was selected.
    #[error("no property was selected: nothing would be checked")]
    NothingSelected,
    /// Down-closed sets were asked for a target that is not the declared
    /// policy: raw-list bugs would go unseen.
    #[error(
        "down-closed scope sets suffice for the declared policy only; this target gets every raw list"
    )]
    DownClosedNeedsPolicy,
    /// The domain holds no request.
    #[error("the exhaustive domain holds no request: nothing would be checked")]
    Empty,
    /// Shard files given to the gate are not one run of this config.
    #[error("the exhaustive shards cannot be merged: {0}")]
    Shards(String),
}

fn too_large(size: &TooLarge, max: u128) -> String {
    let requests = match size.requests {
        Some(n) => format!("{n} requests"),
        None => "too many requests to count".to_string(),
    };
    match size.limit {
        Limit::MaxCases => format!(
            "the exhaustive domain is {} ({requests}), more than --max-cases {max}; raise --max-cases, shrink the model, or check it at random without --exhaustive",
            size.description
        ),
        Limit::Memory => format!(
            "the exhaustive domain is {} ({requests}): more than {} GiB of memory would hold; shrink the model or check it at random without --exhaustive",
            size.description,
            MEMORY_BUDGET >> 30
        ),
    }
}

/// What an exhaustive check asks.
pub enum Subject<'a> {
    /// The domain's own declared policy, evaluated with bitsets (no target
    /// is asked). Only the caller, who built the target from `kind =
    /// "policy"`, can say this; no target can claim it.
    DeclaredPolicy,
    /// A target, asked about every request (raw scope lists).
    Target(&'a mut dyn TargetExt),
}

impl<'a> Subject<'a> {
    /// Whether this is the declared policy, and the target that answers:
    /// `policy` (asked only to shrink and confirm what the bitsets found)
    /// for the declared policy, the target itself otherwise.
    pub(crate) fn resolve<'b>(
        self,
        policy: &'b mut crate::targets::PolicyTarget,
    ) -> (bool, &'b mut dyn TargetExt)
    where
        'a: 'b,
    {
        match self {
            Subject::DeclaredPolicy => (true, policy),
            Subject::Target(t) => (false, t),
        }
    }

    /// The subject of a target built from `spec`: the declared policy when
    /// the config says `kind = "policy"`, the target itself otherwise.
    pub fn of(spec: &crate::model::TargetSpec, target: &'a mut dyn TargetExt) -> Subject<'a> {
        match spec {
            crate::model::TargetSpec::Policy => Subject::DeclaredPolicy,
            _ => Subject::Target(target),
        }
    }
}

/// Checks every request of the domain. `enumeration`: `None` picks
/// down-closed sets for the declared policy and raw lists otherwise.
pub fn check(
    domain: &Arc<Domain>,
    subject: Subject<'_>,
    opts: &Options,
    enumeration: Option<Enumeration>,
    max_requests: u128,
) -> Result<CheckReport, ExhaustiveError> {
    let mut policy = crate::targets::PolicyTarget::new(domain.model.clone());
    let (is_policy, target) = subject.resolve(&mut policy);
    let run = Prepared::new(domain, is_policy, opts, enumeration, max_requests)?;
    let all: Vec<usize> = (0..run.blocks.len()).collect();
    let findings = run
        .evaluate(domain, target, opts, &all)
        .into_iter()
        .map(|(_, outcome)| outcome)
        .collect();
    Ok(run.report(domain, target, opts, findings))
}

/// What is computed once per exhaustive run, before any block is asked.
pub(crate) struct Prepared {
    pub(crate) space: Space,
    facts: Facts,
    covers: Covers,
    catalog: Codes,
    pub(crate) blocks: Vec<Block>,
    pub(crate) is_policy: bool,
    variants: bool,
}

impl Prepared {
    /// The domain of a run, refused when it is too large or when nothing
    /// would be checked.
    pub(crate) fn new(
        domain: &Arc<Domain>,
        is_policy: bool,
        opts: &Options,
        enumeration: Option<Enumeration>,
        max_requests: u128,
    ) -> Result<Prepared, ExhaustiveError> {
        if opts.properties.is_empty() {
            return Err(ExhaustiveError::NothingSelected);
        }
        let model = &domain.model;
        let enumeration = enumeration.unwrap_or(if is_policy {
            Enumeration::DownClosed
        } else {
            Enumeration::Raw
        });
        if enumeration == Enumeration::DownClosed && !is_policy {
            return Err(ExhaustiveError::DownClosedNeedsPolicy);
        }
        let space = Space::new(domain, enumeration, max_requests).map_err(|size| {
            ExhaustiveError::TooLarge {
                size,
                max: max_requests,
            }
        })?;
        if space.requests() == 0 {
            return Err(ExhaustiveError::Empty);
        }
        let variants = !is_policy && opts.properties.iter().any(|p| p.definition().variants);
        let mut catalog = Codes::new(model);
        let facts = Facts::new(&space, model, &mut catalog);
        let covers = Covers::new(&space, &model.lattice);
        let blocks = space.blocks();
        Ok(Prepared {
            space,
            facts,
            covers,
            catalog,
            blocks,
            is_policy,
            variants,
        })
    }

    /// Asks and checks the blocks of `indices` (ascending), each with the
    /// findings of every selected property, in that order. Asked one after
    /// the other, a target that failed is not asked again: the list ends at
    /// its first error.
    pub(crate) fn evaluate(
        &self,
        domain: &Arc<Domain>,
        target: &mut dyn TargetExt,
        opts: &Options,
        indices: &[usize],
    ) -> Vec<(usize, Result<Vec<Findings>, TargetError>)> {
        let model = &domain.model;
        let (space, facts, covers, catalog) =
            (&self.space, &self.facts, &self.covers, &self.catalog);
        let (is_policy, variants, selected) = (self.is_policy, self.variants, &opts.properties);
        if let Some(bar) = &opts.progress {
            bar.set_length(space.block_len() as u64 * indices.len() as u64);
            bar.set_message("exhaustive");
        }
        let evaluate = |block, answers: Result<Asked, TargetError>| {
            let Asked {
                table,
                codes,
                variants: variant_codes,
            } = answers?;
            let scope_bits = facts.scope_bits(space, block);
            let policy_codes;
            let expected = if is_policy {
                &codes
            } else {
                policy_codes = policy_block(space, facts, block);
                &policy_codes
            };
            let view = Table {
                space,
                facts,
                covers,
                block,
                codes: &codes,
                variants: variant_codes.as_deref(),
                expected,
                decisions: &table,
                scope_bits: &scope_bits,
            };
            let findings: Vec<Findings> = selected
                .iter()
                .map(|p| (p.definition().exhaustive)(&view))
                .collect();
            if let Some(bar) = &opts.progress {
                bar.inc(space.block_len() as u64);
            }
            Ok(findings)
        };
        let blocks: Vec<(usize, Block)> = indices.iter().map(|&i| (i, self.blocks[i])).collect();
        // Every block's outcome, in block order: the first error in that
        // order is the one reported, whichever thread met it first.
        let outcomes =
            if is_policy {
                blocks
                    .par_iter()
                    .map(|&(i, b)| {
                        let codes = policy_block(space, facts, b);
                        let asked = Asked {
                            table: catalog.clone(),
                            codes,
                            variants: None,
                        };
                        (i, evaluate(b, Ok(asked)))
                    })
                    .collect()
            } else if let Some(forks) = blocks
                .iter()
                .map(|_| target.fork())
                .collect::<Option<Vec<_>>>()
            {
                blocks
                    .par_iter()
                    .zip(forks)
                    .map(|(&(i, b), mut fork)| {
                        let mut table = catalog.clone();
                        let answers =
                            ask::ask_block(fork.as_mut(), space, model, b, variants, &mut table)
                                .map(|(codes, variants)| Asked {
                                    table,
                                    codes,
                                    variants,
                                });
                        (i, evaluate(b, answers))
                    })
                    .collect()
            } else {
                let mut outcomes = Vec::with_capacity(blocks.len());
                for &(i, b) in &blocks {
                    let mut table = catalog.clone();
                    let answers = ask::ask_block(target, space, model, b, variants, &mut table)
                        .map(|(codes, variants)| Asked {
                            table,
                            codes,
                            variants,
                        });
                    let outcome = evaluate(b, answers);
                    let failed = outcome.is_err();
                    outcomes.push((i, outcome));
                    if failed {
                        break;
                    }
                }
                outcomes
            };
        if let Some(bar) = &opts.progress {
            bar.finish();
        }
        outcomes
    }

    /// The report of the whole domain from every block's findings (in
    /// block order) or the first error: the witnesses are merged,
    /// confirmed by the property functions and shrunk with `target`.
    pub(crate) fn report(
        &self,
        domain: &Arc<Domain>,
        target: &mut dyn TargetExt,
        opts: &Options,
        findings: Result<Vec<Vec<Findings>>, TargetError>,
    ) -> CheckReport {
        let (space, blocks, selected) = (&self.space, &self.blocks, &opts.properties);
        let (is_policy, variants) = (self.is_policy, self.variants);
        let model = &domain.model;
        let seed = format_seed(opts.seed);
        let digest = model.digest();
        let summary = ExhaustiveSummary {
            enumeration: match space.enumeration {
                Enumeration::Raw => "raw",
                Enumeration::DownClosed => "down-closed",
            }
            .to_string(),
            domain: space.describe(),
            scope_sets: space.sets.len() as u64,
            actions: space.actions.len() as u64,
            tenants: space.tenants.iter().map(|(t, _)| t.clone()).collect(),
            extra_scopes: space.extra_scopes_reached(),
            requests: space.requests() as u64,
            asked: if is_policy {
                0
            } else {
                space.requests() as u64 * if variants { 2 } else { 1 }
            },
        };
        let mut results = Vec::new();
        match findings {
            Err(e) => {
                for &property in selected {
                    let run = PropertyRun {
                        property,
                        cases: 0,
                        found: Found::TargetFailed(e.clone()),
                        mismatches: Mismatches::new(),
                        skipped: Default::default(),
                    };
                    results.push(result_of(
                        &domain.model,
                        run,
                        &seed,
                        &digest,
                        opts,
                        true,
                        None,
                    ));
                }
            }
            Ok(findings) => {
                for (k, &property) in selected.iter().enumerate() {
                    let found: Vec<Findings> = findings.iter().map(|f| f[k].clone()).collect();
                    let cases = found.iter().map(|f| f.cases).sum();
                    let mut mismatches = Mismatches::new();
                    for (kind, n) in found.iter().flat_map(|f| &f.mismatches) {
                        *mismatches.entry(*kind).or_default() += n;
                    }
                    let witness = merge(&found);
                    let found = match witness {
                        None => Found::Held,
                        Some((b, w)) => confirm(domain, target, space, blocks, property, b, &w),
                    };
                    // Confirmed on a fresh target, alone: this run keeps no
                    // history, so a failure that needs earlier requests (a stale
                    // cache) is saved `flaky`, never as one that replays as a pass.
                    let confirmed = match &found {
                        Found::Violated(v) => {
                            Some(super::confirm::confirm(domain, &*target, v, &[]))
                        }
                        _ => None,
                    };
                    let run = PropertyRun {
                        property,
                        cases,
                        found,
                        mismatches,
                        skipped: Default::default(),
                    };
                    let mut result =
                        result_of(&domain.model, run, &seed, &digest, opts, true, confirmed);
                    if result.status != Status::Error {
                        let how = (property.definition().note)(variants).map(str::to_string);
                        result.note = match (result.note.take(), how) {
                            (Some(confirmation), Some(how)) => {
                                Some(format!("{confirmation}; {how}"))
                            }
                            (confirmation, how) => confirmation.or(how),
                        };
                    }
                    results.push(result);
                }
            }
        }
        let mut report =
            CheckReport::new(opts.config_path.clone().unwrap_or_default(), seed, results);
        report.exhaustive = Some(summary);
        report.coverage = Some(coverage(domain, space));
        report
    }
}

/// A block's answers as codes, with the table the codes index.
struct Asked {
    table: Codes,
    codes: Vec<u32>,
    variants: Option<Vec<u32>>,
}

/// Turns a witness into a violation with the property function itself, then
/// shrinks it with the target. A witness the property function does not
/// confirm is an internal error, never a pass.
fn confirm(
    domain: &Domain,
    target: &mut dyn TargetExt,
    space: &Space,
    blocks: &[Block],
    property: Property,
    block: usize,
    w: &Witness,
) -> Found {
    let requests: Vec<crate::model::Request> = w
        .points
        .iter()
        .map(|r| {
            let b = r.block.unwrap_or(block);
            request(space, &domain.model, blocks[b], r.point, r.variant)
        })
        .collect();
    match invariants::check(property, &domain.model, &requests, &w.decisions) {
        Err(v) => match super::shrink::minimize(
            domain,
            target,
            property,
            v.clone(),
            v.mismatch(&domain.model),
        ) {
            Ok(v) => Found::Violated(v),
            Err(e) => Found::TargetFailed(e),
        },
        Ok(_) => Found::TargetFailed(TargetError {
            message: format!(
                "internal error: the exhaustive {property} check found a case the property function accepts"
            ),
            last_request: requests.last().cloned().map(Box::new),
        }),
    }
}

/// Every (closure × action × relation) combination of the space.
fn coverage(domain: &Domain, space: &Space) -> crate::runner::coverage::CoverageSummary {
    let mut coverage = Coverage::new(domain);
    let mut closures = space.closures.clone();
    closures.sort();
    closures.dedup();
    let mut relations: Vec<Relation> = (0..space.pairs())
        .map(|pair| {
            let (p, r) = space.pair(pair);
            coverage.relation(&space.tenants[p].0, &space.tenants[r].0)
        })
        .collect();
    relations.sort();
    relations.dedup();
    for &closure in &closures {
        for a in &space.actions {
            for &relation in &relations {
                coverage.record_combination(domain, closure, &a.kind, &a.action, relation);
            }
        }
    }
    coverage.summary(domain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Config;
    use crate::targets::Mutant;

    fn saas() -> Arc<Domain> {
        let config = Config::load("examples/saas/gonogo.toml".as_ref()).unwrap();
        Arc::new(Domain::new(config.model))
    }

    /// Down-closed sets would hide raw-list bugs from any other target.
    #[test]
    fn down_closed_sets_are_refused_for_a_target_other_than_the_policy() {
        let domain = saas();
        let mut target = Mutant::IgnoresImplication.target(domain.model.clone());
        let err = check(
            &domain,
            Subject::Target(&mut target),
            &Options::new(1, 1),
            Some(Enumeration::DownClosed),
            u128::MAX,
        )
        .unwrap_err();
        assert_eq!(err, ExhaustiveError::DownClosedNeedsPolicy);
    }

    /// A model without resource types (the API allows one) is no GO.
    #[test]
    fn an_empty_domain_is_an_error() {
        let mut model = saas().model.clone();
        model.resources.clear();
        let domain = Arc::new(Domain::new(model));
        let err = check(
            &domain,
            Subject::DeclaredPolicy,
            &Options::new(1, 1),
            None,
            u128::MAX,
        )
        .unwrap_err();
        assert_eq!(err, ExhaustiveError::Empty);
    }
}
