//! Samples: from a CSV file (`timestamp,metric,value`) or a Prometheus
//! server's `query_range` API.

use std::collections::BTreeMap;
use std::path::Path;

/// A sample: Unix seconds and a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// When, in Unix seconds.
    pub at: f64,
    /// The metric's value then.
    pub value: f64,
}

/// Samples by metric.
pub type Series = BTreeMap<String, Vec<Sample>>;

/// Unix seconds from RFC 3339 or a number of seconds.
pub fn parse_time(text: &str) -> Option<f64> {
    let t = text.trim();
    if let Ok(secs) = t.parse::<f64>() {
        return secs.is_finite().then_some(secs);
    }
    let dt = time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()?;
    Some(dt.unix_timestamp_nanos() as f64 / 1e9)
}

/// RFC 3339 of Unix seconds.
pub fn format_time(at: f64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos((at * 1e9) as i128)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("{at}"))
}

/// Reads a CSV of `timestamp,metric,value` (a header line is optional).
pub fn read_csv(path: &Path) -> Result<Series, String> {
    let shown = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let mut series = Series::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("{shown}: {e}"))?;
        let line = record.position().map_or(i as u64 + 1, |p| p.line());
        if record.len() != 3 {
            return Err(format!(
                "{shown}:{line}: expected `timestamp,metric,value`, found {} fields",
                record.len()
            ));
        }
        if i == 0 && &record[0] == "timestamp" {
            continue;
        }
        let at = parse_time(&record[0]).ok_or_else(|| {
            format!(
                "{shown}:{line}: `{}` is not RFC 3339 nor Unix seconds",
                &record[0]
            )
        })?;
        // `+Inf`, `-Inf` and `NaN` are values, as in Prometheus.
        let value: f64 = record[2]
            .parse()
            .ok()
            .ok_or_else(|| format!("{shown}:{line}: `{}` is not a number", &record[2]))?;
        // `name{labels}` is a series of `name`, as a Prometheus selector
        // of `name` returns every labelled series.
        let metric = record[1].split('{').next().unwrap_or_default().trim();
        series
            .entry(metric.to_string())
            .or_default()
            .push(Sample { at, value });
    }
    for samples in series.values_mut() {
        samples.sort_by(|a, b| a.at.total_cmp(&b.at));
    }
    Ok(series)
}

/// Whether a query is a plain series selector (`name` or `name{…}`),
/// whose raw samples a range vector returns one by one.
fn is_selector(q: &str) -> bool {
    let q = q.trim();
    let name_end = q
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(q.len());
    let rest = &q[name_end..];
    (name_end > 0 || rest.starts_with('{'))
        && !q.starts_with(|c: char| c.is_ascii_digit())
        && (rest.is_empty()
            || (rest.starts_with('{')
                && rest.ends_with('}')
                && !rest[..rest.len() - 1].contains('}')))
}

/// The PromQL that returns every sample of `(start, end]` at `end`: a
/// range vector of a plain series (its raw samples, as a CSV would hold
/// them), or a subquery evaluating an expression every `resolution`
/// seconds. No sample can fall between two query steps.
pub fn window_query(query: &str, window: f64, resolution: f64) -> String {
    let w = window.ceil() as u64;
    if is_selector(query) {
        format!("{}[{w}s]", query.trim())
    } else {
        format!(
            "({})[{w}s:{}s]",
            query.trim(),
            (resolution.ceil() as u64).max(1)
        )
    }
}

/// Reads every sample of each query in `(end - window, end]` from a
/// Prometheus server: queries are `(metric, query, resolution)`. Values
/// `+Inf`, `-Inf` and `NaN` are kept.
#[cfg(feature = "http")]
pub fn query_prometheus(
    base: &str,
    queries: &[(String, String, f64)],
    window: f64,
    end: f64,
) -> Result<Series, String> {
    let shown = crate::redact::url(base);
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(60)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent();
    let url = format!("{}/api/v1/query", base.trim_end_matches('/'));
    let mut series = Series::new();
    for (metric, query, resolution) in queries {
        let promql = window_query(query, window, *resolution);
        let mut response = agent
            .get(&url)
            .query("query", &promql)
            .query("time", format!("{end:.3}"))
            .call()
            .map_err(|e| {
                format!(
                    "cannot reach Prometheus at `{shown}`: {}",
                    crate::redact::text(&e.to_string())
                )
            })?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(format!(
                "Prometheus at `{shown}` answered HTTP {status} to `{}`: not an answer",
                crate::redact::text(&promql)
            ));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| format!("Prometheus answer: {e}"))?;
        // Strict: a key twice (`"status"` or `"values"`) is read differently
        // by different JSON readers, so it is no answer.
        let doc: serde_json::Value = crate::targets::wire::strict_json(&body)
            .map_err(|e| format!("Prometheus answered with a body that is not JSON: {e}"))?;
        if doc["warnings"].as_array().is_some_and(|w| !w.is_empty()) {
            return Err(format!(
                "Prometheus warned about `{}` (partial data?): {}",
                crate::redact::text(&promql),
                crate::redact::text(&doc["warnings"].to_string())
            ));
        }
        if doc["status"] != "success" {
            return Err(format!(
                "Prometheus refused `{}`: {}",
                crate::redact::text(&promql),
                crate::redact::text(doc["error"].as_str().unwrap_or("no error message"))
            ));
        }
        if doc["data"]["resultType"] != "matrix" {
            return Err(format!(
                "Prometheus answered `{}` with a `{}`, not a matrix",
                crate::redact::text(&promql),
                crate::redact::text(doc["data"]["resultType"].as_str().unwrap_or("?"))
            ));
        }
        let entry = series.entry(metric.clone()).or_default();
        for result in doc["data"]["result"].as_array().into_iter().flatten() {
            for pair in result["values"].as_array().into_iter().flatten() {
                let at = pair[0].as_f64();
                let value = pair[1].as_str().and_then(|v| v.parse::<f64>().ok());
                match (at, value) {
                    (Some(at), Some(value)) => entry.push(Sample { at, value }),
                    _ => {
                        return Err(format!(
                            "Prometheus answered `{}` with a sample that is not `[time, \"value\"]`",
                            crate::redact::text(&promql)
                        ));
                    }
                }
            }
        }
        entry.sort_by(|a, b| a.at.total_cmp(&b.at));
    }
    Ok(series)
}
