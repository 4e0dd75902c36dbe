//! `gonogo watch`.

use super::Failure;
use crate::report::{Report, WatchReport};
use crate::watch::{Thresholds, evaluate, notes, sources};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["metrics", "prometheus"])))]
pub struct WatchArgs {
    /// The thresholds file.
    #[arg(long)]
    pub thresholds: PathBuf,
    /// Samples as CSV: `timestamp,metric,value` (RFC 3339 or Unix seconds).
    #[arg(long, value_name = "CSV")]
    pub metrics: Option<PathBuf>,
    /// A Prometheus server (its `query_range` API).
    #[arg(long, value_name = "URL")]
    pub prometheus: Option<String>,
    /// The end of the window, RFC 3339 or Unix seconds (default: the last
    /// sample of the CSV, or now for Prometheus).
    #[arg(long)]
    pub end: Option<String>,
    /// Write the watch notes (Markdown) here.
    #[arg(long, value_name = "MD")]
    pub notes: Option<PathBuf>,
    /// Write the chart (SVG) here.
    #[arg(long, value_name = "SVG")]
    pub chart: Option<PathBuf>,
}

fn write(path: &Path, text: &str) -> Result<String, Failure> {
    crate::model::source::write_atomic(path, text.as_bytes()).map_err(Failure::msg)?;
    Ok(path.display().to_string())
}

pub fn run(args: &WatchArgs) -> Result<Box<dyn Report>, Failure> {
    let thresholds = Thresholds::load(&args.thresholds)?;
    let end_arg = args
        .end
        .as_deref()
        .map(|e| {
            sources::parse_time(e).ok_or_else(|| {
                Failure::msg(format!("--end: `{e}` is not RFC 3339 nor Unix seconds"))
            })
        })
        .transpose()?;
    let (series, end, source) = match (&args.metrics, &args.prometheus) {
        (Some(csv), _) => {
            let series = sources::read_csv(csv).map_err(Failure::msg)?;
            let last = series
                .values()
                .flatten()
                .map(|s| s.at)
                .fold(f64::NEG_INFINITY, f64::max);
            let end = end_arg.unwrap_or(if last.is_finite() { last } else { 0.0 });
            (series, end, csv.display().to_string())
        }
        (None, Some(url)) => {
            let end = end_arg.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64())
            });
            let queries: Vec<(String, String, f64)> = thresholds
                .thresholds
                .iter()
                .map(|t| {
                    (
                        t.metric.clone(),
                        t.query.clone().unwrap_or_else(|| t.metric.clone()),
                        t.resolution,
                    )
                })
                .collect();
            let series =
                sources::query_prometheus(url, &queries, thresholds.window.as_secs_f64(), end)
                    .map_err(Failure::msg)?;
            (series, end, crate::redact::url(url))
        }
        (None, None) => return Err(Failure::msg("give --metrics CSV or --prometheus URL")),
    };
    let outcome = evaluate(&thresholds, &series, end);
    let verdict = if outcome.reasons.is_empty() {
        "GO"
    } else {
        "NO-GO"
    };
    let notes = args
        .notes
        .as_deref()
        .map(|p| write(p, &notes::markdown(&outcome, &source, verdict)))
        .transpose()?;
    let chart = match &args.chart {
        Some(p) => {
            let svg = notes::chart(&outcome, &thresholds, &series, end)
                .map_err(|e| Failure::msg(format!("the chart: {e}")))?;
            Some(write(p, &svg)?)
        }
        None => None,
    };
    Ok(Box::new(WatchReport::new(source, outcome, notes, chart)))
}
