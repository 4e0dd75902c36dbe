//! `conformance`: the target's decision equals the declared policy's.

use super::{Held, Property, Violation, access, violation};
use crate::model::{Decision, Model, Request};

/// A case is one request.
pub fn check(
    model: &Model,
    requests: &[Request],
    decisions: &[Decision],
) -> Result<Held, Violation> {
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
