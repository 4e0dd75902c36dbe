//! The thresholds file (SPEC §10).

use crate::model::source::{SourceError, SourceFile};
use serde::Deserialize;
use std::path::Path;
use std::time::Duration;
use toml::Spanned;

/// One threshold on one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The metric's name.
    pub metric: String,
    /// Samples above it breach.
    pub max: Option<f64>,
    /// Samples below it breach.
    pub min: Option<f64>,
    /// The PromQL query (default: the metric name).
    pub query: Option<String>,
    /// A `NaN` sample breaches (default), unless `nan = "ignore"`.
    pub nan_breaches: bool,
    /// How often an expression `query` is evaluated over the window, in
    /// seconds (a plain series name is read sample by sample).
    pub resolution: f64,
}

/// A parsed thresholds file.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// How far back from the end samples are evaluated (`window`).
    pub window: Duration,
    /// Breaches tolerated before NO-GO.
    pub failure_limit: u64,
    /// Fewer samples than this in the window for a threshold is NO-GO.
    pub min_samples: u64,
    /// The thresholds, in file order.
    pub thresholds: Vec<Threshold>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    window: Spanned<String>,
    #[serde(default)]
    failure_limit: Option<Spanned<i64>>,
    #[serde(default)]
    min_samples: Option<Spanned<i64>>,
    #[serde(default)]
    threshold: Vec<RawThreshold>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    metric: Spanned<String>,
    max: Option<Spanned<f64>>,
    min: Option<Spanned<f64>>,
    query: Option<String>,
    nan: Option<Spanned<String>>,
    resolution: Option<Spanned<String>>,
}

impl Thresholds {
    /// Reads and parses a thresholds file.
    pub fn load(path: &Path) -> Result<Thresholds, SourceError> {
        Thresholds::parse(&SourceFile::read(path)?)
    }

    /// Parses a thresholds file already read.
    pub fn parse(source: &SourceFile) -> Result<Thresholds, SourceError> {
        let raw: Raw = source.deserialize()?;
        let window = humantime::parse_duration(raw.window.get_ref().trim()).map_err(|e| {
            source.error(
                raw.window.span(),
                "window",
                format!(
                    "`{}` is not a duration such as `24h` ({e})",
                    raw.window.get_ref()
                ),
            )
        })?;
        if window.is_zero() {
            return Err(source.error(raw.window.span(), "window", "the window is empty"));
        }
        let count =
            |v: &Option<Spanned<i64>>, key: &str, default: u64| -> Result<u64, SourceError> {
                match v {
                    None => Ok(default),
                    Some(n) if *n.get_ref() >= 0 => Ok(*n.get_ref() as u64),
                    Some(n) => Err(source.error(n.span(), key, "must not be negative")),
                }
            };
        let failure_limit = count(&raw.failure_limit, "failure_limit", 0)?;
        let min_samples = count(&raw.min_samples, "min_samples", 1)?.max(1);
        if raw.threshold.is_empty() {
            return Err(
                source.missing("threshold", "no thresholds: add at least one [[threshold]]")
            );
        }
        let mut thresholds = Vec::new();
        for (i, t) in raw.threshold.iter().enumerate() {
            if t.max.is_none() && t.min.is_none() {
                return Err(source.error(
                    t.metric.span(),
                    &format!("threshold[{i}]"),
                    "a threshold needs `max` or `min`",
                ));
            }
            if t.metric.get_ref().trim().is_empty() {
                return Err(source.error(
                    t.metric.span(),
                    &format!("threshold[{i}].metric"),
                    "an empty metric name",
                ));
            }
            for (bound, key) in [(&t.max, "max"), (&t.min, "min")] {
                if let Some(b) = bound
                    && !b.get_ref().is_finite()
                {
                    return Err(source.error(
                        b.span(),
                        &format!("threshold[{i}].{key}"),
                        format!("`{}` is not a finite number", b.get_ref()),
                    ));
                }
            }
            let nan_breaches = match &t.nan {
                None => true,
                Some(v) => match v.get_ref().as_str() {
                    "breach" => true,
                    "ignore" => false,
                    other => {
                        return Err(source.error(
                            v.span(),
                            &format!("threshold[{i}].nan"),
                            format!("`{other}`: expected `breach` or `ignore`"),
                        ));
                    }
                },
            };
            let resolution = match &t.resolution {
                None => 1.0,
                Some(r) => match humantime::parse_duration(r.get_ref().trim()) {
                    Ok(d) if !d.is_zero() => d.as_secs_f64(),
                    _ => {
                        return Err(source.error(
                            r.span(),
                            &format!("threshold[{i}].resolution"),
                            format!("`{}` is not a duration such as `15s`", r.get_ref()),
                        ));
                    }
                },
            };
            thresholds.push(Threshold {
                metric: t.metric.get_ref().clone(),
                max: t.max.as_ref().map(|m| *m.get_ref()),
                min: t.min.as_ref().map(|m| *m.get_ref()),
                query: t.query.clone(),
                nan_breaches,
                resolution,
            });
        }
        Ok(Thresholds {
            window,
            failure_limit,
            min_samples,
            thresholds,
        })
    }
}
