//! Samples: from a CSV file (`timestamp,metric,value`) or a Prometheus
//! server's `query_range` API.

use std::collections::BTreeMap;
use std::path::Path;

/// A sample: Unix seconds and a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub at: f64,
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
        let value: f64 = record[2]
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("{shown}:{line}: `{}` is not a number", &record[2]))?;
        series
            .entry(record[1].to_string())
            .or_default()
            .push(Sample { at, value });
    }
    for samples in series.values_mut() {
        samples.sort_by(|a, b| a.at.total_cmp(&b.at));
    }
    Ok(series)
}

/// Runs each query over `[start, end]` against a Prometheus server.
pub fn query_prometheus(
    base: &str,
    queries: &[(String, String)],
    start: f64,
    end: f64,
) -> Result<Series, String> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .http_status_as_error(false)
        .build()
        .new_agent();
    let step = ((end - start) / 250.0).max(1.0).ceil();
    let url = format!("{}/api/v1/query_range", base.trim_end_matches('/'));
    let mut series = Series::new();
    for (metric, query) in queries {
        let mut response = agent
            .get(&url)
            .query("query", query)
            .query("start", format!("{start:.3}"))
            .query("end", format!("{end:.3}"))
            .query("step", format!("{step}"))
            .call()
            .map_err(|e| format!("cannot reach Prometheus at `{base}`: {e}"))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("Prometheus answer: {e}"))?;
        let doc: serde_json::Value = serde_json::from_str(&body).map_err(|_| {
            format!("Prometheus answered HTTP {status} with a body that is not JSON")
        })?;
        if doc["status"] != "success" {
            return Err(format!(
                "Prometheus refused `{query}`: {}",
                doc["error"].as_str().unwrap_or("no error message")
            ));
        }
        let entry = series.entry(metric.clone()).or_default();
        for result in doc["data"]["result"].as_array().into_iter().flatten() {
            for pair in result["values"].as_array().into_iter().flatten() {
                let at = pair[0].as_f64();
                let value = pair[1].as_str().and_then(|v| v.parse::<f64>().ok());
                if let (Some(at), Some(value)) = (at, value) {
                    if value.is_finite() {
                        entry.push(Sample { at, value });
                    }
                }
            }
        }
        entry.sort_by(|a, b| a.at.total_cmp(&b.at));
    }
    Ok(series)
}
