//! The answers for every point of a block, as small integer codes: by bitset
//! evaluation for the declared policy, by asking the target in batches
//! otherwise. Also the requests of points, built only when they are asked or
//! reported.

use super::space::{Block, Space};
use crate::generate::requests::{context, resource_id};
use crate::model::{Cause, Causes, Decision, Model, Principal, Request, Resource};
use crate::targets::{Target, TargetError};
use std::collections::HashMap;

/// Decisions as codes: 0 is allow, `1..=k` the catalog's reasons with their
/// catalog status, anything else interned after them. Two decisions get the
/// same code exactly when [`Decision::same_as`] holds.
#[derive(Debug, Clone)]
pub struct Codes {
    decisions: Vec<Decision>,
    catalog: usize,
    index: HashMap<(Option<String>, Option<u16>), u32>,
}

impl Codes {
    /// Allow and the catalog, nothing else yet.
    pub fn new(model: &Model) -> Codes {
        let mut decisions = vec![Decision::allow()];
        let mut index = HashMap::new();
        for r in model.catalog.reasons() {
            index.insert(
                (Some(r.code.clone()), Some(r.status)),
                decisions.len() as u32,
            );
            decisions.push(Decision::deny(&r.code, r.status));
        }
        Codes {
            catalog: decisions.len() - 1,
            decisions,
            index,
        }
    }

    /// The code of a decision (interned when new).
    pub fn code(&mut self, d: &Decision) -> u32 {
        if d.allow {
            return 0;
        }
        let key = (d.reason.clone(), d.status);
        if let Some(&c) = self.index.get(&key) {
            return c;
        }
        let c = self.decisions.len() as u32;
        self.decisions.push(d.clone());
        self.index.insert(key, c);
        c
    }

    /// The decision of a code.
    pub fn decision(&self, code: u32) -> &Decision {
        &self.decisions[code as usize]
    }

    /// Whether a code is allow or a catalog reason with its catalog status.
    pub fn in_catalog(&self, code: u32) -> bool {
        code as usize <= self.catalog
    }
}

/// What the declared policy needs per scope set, computed once per space.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Whether the set's closure holds a cross-tenant scope.
    pub crosses: Vec<bool>,
    /// The code of each cause combination (bit 0 unauthenticated, 1 unknown
    /// action, 2 insufficient scope, 3 tenant mismatch).
    pub cause_codes: [u32; 16],
}

impl Facts {
    /// The facts of a space.
    pub fn new(space: &Space, model: &Model, codes: &mut Codes) -> Facts {
        let crosses = space
            .closures
            .iter()
            .map(|&c| model.crosses_tenants(c))
            .collect();
        let mut cause_codes = [0; 16];
        for (bits, code) in cause_codes.iter_mut().enumerate() {
            *code = codes.code(&model.decision_for(causes_of(bits)));
        }
        Facts {
            crosses,
            cause_codes,
        }
    }

    /// Per set of a block: whether the action is unknown or its required
    /// scopes are not all implied (the cause bits 1 and 2 of each set).
    pub fn scope_bits(&self, space: &Space, block: Block) -> Vec<u8> {
        match space.actions[block.action].required {
            None => vec![2; space.sets.len()],
            Some(required) => space
                .closures
                .iter()
                .map(|&c| if required.is_subset(c) { 0 } else { 4 })
                .collect(),
        }
    }

    /// The cause bits of a point from its set's scope bits.
    pub fn cause_bits(&self, block: Block, scope_bits: u8, same: bool, set: usize) -> usize {
        let unauthenticated = u8::from(!block.authenticated);
        let mismatch = if !same && !self.crosses[set] { 8 } else { 0 };
        (unauthenticated | scope_bits | mismatch) as usize
    }
}

/// The causes a combination of cause bits stands for.
pub fn causes_of(bits: usize) -> Causes {
    let order = [
        Cause::Unauthenticated,
        Cause::UnknownAction,
        Cause::InsufficientScope,
        Cause::TenantMismatch,
    ];
    order
        .into_iter()
        .enumerate()
        .filter(|(i, _)| bits >> i & 1 == 1)
        .fold(Causes::default(), |acc, (_, c)| acc.with(c))
}

/// The declared policy's codes for every point of a block, from bitsets.
pub fn policy_block(space: &Space, facts: &Facts, block: Block) -> Vec<u32> {
    let scope_bits = facts.scope_bits(space, block);
    let mut out = Vec::with_capacity(space.block_len());
    for pair in 0..space.pairs() {
        let same = space.same(pair);
        out.extend(
            scope_bits
                .iter()
                .enumerate()
                .map(|(set, &bits)| facts.cause_codes[facts.cause_bits(block, bits, same, set)]),
        );
    }
    out
}

/// The request of a point. Its variant lists the scopes reversed with the
/// first one repeated, and has another context and resource id: an
/// equivalent request that must get the same decision.
pub fn request(space: &Space, model: &Model, block: Block, point: usize, variant: bool) -> Request {
    let n = space.sets.len();
    let (pair, set) = (point / n, point % n);
    let (p, r) = space.pair(pair);
    let action = &space.actions[block.action];
    let mut scopes = model.lattice.names_of(space.sets[set]);
    if variant {
        scopes.reverse();
        if let Some(first) = scopes.first().cloned() {
            scopes.push(first);
        }
    }
    Request {
        principal: Principal {
            authenticated: block.authenticated,
            tenant: space.tenants[p].0.clone(),
            scopes,
        },
        action: action.action.clone(),
        resource: Resource {
            id: resource_id(&action.kind, u32::from(variant)),
            kind: action.kind.clone(),
            tenant: space.tenants[r].0.clone(),
        },
        context: if variant {
            context(1, 43_200)
        } else {
            context(0, 0)
        },
    }
}

/// Requests asked together.
const CHUNK: usize = 4096;

/// The answers of a target for every point of a block (and for every
/// point's variant with `variants`), asked in chunks, pipelined when the
/// target pipelines.
pub fn ask_block(
    target: &mut dyn Target,
    space: &Space,
    model: &Model,
    block: Block,
    variants: bool,
    codes: &mut Codes,
) -> Result<(Vec<u32>, Option<Vec<u32>>), TargetError> {
    let len = space.block_len();
    let chunk_requests = |start: usize| -> Vec<Request> {
        let end = (start + CHUNK).min(len);
        let mut out: Vec<Request> = (start..end)
            .map(|p| request(space, model, block, p, false))
            .collect();
        if variants {
            out.extend((start..end).map(|p| request(space, model, block, p, true)));
        }
        out
    };
    let mut answers = Vec::with_capacity(len);
    let mut variant_answers = Vec::with_capacity(if variants { len } else { 0 });
    let mut take = |decisions: Vec<Decision>, codes: &mut Codes| {
        let half = if variants {
            decisions.len() / 2
        } else {
            decisions.len()
        };
        for (i, d) in decisions.iter().enumerate() {
            let c = codes.code(d);
            if i < half {
                answers.push(c);
            } else {
                variant_answers.push(c);
            }
        }
    };
    let starts: Vec<usize> = (0..len).step_by(CHUNK).collect();
    let Some((&first, rest)) = starts.split_first() else {
        return Ok((Vec::new(), variants.then(Vec::new)));
    };
    let mut current = chunk_requests(first);
    if crate::targets::ask_send(target, &current)? {
        for &start in rest {
            let next = chunk_requests(start);
            crate::targets::ask_send(target, &next)?;
            take(crate::targets::ask_receive(target, &current)?, codes);
            current = next;
        }
        take(crate::targets::ask_receive(target, &current)?, codes);
    } else {
        take(crate::targets::ask(target, &current)?, codes);
        for &start in rest {
            take(crate::targets::ask(target, &chunk_requests(start))?, codes);
        }
    }
    Ok((answers, variants.then_some(variant_answers)))
}
