//! The systems under test. A [`Target`] decides requests or fails; the
//! declared policy, planted-bug mutants of it, and (later) child processes and
//! HTTP services are all targets.

// Ctrl-C handling is the CLI's.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) mod children;
#[cfg(feature = "http")]
mod http;
mod mutants;
mod policy;
mod process;
pub(crate) mod wire;

#[cfg(feature = "http")]
pub use http::HttpTarget;
pub use mutants::Mutant;
pub use policy::PolicyTarget;
pub use process::ProcessTarget;
pub use wire::request_line;

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
/// target can answer many requests faster than one at a time. What the
/// engine can do beyond asking (pipelining, forking onto threads, starting
/// afresh) is on [`TargetExt`], implemented by the target itself; a target
/// without it runs through [`Plain`].
pub trait Target {
    /// The decision for one request.
    fn decide(&mut self, request: &Request) -> Result<Decision, TargetError>;

    /// The decisions for many requests, in order.
    fn decide_all(&mut self, requests: &[Request]) -> Result<Vec<Decision>, TargetError> {
        requests.iter().map(|r| self.decide(r)).collect()
    }
}

/// The engine hooks of a target, each with a default that does without it.
/// The runner asks every target through this trait; gonogo's own targets
/// implement it, a plain [`Target`] gets the defaults through [`Plain`].
///
/// Every hook is about *this* target: a wrapper that adds behaviour must not
/// hand out its inner target's forks or pipeline (the wrapper would never
/// be asked). There is no hook by which a target can claim to be the
/// declared policy: only the caller, who built it, says so
/// ([`crate::runner::exhaustive::Subject`]).
pub trait TargetExt: Target {
    /// Pipelining, for targets that answer while more requests arrive: sends
    /// a batch without waiting for its answers, which the next
    /// [`TargetExt::receive`] returns (batches in the order sent). Returns
    /// `false` when the target does not pipeline (the default): nothing was
    /// sent, and the caller uses [`Target::decide_all`].
    fn send(&mut self, _requests: &[Request]) -> Result<bool, TargetError> {
        Ok(false)
    }

    /// The answers to the oldest batch sent with [`TargetExt::send`].
    fn receive(&mut self) -> Result<Vec<Decision>, TargetError> {
        Err(TargetError::new(
            "internal error: this target does not pipeline",
        ))
    }

    /// An independent copy of this very target for another thread, when one
    /// can be made (in-process targets): checks then ask the copies in
    /// parallel. The default, `None`, keeps every request on this target.
    fn fork(&self) -> Option<Box<dyn TargetExt + Send>> {
        None
    }

    /// A new instance of this target in its initial state (a process
    /// started again), to confirm that a failure does not depend on what was
    /// asked before it. The default is [`TargetExt::fork`]; `None` when the
    /// target cannot start afresh (a running HTTP service).
    fn fresh(&self) -> Option<Box<dyn TargetExt + Send>> {
        self.fork()
    }
}

/// A [`Target`] without engine hooks (no pipelining, no forks, no fresh
/// start), as the runner asks it.
#[derive(Debug, Clone)]
pub struct Plain<T>(pub T);

impl<T: Target> Target for Plain<T> {
    fn decide(&mut self, request: &Request) -> Result<Decision, TargetError> {
        self.0.decide(request)
    }

    fn decide_all(&mut self, requests: &[Request]) -> Result<Vec<Decision>, TargetError> {
        self.0.decide_all(requests)
    }
}

impl<T: Target> TargetExt for Plain<T> {}

impl Target for &mut dyn Target {
    fn decide(&mut self, request: &Request) -> Result<Decision, TargetError> {
        (**self).decide(request)
    }

    fn decide_all(&mut self, requests: &[Request]) -> Result<Vec<Decision>, TargetError> {
        (**self).decide_all(requests)
    }
}

/// Any `FnMut(&Request) -> Decision` is an infallible target.
impl<F: FnMut(&Request) -> Decision> Target for F {
    fn decide(&mut self, request: &Request) -> Result<Decision, TargetError> {
        Ok(self(request))
    }
}

/// A closure has no engine hooks.
impl<F: FnMut(&Request) -> Decision> TargetExt for F {}

/// Runs a call into a target, turning a panic inside it into a
/// [`TargetError`]: a crashing target is an error, never a verdict.
fn guarded<T>(
    requests: &[Request],
    call: impl FnOnce() -> Result<T, TargetError>,
) -> Result<T, TargetError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "no message".to_string());
            Err(TargetError {
                message: format!("the target panicked: {what}"),
                last_request: requests.last().cloned().map(Box::new),
            })
        }
    }
}

/// Checks that a target answered once per request.
fn counted(requests: &[Request], decisions: Vec<Decision>) -> Result<Vec<Decision>, TargetError> {
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

/// Asks a target about requests. Every caller in gonogo asks through here (or
/// [`ask_send`] and [`ask_receive`]): a panic or a wrong number of answers
/// becomes a [`TargetError`].
pub fn ask(target: &mut dyn Target, requests: &[Request]) -> Result<Vec<Decision>, TargetError> {
    let decisions = guarded(requests, || target.decide_all(requests))?;
    counted(requests, decisions)
}

/// [`TargetExt::send`], guarded.
pub fn ask_send(target: &mut dyn TargetExt, requests: &[Request]) -> Result<bool, TargetError> {
    guarded(requests, || target.send(requests))
}

/// [`TargetExt::receive`] for a batch of `requests` sent earlier, guarded
/// and counted.
pub fn ask_receive(
    target: &mut dyn TargetExt,
    requests: &[Request],
) -> Result<Vec<Decision>, TargetError> {
    let decisions = guarded(requests, || target.receive())?;
    counted(requests, decisions)
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
pub fn build(spec: &TargetSpec, model: &Model) -> Result<Box<dyn TargetExt + Send>, BuildError> {
    match spec {
        TargetSpec::Policy => Ok(Box::new(PolicyTarget::new(model.clone()))),
        TargetSpec::Mutant(name) => {
            let mutant = Mutant::from_name(&name.value).ok_or_else(|| {
                let known: Vec<String> = Mutant::ALL
                    .iter()
                    .map(|m| format!("`{}`", m.name()))
                    .collect();
                // The name is not repeated: it may come from the
                // environment (`${NAME}`), whose values are never printed;
                // the located error shows the line as written.
                BuildError::Config(name.error(format!(
                    "no mutant has this name; known: {}",
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
        } => {
            #[cfg(feature = "http")]
            return Ok(Box::new(HttpTarget::new(url, *timeout, *max_in_flight)));
            #[cfg(not(feature = "http"))]
            {
                let _ = (url, timeout, max_in_flight);
                Err(BuildError::Target(TargetError::new(
                    "this build has no `http` feature: HTTP targets cannot be reached",
                )))
            }
        }
    }
}
