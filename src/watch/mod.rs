//! Post-release watch (SPEC §10): thresholds over a window of samples from a
//! CSV file or Prometheus, watch notes in Markdown and an SVG chart.

pub(crate) mod evaluate;
// Read and written by the CLI's `watch`.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) mod notes;
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) mod sources;
pub(crate) mod thresholds;

pub use evaluate::{Outcome, evaluate};
pub use thresholds::{Threshold, Thresholds};
