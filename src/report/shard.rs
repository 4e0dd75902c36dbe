//! The report of `check --exhaustive --shard K/N`: which blocks the shard
//! checked, whether it found a failure in them, and where its file is. A
//! shard is not a verdict on the release: `gonogo merge` decides.

use super::{Report, Status, Style, TestCase, Verdict};
use serde::Serialize;

/// What one shard did.
#[derive(Debug, Clone, Serialize)]
pub struct ShardSummary {
    /// `no-go` when a failure was found in the shard's own blocks (the merged
    /// run is NO-GO whatever the others hold), `error` when the target
    /// failed, else `go` for these blocks only.
    pub verdict: Verdict,
    /// Always `false`: run `gonogo merge` on every shard for the verdict.
    pub complete: bool,
    /// `K/N`.
    pub shard: String,
    /// Blocks checked, of the domain's.
    pub blocks: usize,
    /// The domain's blocks.
    pub blocks_total: usize,
    /// Requests in the shard's blocks.
    pub requests: u64,
    /// Where the shard file was written.
    pub file: String,
    /// The target's error, if it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Report for ShardSummary {
    fn verdict(&self) -> Verdict {
        self.verdict
    }

    fn to_human(&self, style: &Style) -> String {
        let found = match self.verdict {
            Verdict::NoGo => "a failure in them: the merged run is NO-GO",
            Verdict::Error => "the target failed",
            Verdict::Go => "no failure in them (failures across shards show in the merge)",
        };
        let mut out = format!(
            "gonogo check --exhaustive shard {}: {} of {} blocks, {} requests; {found}\n",
            self.shard, self.blocks, self.blocks_total, self.requests
        );
        if let Some(m) = &self.message {
            out.push_str(&format!("  {}\n", crate::redact::terminal(m)));
        }
        out.push_str(&format!("  {} {}\n", style.dim("shard   "), self.file));
        out.push_str(&format!(
            "  {} gonogo merge <every shard file>   (the verdict)\n",
            style.dim("next    ")
        ));
        out
    }

    fn testcases(&self) -> Vec<TestCase> {
        vec![TestCase {
            name: format!("shard {}", self.shard),
            status: match self.verdict {
                Verdict::Go => Status::Pass,
                Verdict::NoGo => Status::Fail,
                Verdict::Error => Status::Error,
            },
            kind: match self.verdict {
                Verdict::Error => "target_failed".into(),
                _ => "shard".into(),
            },
            message: self.message.clone().unwrap_or_default(),
            detail: String::new(),
        }]
    }

    fn suite(&self) -> String {
        format!("gonogo check --exhaustive --shard {}", self.shard)
    }
}
