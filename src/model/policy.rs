//! The declared policy (SPEC §3): resource types, actions and the scopes they
//! require, cross-tenant scopes, and the reason catalog; with the evaluator
//! that decides a request the way the model says it must be decided.

use super::request::{Decision, Request};
use super::scopes::{Lattice, ScopeSet};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The failure causes the declared policy knows, by their catalog codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// The principal is not authenticated.
    Unauthenticated,
    /// The resource type or its action is not declared.
    UnknownAction,
    /// The tenants differ and the principal holds no cross-tenant scope.
    TenantMismatch,
    /// The principal's scopes do not imply every scope the action requires.
    InsufficientScope,
}

impl Cause {
    /// Every cause.
    pub const ALL: [Cause; 4] = [
        Cause::Unauthenticated,
        Cause::UnknownAction,
        Cause::TenantMismatch,
        Cause::InsufficientScope,
    ];

    /// The reason code the catalog lists it under.
    pub fn code(self) -> &'static str {
        match self {
            Cause::Unauthenticated => "unauthenticated",
            Cause::UnknownAction => "unknown_action",
            Cause::TenantMismatch => "tenant_mismatch",
            Cause::InsufficientScope => "insufficient_scope",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of failure causes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Causes(u8);

impl Causes {
    /// Whether the set holds a cause.
    pub fn contains(self, c: Cause) -> bool {
        self.0 & c.bit() != 0
    }

    /// The set with a cause added.
    pub fn with(self, c: Cause) -> Causes {
        Causes(self.0 | c.bit())
    }

    /// The set without a cause.
    pub fn without(self, c: Cause) -> Causes {
        Causes(self.0 & !c.bit())
    }

    /// Whether no cause applies (the request is allowed).
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The causes, in [`Cause::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Cause> {
        Cause::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

/// One entry of the reason catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogReason {
    pub code: String,
    pub status: u16,
}

/// The reason catalog, in precedence order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    reasons: Vec<CatalogReason>,
    /// For each [`Cause`], its position in `reasons`.
    position: [usize; 4],
}

impl Catalog {
    /// A catalog; `Err(cause)` names a built-in cause it does not list.
    pub fn new(reasons: Vec<CatalogReason>) -> Result<Catalog, Cause> {
        let mut position = [0; 4];
        for cause in Cause::ALL {
            position[cause as usize] = reasons
                .iter()
                .position(|r| r.code == cause.code())
                .ok_or(cause)?;
        }
        Ok(Catalog { reasons, position })
    }

    /// Entries in precedence order.
    pub fn reasons(&self) -> &[CatalogReason] {
        &self.reasons
    }

    /// The catalog status of a code.
    pub fn status_of(&self, code: &str) -> Option<u16> {
        self.reasons
            .iter()
            .find(|r| r.code == code)
            .map(|r| r.status)
    }

    /// The reason reported for a set of causes: the first listed that applies.
    pub fn reported(&self, causes: Causes) -> Option<&CatalogReason> {
        causes
            .iter()
            .map(|c| self.position[c as usize])
            .min()
            .map(|i| &self.reasons[i])
    }
}

/// An action of a resource type, with the scopes it requires (all of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub name: String,
    pub required: ScopeSet,
}

/// A resource type with its actions (sorted by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    pub name: String,
    pub actions: Vec<Action>,
}

/// The authorization model of a `gonogo.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The scope order.
    pub lattice: Lattice,
    /// Scopes that may cross tenants.
    pub cross_tenant: ScopeSet,
    /// Tenant ids always included in generation.
    pub tenant_ids: Vec<String>,
    /// Resource types, sorted by name.
    pub resources: Vec<ResourceType>,
    /// The reason catalog.
    pub catalog: Catalog,
}

impl Model {
    /// The resource type of that name.
    pub fn resource(&self, name: &str) -> Option<&ResourceType> {
        self.resources.iter().find(|r| r.name == name)
    }

    /// The required scopes of an action, `None` when the action does not exist.
    pub fn required(&self, resource: &str, action: &str) -> Option<ScopeSet> {
        self.resource(resource)?
            .actions
            .iter()
            .find(|a| a.name == action)
            .map(|a| a.required)
    }

    /// Whether a down-closed scope set holds a cross-tenant scope.
    pub fn crosses_tenants(&self, closure: ScopeSet) -> bool {
        !closure.intersection(self.cross_tenant).is_empty()
    }

    /// Every failure cause that applies to a request.
    pub fn causes(&self, req: &Request) -> Causes {
        let closure = self.lattice.closure_of_names(&req.principal.scopes);
        let mut causes = Causes::default();
        if !req.principal.authenticated {
            causes = causes.with(Cause::Unauthenticated);
        }
        match self.required(&req.resource.kind, &req.action) {
            None => causes = causes.with(Cause::UnknownAction),
            Some(required) if !required.is_subset(closure) => {
                causes = causes.with(Cause::InsufficientScope)
            }
            Some(_) => {}
        }
        if req.principal.tenant.as_bytes() != req.resource.tenant.as_bytes()
            && !self.crosses_tenants(closure)
        {
            causes = causes.with(Cause::TenantMismatch);
        }
        causes
    }

    /// The declared policy's decision.
    pub fn decide(&self, req: &Request) -> Decision {
        self.decision_for(self.causes(req))
    }

    /// The decision a set of causes leads to.
    pub fn decision_for(&self, causes: Causes) -> Decision {
        match self.catalog.reported(causes) {
            None => Decision::allow(),
            Some(r) => Decision::deny(&r.code, r.status),
        }
    }

    /// `sha256:<hex>` of the model's canonical form (scopes, tenants,
    /// resources, catalog); comments and layout do not change it.
    pub fn digest(&self) -> String {
        let canonical = serde_json::json!({
            "scopes": self.lattice.names().iter().enumerate().map(|(i, n)| {
                (n.clone(), self.lattice.names_of(self.lattice.implies(i)))
            }).collect::<Vec<_>>(),
            "cross_tenant_scopes": self.lattice.names_of(self.cross_tenant),
            "tenant_ids": self.tenant_ids,
            "resources": self.resources.iter().map(|r| {
                (r.name.clone(), r.actions.iter().map(|a| {
                    (a.name.clone(), self.lattice.names_of(a.required))
                }).collect::<Vec<_>>())
            }).collect::<Vec<_>>(),
            "reasons": self.catalog.reasons(),
        });
        format!(
            "sha256:{}",
            hex::encode(Sha256::digest(canonical.to_string()))
        )
    }
}
