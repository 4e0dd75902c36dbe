//! `gonogo watch` against CSV data (clean, a spike, a tolerated breach, a
//! missing metric, too few samples) and a real Prometheus backfilled by the
//! test itself; the notes and the SVG chart.

mod common;
use common::*;
use std::path::Path;

fn saas(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/saas/watch")
        .join(file)
        .display()
        .to_string()
}

fn watch(
    dir: &Path,
    thresholds: &str,
    source: &[&str],
    extra: &[&str],
) -> (i32, serde_json::Value) {
    let mut args = vec!["watch", "--thresholds", thresholds, "--format", "json"];
    args.extend_from_slice(source);
    args.extend_from_slice(extra);
    let out = gonogo(dir, &args);
    (
        code(&out),
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
    )
}

fn reasons(doc: &serde_json::Value) -> Vec<String> {
    doc["reasons"].as_array().map_or(Vec::new(), |r| {
        r.iter().map(|x| x.as_str().unwrap().to_string()).collect()
    })
}

#[test]
fn clean_data_is_go() {
    let dir = tempfile::tempdir().unwrap();
    let (code, doc) = watch(
        dir.path(),
        &saas("thresholds.toml"),
        &["--metrics", &saas("clean.csv")],
        &[],
    );
    assert_eq!(code, 0, "{doc:#}");
    // The window is (end - 24h, end], as a Prometheus range vector reads it.
    assert_eq!(doc["thresholds"][0]["samples"], 288);
    assert_eq!(
        doc["thresholds"][1]["breaches"].as_array().unwrap().len(),
        0
    );
}

#[test]
fn a_spike_is_no_go_with_notes_and_chart() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.md");
    let chart = dir.path().join("chart.svg");
    let (code, doc) = watch(
        dir.path(),
        &saas("thresholds.toml"),
        &["--metrics", &saas("spike.csv")],
        &[
            "--notes",
            notes.to_str().unwrap(),
            "--chart",
            chart.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(reasons(&doc), vec!["threshold_breached"]);
    let lat = &doc["thresholds"][1];
    assert_eq!(lat["worst"], 1070.0);
    assert_eq!(lat["worst_at"], "2026-03-02T00:45:00Z");
    assert_eq!(lat["breaches"].as_array().unwrap().len(), 4);
    let md = std::fs::read_to_string(&notes).unwrap();
    assert!(md.starts_with("# Release watch: NO-GO"));
    assert!(
        md.contains("| `latency_p99_ms` | ≤ 800 | 288 | 1070 | 2026-03-02T00:45:00Z | 4 |"),
        "{md}"
    );
    assert!(
        md.contains("- 2026-03-02T00:30:00Z `latency_p99_ms` = 950"),
        "{md}"
    );
    // The chart is XML, with a panel per metric and the threshold drawn in red.
    let svg = std::fs::read_to_string(&chart).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the chart parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("latency_p99_ms: 4 breach(es)")),
        "{texts:?}"
    );
    let red = doc
        .descendants()
        .filter(|n| {
            n.attribute("stroke")
                .is_some_and(|s| s.eq_ignore_ascii_case("#FF0000"))
        })
        .count();
    assert!(red >= 80, "threshold dashes: {red}");
}

fn thresholds_with(dir: &Path, extra: &str) -> String {
    let text = std::fs::read_to_string(saas("thresholds.toml")).unwrap();
    let path = dir.join("thresholds.toml");
    std::fs::write(
        &path,
        format!("{extra}\n{text}")
            .replace("failure_limit = 0 ", "# failure_limit = 0 ")
            .replace("min_samples = 12 ", "# min_samples = 12 "),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn a_tolerated_breach_is_go_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let t = thresholds_with(dir.path(), "failure_limit = 4");
    let (code, doc) = watch(dir.path(), &t, &["--metrics", &saas("spike.csv")], &[]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["breaches"], 4);
    let t = thresholds_with(dir.path(), "failure_limit = 3");
    assert_eq!(
        watch(dir.path(), &t, &["--metrics", &saas("spike.csv")], &[]).0,
        1
    );
}

#[test]
fn a_missing_metric_is_no_data_never_go() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("m.csv");
    let only_errors: String = std::fs::read_to_string(saas("clean.csv"))
        .unwrap()
        .lines()
        .filter(|l| !l.contains("latency"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&csv, only_errors).unwrap();
    let (code, doc) = watch(
        dir.path(),
        &saas("thresholds.toml"),
        &["--metrics", csv.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(reasons(&doc), vec!["no_data"]);
    assert_eq!(doc["thresholds"][1]["reason"], "no_data");
    // A window that ends before the data: no data either.
    let (code, doc) = watch(
        dir.path(),
        &saas("thresholds.toml"),
        &["--metrics", &saas("clean.csv")],
        &["--end", "2020-01-01T00:00:00Z"],
    );
    assert_eq!((code, reasons(&doc)), (1, vec!["no_data".to_string()]));
}

#[test]
fn too_few_samples_is_no_go() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("m.csv");
    std::fs::write(
        &csv,
        "2026-03-01T12:00:00Z,error_rate,0.001\n2026-03-01T12:05:00Z,latency_p99_ms,300\n",
    )
    .unwrap();
    let (code, doc) = watch(
        dir.path(),
        &saas("thresholds.toml"),
        &["--metrics", csv.to_str().unwrap()],
        &[],
    );
    assert_eq!(
        (code, reasons(&doc)),
        (1, vec!["too_few_samples".to_string()])
    );
}

#[test]
fn bad_inputs_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("m.csv");
    std::fs::write(
        &csv,
        "timestamp,metric,value\n2026-03-01T12:00:00Z,error_rate,0.001\nyesterday,error_rate,1\n",
    )
    .unwrap();
    let out = gonogo(
        dir.path(),
        &[
            "watch",
            "--thresholds",
            &saas("thresholds.toml"),
            "--metrics",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("m.csv:3: `yesterday` is not RFC 3339 nor Unix seconds"),
        "{}",
        stderr(&out)
    );
    let t = dir.path().join("t.toml");
    std::fs::write(
        &t,
        "window = \"a day\"\n[[threshold]]\nmetric = \"x\"\nmax = 1\n",
    )
    .unwrap();
    let out = gonogo(
        dir.path(),
        &[
            "watch",
            "--thresholds",
            t.to_str().unwrap(),
            "--metrics",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("t.toml:1:10") && stderr(&out).contains("`window`: `a day`"),
        "{}",
        stderr(&out)
    );
    let out = gonogo(
        dir.path(),
        &[
            "watch",
            "--thresholds",
            &saas("thresholds.toml"),
            "--prometheus",
            "http://127.0.0.1:1",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot reach Prometheus"),
        "{}",
        stderr(&out)
    );
}

/// A real Prometheus (Debian's) on loopback, serving the OpenMetrics text
/// `om` backfilled with `promtool tsdb create-blocks-from openmetrics`;
/// `None` (after saying why) when it is not installed.
struct Prometheus {
    _dir: tempfile::TempDir,
    child: std::process::Child,
    url: String,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn prometheus_serving(om: &str) -> Option<Prometheus> {
    let (Ok(prometheus), Ok(promtool)) = (which("prometheus"), which("promtool")) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the Prometheus tests (.ci/run installs prometheus)"
        );
        eprintln!("skipped: prometheus and promtool are not installed (.ci/run installs them)");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.om"), om).unwrap();
    let tsdb = dir.path().join("tsdb");
    let out = std::process::Command::new(&promtool)
        .args([
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            "data.om",
            tsdb.to_str().unwrap(),
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(
        dir.path().join("prometheus.yml"),
        "global:\n  scrape_interval: 1h\n",
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(&prometheus)
        .args([
            "--config.file=prometheus.yml",
            &format!("--storage.tsdb.path={}", tsdb.display()),
            "--storage.tsdb.retention.time=100y",
            &format!("--web.listen-address=127.0.0.1:{port}"),
        ])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let server = Prometheus {
        _dir: dir,
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !ureq::get(&format!("{}/-/ready", server.url))
        .call()
        .map(|r| r.status() == 200)
        .unwrap_or(false)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "prometheus did not become ready"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    Some(server)
}

const START: i64 = 1_772_366_400; // 2026-03-01T12:00:00Z

/// OpenMetrics for a gauge sampled every `every` seconds over 24h.
fn gauge(name: &str, every: i64, value: impl Fn(i64) -> String) -> String {
    let mut om = format!("# HELP {name} x\n# TYPE {name} gauge\n");
    for i in 0..=(86_400 / every) {
        om.push_str(&format!("{name} {} {}\n", value(i), START + i * every));
    }
    om
}

#[test]
fn prometheus_query_range() {
    let mut om = gauge("error_rate", 300, |i| {
        if i == 100 {
            "0.05".into()
        } else {
            "0.002".into()
        }
    });
    om += &gauge("latency_p99_ms", 300, |i| format!("{}", 400 + i % 50));
    om.push_str("# EOF\n");
    let Some(server) = prometheus_serving(&om) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.toml");
    std::fs::write(&t, "window = \"24h\"\nmin_samples = 12\n[[threshold]]\nmetric = \"error_rate\"\nmax = 0.01\n[[threshold]]\nmetric = \"latency_p99_ms\"\nmax = 800\nquery = \"max(latency_p99_ms)\"\n").unwrap();
    let end = format!("{}", START + 86_400);
    let (code, doc) = watch(
        dir.path(),
        t.to_str().unwrap(),
        &["--prometheus", &server.url],
        &["--end", &end],
    );
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(reasons(&doc), vec!["threshold_breached"]);
    assert_eq!(doc["thresholds"][0]["worst"], 0.05);
    assert!(
        doc["thresholds"][1]["samples"].as_u64().unwrap() >= 12,
        "{doc:#}"
    );
}

/// Issue 14: every sample in the window counts (a one-sample spike between
/// two old query steps), `+Inf` during an outage is a value, a `NaN` sample
/// breaches, and the CSV path gives the same verdict and breaches on the
/// same data.
#[test]
fn prometheus_and_csv_see_every_sample_the_same_way() {
    for (what, spike) in [
        ("a 5000 ms spike", "5000"),
        ("+Inf", "+Inf"),
        ("NaN", "NaN"),
    ] {
        // Samples every 15 s; the old step was 24h/250 = 346 s.
        let om = gauge("latency_ms", 15, |i| {
            if i == 2_001 {
                spike.into()
            } else {
                "400".into()
            }
        }) + "# EOF\n";
        let Some(server) = prometheus_serving(&om) else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("t.toml");
        std::fs::write(
            &t,
            "window = \"24h\"\n[[threshold]]\nmetric = \"latency_ms\"\nmax = 800\n",
        )
        .unwrap();
        let mut csv = String::from("timestamp,metric,value\n");
        for i in 0..=(86_400 / 15) {
            let v = if i == 2_001 { spike } else { "400" };
            csv.push_str(&format!("{},latency_ms,{v}\n", START + i * 15));
        }
        let csv_path = dir.path().join("m.csv");
        std::fs::write(&csv_path, csv).unwrap();
        let end = format!("{}", START + 86_400);
        let (code, doc) = watch(
            dir.path(),
            t.to_str().unwrap(),
            &["--prometheus", &server.url],
            &["--end", &end],
        );
        let (csv_code, csv_doc) = watch(
            dir.path(),
            t.to_str().unwrap(),
            &["--metrics", csv_path.to_str().unwrap()],
            &["--end", &end],
        );
        assert_eq!(code, 1, "{what}: {doc:#}");
        assert_eq!(csv_code, 1, "{what}: {csv_doc:#}");
        assert_eq!(doc["breaches"], 1, "{what}: {doc:#}");
        assert_eq!(doc["breaches"], csv_doc["breaches"], "{what}");
        assert_eq!(
            doc["thresholds"][0]["samples"], csv_doc["thresholds"][0]["samples"],
            "{what}"
        );
    }
}

/// A threshold that is not a finite number is an error, never a rule that
/// nothing breaches.
#[test]
fn a_threshold_that_is_not_finite_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for bound in ["max = nan", "max = inf", "min = -inf"] {
        let t = dir.path().join("t.toml");
        std::fs::write(
            &t,
            format!("window = \"24h\"\n[[threshold]]\nmetric = \"error_rate\"\n{bound}\n"),
        )
        .unwrap();
        let (code, doc) = watch(
            dir.path(),
            t.to_str().unwrap(),
            &["--metrics", &saas("clean.csv")],
            &[],
        );
        assert_eq!(code, 2, "{bound}: {doc:#}");
    }
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        })
        .ok_or(())
}

/// From the attack review of issue 14: a selector spelled
/// `{__name__="…"}` and an expression over 5 s data still see a one-sample
/// breach, as the CSV of the same data does.
#[test]
fn selectors_and_expressions_over_fine_data_see_every_breach() {
    let om = gauge("error_rate", 5, |i| {
        if i == 7_001 {
            "0.5".into()
        } else {
            "0.001".into()
        }
    }) + "# EOF\n";
    let Some(server) = prometheus_serving(&om) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let end = format!("{}", START + 86_400);
    for query in ["{__name__=\\\"error_rate\\\"}", "error_rate * 1"] {
        let t = dir.path().join("t.toml");
        std::fs::write(
            &t,
            format!("window = \"24h\"\nfailure_limit = 1000\n[[threshold]]\nmetric = \"error_rate\"\nmax = 0.01\nquery = \"{query}\"\n[[threshold]]\nmetric = \"x\"\nmax = 1\nquery = \"max(error_rate)\"\n"),
        )
        .unwrap();
        let (code, doc) = watch(
            dir.path(),
            t.to_str().unwrap(),
            &["--prometheus", &server.url],
            &["--end", &end],
        );
        assert!(
            code == 1
                || doc["thresholds"][0]["breaches"]
                    .as_array()
                    .is_some_and(|b| !b.is_empty()),
            "{query}: {doc:#}"
        );
        assert!(
            !doc["thresholds"][0]["breaches"]
                .as_array()
                .unwrap()
                .is_empty(),
            "{query}: {doc:#}"
        );
    }
}

/// Issue 17: the human rows are aligned, and a breached threshold says
/// `threshold_breached` (it showed only "worst … breach(es)").
#[test]
fn human_rows_are_aligned_and_name_the_breach() {
    let dir = tempfile::tempdir().unwrap();
    let out = gonogo(
        dir.path(),
        &[
            "watch",
            "--thresholds",
            &saas("thresholds.toml"),
            "--metrics",
            &saas("spike.csv"),
        ],
    );
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("threshold_breached: worst"), "{text}");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  PASS") || l.starts_with("  FAIL"))
        .collect();
    assert!(rows.len() >= 2, "{text}");
    // The text after the metric starts in the same column on every row.
    let column = |l: &str| {
        let rest = &l[8..];
        let metric_end = rest.find(' ').unwrap();
        8 + metric_end + rest[metric_end..].find(|c: char| c != ' ').unwrap()
    };
    let first = column(rows[0]);
    assert!(rows.iter().all(|r| column(r) == first), "{text}");
}

/// Issue 17, through the command line: the chart's legend names each
/// threshold with its value and the metric's unit, as the y axis does.
#[test]
fn the_chart_legend_names_the_threshold_and_unit() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("chart.svg");
    let (code, _) = watch(
        dir.path(),
        &saas("thresholds.toml"),
        &["--metrics", &saas("spike.csv")],
        &["--chart", chart.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    let svg = std::fs::read_to_string(&chart).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::trim))
        .collect();
    for want in [
        "error_rate (ratio; max 0.01)",
        "threshold max = 0.01",
        "error_rate (ratio)",
        "latency_p99_ms (ms; max 800)",
        "threshold max = 800 ms",
        "latency_p99_ms (ms)",
    ] {
        assert!(texts.contains(&want), "no `{want}` in {texts:?}");
    }
}
