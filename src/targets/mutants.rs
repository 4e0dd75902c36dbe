//! The declared policy with one planted bug each, of the kinds real
//! authorizers have. `target.kind = "mutant"` runs one: a self-check that the
//! harness catches it, and a demo of what a caught bug looks like.

use super::{Target, TargetError, TargetExt};
use crate::invariants::Property;
use crate::model::{Cause, Decision, Model, Request};

/// A planted bug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mutant {
    /// Compares required scopes with the raw scope list, not its closure:
    /// `[admin]` may not read what `[projects:read]` may (breaks monotonicity).
    IgnoresImplication,
    /// Compares tenant ids case-insensitively (breaks isolation).
    TenantCaseInsensitive,
    /// When several causes apply, the reason depends on the request id
    /// (breaks determinism).
    ReasonByRequestId,
    /// `delete` checks the scopes of `write` (breaks conformance only).
    DeleteNeedsWrite,
    /// Tenant `acme` (the first declared tenant) skips scope checks on its own
    /// resources (breaks symmetry).
    HardcodedTenant,
}

impl Mutant {
    /// Every mutant.
    pub const ALL: [Mutant; 5] = [
        Mutant::IgnoresImplication,
        Mutant::TenantCaseInsensitive,
        Mutant::ReasonByRequestId,
        Mutant::DeleteNeedsWrite,
        Mutant::HardcodedTenant,
    ];

    /// The name used in `target.mutant`.
    pub fn name(self) -> &'static str {
        match self {
            Mutant::IgnoresImplication => "ignores_implication",
            Mutant::TenantCaseInsensitive => "tenant_case_insensitive",
            Mutant::ReasonByRequestId => "reason_by_request_id",
            Mutant::DeleteNeedsWrite => "delete_needs_write",
            Mutant::HardcodedTenant => "hardcoded_tenant",
        }
    }

    /// The property the planted bug breaks (and that must catch it).
    pub fn breaks(self) -> Property {
        match self {
            Mutant::IgnoresImplication => Property::Monotonicity,
            Mutant::TenantCaseInsensitive => Property::Isolation,
            Mutant::ReasonByRequestId => Property::Determinism,
            Mutant::DeleteNeedsWrite => Property::Conformance,
            Mutant::HardcodedTenant => Property::Symmetry,
        }
    }

    /// The mutant of that name.
    pub fn from_name(name: &str) -> Option<Mutant> {
        Mutant::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The mutant as a target over a model.
    pub fn target(self, model: Model) -> MutantTarget {
        MutantTarget {
            mutant: self,
            model,
        }
    }
}

/// A mutant deciding over a model.
#[derive(Debug, Clone)]
pub struct MutantTarget {
    mutant: Mutant,
    model: Model,
}

impl TargetExt for MutantTarget {
    fn fork(&self) -> Option<Box<dyn TargetExt + Send>> {
        Some(Box::new(self.clone()))
    }
}

impl Target for MutantTarget {
    fn decide(&mut self, req: &Request) -> Result<Decision, TargetError> {
        let model = &self.model;
        let mut causes = model.causes(req);
        match self.mutant {
            Mutant::IgnoresImplication => {
                let raw = req
                    .principal
                    .scopes
                    .iter()
                    .filter_map(|s| model.lattice.id(s))
                    .fold(crate::model::ScopeSet::EMPTY, |a, b| a.with(b));
                if let Some(required) = model.required(&req.resource.kind, &req.action) {
                    if !required.is_subset(raw) {
                        causes = causes.with(Cause::InsufficientScope);
                    }
                }
            }
            Mutant::TenantCaseInsensitive => {
                if req.principal.tenant.to_lowercase() == req.resource.tenant.to_lowercase() {
                    causes = causes.without(Cause::TenantMismatch);
                }
            }
            Mutant::ReasonByRequestId => {
                let odd = req
                    .context
                    .request_id
                    .ends_with(['1', '3', '5', '7', '9', 'b', 'd', 'f']);
                if causes.contains(Cause::TenantMismatch)
                    && causes.contains(Cause::InsufficientScope)
                    && odd
                {
                    let status = model.catalog.status_of("insufficient_scope").unwrap_or(403);
                    return Ok(Decision::deny("insufficient_scope", status));
                }
            }
            Mutant::DeleteNeedsWrite => {
                if req.action == "delete" {
                    let mut fixed = req.clone();
                    fixed.action = "write".into();
                    if model.required(&req.resource.kind, "write").is_some() {
                        let mut c = model.causes(&fixed);
                        if causes.contains(Cause::UnknownAction) {
                            c = c.with(Cause::UnknownAction);
                        }
                        causes = c;
                    }
                }
            }
            Mutant::HardcodedTenant => {
                let special = model.tenant_ids.first().map_or("acme", String::as_str);
                if req.principal.tenant == special && req.resource.tenant == special {
                    causes = causes.without(Cause::InsufficientScope);
                }
            }
        }
        Ok(model.decision_for(causes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every property has a planted bug that breaks it, so that a new
    /// property comes with the mutant its tests catch.
    #[test]
    fn every_property_has_a_planted_bug() {
        for p in Property::ALL {
            assert!(
                Mutant::ALL.iter().any(|m| m.breaks() == p),
                "no planted bug breaks `{p}`: add a mutant to `Mutant`"
            );
        }
    }
}
