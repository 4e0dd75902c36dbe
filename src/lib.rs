#![deny(missing_docs)]
//! # gonogo
//!
//! A property-testing harness and invariant fuzzer that decides whether a
//! release of a multi-tenant service is safe: **GO** or **NO-GO**.
//!
//! - [`model`]: the scope order, requests and decisions, the declared policy
//!   and its reason catalog, the `gonogo.toml` file.
//! - [`generate`]: proptest strategies for scope sets, adversarial tenant ids
//!   and requests; the bounded space an exhaustive check enumerates.
//! - [`invariants`]: one module per property: the invariant as a plain
//!   function over requests and decisions, its random cases, its exhaustive
//!   form (no I/O).
//! - [`targets`]: the [`Target`] trait and the systems that answer requests.
//! - [`runner`]: seeded runs with shrinking, replay; their outcomes as data.
//! - [`suite`]: the corpus-first [`Suite`], for `cargo test`.
//! - [`corpus`]: counterexample files.
//! - [`env`](mod@env): the environment matrix, env files, and their evaluation.
//! - [`gate`]: the release gate, its in-toto proof artifact, DSSE signing,
//!   verification.
//! - [`report`]: one report per command, rendered as text, JSON or JUnit.
//! - [`migrate`]: the migration preflight and roundtrip (sqlx folders,
//!   `_sqlx_migrations`, schema drift), behind the `db` feature for I/O.
//! - [`reason`]: every reason code with its explanation.
//! - [`redact`]: what outside text and URLs may show (one path for every
//!   renderer).
//! - [`watch`]: post-release thresholds, watch notes and the chart.
//! - [`verdict`]: GO / NO-GO / error, and a check's status.
//!
//! Not API (hidden, for gonogo's own crates): `cli` (the command line),
//! `fuzzing` (the fuzz targets' bodies, replayed by `cargo test`),
//! `reference` (naive evaluators the bitset code is checked against).
//! Private: `init` (the starter files of `gonogo init`), `util` (seeds, shell
//! quoting, at the bottom). The public API is listed and reviewed in
//! `docs/ARCHITECTURE.md`.

pub mod corpus;
pub mod env;
pub mod gate;
pub mod generate;
pub mod invariants;
pub mod migrate;
pub mod model;
pub mod reason;
pub mod redact;
pub mod report;
pub mod runner;
pub mod suite;
pub mod targets;
pub mod verdict;
pub mod watch;

#[cfg(feature = "cli")]
mod init;
mod util;

// For gonogo's own crates only (the binary, the fuzz targets, the property
// suites): not API, hidden from the docs, may change in any release.
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod fuzzing;
#[doc(hidden)]
pub mod reference;

pub use invariants::{Mismatch, Property, Violation};
pub use model::{Config, Decision, Model, Request};
pub use reason::Reason;
pub use runner::CheckReport;
pub use suite::Suite;
pub use targets::{Target, TargetError, TargetExt};
pub use verdict::{Status, Verdict};

/// What a `cargo test` user needs, in one `use gonogo::prelude::*;`: the
/// suite, the target trait and its error, the request and decision types,
/// the properties, verdicts and reports, the config and model.
pub mod prelude {
    pub use crate::invariants::{Property, Violation};
    pub use crate::model::{Config, Context, Decision, Model, Principal, Request, Resource};
    pub use crate::reason::Reason;
    pub use crate::runner::CheckReport;
    pub use crate::suite::{Suite, SuiteError};
    pub use crate::targets::{Target, TargetError};
    pub use crate::verdict::{Status, Verdict};
}
