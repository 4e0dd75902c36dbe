//! The systems under test. A [`Target`] decides requests or fails; the
//! declared policy, planted-bug mutants of it, and (later) child processes and
//! HTTP services are all targets.

pub mod children;
mod http;
mod mutants;
mod policy;
mod process;
pub mod wire;

pub use http::HttpTarget;
pub use mutants::Mutant;
pub use policy::PolicyTarget;
pub use process::ProcessTarget;

use crate::model::SourceError;
use crate::model::{Decision, Model, Request, TargetSpec};

/// A target could not be asked: it exited, hung, or answered garbage. Never a
/// verdict: gonogo reports it as an error (exit 2, `target_failed`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TargetError {
    /// Lowercase, user input in backticks.
    pub message: String,
    /// The last request sent, when there was one.
    pub last_request: Option<Box<Request>>,
}

impl TargetError {
    /// An error without a request.
    pub fn new(message: impl Into<String>) -> TargetError {
        TargetError {
            message: message.into(),
            last_request: None,
        }
    }
}

/// Something that decides authorization requests.
///
/// Implement [`Target::decide`]; override [`Target::decide_all`] when the
/// target can answer many requests faster than one at a time.
pub trait Target {
    /// The decision for one request.
    fn decide(&mut self, request: &Request) -> Result<Decision, TargetError>;

    /// The decisions for many requests, in order.
    fn decide_all(&mut self, requests: &[Request]) -> Result<Vec<Decision>, TargetError> {
        requests.iter().map(|r| self.decide(r)).collect()
    }
}

/// Any `FnMut(&Request) -> Decision` is an infallible target.
impl<F: FnMut(&Request) -> Decision> Target for F {
    fn decide(&mut self, request: &Request) -> Result<Decision, TargetError> {
        Ok(self(request))
    }
}

/// Asks a target about requests, turning a panic inside it, or a wrong number
/// of answers, into a [`TargetError`]: a crashing target is an error, never a
/// verdict. Every caller in gonogo asks through here.
pub fn ask(target: &mut dyn Target, requests: &[Request]) -> Result<Vec<Decision>, TargetError> {
    let answer =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target.decide_all(requests)));
    let decisions = match answer {
        Ok(result) => result?,
        Err(payload) => {
            let what = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "no message".to_string());
            return Err(TargetError {
                message: format!("the target panicked: {what}"),
                last_request: requests.last().cloned().map(Box::new),
            });
        }
    };
    if decisions.len() != requests.len() {
        return Err(TargetError {
            message: format!(
                "the target answered {} decisions for {} requests",
                decisions.len(),
                requests.len()
            ),
            last_request: requests.last().cloned().map(Box::new),
        });
    }
    Ok(decisions)
}

/// Why the target a config names could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The config is wrong (an unknown mutant).
    #[error("{0}")]
    Config(SourceError),
    /// The target could not be started.
    #[error("{0}")]
    Target(TargetError),
}

/// The target a config names (a process target is started here).
pub fn build(spec: &TargetSpec, model: &Model) -> Result<Box<dyn Target>, BuildError> {
    match spec {
        TargetSpec::Policy => Ok(Box::new(PolicyTarget::new(model.clone()))),
        TargetSpec::Mutant(name) => {
            let mutant = Mutant::from_name(&name.value).ok_or_else(|| {
                let known: Vec<String> = Mutant::ALL
                    .iter()
                    .map(|m| format!("`{}`", m.name()))
                    .collect();
                BuildError::Config(name.error(format!(
                    "unknown mutant `{}`; known: {}",
                    name.value,
                    known.join(", ")
                )))
            })?;
            Ok(Box::new(mutant.target(model.clone())))
        }
        TargetSpec::Process {
            command,
            cwd,
            timeout,
        } => Ok(Box::new(
            ProcessTarget::spawn(command, cwd, *timeout).map_err(BuildError::Target)?,
        )),
        TargetSpec::Http {
            url,
            timeout,
            max_in_flight,
        } => Ok(Box::new(HttpTarget::new(url, *timeout, *max_in_flight))),
    }
}
