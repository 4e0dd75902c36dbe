//! The report of `gonogo corpus upgrade`.

use super::{Report, Status, Style, TestCase, Verdict};
use crate::corpus::upgrade::{Assessment, UpgradeReport};
use std::fmt::Write;

impl Report for UpgradeReport {
    fn verdict(&self) -> Verdict {
        Self::verdict(self)
    }

    fn to_human(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} (model {})",
            style.bold("gonogo corpus upgrade"),
            crate::redact::terminal(&self.corpus),
            self.model_digest
        );
        let (verb, verb_review) = if self.dry_run {
            ("would upgrade", "review")
        } else {
            ("upgraded", "review")
        };
        for f in &self.files {
            let file = crate::redact::terminal(&f.file);
            match &f.assessment {
                Assessment::Current => {
                    let _ = writeln!(out, "  {}  {file}: current", style.status(Status::Pass));
                }
                Assessment::Upgraded { from, undeclared } => {
                    let _ = writeln!(
                        out,
                        "  {}  {file}: {verb} from {from} (still breaks `{}`)",
                        style.status(Status::Pass),
                        f.property
                    );
                    if !undeclared.is_empty() {
                        let _ = writeln!(
                            out,
                            "         tenant ids not declared by the model (adversarial variants are expected): {}",
                            crate::redact::terminal(&undeclared.join(", "))
                        );
                    }
                }
                Assessment::Review { from, why } => {
                    let _ = writeln!(
                        out,
                        "  {}  {file}: {verb_review} (saved under {from}): {why}; left as it is",
                        style.status(Status::Fail)
                    );
                }
            }
        }
        let count = |pick: fn(&Assessment) -> bool| {
            self.files.iter().filter(|f| pick(&f.assessment)).count()
        };
        let upgraded = count(|a| matches!(a, Assessment::Upgraded { .. }));
        let review = count(|a| matches!(a, Assessment::Review { .. }));
        let current = count(|a| matches!(a, Assessment::Current));
        let _ = writeln!(
            out,
            "{}: {current} current, {upgraded} {verb}, {review} to review{}",
            style.verdict(self.verdict()),
            if review > 0 {
                " (the gate refuses them until they are deleted or fixed)"
            } else {
                ""
            }
        );
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        self.files
            .iter()
            .map(|f| {
                let (status, message) = match &f.assessment {
                    Assessment::Current => (Status::Pass, "current".to_string()),
                    Assessment::Upgraded { from, .. } => {
                        (Status::Pass, format!("upgraded from {from}"))
                    }
                    Assessment::Review { why, .. } => (Status::Fail, why.clone()),
                };
                TestCase {
                    name: f.file.clone(),
                    status,
                    kind: String::new(),
                    message,
                    detail: String::new(),
                }
            })
            .collect()
    }

    fn suite(&self) -> String {
        "gonogo corpus upgrade".into()
    }
}
