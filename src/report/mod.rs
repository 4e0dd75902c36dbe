//! Every command's outcome as one [`Report`], and the three renderers of
//! SPEC §2: human, JSON and JUnit XML. Only this module turns outcomes into text.

mod check;
mod corpus;
mod env;
mod explain;
mod gate;
mod init;
mod junit;
mod keygen;
mod lattice;
mod migrate;
mod replay;
mod shard;
mod style;
mod watch;

pub use env::{EnvReport, EnvResult};
pub use explain::{ExplainReport, ExplainedProperty};
pub use init::InitReport;
pub use keygen::{DotReport, KeygenReport, VersionReport};
pub use lattice::LatticeReport;
pub use shard::ShardSummary;
pub use style::Style;
pub use watch::WatchReport;

pub use crate::gate::{GateReport, VerifyFinding, VerifyReport};
pub use crate::migrate::{PreflightReport, RoundtripReport};
pub use crate::runner::{
    CheckReport, CoverageSummary, ExhaustiveSummary, PropertyResult, ReplayReport, ReplayResult,
};
pub use crate::verdict::{Status, Verdict};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Text for a terminal.
    Human,
    /// One JSON document.
    Json,
    /// JUnit XML, one testcase per check or property.
    Junit,
}

/// One JUnit testcase.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// The testcase's name: the check or property.
    pub name: String,
    /// Pass, failure or error.
    pub status: Status,
    /// The reason code (failure or error type).
    pub kind: String,
    /// One line.
    pub message: String,
    /// Anything longer (the counterexample).
    pub detail: String,
}

/// What every command returns.
pub trait Report: ToJson {
    /// GO, NO-GO or error.
    fn verdict(&self) -> Verdict;
    /// The text of `--format human`.
    fn to_human(&self, style: &Style) -> String;
    /// One testcase per check or property, for `--format junit`.
    fn testcases(&self) -> Vec<TestCase>;
    /// The JUnit suite name.
    fn suite(&self) -> String;
}

/// The JSON document of `--format json`: every report serializes itself.
pub trait ToJson {
    /// The report as JSON.
    fn to_json(&self) -> serde_json::Value;
}

impl<T: serde::Serialize> ToJson for T {
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a report serializes")
    }
}

/// Renders a report in a format.
pub fn render(report: &dyn Report, format: Format, style: &Style) -> String {
    match format {
        Format::Human => report.to_human(style),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report.to_json()).expect("json serializes");
            s.push('\n');
            s
        }
        Format::Junit => junit::render(&report.suite(), &report.testcases()),
    }
}

/// An error before any report exists (bad input, unreadable file), rendered
/// in the requested format so a CI parser still gets a document.
pub fn render_error(
    command: &str,
    reason: Option<crate::reason::Reason>,
    message: &str,
    format: Format,
    style: &Style,
) -> String {
    match format {
        Format::Human => {
            let message = crate::redact::terminal(message);
            match reason {
                Some(r) => format!("{}: {r}: {message}\n", style.error("error")),
                None => format!("{}: {message}\n", style.error("error")),
            }
        }
        Format::Json => {
            let mut doc = serde_json::json!({"verdict": "error"});
            if let Some(r) = reason {
                doc["reason"] = r.code().into();
            }
            doc["message"] = message.into();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).expect("json serializes")
            )
        }
        Format::Junit => junit::render(
            &format!("gonogo {command}"),
            &[TestCase {
                name: command.to_string(),
                status: Status::Error,
                kind: reason.map_or("error", |r| r.code()).into(),
                message: message.to_string(),
                detail: String::new(),
            }],
        ),
    }
}
