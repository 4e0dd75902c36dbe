//! The release gate (SPEC §9): every check configured in `gonogo.toml`, the
//! in-toto proof artifact with each input's digest, DSSE/Ed25519 signing,
//! and `verify`.

pub(crate) mod digest;
pub mod dsse;
pub(crate) mod outcome;
mod run;
pub(crate) mod statement;
mod verify;

pub use outcome::{GateReport, VerifyFinding, VerifyReport};
pub use run::{GateError, GateOptions, Input, inputs, inside, run};
pub use statement::{Check, CheckStatus, Predicate, Statement, Subject};
pub use verify::{VerifyError, VerifyOptions, verify};
