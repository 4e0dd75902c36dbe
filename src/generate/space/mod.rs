//! The bounded domain an exhaustive check enumerates: scope sets, actions,
//! a fixed adversarial tenant set, authenticated or not. Pure.
//!
//! Points are laid out in blocks, one per (authenticated, action); inside a
//! block, tenant pair major, scope set minor: `pair * sets + set`, where
//! `pair = principal_tenant * tenants + resource_tenant`.
//!
//! Also what is computed once per space ([`Facts`] of the declared policy,
//! the [`Covers`] of the sets), answers as [`Codes`], and the [`request`] of
//! a point.

mod codes;
mod covers;
mod facts;
mod point;

pub use codes::Codes;
pub use covers::Covers;
pub use facts::{Facts, causes_of, policy_block};
pub use point::request;

use super::{Domain, TenantClass};
use crate::model::{Model, ScopeSet};
use serde::Serialize;

/// Which scope sets are enumerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Enumeration {
    /// Every subset of the catalog, as the raw list a target receives
    /// (`[admin]` and `[admin, billing:write]` are different cases).
    Raw,
    /// Down-closed sets only: enough for the declared policy, which decides
    /// on the closure of the scopes and nothing else.
    DownClosed,
}

/// One action of the domain: a declared one, or one unknown action per type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceAction {
    /// The resource type's name.
    pub kind: String,
    /// The action's name.
    pub action: String,
    /// The scopes it requires; `None` for the unknown action.
    pub required: Option<ScopeSet>,
}

impl SpaceAction {
    /// `project.read`.
    pub fn label(&self) -> String {
        format!("{}.{}", self.kind, self.action)
    }
}

/// The enumerated domain.
#[derive(Debug, Clone)]
pub struct Space {
    /// Which scope sets are enumerated.
    pub enumeration: Enumeration,
    /// Catalog size.
    pub scopes: usize,
    /// The scope sets, ascending by bit value (for `Raw`, set `i` is `i`).
    pub sets: Vec<ScopeSet>,
    /// The down-closure of each set.
    pub closures: Vec<ScopeSet>,
    /// The actions, in order: every declared one, then one unknown one, per
    /// resource type; then one on an unknown resource type.
    pub actions: Vec<SpaceAction>,
    /// The fixed adversarial tenant ids, with their classes.
    pub tenants: Vec<(String, TenantClass)>,
    /// Scope names outside the catalog, one per class random cases draw
    /// from ([`Domain::scope_classes`]): the scope sets carry them in turn
    /// as one extra element ([`Space::extra_of`]; the declared policy
    /// ignores it), so an exhaustive GO is never weaker than a random one.
    pub extra_scopes: Vec<String>,
    /// Whether every block is enumerated once per extra (none, then each
    /// name): a raw domain small enough ([`EVERY_EXTRA_LIMIT`]) pairs every
    /// set with every unknown name; a larger one rotates them over the
    /// (action, set) pairs ([`Space::extra_of`]).
    pub every_extra: bool,
}

/// The most requests a raw domain may hold with every set paired with
/// every unknown scope name; past it the names rotate over the sets.
pub const EVERY_EXTRA_LIMIT: u128 = 1_000_000;

/// The domain is larger than allowed, or than memory could hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// How the size was reached, in words.
    pub description: String,
    /// The number of requests; `None` when it was not counted to the end.
    pub requests: Option<u128>,
    /// Which limit it broke.
    pub limit: Limit,
}

/// A limit of the exhaustive domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// More requests than `--max-cases`.
    MaxCases,
    /// More scope sets than [`MEMORY_BUDGET`] holds.
    Memory,
}

/// The memory an exhaustive run may plan for: scope sets, their closures,
/// the covering pairs, and up to four blocks of answers in flight.
pub const MEMORY_BUDGET: u128 = 8 << 30;

/// The most scope sets [`MEMORY_BUDGET`] holds for a domain of `scopes`
/// scopes and `pairs` tenant pairs (a bound that does not depend on the
/// number of threads, so neither does a refusal).
fn max_sets(scopes: usize, pairs: usize) -> u128 {
    let per_set = 32 + 4 * scopes as u128 + 4 * 12 * pairs as u128;
    MEMORY_BUDGET / per_set
}

impl Space {
    /// The domain of a model, refused when it holds more than `max_requests`
    /// requests (`sets × actions × tenant pairs × 2`).
    pub fn new(
        domain: &Domain,
        enumeration: Enumeration,
        max_requests: u128,
    ) -> Result<Space, TooLarge> {
        let model = &domain.model;
        let actions = actions(domain);
        let tenants = tenant_set(domain);
        let extra_scopes = domain.scope_classes();
        let per_set = actions.len() as u128 * (tenants.len() as u128).pow(2) * 2;
        let n = model.lattice.len();
        let describe = |sets: String| {
            format!(
                "{sets} × {} actions × {} tenant pairs × 2 (authenticated or not)",
                actions.len(),
                tenants.len() * tenants.len()
            )
        };
        let memory = max_sets(n, tenants.len() * tenants.len());
        let sets = match enumeration {
            Enumeration::Raw => {
                let count = if n >= 127 { u128::MAX } else { 1u128 << n };
                let requests = count.saturating_mul(per_set);
                let too_large = |limit| TooLarge {
                    description: describe(format!("2^{n} scope sets")),
                    requests: Some(requests),
                    limit,
                };
                if count > memory {
                    return Err(too_large(Limit::Memory));
                }
                if requests > max_requests {
                    return Err(too_large(Limit::MaxCases));
                }
                (0..count).map(ScopeSet).collect()
            }
            Enumeration::DownClosed => {
                let by_cases = max_requests / per_set.max(1);
                let (limit, broken) = if memory < by_cases {
                    (memory, Limit::Memory)
                } else {
                    (by_cases, Limit::MaxCases)
                };
                match down_sets(model, limit.min(usize::MAX as u128) as usize) {
                    Some(sets) => sets,
                    None => {
                        return Err(TooLarge {
                            description: describe(format!(
                                "more than {limit} down-closed scope sets"
                            )),
                            requests: None,
                            limit: broken,
                        });
                    }
                }
            }
        };
        let closures = sets.iter().map(|&s| model.lattice.closure(s)).collect();
        let full = (sets.len() as u128)
            .saturating_mul(per_set)
            .saturating_mul(1 + extra_scopes.len() as u128);
        let every_extra = enumeration == Enumeration::Raw
            && !extra_scopes.is_empty()
            && full <= EVERY_EXTRA_LIMIT.min(max_requests);
        Ok(Space {
            enumeration,
            scopes: n,
            sets,
            closures,
            actions,
            tenants,
            extra_scopes,
            every_extra,
        })
    }

    /// How many tenant pairs a block holds.
    pub fn pairs(&self) -> usize {
        self.tenants.len() * self.tenants.len()
    }

    /// How many points a block holds.
    pub fn block_len(&self) -> usize {
        self.pairs() * self.sets.len()
    }

    /// The blocks, in order: authenticated first, then (with
    /// [`Space::every_extra`]) by extra, none first, then by action.
    pub fn blocks(&self) -> Vec<Block> {
        let extras: Vec<Option<usize>> = if self.every_extra {
            (0..=self.extra_scopes.len()).map(Some).collect()
        } else {
            vec![None]
        };
        let mut out = Vec::new();
        for authenticated in [true, false] {
            for &extra in &extras {
                out.extend((0..self.actions.len()).map(|action| Block {
                    authenticated,
                    action,
                    extra,
                }));
            }
        }
        out
    }

    /// Every request of the domain.
    pub fn requests(&self) -> u128 {
        let extras = if self.every_extra {
            1 + self.extra_scopes.len() as u128
        } else {
            1
        };
        self.sets.len() as u128 * self.actions.len() as u128 * self.pairs() as u128 * 2 * extras
    }

    /// The unknown scope name set `set` carries beside its own in the
    /// blocks of `action`: the (action, set) pairs take none or one of
    /// [`Space::extra_scopes`] in turn, so every class meets many sets and
    /// tenant pairs without growing the domain (a block's comparisons — a
    /// set against its covers, a tenant pair against another — keep one
    /// assignment per set).
    pub fn extra_of(&self, set: usize, block: Block) -> Option<&str> {
        match block
            .extra
            .unwrap_or_else(|| self.extra_index(set, block.action))
        {
            0 => None,
            x => self.extra_scopes.get(x - 1).map(String::as_str),
        }
    }

    fn extra_index(&self, set: usize, action: usize) -> usize {
        (set + action * self.sets.len()) % (1 + self.extra_scopes.len())
    }

    /// The unknown scope names some request of the domain carries (all of
    /// them unless the domain has fewer (action, set) pairs than names).
    pub fn extra_scopes_reached(&self) -> Vec<String> {
        if self.every_extra {
            return self.extra_scopes.clone();
        }
        let pairs = self.sets.len() * self.actions.len();
        // The (action, set) pairs take residues 0, 1, 2, … in turn: name
        // `x` (residue x + 1) is reached when there are more pairs than x + 1.
        self.extra_scopes
            .iter()
            .enumerate()
            .filter(|(x, _)| x + 1 < pairs)
            .map(|(_, name)| name.clone())
            .collect()
    }

    /// The (principal, resource) tenant indices of a pair.
    pub fn pair(&self, pair: usize) -> (usize, usize) {
        (pair / self.tenants.len(), pair % self.tenants.len())
    }

    /// Whether a pair's two tenants are the same id.
    pub fn same(&self, pair: usize) -> bool {
        let (p, r) = self.pair(pair);
        p == r
    }

    /// The index of a set, if the enumeration holds it.
    pub fn index_of(&self, set: ScopeSet) -> Option<usize> {
        match self.enumeration {
            Enumeration::Raw => Some(set.0 as usize).filter(|&i| i < self.sets.len()),
            Enumeration::DownClosed => self.sets.binary_search(&set).ok(),
        }
    }

    /// The enumeration in words, for the report.
    pub fn describe(&self) -> String {
        let sets = match self.enumeration {
            Enumeration::Raw => format!(
                "all {} subsets of the {} scopes as raw lists",
                self.sets.len(),
                self.scopes
            ),
            Enumeration::DownClosed => format!(
                "the {} down-closed sets of the {} scopes (the declared policy decides on closures only)",
                self.sets.len(),
                self.scopes
            ),
        };
        format!(
            "{sets} × {} actions (each declared one, one unknown per resource type, one on an unknown type) × {} ordered pairs of {} adversarial tenant ids × authenticated or not{} = {} requests; {} of the unknown scope names {}",
            self.actions.len(),
            self.pairs(),
            self.tenants.len(),
            if self.every_extra {
                format!(
                    " × {} (no unknown scope, or one of {})",
                    1 + self.extra_scopes.len(),
                    self.extra_scopes.len()
                )
            } else {
                String::new()
            },
            self.requests(),
            if self.every_extra {
                "each set also with each"
            } else {
                "the sets carry in turn none or one"
            },
            self.extra_scopes_reached()
                .iter()
                .map(|s| format!("`{}`", s.escape_debug()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// One block of points: every tenant pair and scope set for one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Whether the principal is authenticated.
    pub authenticated: bool,
    /// The action's index in [`Space::actions`].
    pub action: usize,
    /// With [`Space::every_extra`]: the extra every set of the block
    /// carries (0: none, `x`: [`Space::extra_scopes`]`[x - 1]`); `None`:
    /// the extras rotate over the sets.
    pub extra: Option<usize>,
}

/// Every declared action, then one unknown action, per resource type; then
/// one action on a resource type the model does not declare.
fn actions(domain: &Domain) -> Vec<SpaceAction> {
    let model = &domain.model;
    let mut out = Vec::new();
    for r in &model.resources {
        for a in &r.actions {
            out.push(SpaceAction {
                kind: r.name.clone(),
                action: a.name.clone(),
                required: Some(a.required),
            });
        }
        let mut unknown = "purge".to_string();
        while r.actions.iter().any(|a| a.name == unknown) {
            unknown.push('_');
        }
        out.push(SpaceAction {
            kind: r.name.clone(),
            action: unknown,
            required: None,
        });
    }
    if let Some(first) = model.resources.first().and_then(|r| r.actions.first()) {
        out.push(SpaceAction {
            kind: domain.unknown_type(0).to_string(),
            action: first.name.clone(),
            required: None,
        });
    }
    out
}

/// The fixed adversarial tenant set: every base id, then one id of each
/// variant class of the first base (the long class: a pair sharing its first
/// 256 bytes), then the empty id, `*` and one special name.
pub fn tenant_set(domain: &Domain) -> Vec<(String, TenantClass)> {
    let pool = &domain.tenants;
    let ids = pool.ids();
    let mut out: Vec<(String, TenantClass)> = ids[..pool.bases()]
        .iter()
        .map(|t| (t.value.clone(), t.class))
        .collect();
    let family = pool.family(0);
    let classes = [
        TenantClass::Prefix,
        TenantClass::Case,
        TenantClass::Whitespace,
        TenantClass::Lookalike,
        TenantClass::Compat,
        TenantClass::PathLike,
    ];
    for class in classes {
        if let Some(&i) = family.iter().find(|&&i| ids[i].class == class) {
            out.push((ids[i].value.clone(), class));
        }
    }
    let longest: Vec<&str> = {
        let long: Vec<&str> = ids
            .iter()
            .filter(|t| t.class == TenantClass::Long)
            .map(|t| t.value.as_str())
            .collect();
        let max = long.iter().map(|v| v.len()).max().unwrap_or(0);
        long.into_iter().filter(|v| v.len() == max).collect()
    };
    for v in longest {
        out.push((v.to_string(), TenantClass::Long));
    }
    for class in [TenantClass::Empty, TenantClass::Star, TenantClass::Special] {
        if let Some(t) = ids.iter().find(|t| t.class == class) {
            out.push((t.value.clone(), class));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|(v, _)| seen.insert(v.clone()));
    out
}

/// Every down-closed set, ascending; `None` when there are more than `limit`.
///
/// Scopes are visited in an order where everything a scope implies comes
/// first; a scope may be added only when everything it implies is already in.
pub fn down_sets(model: &Model, limit: usize) -> Option<Vec<ScopeSet>> {
    let lattice = &model.lattice;
    let n = lattice.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (lattice.down(i).len(), i));
    let mut out = Vec::new();
    let mut stack = vec![(0usize, ScopeSet::EMPTY)];
    while let Some((k, set)) = stack.pop() {
        if k == n {
            if out.len() == limit {
                return None;
            }
            out.push(set);
            continue;
        }
        let s = order[k];
        stack.push((k + 1, set));
        if lattice.down(s).minus(ScopeSet::single(s)).is_subset(set) {
            stack.push((k + 1, set.with(s)));
        }
    }
    out.sort();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Config;

    fn saas() -> Domain {
        let config = Config::load("examples/saas/gonogo.toml".as_ref()).unwrap();
        Domain::new(config.model)
    }

    #[test]
    fn down_sets_are_exactly_the_closed_subsets() {
        let domain = saas();
        let l = &domain.model.lattice;
        let brute: Vec<ScopeSet> = (0..1u128 << l.len())
            .map(ScopeSet)
            .filter(|&s| l.is_down_closed(s))
            .collect();
        assert_eq!(down_sets(&domain.model, usize::MAX).unwrap(), brute);
        assert_eq!(down_sets(&domain.model, brute.len() - 1), None);
    }

    #[test]
    fn tenant_set_has_one_id_per_class_and_the_long_pair() {
        let domain = saas();
        let set = tenant_set(&domain);
        for class in TenantClass::ALL {
            assert!(set.iter().any(|(_, c)| *c == class), "{class:?}");
        }
        let long: Vec<&String> = set
            .iter()
            .filter(|(_, c)| *c == TenantClass::Long)
            .map(|(v, _)| v)
            .collect();
        assert_eq!(long.len(), 2);
        assert_eq!(long[0][..256], long[1][..256]);
    }

    #[test]
    fn raw_space_is_refused_past_the_limit_with_its_size() {
        let domain = saas();
        let space = Space::new(&domain, Enumeration::Raw, u128::MAX).unwrap();
        let n = space.requests();
        assert_eq!(
            n,
            (1u128 << domain.model.lattice.len())
                * space.actions.len() as u128
                * space.pairs() as u128
                * 2
        );
        assert_eq!(space.extra_scopes.len(), 4, "{:?}", space.extra_scopes);
        assert_eq!(space.extra_scopes[..3], ["*", "admin:*", "root"]);
        assert!(space.extra_scopes[3].chars().all(|c| !c.is_lowercase()));
        let err = Space::new(&domain, Enumeration::Raw, n - 1).unwrap_err();
        assert_eq!(err.requests, Some(n));
        assert_eq!(err.limit, Limit::MaxCases);
        assert!(Space::new(&domain, Enumeration::Raw, n).is_ok());
    }
}

#[cfg(test)]
mod memory {
    use super::*;
    use crate::model::Config;

    /// 40 independent scopes: refused for memory before anything is
    /// allocated, whatever the case limit.
    #[test]
    fn a_domain_memory_cannot_hold_is_refused_whatever_max_cases_says() {
        let mut text = String::from("[scopes]\n");
        for i in 0..40 {
            text.push_str(&format!("s{i:02} = []\n"));
        }
        text.push_str("[resources.r]\na = \"s00\"\n[[reasons]]\ncode = \"unauthenticated\"\nstatus = 401\n[[reasons]]\ncode = \"unknown_action\"\nstatus = 400\n[[reasons]]\ncode = \"tenant_mismatch\"\nstatus = 404\n[[reasons]]\ncode = \"insufficient_scope\"\nstatus = 403\n[target]\nkind = \"policy\"\n");
        let config = Config::parse(&crate::model::SourceFile::new("m.toml", text)).unwrap();
        let domain = Domain::new(config.model);
        for enumeration in [Enumeration::Raw, Enumeration::DownClosed] {
            let err = Space::new(&domain, enumeration, u128::MAX).unwrap_err();
            assert_eq!(err.limit, Limit::Memory, "{enumeration:?}");
        }
    }
}
