//! Confirming a failure on a fresh target (issue 14): a counterexample that
//! needs the requests asked before it (a stale cache, an order-dependent
//! reason) is saved with the shortest prefix of those requests that makes it
//! reproduce, and one that does not reproduce even after all of them is
//! `flaky`, never a pass.

use crate::generate::Domain;
use crate::invariants::{self, Violation};
use crate::model::Request;
use crate::targets::{Target, TargetError, TargetExt};

/// What a fresh target says about a violation.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirmed {
    /// It reproduces on its own.
    Alone,
    /// It reproduces after these earlier requests (the shortest found).
    WithPrefix(Vec<Request>),
    /// It does not reproduce on a fresh target, even after the `asked`
    /// requests that came before it.
    Flaky { asked: usize },
    /// The target cannot be started afresh (an HTTP service): not confirmed.
    Unconfirmable,
}

/// The most fresh targets a prefix search starts.
const MAX_ATTEMPTS: usize = 64;

/// Confirms `violation` on fresh copies of `target`, given every request the
/// run asked before it (`history`, oldest first).
pub fn confirm(
    domain: &Domain,
    target: &dyn TargetExt,
    violation: &Violation,
    history: &[Request],
) -> Result<Confirmed, TargetError> {
    let property = violation.property;
    let attempts = std::cell::Cell::new(0usize);
    let reproduces = |prefix: &[Request]| -> Result<Option<bool>, TargetError> {
        attempts.set(attempts.get() + 1);
        let Some(mut fresh) = target.fresh() else {
            return Ok(None);
        };
        if !prefix.is_empty() {
            crate::targets::ask(fresh.as_mut(), prefix)?;
        }
        let decisions = crate::targets::ask(fresh.as_mut(), &violation.requests)?;
        Ok(Some(
            invariants::check(property, &domain.model, &violation.requests, &decisions).is_err(),
        ))
    };
    match reproduces(&[])? {
        None => return Ok(Confirmed::Unconfirmable),
        Some(true) => return Ok(Confirmed::Alone),
        Some(false) => {}
    }
    if history.is_empty() || reproduces(history)? != Some(true) {
        return Ok(Confirmed::Flaky {
            asked: history.len(),
        });
    }
    // Delta debugging on the prefix: drop chunks while it still reproduces.
    let mut prefix = history.to_vec();
    let mut chunks = 2usize;
    while prefix.len() > 1 && attempts.get() < MAX_ATTEMPTS {
        let size = prefix.len().div_ceil(chunks);
        let mut reduced = false;
        for start in (0..prefix.len()).step_by(size) {
            if attempts.get() >= MAX_ATTEMPTS {
                break;
            }
            let candidate: Vec<Request> = prefix[..start]
                .iter()
                .chain(&prefix[(start + size).min(prefix.len())..])
                .cloned()
                .collect();
            if reproduces(&candidate)? == Some(true) {
                prefix = candidate;
                chunks = (chunks - 1).max(2);
                reduced = true;
                break;
            }
        }
        if !reduced {
            if size == 1 {
                break;
            }
            chunks = (chunks * 2).min(prefix.len());
        }
    }
    Ok(Confirmed::WithPrefix(prefix))
}

/// A target that records every request it forwards (the history a prefix is
/// searched in), keeping the most recent [`Recorder::LIMIT`].
pub struct Recorder<'a> {
    pub inner: &'a mut dyn TargetExt,
    pub history: Vec<Request>,
}

impl Recorder<'_> {
    /// Requests kept at most.
    pub const LIMIT: usize = 200_000;

    fn record(&mut self, requests: &[Request]) {
        self.history.extend_from_slice(requests);
        if self.history.len() > Self::LIMIT {
            let cut = self.history.len() - Self::LIMIT;
            self.history.drain(..cut);
        }
    }
}

impl Target for Recorder<'_> {
    fn decide(&mut self, request: &Request) -> Result<crate::model::Decision, TargetError> {
        self.record(std::slice::from_ref(request));
        self.inner.decide(request)
    }

    fn decide_all(
        &mut self,
        requests: &[Request],
    ) -> Result<Vec<crate::model::Decision>, TargetError> {
        self.record(requests);
        self.inner.decide_all(requests)
    }
}

/// The inner target's pipeline, with what is sent recorded; its fresh
/// instance for confirmation (never forked: a fork's requests would not be
/// recorded).
impl TargetExt for Recorder<'_> {
    fn send(&mut self, requests: &[Request]) -> Result<bool, TargetError> {
        let sent = self.inner.send(requests)?;
        if sent {
            self.record(requests);
        }
        Ok(sent)
    }

    fn receive(&mut self) -> Result<Vec<crate::model::Decision>, TargetError> {
        self.inner.receive()
    }

    fn fresh(&self) -> Option<Box<dyn TargetExt + Send>> {
        self.inner.fresh()
    }
}
