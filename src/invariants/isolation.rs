//! `isolation`: a principal of tenant t without a cross-tenant scope is denied
//! on every resource of a tenant u ≠ t (byte-wise), whatever its scopes.

use super::{Held, Property, Violation, access, scope_list, violation};
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
    let closure = model.lattice.closure_of_names(&r.principal.scopes);
    if r.principal.tenant.as_bytes() == r.resource.tenant.as_bytes()
        || model.crosses_tenants(closure)
    {
        return Ok(Held::Vacuous);
    }
    if decisions[0].allow {
        let explanation = format!(
            "a principal of tenant `{}` with scopes {} and no cross-tenant scope was allowed {}",
            r.principal.tenant.escape_debug(),
            scope_list(&r.principal.scopes),
            access(r)
        );
        return Err(violation(
            Property::Isolation,
            &[r],
            &[&decisions[0]],
            explanation,
        ));
    }
    Ok(Held::Checked)
}
