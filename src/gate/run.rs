//! `gonogo gate`: run every configured check and build the statement.

use super::digest;
use super::statement::{
    Check, PREDICATE_TYPE, Predicate, STATEMENT_TYPE, Statement, Subject, Tool,
};
use crate::generate::Domain;
use crate::model::Config;
use crate::model::config::{GATE_CHECKS, format_seed};
use crate::report::{Status, Verdict};
use crate::runner::{self, Options};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// How the gate runs.
#[derive(Debug, Clone, Default)]
pub struct GateOptions {
    /// Overrides `[check] seed` (else a random seed, recorded).
    pub seed: Option<u64>,
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn status_str(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Error => "error",
    }
}

/// A report's properties as evidence.
fn properties_of(report: &crate::report::CheckReport) -> serde_json::Value {
    report
        .properties
        .iter()
        .map(|p| {
            let mut v = json!({"name": p.name, "status": status_str(p.status), "cases": p.cases});
            if let Some(r) = p.reason {
                v["reason"] = r.code().into();
            }
            v
        })
        .collect::<Vec<_>>()
        .into()
}

/// The `properties` check: the random run, and with `[check] exhaustive` the
/// exhaustive one as well (both must pass), their evidence added to `evidence`.
fn properties_check(
    random: &crate::report::CheckReport,
    exhaustive: Option<Result<crate::report::CheckReport, runner::exhaustive::ExhaustiveError>>,
    mut evidence: serde_json::Value,
    required: &[String],
) -> Check {
    evidence["properties"] = properties_of(random);
    let mut verdicts = vec![random.verdict];
    match exhaustive {
        None => {}
        Some(Ok(x)) => {
            evidence["exhaustive_properties"] = properties_of(&x);
            if let Some(summary) = &x.exhaustive {
                evidence["domain"] = summary.domain.clone().into();
                evidence["requests"] = summary.requests.into();
            }
            verdicts.push(x.verdict);
        }
        Some(Err(e)) => {
            evidence["message"] = e.to_string().into();
            verdicts.push(Verdict::Error);
        }
    }
    let status = match Verdict::combine(verdicts) {
        Verdict::Go => "pass",
        Verdict::NoGo => "fail",
        Verdict::Error => "error",
    };
    check("properties", status, required, evidence)
}

fn check(name: &str, status: &str, required: &[String], evidence: serde_json::Value) -> Check {
    Check {
        name: name.to_string(),
        status: status.to_string(),
        required: required.iter().any(|r| r == name),
        evidence,
    }
}

/// A subject's name: its path relative to the config's folder.
fn relative(config_dir: &Path, path: &Path, folder: bool) -> String {
    let rel = if config_dir.as_os_str().is_empty() {
        path
    } else {
        path.strip_prefix(config_dir).unwrap_or(path)
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let mut name = parts.join("/");
    if folder {
        name.push('/');
    }
    name
}

/// Runs every configured check and returns the statement. Never fails: a
/// check that cannot run is recorded as `error` (and the verdict is NO-GO).
pub fn run(config: &Config, opts: &GateOptions) -> Statement {
    let started_at = now();
    let required = config.gate.require.clone();
    let mut checks = Vec::new();
    let mut inputs: Vec<(String, std::path::PathBuf, bool)> = vec![(
        relative(&config.dir, &config.path, false),
        config.path.clone(),
        false,
    )];

    // properties: the model is always there.
    let seed = opts
        .seed
        .or(config.seed)
        .unwrap_or_else(runner::random_seed);
    let evidence_base =
        json!({"seed": format_seed(seed), "cases": config.cases, "exhaustive": config.exhaustive});
    match crate::targets::build(&config.target, &config.model) {
        Err(e) => checks.push(check(
            "properties",
            "error",
            &required,
            json!({"seed": format_seed(seed), "cases": config.cases, "exhaustive": config.exhaustive, "message": e.to_string()}),
        )),
        Ok(mut target) => {
            let domain = Arc::new(Domain::new(config.model.clone()));
            let mut o = Options::new(seed, config.cases);
            o.corpus_dir = Some(config.corpus_dir.clone());
            o.config_path = Some(config.path.display().to_string());
            // With `[check] exhaustive`, the bounded domain and the random
            // cases both: the random ones reach tenant ids and contexts the
            // fixed domain does not hold.
            let exhaustive = config.exhaustive.then(|| {
                runner::exhaustive::check(
                    &domain,
                    target.as_mut(),
                    &o,
                    None,
                    runner::exhaustive::DEFAULT_MAX_REQUESTS,
                )
            });
            let random = runner::check(&domain, target.as_mut(), &o);
            checks.push(properties_check(&random, exhaustive, evidence_base, &required));
        }
    }

    // corpus: every saved counterexample must hold now.
    if config.gate.corpus {
        inputs.push((
            relative(&config.dir, &config.corpus_dir, true),
            config.corpus_dir.clone(),
            true,
        ));
        let files = if config.corpus_dir.exists() {
            crate::corpus::files(&config.corpus_dir)
        } else {
            Ok(Vec::new())
        };
        let (status, evidence) = match (files, crate::targets::build(&config.target, &config.model))
        {
            (Err(e), _) => ("error", json!({"message": e.to_string()})),
            (_, Err(e)) => ("error", json!({"message": e.to_string()})),
            (Ok(files), Ok(mut target)) => {
                let report = runner::replay(&config.model, target.as_mut(), &files, false);
                let failing: Vec<serde_json::Value> = report
                    .files
                    .iter()
                    .filter(|f| f.status != Status::Pass)
                    .map(|f| json!({"file": f.file, "status": status_str(f.status), "message": f.message}))
                    .collect();
                let status = match report.verdict {
                    Verdict::Go => "pass",
                    Verdict::NoGo => "fail",
                    Verdict::Error => "error",
                };
                (
                    status,
                    json!({"files": report.files.len(), "not_passing": failing}),
                )
            }
        };
        checks.push(check("corpus", status, &required, evidence));
    }

    // migrations: the preflight, with the URL expanded here and never written.
    if let Some(m) = &config.gate.migrations {
        inputs.push((relative(&config.dir, &m.dir, true), m.dir.clone(), true));
        let (status, evidence) = migrations_check(m);
        checks.push(check("migrations", status, &required, evidence));
    }

    // env: the matrix against each env file.
    if let Some(e) = &config.gate.env {
        inputs.push((
            relative(&config.dir, &e.matrix, false),
            e.matrix.clone(),
            false,
        ));
        for (_, file) in &e.files {
            inputs.push((relative(&config.dir, file, false), file.clone(), false));
        }
        let result = crate::env::Matrix::load(&e.matrix)
            .map_err(|err| err.to_string())
            .and_then(|matrix| {
                crate::env::check_files(&matrix, &e.matrix, &e.files).map_err(|err| err.message)
            });
        let (status, evidence) = match result {
            Err(message) => ("error", json!({"message": message})),
            Ok(checked) => {
                let envs: Vec<serde_json::Value> = checked
                    .iter()
                    .map(|c| json!({"name": c.name, "class": c.class, "findings": c.findings}))
                    .collect();
                let ok = checked.iter().all(|c| c.findings.is_empty());
                (
                    if ok { "pass" } else { "fail" },
                    json!({"environments": envs}),
                )
            }
        };
        checks.push(check("env", status, &required, evidence));
    }

    // Required checks whose section is absent.
    for r in &required {
        if !checks.iter().any(|c| &c.name == r) {
            checks.push(check(
                r,
                "missing",
                &required,
                json!({"message": format!("no [{r}] section in the config")}),
            ));
        }
    }
    checks.sort_by_key(|c| {
        GATE_CHECKS
            .iter()
            .position(|n| *n == c.name)
            .unwrap_or(usize::MAX)
    });

    let subject = inputs
        .into_iter()
        .map(|(name, path, folder)| {
            let digest = if folder {
                digest::folder(&path)
            } else {
                digest::file(&path)
            };
            let mut d = BTreeMap::new();
            // An input that cannot be read gets no digest; verify then fails on it.
            d.insert(
                "sha256".to_string(),
                digest.unwrap_or_else(|e| {
                    format!("unreadable: {}", crate::model::source::io_message(&e))
                }),
            );
            Subject { name, digest: d }
        })
        .collect();
    let (git_commit, git_dirty) = git(&config.dir);
    let mut predicate = Predicate {
        verdict: String::new(),
        required,
        checks,
        tool: Tool {
            name: "gonogo".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        git_commit,
        git_dirty,
        started_at,
        finished_at: now(),
    };
    predicate.verdict = predicate.derived_verdict().to_string();
    Statement {
        kind: STATEMENT_TYPE.into(),
        subject,
        predicate_type: PREDICATE_TYPE.into(),
        predicate,
    }
}

#[cfg(feature = "db")]
fn migrations_check(
    m: &crate::model::config::MigrationsConfig,
) -> (&'static str, serde_json::Value) {
    let url = match crate::model::source::expand_env(&m.database_url.value) {
        Ok(u) => u,
        Err(message) => {
            return (
                "error",
                json!({"message": m.database_url.error(message).to_string()}),
            );
        }
    };
    let opts = crate::migrate::PreflightOptions {
        migrations: m.dir.clone(),
        database_url: url,
        allow_pending: m.allow_pending,
    };
    match crate::migrate::preflight(&opts) {
        Err(e) => (
            "error",
            json!({"reason": e.reason().map(|r| r.code()), "message": e.to_string()}),
        ),
        Ok(report) => {
            let status = if report.verdict == Verdict::Go {
                "pass"
            } else {
                "fail"
            };
            (
                status,
                json!({"local": report.local, "applied": report.applied, "findings": report.findings}),
            )
        }
    }
}

#[cfg(not(feature = "db"))]
fn migrations_check(
    _: &crate::model::config::MigrationsConfig,
) -> (&'static str, serde_json::Value) {
    (
        "error",
        json!({"message": "this build has no `db` feature: migrations cannot be checked"}),
    )
}

/// The git commit of the config's folder, and whether the tree is dirty.
fn git(dir: &Path) -> (Option<String>, Option<bool>) {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let out = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match out(&["rev-parse", "HEAD"]) {
        Some(commit) if !commit.is_empty() => {
            let dirty = out(&["status", "--porcelain"]).map(|s| !s.is_empty());
            (Some(commit), dirty)
        }
        _ => (None, None),
    }
}
