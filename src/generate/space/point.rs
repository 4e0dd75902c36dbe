//! The request of a point of the space, built only when it is asked or
//! reported.

use super::{Block, Space};
use crate::generate::requests::{context, resource_id};
use crate::model::{Model, Principal, Request, Resource};

/// The request of a point. Its variant lists the scopes reversed with the
/// first one repeated, and has another context and resource id: an
/// equivalent request that must get the same decision.
pub fn request(space: &Space, model: &Model, block: Block, point: usize, variant: bool) -> Request {
    let n = space.sets.len();
    let (pair, set) = (point / n, point % n);
    let (p, r) = space.pair(pair);
    let action = &space.actions[block.action];
    let mut scopes = model.lattice.names_of(space.sets[set]);
    if variant {
        scopes.reverse();
        if let Some(first) = scopes.first().cloned() {
            scopes.push(first);
        }
    }
    Request {
        principal: Principal {
            authenticated: block.authenticated,
            tenant: space.tenants[p].0.clone(),
            scopes,
        },
        action: action.action.clone(),
        resource: Resource {
            id: resource_id(&action.kind, u32::from(variant)),
            kind: action.kind.clone(),
            tenant: space.tenants[r].0.clone(),
        },
        context: if variant {
            context(1, 43_200)
        } else {
            context(0, 0)
        },
    }
}
