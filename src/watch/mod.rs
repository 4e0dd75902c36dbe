//! Post-release watch (SPEC §10): thresholds over a window of samples from a
//! CSV file or Prometheus, watch notes in Markdown and an SVG chart.

pub mod evaluate;
pub mod notes;
pub mod sources;
pub mod thresholds;

pub use evaluate::{Outcome, evaluate};
pub use thresholds::{Threshold, Thresholds};
