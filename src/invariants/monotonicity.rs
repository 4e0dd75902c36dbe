//! `monotonicity`: for requests that differ only in the principal's scopes,
//! S ≤ S' and allow(S) imply allow(S').

use super::{Held, Property, Violation, access, scope_list, violation};
use crate::model::{Decision, Model, Request};

/// A case is a pair `[a, b]`; both directions are checked where the order holds.
pub fn check(
    model: &Model,
    requests: &[Request],
    decisions: &[Decision],
) -> Result<Held, Violation> {
    let [a, b] = requests else {
        return Ok(Held::Vacuous);
    };
    let (da, db) = (&decisions[0], &decisions[1]);
    if !same_but_scopes(a, b) {
        return Ok(Held::Vacuous);
    }
    let lattice = &model.lattice;
    let (ca, cb) = (
        lattice.closure_of_names(&a.principal.scopes),
        lattice.closure_of_names(&b.principal.scopes),
    );
    let mut held = Held::Vacuous;
    for (lo, hi, dlo, dhi, clo, chi) in [(a, b, da, db, ca, cb), (b, a, db, da, cb, ca)] {
        if !clo.is_subset(chi) {
            continue;
        }
        held = Held::Checked;
        if dlo.allow && !dhi.allow {
            let explanation = format!(
                "scopes {} are allowed {} but {}, which imply at least as much, are denied ({})",
                scope_list(&lo.principal.scopes),
                access(lo),
                scope_list(&hi.principal.scopes),
                dhi.summary()
            );
            return Err(violation(
                Property::Monotonicity,
                &[lo, hi],
                &[dlo, dhi],
                explanation,
            ));
        }
    }
    Ok(held)
}

fn same_but_scopes(a: &Request, b: &Request) -> bool {
    a.action == b.action
        && a.resource == b.resource
        && a.context == b.context
        && a.principal.authenticated == b.principal.authenticated
        && a.principal.tenant == b.principal.tenant
}
