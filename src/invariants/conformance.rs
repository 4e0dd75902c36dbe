//! `conformance`: the target's decision equals the declared policy's.

use super::exhaustive::{Findings, Table};
use super::{Definition, Held, Mismatch, Mismatches, Property, Violation, access, violation};
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

/// Every point is decided as the declared policy decides it. The witness
/// is the block's first point with the worst kind of mismatch (a wrongful
/// allow before a wrong reason), and every mismatch is counted by kind.
fn exhaustive(t: &Table<'_>) -> Findings {
    let mut mismatches = Mismatches::new();
    let mut first: Option<(usize, Mismatch)> = None;
    for p in (0..t.codes.len()).filter(|&p| t.codes[p] != t.expected[p]) {
        let expected = t.decisions.decision(t.expected[p]);
        let kind = Mismatch::of(expected, &t.decision(p)).unwrap_or(Mismatch::Other);
        *mismatches.entry(kind).or_default() += 1;
        if first.is_none_or(|(_, k)| kind > k) {
            first = Some((p, kind));
        }
    }
    Findings {
        cases: t.codes.len() as u64,
        first: first.map(|(p, _)| (p, t.witness(&[(p, false)]))),
        classes: Vec::new(),
        worst: first.map(|(_, k)| k),
        mismatches,
    }
}
