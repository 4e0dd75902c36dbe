//! The reports of `gonogo keygen` (the key pair written) and `gonogo
//! lattice --dot` (the Hasse diagram as DOT), so every command speaks every
//! format.

use super::{Report, Status, Style, TestCase, Verdict};
use serde::Serialize;

/// A signing key pair written to disk.
#[derive(Debug, Clone)]
pub struct KeygenReport {
    /// The private key's path (mode 0600).
    pub private: String,
    /// The public key's path.
    pub public: String,
    /// The public key's id, as `verify` and in-toto tooling name it.
    pub keyid: String,
}

impl Serialize for KeygenReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: Verdict,
            private: &'a str,
            public: &'a str,
            keyid: &'a str,
        }
        Json {
            verdict: Verdict::Go,
            private: &self.private,
            public: &self.public,
            keyid: &self.keyid,
        }
        .serialize(s)
    }
}

impl Report for KeygenReport {
    fn verdict(&self) -> Verdict {
        Verdict::Go
    }

    fn to_human(&self, _style: &Style) -> String {
        format!(
            "wrote {} (private, mode 0600) and {} (public); key id {}\n",
            self.private, self.public, self.keyid
        )
    }

    fn testcases(&self) -> Vec<TestCase> {
        vec![TestCase {
            name: "keygen".into(),
            status: Status::Pass,
            kind: String::new(),
            message: format!("key id {}", self.keyid),
            detail: String::new(),
        }]
    }

    fn suite(&self) -> String {
        "gonogo keygen".into()
    }
}

/// A scope order as Graphviz DOT: the text itself in human output, a
/// `"dot"` string in JSON.
#[derive(Debug, Clone)]
pub struct DotReport {
    /// The DOT text.
    pub dot: String,
}

impl Serialize for DotReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: Verdict,
            dot: &'a str,
        }
        Json {
            verdict: Verdict::Go,
            dot: &self.dot,
        }
        .serialize(s)
    }
}

impl Report for DotReport {
    fn verdict(&self) -> Verdict {
        Verdict::Go
    }

    fn to_human(&self, _style: &Style) -> String {
        self.dot.clone()
    }

    fn testcases(&self) -> Vec<TestCase> {
        vec![TestCase {
            name: "lattice".into(),
            status: Status::Pass,
            kind: String::new(),
            message: "the scope order as DOT".into(),
            detail: self.dot.clone(),
        }]
    }

    fn suite(&self) -> String {
        "gonogo lattice".into()
    }
}
