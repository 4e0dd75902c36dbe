//! The property suites over gonogo's own model, run by `cargo test`.
//!
//! - `exhaustive`: `check --exhaustive` against a brute-force reference
//!   that calls the property functions on every case, on random models.
//! - `lattice`: the bitset order against a naive reference, on random catalogs.
//! - `policy`: the bitset policy evaluator against a naive reference evaluator.
//! - `saas`: the declared policy of `examples/saas` holds every property,
//!   replaying `corpus/saas/` first.
//! - `mutants`: every planted bug is caught by its property, shrunk.
//! - `tenants`: every adversarial tenant-id class is generated.
//! - `env`: the environment matrix gate: enabled spellings, line order,
//!   secrets.
//! - `readers`: the env reader models against the real python-dotenv, node
//!   dotenv, dotenvx and dotenvy, on generated tricky files.
//! - `migrations`: the migration preflight against a reference model, on
//!   SQLite and PostgreSQL, with shrinking histories.

mod env;
mod exhaustive;
mod lattice;
mod migrations;
mod mutants;
mod policy;
mod readers;
mod saas;
mod tenants;

use gonogo::model::{Config, Model};
use std::path::Path;

/// The model of `examples/saas/gonogo.toml`.
pub fn saas_model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/gonogo.toml");
    Config::load(&path).expect("the example model parses").model
}
