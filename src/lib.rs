//! # gonogo
//!
//! A property-testing harness and invariant fuzzer that decides whether a
//! release of a multi-tenant service is safe: **GO** or **NO-GO**.
//!
//! - [`model`]: the scope order, requests and decisions, the declared policy
//!   and its reason catalog, the `gonogo.toml` file.
//! - [`generate`]: proptest strategies for scope sets, adversarial tenant ids,
//!   requests and the cases of each property.
//! - [`invariants`]: the properties as plain functions over requests and
//!   decisions (no I/O).
//! - [`targets`]: the [`Target`] trait and the systems that answer requests.
//! - [`runner`]: seeded runs with shrinking, replay; their outcomes as data.
//! - [`suite`]: the corpus-first [`Suite`], for `cargo test`.
//! - [`corpus`]: counterexample files.
//! - [`env`]: the environment matrix, env files, and their evaluation.
//! - [`init`]: the starter files of `gonogo init`.
//! - [`gate`]: the release gate, its in-toto proof artifact, DSSE signing,
//!   verification.
//! - [`report`]: one report per command, rendered as text, JSON or JUnit.
//! - [`migrate`]: the migration preflight and roundtrip (sqlx folders,
//!   `_sqlx_migrations`, schema drift), behind the `db` feature for I/O.
//! - [`reason`]: every reason code with its explanation.
//! - [`redact`]: what outside text and URLs may show (one path for every
//!   renderer).
//! - [`reference`]: naive evaluators the bitset code is checked against.
//! - [`fuzzing`]: the bodies of the fuzz targets, replayed by `cargo test`.
//! - [`watch`]: post-release thresholds, watch notes and the chart.
//! - [`verdict`]: GO / NO-GO / error, and a check's status.
//! - [`util`]: seeds, shell quoting (imports nothing of gonogo's).
//! - [`cli`]: the `gonogo` command line.

#[cfg(feature = "cli")]
pub mod cli;
pub mod corpus;
pub mod env;
pub mod fuzzing;
pub mod gate;
pub mod generate;
pub mod init;
pub mod invariants;
pub mod migrate;
pub mod model;
pub mod reason;
pub mod redact;
pub mod reference;
pub mod report;
pub mod runner;
pub mod suite;
pub mod targets;
pub mod util;
pub mod verdict;
pub mod watch;

pub use invariants::{Property, Violation};
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
