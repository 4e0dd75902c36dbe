//! The properties of SPEC §5 as plain functions over requests and the
//! decisions a target gave them. They never do I/O: the runner asks the
//! target, then calls [`check`]; property tests, fuzz targets, `replay` and
//! the CLI all call the same functions.

mod conformance;
mod determinism;
mod isolation;
mod monotonicity;
mod symmetry;

use crate::model::{Decision, Model, Request};
use crate::reason::Reason;
use serde::Serialize;
use std::fmt;

/// A property of SPEC §5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    Monotonicity,
    Isolation,
    Determinism,
    Conformance,
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

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Property::Monotonicity => "monotonicity",
            Property::Isolation => "isolation",
            Property::Determinism => "determinism",
            Property::Conformance => "conformance",
            Property::Symmetry => "symmetry",
        }
    }

    /// The property of that name.
    pub fn from_name(name: &str) -> Option<Property> {
        Property::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The reason code a violation reports.
    pub fn reason(self) -> Reason {
        match self {
            Property::Monotonicity => Reason::MonotonicityViolated,
            Property::Isolation => Reason::IsolationViolated,
            Property::Determinism => Reason::DeterminismViolated,
            Property::Conformance => Reason::ConformanceViolated,
            Property::Symmetry => Reason::SymmetryViolated,
        }
    }

    /// How many requests one case of this property holds (`None`: one or more).
    pub fn arity(self) -> Option<usize> {
        match self {
            Property::Monotonicity | Property::Symmetry => Some(2),
            Property::Isolation | Property::Conformance => Some(1),
            Property::Determinism => None,
        }
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
    pub property: Property,
    pub requests: Vec<Request>,
    pub decisions: Vec<Decision>,
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
    match property {
        Property::Monotonicity => monotonicity::check(model, requests, decisions),
        Property::Isolation => isolation::check(model, requests, decisions),
        Property::Determinism => determinism::check(model, requests, decisions),
        Property::Conformance => conformance::check(model, requests, decisions),
        Property::Symmetry => symmetry::check(model, requests, decisions),
    }
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
}
