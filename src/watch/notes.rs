//! Watch notes (Markdown) and the chart (SVG, plotters).

use super::evaluate::Outcome;
#[cfg(feature = "charts")]
use super::sources::{Series, format_time};
#[cfg(feature = "charts")]
use super::thresholds::Thresholds;
#[cfg(feature = "charts")]
use plotters::prelude::*;
#[cfg(feature = "charts")]
use plotters::style::text_anchor::{HPos, Pos, VPos};
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

/// The largest magnitude a chart draws; larger values (and infinities) are
/// drawn at it.
#[cfg(feature = "charts")]
const PLOT_CAP: f64 = 1e15;

/// The chart's width, in pixels.
#[cfg(feature = "charts")]
const WIDTH: u32 = 900;
/// A panel's height, in pixels.
#[cfg(feature = "charts")]
const PANEL: u32 = 280;
/// The band at the top of a panel, above its plot: the caption, then the
/// legend's row; the plot starts below it.
#[cfg(feature = "charts")]
const HEAD: u32 = 52;
/// Blank space around a panel, in pixels.
#[cfg(feature = "charts")]
const MARGIN: i32 = 12;
/// The vertical middle of the legend's row, from the panel's top.
#[cfg(feature = "charts")]
const LEGEND_Y: i32 = 40;
/// The legend's font size (plotters' size; the SVG says it / 1.24).
#[cfg(feature = "charts")]
const LEGEND_FONT: f64 = 13.0;
/// The series' colour.
#[cfg(feature = "charts")]
const LINE: RGBColor = RGBColor(31, 119, 180);

/// A metric's unit, told by the end of its name.
#[cfg(feature = "charts")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Milliseconds,
    Seconds,
    Bytes,
    Ratio,
}

#[cfg(feature = "charts")]
impl Unit {
    /// `_ms` is milliseconds, `_seconds` or `_s` seconds, `_bytes` bytes,
    /// `_rate` or `_ratio` a ratio; any other name has no unit.
    fn of(metric: &str) -> Option<Unit> {
        [
            ("_ms", Unit::Milliseconds),
            ("_seconds", Unit::Seconds),
            ("_s", Unit::Seconds),
            ("_bytes", Unit::Bytes),
            ("_rate", Unit::Ratio),
            ("_ratio", Unit::Ratio),
        ]
        .into_iter()
        .find(|(suffix, _)| metric.ends_with(suffix))
        .map(|(_, unit)| unit)
    }

    /// As the y axis and the legend name it.
    fn name(self) -> &'static str {
        match self {
            Unit::Milliseconds => "ms",
            Unit::Seconds => "s",
            Unit::Bytes => "bytes",
            Unit::Ratio => "ratio",
        }
    }
}

/// A value with its unit after it (`800 ms`); a ratio, or a value of no
/// unit, is the number alone.
#[cfg(feature = "charts")]
fn with_unit(v: f64, unit: Option<Unit>) -> String {
    match unit {
        Some(u) if u != Unit::Ratio => format!("{} {}", number(v), u.name()),
        _ => number(v),
    }
}

/// A threshold's bounds, `min` first: `min 1, max 5` (`sep` between a
/// bound and its value, each value with `unit`).
#[cfg(feature = "charts")]
fn bounds(min: Option<f64>, max: Option<f64>, sep: &str, unit: Option<Unit>) -> String {
    [("min", min), ("max", max)]
        .into_iter()
        .filter_map(|(key, v)| v.map(|v| format!("{key}{sep}{}", with_unit(v, unit))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A generous width of `text` in the legend's font (wider than a
/// sans-serif font draws it), to place the next entry after it.
#[cfg(feature = "charts")]
fn legend_width(text: &str) -> i32 {
    (text.chars().count() as f64 * 0.6 * LEGEND_FONT / 1.24).ceil() as i32
}

/// The SVG chart of a watch: one panel per threshold, the metric's samples
/// in the window, the threshold as a dashed red line, breaches as red dots.
/// Each panel's caption and legend sit in a band above its plot, so they
/// never cover the line; the legend names the threshold's bounds and the
/// metric's unit, which the y axis names too.
#[cfg(feature = "charts")]
pub fn chart(
    outcome: &Outcome,
    t: &Thresholds,
    series: &Series,
    end: f64,
) -> Result<String, String> {
    let start = end - t.window.as_secs_f64();
    let n = t.thresholds.len().max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, PANEL * n)).into_drawing_area();
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
            // Outside text: control characters escaped here, XML's syntax by
            // the SVG backend.
            let name = crate::redact::text(&th.metric);
            let unit = Unit::of(&th.metric);
            let (head, body) = area.split_vertically(HEAD);
            let caption = ("sans-serif", 18)
                .into_text_style(&head)
                .pos(Pos::new(HPos::Center, VPos::Top));
            head.draw(&Text::new(
                format!("{name}: {status}"),
                (WIDTH as i32 / 2, MARGIN),
                caption,
            ))
            .map_err(|e| e.to_string())?;
            let mut chart = ChartBuilder::on(&body)
                .margin(MARGIN)
                .margin_top(0)
                .x_label_area_size(32)
                .y_label_area_size(72)
                .build_cartesian_2d(0.0..hours, lo..hi)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc(format!("hours since {}", format_time(start)))
                .y_desc(match unit {
                    Some(u) => format!("{name} ({})", u.name()),
                    None => name.clone(),
                })
                .light_line_style(RGBColor(235, 235, 235))
                .draw()
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(LineSeries::new(
                    samples.iter().copied(),
                    LINE.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
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

            // The legend: one row in the head band, from the plot's left
            // edge: the line, then the threshold's dashes.
            let label = ("sans-serif", LEGEND_FONT)
                .into_text_style(&head)
                .pos(Pos::new(HPos::Left, VPos::Center));
            let series_entry = match unit {
                Some(u) => format!(
                    "{name} ({}; {})",
                    u.name(),
                    bounds(th.min, th.max, " ", None)
                ),
                None => format!("{name} ({})", bounds(th.min, th.max, " ", None)),
            };
            let threshold_entry = format!("threshold {}", bounds(th.min, th.max, " = ", unit));
            let y = LEGEND_Y;
            let mut x = chart.plotting_area().get_pixel_range().0.start - area.get_base_pixel().0;
            head.draw(&PathElement::new(
                vec![(x, y), (x + 20, y)],
                LINE.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
            head.draw(&Text::new(series_entry.clone(), (x + 26, y), label.clone()))
                .map_err(|e| e.to_string())?;
            x += 26 + legend_width(&series_entry) + 16;
            for dash in [0, 10] {
                head.draw(&PathElement::new(
                    vec![(x + dash, y), (x + dash + 6, y)],
                    RED.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
            }
            head.draw(&Text::new(threshold_entry, (x + 26, y), label))
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(all(test, feature = "charts"))]
mod tests {
    use super::*;
    use crate::watch::evaluate::evaluate;
    use crate::watch::sources::Sample;
    use crate::watch::thresholds::Threshold;

    /// 2026-03-02T12:00:00Z.
    const END: f64 = 1_772_452_800.0;

    /// An axis-aligned rectangle in SVG pixels.
    #[derive(Debug, Clone, Copy)]
    struct Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
    }

    impl Rect {
        fn intersects(&self, o: &Rect) -> bool {
            self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
        }
        fn contains(&self, o: &Rect) -> bool {
            self.x0 <= o.x0 && self.y0 <= o.y0 && o.x1 <= self.x1 && o.y1 <= self.y1
        }
    }

    fn threshold(metric: &str, min: Option<f64>, max: Option<f64>) -> Threshold {
        Threshold {
            metric: metric.into(),
            max,
            min,
            query: None,
            nan_breaches: true,
            resolution: 1.0,
        }
    }

    /// The chart of 24h of samples every 5 minutes that fill each panel: a
    /// zigzag from 0 to 1.3 times the top bound, ending at its highest, in
    /// the top right corner.
    fn render(thresholds: Vec<Threshold>) -> String {
        let t = Thresholds {
            window: std::time::Duration::from_secs(86_400),
            failure_limit: 0,
            min_samples: 1,
            thresholds,
        };
        let mut series = Series::new();
        for th in &t.thresholds {
            let top = 1.3 * th.max.or(th.min).unwrap();
            let samples = (1..=288)
                .map(|i| Sample {
                    at: END - 86_400.0 + i as f64 * 300.0,
                    value: top * (1.0 - (i % 12) as f64 / 11.0).min(1.0),
                })
                .collect();
            series.insert(th.metric.clone(), samples);
        }
        let outcome = evaluate(&t, &series, END);
        chart(&outcome, &t, &series, END).unwrap()
    }

    fn number_attr(n: roxmltree::Node, name: &str) -> f64 {
        n.attribute(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    }

    /// A box holding a `<text>` as any sans-serif font draws it: glyphs
    /// taken wider (0.62 em) and taller (0.8 em up, 0.25 em down from the
    /// baseline) than they are, placed by `text-anchor` and `dy` as the
    /// SVG backend writes them, turned by a `rotate(a, cx, cy)` transform.
    fn text_box(n: roxmltree::Node) -> Rect {
        let (x, y, size) = (
            number_attr(n, "x"),
            number_attr(n, "y"),
            number_attr(n, "font-size"),
        );
        let width = n.text().unwrap_or("").trim().chars().count() as f64 * 0.62 * size;
        let (x0, x1) = match n.attribute("text-anchor") {
            Some("middle") => (x - width / 2.0, x + width / 2.0),
            Some("end") => (x - width, x),
            _ => (x, x + width),
        };
        let baseline = y + match n.attribute("dy") {
            Some("0.76em") => 0.76 * size,
            Some("0.5ex") => 0.25 * size,
            Some("-0.5ex") => -0.25 * size,
            _ => 0.0,
        };
        let r = Rect {
            x0,
            y0: baseline - 0.8 * size,
            x1,
            y1: baseline + 0.25 * size,
        };
        let Some(rotate) = n
            .attribute("transform")
            .and_then(|t| t.strip_prefix("rotate("))
            .and_then(|t| t.strip_suffix(')'))
        else {
            return r;
        };
        let a: Vec<f64> = rotate
            .split(',')
            .map(|v| v.trim().parse().unwrap())
            .collect();
        let (sin, cos) = a[0].to_radians().sin_cos();
        let turned: Vec<(f64, f64)> = [(r.x0, r.y0), (r.x1, r.y0), (r.x0, r.y1), (r.x1, r.y1)]
            .iter()
            .map(|&(px, py)| {
                let (dx, dy) = (px - a[1], py - a[2]);
                (a[1] + dx * cos - dy * sin, a[2] + dx * sin + dy * cos)
            })
            .collect();
        Rect {
            x0: turned.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
            y0: turned.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
            x1: turned.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
            y1: turned.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
        }
    }

    /// Each panel's plotting area: the panels split the height evenly, and
    /// a panel's grid lines span its plotting area exactly.
    fn plot_areas(doc: &roxmltree::Document, panels: usize) -> Vec<Rect> {
        let height = number_attr(doc.root_element(), "height");
        let mut areas: Vec<Option<Rect>> = vec![None; panels];
        for line in doc.descendants().filter(|n| n.has_tag_name("line")) {
            let (x1, y1, x2, y2) = (
                number_attr(line, "x1"),
                number_attr(line, "y1"),
                number_attr(line, "x2"),
                number_attr(line, "y2"),
            );
            let panel = ((y1.min(y2) / (height / panels as f64)) as usize).min(panels - 1);
            let a = areas[panel].get_or_insert(Rect {
                x0: x1.min(x2),
                y0: y1.min(y2),
                x1: x1.max(x2),
                y1: y1.max(y2),
            });
            *a = Rect {
                x0: a.x0.min(x1.min(x2)),
                y0: a.y0.min(y1.min(y2)),
                x1: a.x1.max(x1.max(x2)),
                y1: a.y1.max(y1.max(y2)),
            };
        }
        areas
            .into_iter()
            .map(|a| a.expect("a panel with a grid"))
            .collect()
    }

    /// The series' line (blue, 2 px) of each panel, as points; the
    /// legend's sample of it is one segment.
    fn series_lines(doc: &roxmltree::Document) -> Vec<Vec<(f64, f64)>> {
        doc.descendants()
            .filter(|n| {
                n.has_tag_name("polyline")
                    && n.attribute("stroke") == Some("#1F77B4")
                    && n.attribute("stroke-width") == Some("2")
            })
            .map(|n| -> Vec<(f64, f64)> {
                n.attribute("points")
                    .unwrap()
                    .split_whitespace()
                    .map(|p| {
                        let (x, y) = p.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect()
            })
            .filter(|points| points.len() > 2)
            .collect()
    }

    /// Issue 17: the legend sits outside every plotting area (nothing
    /// written, no box drawn, covers the line), even when the line fills
    /// the plot up to its top right corner; it names each threshold with
    /// its value and the metric's unit, as the y axis does.
    #[test]
    fn the_legend_is_outside_the_plot_and_names_threshold_and_unit() {
        let svg = render(vec![
            threshold("latency_p99_ms", None, Some(800.0)),
            threshold("error_rate", None, Some(0.01)),
            threshold("queue_wait_seconds", Some(1.0), Some(5.0)),
            threshold("depth", None, Some(10.0)),
        ]);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let areas = plot_areas(&doc, 4);
        let lines = series_lines(&doc);
        assert_eq!(lines.len(), 4, "{svg}");
        for (area, line) in areas.iter().zip(&lines) {
            // The line fills its plot: from the left edge to the right, up
            // to the top right corner where the legend used to be.
            let (right, top) = line
                .iter()
                .fold((f64::MIN, f64::MAX), |(r, t), p| (r.max(p.0), t.min(p.1)));
            assert!(area.x1 - right <= 3.0, "{area:?} {right}");
            assert!(
                top - area.y0 <= 0.15 * (area.y1 - area.y0),
                "{area:?} {top}"
            );
            let last = line.last().unwrap();
            assert!(area.x1 - last.0 <= 3.0 && last.1 - area.y0 <= 0.15 * (area.y1 - area.y0));
        }
        for n in doc.descendants() {
            let what = if n.has_tag_name("text") {
                text_box(n)
            } else if n.has_tag_name("rect") {
                let r = Rect {
                    x0: number_attr(n, "x"),
                    y0: number_attr(n, "y"),
                    x1: number_attr(n, "x") + number_attr(n, "width"),
                    y1: number_attr(n, "y") + number_attr(n, "height"),
                };
                // The background of the whole chart.
                if areas.iter().all(|a| r.contains(a)) {
                    continue;
                }
                r
            } else {
                continue;
            };
            for area in &areas {
                assert!(
                    !what.intersects(area),
                    "<{}> {:?} at {what:?} covers the plot {area:?}",
                    n.tag_name().name(),
                    n.text().map(str::trim)
                );
            }
        }
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(str::trim))
            .collect();
        for want in [
            "latency_p99_ms (ms; max 800)",
            "threshold max = 800 ms",
            "latency_p99_ms (ms)",
            "error_rate (ratio; max 0.01)",
            "threshold max = 0.01",
            "error_rate (ratio)",
            "queue_wait_seconds (s; min 1, max 5)",
            "threshold min = 1 s, max = 5 s",
            "queue_wait_seconds (s)",
            "depth (max 10)",
            "threshold max = 10",
        ] {
            assert!(texts.contains(&want), "no `{want}` in {texts:?}");
        }
        // No unit suffix, no unit: the y axis says the name alone.
        assert!(texts.contains(&"depth"), "{texts:?}");
        assert!(
            !texts
                .iter()
                .any(|t| t.starts_with("depth (") && !t.contains("max"))
        );
    }

    /// A metric name from outside stays escaped in the SVG: in the
    /// caption, the legend and the axis.
    #[test]
    fn a_hostile_metric_name_stays_escaped() {
        let name = "a<b&\"c";
        let svg = render(vec![threshold(name, None, Some(1.0))]);
        let doc = roxmltree::Document::parse(&svg).expect("the chart is XML");
        assert!(!svg.contains(name), "{svg}");
        assert!(svg.contains("a&lt;b&amp;&quot;c"), "{svg}");
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(str::trim))
            .collect();
        assert!(texts.contains(&"a<b&\"c: 72 breach(es)"), "{texts:?}");
        assert!(texts.contains(&"a<b&\"c (max 1)"), "{texts:?}");
        assert!(texts.contains(&"threshold max = 1"), "{texts:?}");
    }

    /// The unit is told by the end of a metric's name, and said only then.
    #[test]
    fn units_come_from_the_name_suffix() {
        for (metric, unit) in [
            ("latency_p99_ms", Some(Unit::Milliseconds)),
            ("request_duration_seconds", Some(Unit::Seconds)),
            ("gc_pause_s", Some(Unit::Seconds)),
            ("response_bytes", Some(Unit::Bytes)),
            ("error_rate", Some(Unit::Ratio)),
            ("cache_hit_ratio", Some(Unit::Ratio)),
            ("queue_depth", None),
            ("items", None),
            ("msgs", None),
        ] {
            assert_eq!(Unit::of(metric), unit, "{metric}");
        }
        assert_eq!(
            bounds(Some(1.0), Some(5.0), " = ", Some(Unit::Seconds)),
            "min = 1 s, max = 5 s"
        );
        assert_eq!(
            bounds(None, Some(0.01), " = ", Some(Unit::Ratio)),
            "max = 0.01"
        );
        assert_eq!(bounds(Some(2.0), None, " ", None), "min 2");
        assert_eq!(with_unit(1048576.0, Some(Unit::Bytes)), "1048576 bytes");
    }
}
