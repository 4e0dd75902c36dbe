//! Pure data and parsing: the scope order, requests and decisions, the
//! declared policy with its reason catalog, and the `gonogo.toml` file.
//! Nothing here does I/O beyond reading the file it is asked to parse.

pub mod config;
pub mod policy;
pub mod request;
pub mod scopes;
pub mod source;

pub use config::{Config, TargetSpec};
pub use policy::{Cause, Causes, Model};
pub use request::{Context, Decision, Principal, Request, Resource};
pub use scopes::{Lattice, ScopeId, ScopeSet};
pub use source::{SourceError, SourceFile};
