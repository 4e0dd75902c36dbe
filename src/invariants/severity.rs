//! How bad a violation is: the worst way one of its decisions disagrees
//! with the declared policy. A target that allowed what the policy denies
//! is the failure to show and keep (a wrongful allow outranks a wrong
//! reason), and shrinking never trades it for a milder one.

use super::Violation;
use crate::model::{Decision, Model, Request};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kind of a mismatch, mildest first: the order is the severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Mismatch {
    /// Each decision agrees with the declared policy; they disagree with
    /// each other only.
    Other,
    /// Both deny with the same reason, under another status.
    WrongStatus,
    /// Both deny, for another reason.
    WrongReason,
    /// The target denied what the declared policy allows.
    WrongfulDeny,
    /// The target allowed what the declared policy denies: the worst.
    WrongfulAllow,
}

/// Failing cases counted by the kind of their mismatch.
pub type Mismatches = BTreeMap<Mismatch, u64>;

impl Mismatch {
    /// The worst kind there is: a run that found one need look no further.
    pub const WORST: Mismatch = Mismatch::WrongfulAllow;

    /// How `got` disagrees with `expected` (`None`: it agrees).
    pub fn of(expected: &Decision, got: &Decision) -> Option<Mismatch> {
        match (expected.allow, got.allow) {
            (false, true) => Some(Mismatch::WrongfulAllow),
            (true, false) => Some(Mismatch::WrongfulDeny),
            (true, true) => None,
            (false, false) if expected.reason != got.reason => Some(Mismatch::WrongReason),
            (false, false) if expected.status != got.status => Some(Mismatch::WrongStatus),
            (false, false) => None,
        }
    }

    /// The snake_case code used in reports.
    pub fn code(self) -> &'static str {
        match self {
            Mismatch::Other => "other",
            Mismatch::WrongStatus => "wrong_status",
            Mismatch::WrongReason => "wrong_reason",
            Mismatch::WrongfulDeny => "wrongful_deny",
            Mismatch::WrongfulAllow => "wrongful_allow",
        }
    }

    /// In words: "wrongful allow".
    pub fn words(self) -> &'static str {
        match self {
            Mismatch::Other => "inconsistent decisions",
            Mismatch::WrongStatus => "wrong status",
            Mismatch::WrongReason => "wrong reason",
            Mismatch::WrongfulDeny => "wrongful deny",
            Mismatch::WrongfulAllow => "wrongful allow",
        }
    }
}

impl Violation {
    /// The worst mismatch among its decisions, against the declared policy.
    pub fn mismatch(&self, model: &Model) -> Mismatch {
        Mismatch::worst_of(model, &self.requests, &self.decisions)
    }
}

impl Mismatch {
    /// The worst mismatch of decisions given to requests, index by index.
    pub fn worst_of(model: &Model, requests: &[Request], decisions: &[Decision]) -> Mismatch {
        requests
            .iter()
            .zip(decisions)
            .filter_map(|(r, d)| Mismatch::of(&model.decide(r), d))
            .max()
            .unwrap_or(Mismatch::Other)
    }
}

/// "2 wrongful allow, 7 wrong reason", worst first.
pub fn describe(counts: &Mismatches) -> String {
    let parts: Vec<String> = counts
        .iter()
        .rev()
        .map(|(kind, n)| format!("{n} {}", kind.words()))
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_allow_first() {
        let deny = |r: &str, s| Decision::deny(r, s);
        let allow = Decision::allow();
        let m = |e: &Decision, g: &Decision| Mismatch::of(e, g);
        assert_eq!(m(&deny("a", 403), &allow), Some(Mismatch::WrongfulAllow));
        assert_eq!(m(&allow, &deny("a", 403)), Some(Mismatch::WrongfulDeny));
        assert_eq!(
            m(&deny("a", 403), &deny("b", 403)),
            Some(Mismatch::WrongReason)
        );
        assert_eq!(
            m(&deny("a", 403), &deny("a", 404)),
            Some(Mismatch::WrongStatus)
        );
        assert_eq!(m(&deny("a", 403), &deny("a", 403)), None);
        assert!(Mismatch::WrongfulAllow > Mismatch::WrongfulDeny);
        assert!(Mismatch::WrongfulDeny > Mismatch::WrongReason);
        assert!(Mismatch::WrongReason > Mismatch::WrongStatus);
        assert_eq!(Mismatch::WORST, Mismatch::WrongfulAllow);
    }
}
