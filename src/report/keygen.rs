//! The reports of `gonogo keygen` (the key pair written) and `gonogo
//! lattice --dot` (the Hasse diagram as DOT), so every command speaks every
//! format.

use super::{Report, Status, Style, TestCase, Verdict};
use serde::Serialize;

/// `gonogo --version`: the name and version, in every format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionReport {
    /// `gonogo`.
    pub name: &'static str,
    /// The package version.
    pub version: &'static str,
}

impl VersionReport {
    /// This build's.
    pub fn current() -> VersionReport {
        VersionReport {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

impl Serialize for VersionReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: Verdict,
            name: &'a str,
            version: &'a str,
        }
        Json {
            verdict: Verdict::Go,
            name: self.name,
            version: self.version,
        }
        .serialize(s)
    }
}

impl Report for VersionReport {
    fn verdict(&self) -> Verdict {
        Verdict::Go
    }

    fn to_human(&self, _style: &Style) -> String {
        format!("{} {}\n", self.name, self.version)
    }

    fn testcases(&self) -> Vec<TestCase> {
        vec![TestCase {
            name: format!("{} {}", self.name, self.version),
            status: Status::Pass,
            kind: String::new(),
            message: format!("{} {}", self.name, self.version),
            detail: String::new(),
        }]
    }

    fn suite(&self) -> String {
        "gonogo --version".into()
    }
}

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
