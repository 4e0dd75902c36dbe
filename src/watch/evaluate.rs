//! Thresholds applied to samples in the window. Pure.

use super::sources::{Sample, Series, format_time};
use super::thresholds::Thresholds;
use crate::reason::Reason;
use serde::Serialize;

/// A sample past its threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    pub at: String,
    pub value: f64,
}

/// One threshold's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdResult {
    pub metric: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    pub samples: usize,
    /// The value furthest past (or closest to) the threshold, and when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worst: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worst_at: Option<String>,
    pub breaches: Vec<Breach>,
    /// `no_data` or `too_few_samples` when the window cannot tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

/// The result of a watch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The window's start, in RFC 3339.
    pub start: String,
    /// The window's end, in RFC 3339.
    pub end: String,
    /// Breaches tolerated before NO-GO.
    pub failure_limit: u64,
    /// Breaches in all, over every threshold.
    pub breaches: usize,
    /// One result per threshold, in the thresholds' order.
    pub thresholds: Vec<ThresholdResult>,
    /// Why it is NO-GO: each reason once, in order.
    pub reasons: Vec<Reason>,
}

/// Evaluates every threshold on its samples within `[end - window, end]`.
pub fn evaluate(t: &Thresholds, series: &Series, end: f64) -> Outcome {
    let start = end - t.window.as_secs_f64();
    let mut results = Vec::new();
    let mut reasons = Vec::new();
    let mut total = 0;
    for th in &t.thresholds {
        let samples: Vec<Sample> = series
            .get(&th.metric)
            .map(|s| {
                s.iter()
                    .copied()
                    .filter(|x| x.at > start && x.at <= end)
                    .collect()
            })
            .unwrap_or_default();
        let breaches: Vec<Breach> = samples
            .iter()
            .filter(|s| {
                (s.value.is_nan() && th.nan_breaches)
                    || th.max.is_some_and(|m| s.value > m)
                    || th.min.is_some_and(|m| s.value < m)
            })
            .map(|s| Breach {
                at: format_time(s.at),
                value: s.value,
            })
            .collect();
        // Worst: the largest for a max threshold, else the smallest.
        // (`NaN` is not a value to show as the worst unless it is all.)
        let numbers = samples.iter().filter(|s| !s.value.is_nan());
        let worst = if th.max.is_some() {
            numbers.max_by(|a, b| a.value.total_cmp(&b.value))
        } else {
            numbers.min_by(|a, b| a.value.total_cmp(&b.value))
        }
        .or(samples.first());
        let reason = if samples.is_empty() {
            Some(Reason::NoData)
        } else if (samples.len() as u64) < t.min_samples {
            Some(Reason::TooFewSamples)
        } else {
            None
        };
        if let Some(r) = reason {
            if !reasons.contains(&r) {
                reasons.push(r);
            }
        }
        total += breaches.len();
        results.push(ThresholdResult {
            metric: th.metric.clone(),
            max: th.max,
            min: th.min,
            samples: samples.len(),
            worst: worst.map(|w| w.value),
            worst_at: worst.map(|w| format_time(w.at)),
            breaches,
            reason,
        });
    }
    if total as u64 > t.failure_limit {
        reasons.push(Reason::ThresholdBreached);
    }
    Outcome {
        start: format_time(start),
        end: format_time(end),
        failure_limit: t.failure_limit,
        breaches: total,
        thresholds: results,
        reasons,
    }
}
