//! What a run decides, as data: each property's result, the run's report,
//! and replay's. `report` renders them; nothing here prints.

use crate::corpus::Counterexample;
use crate::invariants::{Mismatch, Mismatches};
use crate::reason::Reason;
use crate::verdict::{Status, Verdict};
use serde::Serialize;

/// The result of one property.
#[derive(Debug, Clone, Serialize)]
pub struct PropertyResult {
    /// The property's name.
    pub name: String,
    /// Pass, fail or error.
    pub status: Status,
    /// Cases run (for a failure: all of them, or up to the first wrongful
    /// allow, which ends a run).
    pub cases: u64,
    /// Whether it was checked with `--exhaustive`.
    pub exhaustive: bool,
    /// For a failure or an error: its reason code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// For a failure: how the counterexample's decisions disagree with the
    /// declared policy (the worst kind found is the one shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<Mismatch>,
    /// The failing cases run, by kind of mismatch.
    #[serde(skip_serializing_if = "Mismatches::is_empty")]
    pub mismatches: Mismatches,
    /// Requests the target skipped (it cannot represent them), counted by
    /// the reason it gave; never checked.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub skipped: std::collections::BTreeMap<String, u64>,
    /// For a failure: the shrunk counterexample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterexample: Option<Counterexample>,
    /// For an error: what went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Where the counterexample was saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corpus_file: Option<String>,
    /// Ready-to-paste commands that reproduce the failure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reproduce: Vec<String>,
    /// How the property was checked, when that needs saying (exhaustive runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The bounded domain an exhaustive run enumerated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExhaustiveSummary {
    /// `raw` (every subset of the catalog as a raw list) or `down-closed`.
    pub enumeration: String,
    /// The domain in words.
    pub domain: String,
    /// Scope sets enumerated.
    pub scope_sets: u64,
    /// Actions enumerated (declared and unknown).
    pub actions: u64,
    /// The fixed adversarial tenant ids; every ordered pair is enumerated.
    pub tenants: Vec<String>,
    /// Scope names outside the catalog, each held as one extra element by
    /// the principals of its own blocks.
    pub extra_scopes: Vec<String>,
    /// Requests in the domain.
    pub requests: u64,
    /// Requests sent to the target (0: the declared policy, evaluated on bitsets).
    pub asked: u64,
}

/// Which (scope closure × action × tenant relation) combinations a run exercised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageSummary {
    /// The dimensions combined.
    pub dimensions: Vec<&'static str>,
    /// Every combination there is; `None` when the catalog is too large to count.
    pub combinations: Option<u64>,
    /// Combinations exercised at least once.
    pub exercised: u64,
    /// Combinations never exercised; `None` when they were not counted.
    pub never_count: Option<u64>,
    /// The first never-exercised ones, in order (closure, action, relation).
    pub never: Vec<String>,
}

/// The report of a check run. Its verdict is computed from its
/// properties, never stored beside them: push a failing result and it is
/// NO-GO.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// The run's seed, as `0x` and lowercase hex.
    pub seed: String,
    /// One result per property, in the order checked.
    pub properties: Vec<PropertyResult>,
    /// For `--exhaustive`: the domain enumerated.
    pub exhaustive: Option<ExhaustiveSummary>,
    /// The combinations the run exercised.
    pub coverage: Option<CoverageSummary>,
    /// The config file checked (not serialized: the JSON stays path-free).
    pub config: String,
}

/// The JSON of a check report (SPEC §6), its verdict computed.
#[derive(Serialize)]
struct CheckJson<'a> {
    verdict: Verdict,
    seed: &'a str,
    properties: &'a [PropertyResult],
    #[serde(skip_serializing_if = "Option::is_none")]
    exhaustive: Option<&'a ExhaustiveSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<&'a CoverageSummary>,
}

impl Serialize for CheckReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        CheckJson {
            verdict: self.verdict(),
            seed: &self.seed,
            properties: &self.properties,
            exhaustive: self.exhaustive.as_ref(),
            coverage: self.coverage.as_ref(),
        }
        .serialize(s)
    }
}

impl CheckReport {
    /// A report of these properties.
    pub fn new(config: String, seed: String, properties: Vec<PropertyResult>) -> CheckReport {
        CheckReport {
            seed,
            properties,
            exhaustive: None,
            coverage: None,
            config,
        }
    }

    /// GO when every property passed; any error wins, then any failure.
    /// (No properties is never GO: nothing checked.)
    pub fn verdict(&self) -> Verdict {
        if self.properties.is_empty() {
            return Verdict::Error;
        }
        Verdict::combine(self.properties.iter().map(|p| p.status.verdict()))
    }

    /// The result of one property, by name.
    pub fn property(&self, name: &str) -> Option<&PropertyResult> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// The replay of one corpus file.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayResult {
    /// The corpus file's path.
    pub file: String,
    /// The property it was saved for (empty when the file could not be read).
    pub property: String,
    /// `fail`: the counterexample still breaks the property.
    pub status: Status,
    /// The reason code of a failure, or of an error that has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The counterexample with the decisions the target gives now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterexample: Option<Counterexample>,
    /// For an error: what went wrong; otherwise a note when the model changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The report of a replay; its verdict is computed from its files.
#[derive(Debug, Clone)]
pub struct ReplayReport {
    /// One result per corpus file.
    pub files: Vec<ReplayResult>,
}

impl Serialize for ReplayReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct ReplayJson<'a> {
            verdict: Verdict,
            files: &'a [ReplayResult],
        }
        ReplayJson {
            verdict: self.verdict(),
            files: &self.files,
        }
        .serialize(s)
    }
}

impl ReplayReport {
    /// A report of these files.
    pub fn new(files: Vec<ReplayResult>) -> ReplayReport {
        ReplayReport { files }
    }

    /// Any error wins, then any failure; else GO.
    pub fn verdict(&self) -> Verdict {
        // SPEC §6: "exit 1 if any still fails", even beside a file that
        // errored. (`replay` refuses a path with no file; the gate's corpus
        // check of an empty corpus passes: nothing is saved to fail.)
        Verdict::combine_fail_first(self.files.iter().map(|f| f.status.verdict()))
    }
}
