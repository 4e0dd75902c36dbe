//! What a command or check decides: [`Verdict`] (GO, NO-GO, error) and a
//! check's [`Status`]. At the bottom of the crate: every domain module
//! computes them, and `report` renders them.

use serde::Serialize;

/// The answer of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// GO: safe to release (exit code 0).
    #[serde(rename = "go")]
    Go,
    /// NO-GO: something failed (exit code 1).
    #[serde(rename = "no-go")]
    NoGo,
    /// The command could not decide (exit code 2).
    #[serde(rename = "error")]
    Error,
}

impl Verdict {
    /// The exit code of SPEC §1: 0 GO, 1 NO-GO, 2 error.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Go => 0,
            Verdict::NoGo => 1,
            Verdict::Error => 2,
        }
    }

    /// The verdict of several: any error wins, then any NO-GO.
    pub fn combine(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        verdicts
            .into_iter()
            .fold(Verdict::Go, |acc, v| match (acc, v) {
                (Verdict::Error, _) | (_, Verdict::Error) => Verdict::Error,
                (Verdict::NoGo, _) | (_, Verdict::NoGo) => Verdict::NoGo,
                _ => Verdict::Go,
            })
    }

    /// SPEC §1's rule for several checks: NO-GO when any failed, else error
    /// when any errored, else GO — so CI can tell an outage from a real
    /// NO-GO.
    pub fn combine_fail_first(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let all: Vec<Verdict> = verdicts.into_iter().collect();
        if all.contains(&Verdict::NoGo) {
            Verdict::NoGo
        } else if all.contains(&Verdict::Error) {
            Verdict::Error
        } else {
            Verdict::Go
        }
    }

    /// `GO`, `NO-GO` or `ERROR`.
    pub fn shout(self) -> &'static str {
        match self {
            Verdict::Go => "GO",
            Verdict::NoGo => "NO-GO",
            Verdict::Error => "ERROR",
        }
    }
}

/// The status of one check or property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// It passed; leads to GO.
    Pass,
    /// It failed; leads to NO-GO.
    Fail,
    /// It could not be checked; leads to an error.
    Error,
}

impl Status {
    /// The verdict this status leads to.
    pub fn verdict(self) -> Verdict {
        match self {
            Status::Pass => Verdict::Go,
            Status::Fail => Verdict::NoGo,
            Status::Error => Verdict::Error,
        }
    }
}
