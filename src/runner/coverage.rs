//! Which (scope closure × action × tenant relation) combinations a run
//! exercised, and which it never did.

pub use super::outcome::CoverageSummary;
use crate::generate::Domain;
use crate::model::{Request, ScopeSet};
use std::collections::{HashMap, HashSet};

/// Catalogs up to this many scopes have their down-closed sets counted, so
/// the summary can say how many combinations were never exercised.
const COUNTED_SCOPES: usize = 20;
/// Never-exercised combinations listed at most.
const NEVER_SHOWN: usize = 20;

/// How a request's principal tenant relates to its resource tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relation {
    /// Byte-for-byte the same id.
    Same,
    /// Different ids derived from one base (case, whitespace, look-alike,
    /// prefix, path, long variants of it).
    Variant,
    /// Unrelated ids.
    Other,
}

impl Relation {
    /// Every relation.
    pub const ALL: [Relation; 3] = [Relation::Same, Relation::Variant, Relation::Other];

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Relation::Same => "same tenant",
            Relation::Variant => "look-alike tenant",
            Relation::Other => "other tenant",
        }
    }
}

/// The combinations seen so far.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// Action labels: per resource type its declared actions then
    /// `<unknown action>`, then one `<unknown type>`.
    actions: Vec<String>,
    /// Per resource type: the index of its first action label.
    first_action: Vec<usize>,
    family: HashMap<String, usize>,
    seen: HashSet<(ScopeSet, u32, Relation)>,
}

impl Coverage {
    /// Nothing seen yet, over a domain.
    pub fn new(domain: &Domain) -> Coverage {
        let mut actions = Vec::new();
        let mut first_action = Vec::new();
        for r in &domain.model.resources {
            first_action.push(actions.len());
            for a in &r.actions {
                actions.push(format!("{}.{}", r.name, a.name));
            }
            actions.push(format!("{}.<unknown action>", r.name));
        }
        actions.push("<unknown type>".to_string());
        let family = domain
            .tenants
            .ids()
            .iter()
            .filter_map(|t| t.family.map(|f| (t.value.clone(), f)))
            .collect();
        Coverage {
            actions,
            first_action,
            family,
            seen: HashSet::new(),
        }
    }

    /// The same dimensions, nothing seen.
    pub fn emptied(&self) -> Coverage {
        Coverage {
            seen: HashSet::new(),
            ..self.clone()
        }
    }

    /// Adds what another coverage of the same domain saw.
    pub fn merge(&mut self, other: Coverage) {
        self.seen.extend(other.seen);
    }

    /// The relation of two tenant ids.
    pub fn relation(&self, principal: &str, resource: &str) -> Relation {
        if principal.as_bytes() == resource.as_bytes() {
            return Relation::Same;
        }
        match (self.family.get(principal), self.family.get(resource)) {
            (Some(a), Some(b)) if a == b => Relation::Variant,
            _ => Relation::Other,
        }
    }

    /// The index of the label of action `action` of type `kind`.
    fn action_index(&self, domain: &Domain, kind: &str, action: &str) -> u32 {
        let model = &domain.model;
        let index = match model.resources.iter().position(|r| r.name == kind) {
            None => self.actions.len() - 1,
            Some(t) => {
                let r = &model.resources[t];
                let a = r
                    .actions
                    .iter()
                    .position(|a| a.name == action)
                    .unwrap_or(r.actions.len());
                self.first_action[t] + a
            }
        };
        index as u32
    }

    /// Records a request.
    pub fn record(&mut self, domain: &Domain, req: &Request) {
        let closure = domain.model.lattice.closure_of_names(&req.principal.scopes);
        let relation = self.relation(&req.principal.tenant, &req.resource.tenant);
        self.record_combination(domain, closure, &req.resource.kind, &req.action, relation);
    }

    /// Records a combination directly: a closure, the action of type `kind`
    /// named `action`, a relation.
    pub fn record_combination(
        &mut self,
        domain: &Domain,
        closure: ScopeSet,
        kind: &str,
        action: &str,
        relation: Relation,
    ) {
        let action = self.action_index(domain, kind, action);
        self.seen.insert((closure, action, relation));
    }

    /// The summary: counts, and the first combinations never exercised.
    pub fn summary(&self, domain: &Domain) -> CoverageSummary {
        let dimensions = vec!["scope closure", "action", "tenant relation"];
        let exercised = self.seen.len() as u64;
        let lattice = &domain.model.lattice;
        let closures = if lattice.len() <= COUNTED_SCOPES {
            crate::runner::exhaustive::down_sets(&domain.model, usize::MAX)
        } else {
            None
        };
        let Some(closures) = closures else {
            return CoverageSummary {
                dimensions,
                combinations: None,
                exercised,
                never_count: None,
                never: Vec::new(),
            };
        };
        let combinations = (closures.len() * self.actions.len() * Relation::ALL.len()) as u64;
        let mut never = Vec::new();
        let mut never_count = 0u64;
        for &closure in &closures {
            for action in 0..self.actions.len() as u32 {
                for relation in Relation::ALL {
                    if self.seen.contains(&(closure, action, relation)) {
                        continue;
                    }
                    never_count += 1;
                    if never.len() < NEVER_SHOWN {
                        let names: Vec<String> = lattice
                            .names_of(closure)
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect();
                        never.push(format!(
                            "[{}] × {} × {}",
                            names.join(", "),
                            self.actions[action as usize],
                            relation.label()
                        ));
                    }
                }
            }
        }
        CoverageSummary {
            dimensions,
            combinations: Some(combinations),
            exercised: combinations - never_count,
            never_count: Some(never_count),
            never,
        }
    }
}
