//! Watch notes (Markdown) and the chart (SVG, plotters).

use super::evaluate::Outcome;
#[cfg(feature = "charts")]
use super::sources::{Series, format_time};
#[cfg(feature = "charts")]
use super::thresholds::Thresholds;
#[cfg(feature = "charts")]
use plotters::prelude::*;
use std::fmt::Write;

/// A number as the notes show it: short, `+Inf`/`-Inf`/`NaN` as Prometheus
/// writes them.
fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else if v != 0.0 && !(1e-4..1e9).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// Outside text as a Markdown code span: backticks cannot close it, pipes
/// cannot split a table row, control characters are escaped.
fn code(text: &str) -> String {
    let t = crate::redact::text(text).replace('|', "\\|");
    let longest = t.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if t.starts_with('`') || t.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{t}{pad}{fence}")
}

/// The watch notes: verdict, each threshold, worst value and when, breaches.
pub fn markdown(outcome: &Outcome, source: &str, verdict: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Release watch: {verdict}\n");
    let _ = writeln!(out, "- Window: {} to {}", outcome.start, outcome.end);
    let _ = writeln!(out, "- Source: {}", code(source));
    let _ = writeln!(
        out,
        "- Breaches: {} (tolerated: {})",
        outcome.breaches, outcome.failure_limit
    );
    if !outcome.reasons.is_empty() {
        let r: Vec<String> = outcome.reasons.iter().map(|r| format!("`{r}`")).collect();
        let _ = writeln!(out, "- Reasons: {}", r.join(", "));
    }
    let _ = writeln!(
        out,
        "\n| metric | threshold | samples | worst | when | breaches |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for t in &outcome.thresholds {
        let limit = match (t.min, t.max) {
            (Some(lo), Some(hi)) => format!("{} ≤ x ≤ {}", number(lo), number(hi)),
            (None, Some(hi)) => format!("≤ {}", number(hi)),
            (Some(lo), None) => format!("≥ {}", number(lo)),
            (None, None) => String::new(),
        };
        let worst = t.worst.map(number).unwrap_or_else(|| "—".into());
        let when = t.worst_at.clone().unwrap_or_else(|| "—".into());
        let breaches = match t.reason {
            Some(r) => format!("`{r}`"),
            None => t.breaches.len().to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {limit} | {} | {worst} | {when} | {breaches} |",
            code(&t.metric),
            t.samples
        );
    }
    let all: Vec<_> = outcome
        .thresholds
        .iter()
        .flat_map(|t| t.breaches.iter().map(move |b| (t, b)))
        .collect();
    if !all.is_empty() {
        let _ = writeln!(out, "\n## Breaches\n");
        for (t, b) in all {
            let _ = writeln!(out, "- {} {} = {}", b.at, code(&t.metric), number(b.value));
        }
    }
    out
}

/// One panel per threshold: the metric's samples in the window, the
/// threshold as a dashed red line, breaches as red dots.
/// The largest magnitude a chart draws; larger values (and infinities) are
/// drawn at it.
#[cfg(feature = "charts")]
const PLOT_CAP: f64 = 1e15;

/// The SVG chart of a watch: one panel per threshold, the metric over the
/// window with its limit.
#[cfg(feature = "charts")]
pub fn chart(
    outcome: &Outcome,
    t: &Thresholds,
    series: &Series,
    end: f64,
) -> Result<String, String> {
    let start = end - t.window.as_secs_f64();
    let n = t.thresholds.len().max(1) as u32;
    let (width, panel) = (900u32, 260u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, panel * n)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let panels = root.split_evenly((n as usize, 1));
        for ((th, result), area) in t.thresholds.iter().zip(&outcome.thresholds).zip(panels) {
            let samples: Vec<(f64, f64)> = series
                .get(&th.metric)
                .map(|s| {
                    s.iter()
                        .filter(|x| x.at > start && x.at <= end && !x.value.is_nan())
                        // Bounded, so a sample of 1e308 or +Inf draws at the
                        // edge instead of an axis no renderer can tick.
                        .map(|x| ((x.at - start) / 3600.0, x.value.clamp(-PLOT_CAP, PLOT_CAP)))
                        .collect()
                })
                .unwrap_or_default();
            let limits: Vec<f64> = [th.max, th.min]
                .into_iter()
                .flatten()
                .map(|l| l.clamp(-PLOT_CAP, PLOT_CAP))
                .collect();
            let lo = samples
                .iter()
                .map(|s| s.1)
                .chain(limits.iter().copied())
                .fold(f64::INFINITY, f64::min);
            let hi = samples
                .iter()
                .map(|s| s.1)
                .chain(limits.iter().copied())
                .fold(f64::NEG_INFINITY, f64::max);
            let pad = ((hi - lo).abs() * 0.1).max(1e-9);
            let (lo, hi) = (lo.min(0.0) - if lo < 0.0 { pad } else { 0.0 }, hi + pad);
            let hours = (end - start) / 3600.0;
            let status = match result.reason {
                Some(r) => r.code().to_string(),
                None if result.breaches.is_empty() => "ok".to_string(),
                None => format!("{} breach(es)", result.breaches.len()),
            };
            let caption = format!("{}: {status}", crate::redact::text(&th.metric));
            let mut chart = ChartBuilder::on(&area)
                .caption(caption, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(32)
                .y_label_area_size(64)
                .build_cartesian_2d(0.0..hours, lo..hi)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc(format!("hours since {}", format_time(start)))
                .light_line_style(RGBColor(235, 235, 235))
                .draw()
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(LineSeries::new(
                    samples.iter().copied(),
                    RGBColor(31, 119, 180).stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(crate::redact::text(&th.metric))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], RGBColor(31, 119, 180))
                });
            for limit in &limits {
                let dashes = (0..80).map(|k| {
                    let a = hours * k as f64 / 80.0;
                    PathElement::new(
                        vec![(a, *limit), (a + hours / 160.0, *limit)],
                        RED.stroke_width(2),
                    )
                });
                chart.draw_series(dashes).map_err(|e| e.to_string())?;
            }
            let breaching = samples
                .iter()
                .filter(|s| th.max.is_some_and(|m| s.1 > m) || th.min.is_some_and(|m| s.1 < m))
                .map(|s| Circle::new(*s, 4, RED.filled()));
            chart.draw_series(breaching).map_err(|e| e.to_string())?;
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(RGBColor(200, 200, 200))
                .draw()
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
