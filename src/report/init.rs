//! The report of `gonogo init`: the files written and what to run next.

use super::{Report, Status, Style, TestCase, Verdict};
use serde::Serialize;
use std::fmt::Write;

/// The starter files written.
#[derive(Debug, Clone, Serialize)]
pub struct InitReport {
    /// Always GO: the files were written.
    pub verdict: Verdict,
    /// The project folder, as given.
    pub dir: String,
    /// Paths written, relative to `dir`.
    pub written: Vec<String>,
}

impl InitReport {
    /// A report of files written into `dir`.
    pub fn new(dir: String, written: Vec<String>) -> InitReport {
        InitReport {
            verdict: Verdict::Go,
            dir,
            written,
        }
    }
}

impl Report for InitReport {
    fn verdict(&self) -> Verdict {
        self.verdict
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} {}", style.bold("gonogo init"), self.dir);
        for w in &self.written {
            let _ = writeln!(out, "  {}  {w}", style.dim("wrote"));
        }
        let cd = if self.dir == "." {
            String::new()
        } else {
            format!("cd {} && ", crate::util::shell_quote(&self.dir))
        };
        let _ = writeln!(out, "\n{}", style.bold("next"));
        for (cmd, what) in [
            (
                "gonogo check",
                "the properties against the declared policy (GO)",
            ),
            (
                "gonogo env check --matrix env-matrix.toml --env prod=deploy/prod.env --env dev=deploy/dev.env",
                "the environment matrix",
            ),
            ("gonogo gate", "every check, and release-proof.json"),
        ] {
            let _ = writeln!(out, "  {cd}{cmd}\n      {}", style.dim(what));
        }
        let _ = writeln!(
            out,
            "  then set [target] in gonogo.toml to your service (kind = \"process\" or \"http\")"
        );
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        self.written
            .iter()
            .map(|w| TestCase {
                name: w.clone(),
                status: Status::Pass,
                kind: String::new(),
                message: "written".into(),
                detail: String::new(),
            })
            .collect()
    }

    fn suite(&self) -> String {
        "gonogo init".into()
    }
}
