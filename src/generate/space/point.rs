//! The request of a point of the space, built only when it is asked or
//! reported.

use super::{Block, Space};
use crate::generate::ids::{SHAPES, TENANT_FREE};
use crate::generate::requests::{context, resource_id};
use crate::model::{Model, Principal, Request, Resource};

/// The request of a point. Its variant lists the scopes reversed with the
/// first one repeated, and has another context and a resource id of another
/// shape: an equivalent request that must get the same decision.
pub fn request(space: &Space, model: &Model, block: Block, point: usize, variant: bool) -> Request {
    let n = space.sets.len();
    let (pair, set) = (point / n, point % n);
    let (p, r) = space.pair(pair);
    let action = &space.actions[block.action];
    // A block's points share one id (pair properties compare requests that
    // differ only in scopes or in tenants), of a shape that names no tenant
    // and changes with the action; each point's variant has an id of
    // another shape, tenant-embedding ones included, so determinism sees a
    // service that decides on its ids.
    let shape = TENANT_FREE[block.action % TENANT_FREE.len()];
    let id = if variant {
        let other = match point as u32 % SHAPES {
            s if s == shape => (s + 1) % SHAPES,
            s => s,
        };
        other + SHAPES
    } else {
        shape
    };
    let mut scopes = model.lattice.names_of(space.sets[set]);
    if let Some(extra) = space.extra_of(set, block) {
        scopes.push(extra.to_string());
    }
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
            id: resource_id(&action.kind, &space.tenants[p].0, &space.tenants[r].0, id),
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
