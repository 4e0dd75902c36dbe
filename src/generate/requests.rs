//! Requests, as specs of small indices that proptest generates and shrinks,
//! and the domain that turns a spec into a concrete [`Request`].

use super::tenants::TenantPool;
use crate::model::{Context, Model, Principal, Request, Resource, ScopeSet};
use proptest::prelude::*;

/// Action names tried for an action a resource type does not declare (with
/// case and whitespace variants of the declared ones, added per type).
const UNKNOWN_ACTIONS: [&str; 6] = [
    "purge",
    "impersonate",
    "*",
    "__proto__",
    "constructor",
    "toString",
];
/// Resource type names no model declares (with variants of the declared ones).
const UNKNOWN_TYPES: [&str; 3] = ["*", "__proto__", "constructor"];
/// Scope names outside the catalog (with variants of the declared ones).
const UNKNOWN_SCOPES: [&str; 4] = ["*", "admin:*", "__proto__", "root"];

/// How the principal's tenant relates to the resource's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantPair {
    /// Both tenants are pool id `i`.
    Same(usize),
    /// Base `base` of the principal against variant `v` of its family (or the
    /// other way round with `flip`).
    Family {
        /// The base's index among the pool's bases.
        base: usize,
        /// The variant's index in the base's family.
        variant: usize,
        /// Whether the principal gets the variant and the resource the base.
        flip: bool,
    },
    /// Pool id `first` against pool id `first + offset` (wrapping): shrinking
    /// `first` keeps the two ids' relation, shrinking `offset` makes them equal.
    Any {
        /// The principal's pool id.
        first: usize,
        /// How far past `first` the resource's pool id is.
        offset: usize,
    },
}

/// A request as indices: what proptest generates and shrinks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpec {
    /// Whether the principal is authenticated.
    pub authenticated: bool,
    /// Scope ids in the order the principal lists them.
    pub scopes: Vec<usize>,
    /// With `Some(k)`: add the k-th scope the others already imply (redundant).
    pub redundant: Option<usize>,
    /// An index into the model's resource types; one past the end: an unknown type.
    pub resource: usize,
    /// An index into the resource type's actions; past the end: an unknown action.
    pub action: usize,
    /// With `Some(k)`: the k-th name outside the catalog, added to the scopes.
    pub unknown_scope: Option<usize>,
    /// How the principal's tenant relates to the resource's.
    pub tenants: TenantPair,
    /// The number the resource id is made from (see [`resource_id`]).
    pub resource_id: u32,
    /// The request id, written as 16 hex digits.
    pub request_id: u64,
    /// The request time, in seconds from `2026-03-01T00:00:00Z` (wrapping after 28 days).
    pub time: u32,
}

/// The model and tenant pool a run draws from.
#[derive(Debug, Clone)]
pub struct Domain {
    /// The authorization model.
    pub model: Model,
    /// The tenant ids requests draw from.
    pub tenants: TenantPool,
    /// Per resource type: action names it does not declare.
    unknown_actions: Vec<Vec<String>>,
    /// Resource type names the model does not declare.
    unknown_types: Vec<String>,
    /// Scope names outside the catalog.
    unknown_scopes: Vec<String>,
}

/// `name` made fresh: suffixed until `taken` says no.
fn fresh(name: String, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    candidate
}

/// Names that differ from `name` only in case or surrounding whitespace.
fn near_misses(name: &str) -> [String; 2] {
    [name.to_uppercase(), format!("{name} ")]
}

impl Domain {
    /// The domain of a model.
    pub fn new(model: Model) -> Domain {
        let tenants = TenantPool::new(&model.tenant_ids);
        let unknown_actions = model
            .resources
            .iter()
            .map(|r| {
                let declared = |n: &str| r.actions.iter().any(|a| a.name == n);
                let mut names: Vec<String> = Vec::new();
                let candidates = UNKNOWN_ACTIONS.iter().map(|s| s.to_string()).chain(
                    r.actions
                        .first()
                        .into_iter()
                        .flat_map(|a| near_misses(&a.name)),
                );
                for c in candidates {
                    let c = fresh(c, declared);
                    if !names.contains(&c) {
                        names.push(c);
                    }
                }
                names
            })
            .collect();
        let type_taken = |n: &str| model.resource(n).is_some();
        let mut unknown_types: Vec<String> = Vec::new();
        for c in UNKNOWN_TYPES.iter().map(|s| s.to_string()).chain(
            model
                .resources
                .first()
                .into_iter()
                .flat_map(|r| near_misses(&r.name)),
        ) {
            let c = fresh(c, type_taken);
            if !unknown_types.contains(&c) {
                unknown_types.push(c);
            }
        }
        let scope_taken = |n: &str| model.lattice.id(n).is_some();
        let mut unknown_scopes: Vec<String> = Vec::new();
        for c in UNKNOWN_SCOPES.iter().map(|s| s.to_string()).chain(
            model
                .lattice
                .names()
                .last()
                .into_iter()
                .flat_map(|s| near_misses(s)),
        ) {
            let c = fresh(c, scope_taken);
            if !unknown_scopes.contains(&c) {
                unknown_scopes.push(c);
            }
        }
        Domain {
            model,
            tenants,
            unknown_actions,
            unknown_types,
            unknown_scopes,
        }
    }

    /// The k-th action name a resource type does not declare.
    pub fn unknown_action(&self, resource: usize, k: usize) -> &str {
        let names = &self.unknown_actions[resource];
        &names[k % names.len()]
    }

    /// The k-th resource type name the model does not declare.
    pub fn unknown_type(&self, k: usize) -> &str {
        &self.unknown_types[k % self.unknown_types.len()]
    }

    fn tenant(&self, i: usize) -> String {
        let ids = self.tenants.ids();
        ids[i % ids.len()].value.clone()
    }

    /// The (principal, resource) tenant ids of a pair spec.
    pub fn tenant_pair(&self, pair: TenantPair) -> (String, String) {
        match pair {
            TenantPair::Same(i) => (self.tenant(i), self.tenant(i)),
            TenantPair::Family {
                base,
                variant,
                flip,
            } => {
                let base = base % self.tenants.bases();
                let family = self.tenants.family(base);
                let v = family[variant % family.len()];
                let (a, b) = (self.tenant(family[0]), self.tenant(v));
                if flip { (b, a) } else { (a, b) }
            }
            TenantPair::Any { first, offset } => (self.tenant(first), self.tenant(first + offset)),
        }
    }

    /// The concrete request of a spec.
    pub fn request(&self, spec: &RequestSpec) -> Request {
        let model = &self.model;
        let lattice = &model.lattice;
        let mut scopes: Vec<String> = if lattice.is_empty() {
            Vec::new()
        } else {
            spec.scopes
                .iter()
                .map(|&s| lattice.name(s % lattice.len()).to_string())
                .collect()
        };
        if let Some(k) = spec.redundant {
            let implied: Vec<usize> = lattice.closure_of_names(&scopes).iter().collect();
            if !implied.is_empty() {
                scopes.push(lattice.name(implied[k % implied.len()]).to_string());
            }
        }
        if let Some(k) = spec.unknown_scope {
            scopes.push(self.unknown_scopes[k % self.unknown_scopes.len()].clone());
        }
        // One index past the declared types: an unknown type.
        let declared_types = model.resources.len();
        let resource = spec.resource % (declared_types + 1);
        let (kind, action) = if resource == declared_types {
            let k = spec.action % self.unknown_types.len();
            let action = model.resources[0].actions[0].name.clone();
            (self.unknown_types[k].clone(), action)
        } else {
            let rtype = &model.resources[resource];
            let action = match rtype.actions.get(spec.action) {
                Some(a) => a.name.clone(),
                None => self
                    .unknown_action(resource, spec.action - rtype.actions.len())
                    .to_string(),
            };
            (rtype.name.clone(), action)
        };
        let (ptenant, rtenant) = self.tenant_pair(spec.tenants);
        let id = resource_id(&kind, &ptenant, &rtenant, spec.resource_id);
        Request {
            principal: Principal {
                authenticated: spec.authenticated,
                tenant: ptenant,
                scopes,
            },
            action,
            resource: Resource {
                id,
                kind,
                tenant: rtenant,
            },
            context: context(spec.request_id, spec.time),
        }
    }

    /// The scope names outside the catalog that cases add to a principal's.
    pub fn unknown_scopes(&self) -> &[String] {
        &self.unknown_scopes
    }

    /// One unknown scope name per class the random cases draw from: the
    /// wildcard `*`, a namespaced wildcard `admin:*`, an unknown name
    /// `root`, and the upper-case variant of a declared scope (when the
    /// catalog has one). The exhaustive domain adds each as one element.
    pub fn scope_classes(&self) -> Vec<String> {
        // Positions in `unknown_scopes`: `UNKNOWN_SCOPES` in order, then the
        // near misses of a declared name, upper case first.
        [0, 1, 3, UNKNOWN_SCOPES.len()]
            .iter()
            .filter_map(|&i| self.unknown_scopes.get(i).cloned())
            .collect()
    }

    /// Scope names of a request without the ones that cross tenants.
    pub fn without_cross_tenant(&self, scopes: &[String]) -> Vec<String> {
        let lattice = &self.model.lattice;
        scopes
            .iter()
            .filter(|s| match lattice.id(s) {
                Some(id) => !self.model.crosses_tenants(lattice.down(id)),
                None => true,
            })
            .cloned()
            .collect()
    }

    /// Scope names that add something to nothing: every catalog scope.
    pub fn scope_count(&self) -> usize {
        self.model.lattice.len()
    }

    /// The closure of a request's scopes.
    pub fn closure(&self, req: &Request) -> ScopeSet {
        self.model.lattice.closure_of_names(&req.principal.scopes)
    }
}

pub use super::ids::resource_id;

/// A request context from two numbers.
pub fn context(request_id: u64, time: u32) -> Context {
    let day = time / 86_400 % 28 + 1;
    let secs = time % 86_400;
    Context {
        request_id: format!("{request_id:016x}"),
        time: format!(
            "2026-03-{day:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        ),
    }
}

/// Scope lists biased to small ones.
pub fn scope_list(n: usize) -> BoxedStrategy<Vec<usize>> {
    if n == 0 {
        return Just(Vec::new()).boxed();
    }
    prop_oneof![
        4 => prop::collection::vec(0..n, 0..=2),
        3 => prop::collection::vec(0..n, 0..=4),
        1 => prop::collection::vec(0..n, 0..=n.min(12)),
    ]
    .boxed()
}

/// Tenant pairs: mostly the same tenant or a base against its own variant.
pub fn tenant_pair(pool: &TenantPool) -> BoxedStrategy<TenantPair> {
    let bases = pool.bases();
    let size = pool.ids().len();
    let family_max = (0..bases).map(|b| pool.family(b).len()).max().unwrap_or(1);
    prop_oneof![
        4 => (0..bases).prop_map(TenantPair::Same),
        4 => (0..bases, 0..family_max, any::<bool>())
            .prop_map(|(base, variant, flip)| TenantPair::Family { base, variant, flip }),
        2 => (0..size, 0..size).prop_map(|(first, offset)| TenantPair::Any { first, offset }),
        1 => (0..size).prop_map(TenantPair::Same),
    ]
    .boxed()
}

/// Request specs over a domain.
pub fn request_spec(domain: &Domain) -> BoxedStrategy<RequestSpec> {
    request_spec_with(domain, tenant_pair(&domain.tenants))
}

/// Request specs with a given tenant-pair strategy.
pub fn request_spec_with(
    domain: &Domain,
    tenants: BoxedStrategy<TenantPair>,
) -> BoxedStrategy<RequestSpec> {
    let resources = domain.model.resources.len();
    let max_actions = domain
        .model
        .resources
        .iter()
        .map(|r| r.actions.len())
        .max()
        .unwrap_or(0);
    (
        prop_oneof![9 => Just(true), 1 => Just(false)],
        scope_list(domain.scope_count()),
        (
            prop_oneof![3 => Just(None), 1 => (0usize..8).prop_map(Some)],
            prop_oneof![9 => Just(None), 1 => (0usize..16).prop_map(Some)],
        ),
        prop_oneof![12 => 0..resources, 1 => Just(resources)],
        prop_oneof![8 => 0..max_actions.max(1), 1 => max_actions..max_actions + 8],
        tenants,
        0u32..1000,
        any::<u64>(),
        0u32..2_419_200,
    )
        .prop_map(
            |(
                authenticated,
                scopes,
                (redundant, unknown_scope),
                resource,
                action,
                tenants,
                resource_id,
                request_id,
                time,
            )| {
                RequestSpec {
                    authenticated,
                    scopes,
                    redundant,
                    unknown_scope,
                    resource,
                    action,
                    tenants,
                    resource_id,
                    request_id,
                    time,
                }
            },
        )
        .boxed()
}
