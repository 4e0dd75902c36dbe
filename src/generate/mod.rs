//! Generators, deterministic from a seed: proptest strategies for scope
//! sets, adversarial tenant ids and requests (each property draws its cases
//! from them in [`crate::invariants`]), and the bounded [`space`] an
//! exhaustive check enumerates.

mod ids;
pub mod requests;
pub mod space;
pub mod tenants;

pub use requests::{Domain, RequestSpec, TenantPair};
pub use tenants::{TenantClass, TenantPool};
