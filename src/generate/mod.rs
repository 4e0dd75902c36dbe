//! Generators: proptest strategies, deterministic from a seed, for scope sets,
//! adversarial tenant ids, requests, and the cases of each property.

pub mod cases;
pub mod requests;
pub mod tenants;

pub use cases::cases;
pub use requests::{Domain, RequestSpec, TenantPair};
pub use tenants::{TenantClass, TenantPool};
