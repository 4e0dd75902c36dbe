//! The properties of SPEC §5, one module each. A property module holds all
//! of the property: the invariant as a plain function over requests and the
//! decisions a target gave them ([`check`]), the strategy of its random cases
//! ([`cases`]), and its exhaustive form over one block of the enumerated
//! domain ([`exhaustive`]); [`Property::definition`] registers it. They never
//! do I/O: the runner asks the target, then calls them; property tests, fuzz
//! targets, `replay` and the CLI all call the same functions.
//!
//! A new property is one module defining a [`Definition`], one variant of
//! [`Property`] (with its place in [`Property::ALL`]) and one reason code.

mod conformance;
mod determinism;
pub mod exhaustive;
mod isolation;
mod monotonicity;
mod severity;
mod symmetry;

pub use severity::{Mismatch, Mismatches, describe as describe_mismatches};

use crate::generate::Domain;
use crate::model::{Decision, Model, Request};
use crate::reason::Reason;
use proptest::strategy::BoxedStrategy;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// A property's invariant over one case: `Ok` when it holds (or the case
/// does not meet its precondition), `Err` with the violation otherwise.
pub type CheckFn = fn(&Model, &[Request], &[Decision]) -> Result<Held, Violation>;

/// Everything a property is made of; each property module defines one.
pub struct Definition {
    /// The name used on the command line and in reports.
    pub name: &'static str,
    /// What the property states, for `gonogo explain`.
    pub statement: &'static str,
    /// The reason code a violation reports.
    pub reason: Reason,
    /// How many requests one case holds (`None`: one or more).
    pub arity: Option<usize>,
    /// The invariant over one case.
    pub check: CheckFn,
    /// The strategy of its random cases over a domain.
    pub cases: fn(Arc<Domain>) -> BoxedStrategy<Vec<Request>>,
    /// Its exhaustive form over one block of the enumerated domain.
    pub exhaustive: fn(&exhaustive::Table<'_>) -> exhaustive::Findings,
    /// Whether its exhaustive form reads each point's equivalent variant
    /// (asked of targets other than the declared policy).
    pub variants: bool,
    /// How it was checked exhaustively, in words (given whether variants
    /// were asked).
    pub note: fn(bool) -> Option<&'static str>,
}

/// A property of SPEC §5.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    /// More scopes never turn an allow into a denial.
    Monotonicity,
    /// Without a cross-tenant scope, every resource of another tenant is denied.
    Isolation,
    /// Reasons come from the catalog, and the same failure causes get the same decision.
    Determinism,
    /// The target decides as the declared policy does.
    Conformance,
    /// Renaming tenants one-to-one, in principal and resource alike, changes no decision.
    Symmetry,
}

impl Property {
    /// How many properties there are: the size of every per-property table.
    pub const COUNT: usize = 5;

    /// Every property, in report order.
    pub const ALL: [Property; Property::COUNT] = [
        Property::Monotonicity,
        Property::Isolation,
        Property::Determinism,
        Property::Conformance,
        Property::Symmetry,
    ];

    /// The property's place in [`Property::ALL`] and in per-property
    /// tables (a match, so a new property cannot be forgotten here).
    pub const fn index(self) -> usize {
        match self {
            Property::Monotonicity => 0,
            Property::Isolation => 1,
            Property::Determinism => 2,
            Property::Conformance => 3,
            Property::Symmetry => 4,
        }
    }

    /// The property's definition: the one place a property is registered.
    pub fn definition(self) -> &'static Definition {
        match self {
            Property::Monotonicity => &monotonicity::DEFINITION,
            Property::Isolation => &isolation::DEFINITION,
            Property::Determinism => &determinism::DEFINITION,
            Property::Conformance => &conformance::DEFINITION,
            Property::Symmetry => &symmetry::DEFINITION,
        }
    }

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        self.definition().name
    }

    /// The property of that name.
    pub fn from_name(name: &str) -> Option<Property> {
        Property::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The reason code a violation reports.
    pub fn reason(self) -> Reason {
        self.definition().reason
    }

    /// How many requests one case of this property holds (`None`: one or more).
    pub fn arity(self) -> Option<usize> {
        self.definition().arity
    }
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A case that breaks a property: the requests involved (two for a pair
/// property), the decisions the target gave them, and one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The property broken.
    pub property: Property,
    /// The requests of the case.
    pub requests: Vec<Request>,
    /// The target's decisions, one per request.
    pub decisions: Vec<Decision>,
    /// One sentence on what went wrong.
    pub explanation: String,
}

/// A case that did not break the property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// The property was checked and holds.
    Checked,
    /// The case does not meet the property's precondition (for example an
    /// isolation case whose tenants are equal): nothing was checked.
    Vacuous,
    /// The target skipped a request of the case (it cannot represent it):
    /// nothing was checked, and the skip is counted.
    Skipped,
}

/// Checks one case: `requests` and the `decisions` the target gave, index by
/// index. `decisions` must be as long as `requests`.
pub fn check(
    property: Property,
    model: &Model,
    requests: &[Request],
    decisions: &[Decision],
) -> Result<Held, Violation> {
    assert_eq!(requests.len(), decisions.len(), "one decision per request");
    if decisions.iter().any(Decision::is_skip) {
        return Ok(Held::Skipped);
    }
    (property.definition().check)(model, requests, decisions)
}

/// The strategy of a property's cases over a domain: the requests of one
/// case, laid out the way [`check`] reads them.
pub fn cases(domain: Arc<Domain>, property: Property) -> BoxedStrategy<Vec<Request>> {
    (property.definition().cases)(domain)
}

fn violation(
    property: Property,
    requests: &[&Request],
    decisions: &[&Decision],
    explanation: String,
) -> Violation {
    Violation {
        property,
        requests: requests.iter().map(|r| (*r).clone()).collect(),
        decisions: decisions.iter().map(|d| (*d).clone()).collect(),
        explanation,
    }
}

/// `[a, b]` as names in backticks.
fn scope_list(scopes: &[String]) -> String {
    let shown: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
    format!("[{}]", shown.join(", "))
}

/// "`read` on `project` of tenant `acme`".
fn access(r: &Request) -> String {
    format!(
        "`{}` on `{}` of tenant `{}`",
        r.action,
        r.resource.kind,
        r.resource.tenant.escape_debug()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16: per-property tables are sized by `Property::COUNT` and
    /// indexed by `Property::index`, which must agree with `ALL`.
    #[test]
    fn every_property_sits_at_its_index() {
        for (i, p) in Property::ALL.iter().enumerate() {
            assert_eq!(p.index(), i, "{p:?}");
        }
        assert_eq!(Property::ALL.len(), Property::COUNT);
    }

    /// Names and reason codes are distinct, so a copied definition is caught.
    #[test]
    fn definitions_are_distinct() {
        let names: std::collections::BTreeSet<_> = Property::ALL.iter().map(|p| p.name()).collect();
        let reasons: std::collections::BTreeSet<_> =
            Property::ALL.iter().map(|p| p.reason().code()).collect();
        assert_eq!(names.len(), Property::COUNT);
        assert_eq!(reasons.len(), Property::COUNT);
    }
}
