//! What the declared policy needs per scope set of a space, and its codes
//! for a whole block, from bitsets.

use super::{Block, Codes, Space};
use crate::model::{Cause, Causes, Model};

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
