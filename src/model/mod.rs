//! Pure data and parsing: the scope order, requests and decisions, the
//! declared policy with its reason catalog, and the `gonogo.toml` file.
//! Nothing here does I/O beyond reading the file it is asked to parse.

pub(crate) mod config;
pub(crate) mod policy;
pub(crate) mod request;
pub(crate) mod scopes;
pub(crate) mod source;

pub use config::{Config, DEFAULT_CASES, TargetSpec};
pub use policy::{Cause, Causes, Model};
pub use request::{Context, Decision, Principal, Request, Resource};
pub use scopes::{Lattice, LatticeError, ScopeId, ScopeSet};
pub use source::{SourceError, SourceFile};
