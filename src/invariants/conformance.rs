//! `conformance`: the target's decision equals the declared policy's.

use super::exhaustive::{Findings, Table};
use super::{Definition, Held, Property, Violation, access, violation};
use crate::generate::{Domain, requests::request_spec};
use crate::model::{Decision, Model, Request};
use crate::reason::Reason;
use proptest::prelude::*;
use std::sync::Arc;

/// The property's definition.
pub(super) const DEFINITION: Definition = Definition {
    name: "conformance",
    statement: "The target's decision (allow, reason, status) equals the declared policy's for every request.",
    reason: Reason::ConformanceViolated,
    arity: Some(1),
    check,
    cases,
    exhaustive,
    variants: false,
    note: |_| None,
};

/// A case is one request.
fn check(model: &Model, requests: &[Request], decisions: &[Decision]) -> Result<Held, Violation> {
    let [r] = requests else {
        return Ok(Held::Vacuous);
    };
    let expected = model.decide(r);
    if expected.same_as(&decisions[0]) {
        return Ok(Held::Checked);
    }
    let explanation = format!(
        "the target answered `{}` for {} where the declared policy says `{}`",
        decisions[0].summary(),
        access(r),
        expected.summary()
    );
    Err(violation(
        Property::Conformance,
        &[r],
        &[&decisions[0]],
        explanation,
    ))
}

/// One request drawn from the whole domain.
fn cases(domain: Arc<Domain>) -> BoxedStrategy<Vec<Request>> {
    let d = domain.clone();
    request_spec(&domain)
        .prop_map(move |s| vec![d.request(&s)])
        .boxed()
}

/// Every point is decided as the declared policy decides it.
fn exhaustive(t: &Table<'_>) -> Findings {
    let first = (0..t.codes.len())
        .find(|&p| t.codes[p] != t.expected[p])
        .map(|p| (p, t.witness(&[(p, false)])));
    Findings {
        cases: t.codes.len() as u64,
        first,
        classes: Vec::new(),
    }
}
