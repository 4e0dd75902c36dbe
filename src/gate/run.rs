//! `gonogo gate`: run every configured check and build the statement.

use super::digest;
use super::statement::CheckStatus;
use super::statement::{
    Check, PREDICATE_TYPE, Predicate, STATEMENT_TYPE, Statement, Subject, Tool,
};
use crate::generate::Domain;
use crate::model::Config;
use crate::model::config::{GATE_CHECKS, format_seed};
use crate::runner::{self, Options};
use crate::verdict::{Status, Verdict};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How the gate runs.
#[derive(Debug, Clone, Default)]
pub struct GateOptions {
    /// Overrides `[check] seed` (else a random seed, recorded).
    pub seed: Option<u64>,
    /// Where the properties' progress goes (the CLI's bar).
    pub progress: Option<std::sync::Arc<dyn crate::runner::Progress>>,
    /// With `[check] exhaustive`: the shard files of a sharded exhaustive
    /// run (`check --exhaustive --shard K/N`), merged instead of running
    /// the domain here; each with its file name and sha256, recorded in
    /// the evidence.
    pub shards: Vec<(String, String, runner::exhaustive::ShardReport)>,
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
fn properties_of(report: &crate::runner::CheckReport) -> serde_json::Value {
    report
        .properties
        .iter()
        .map(|p| {
            let mut v = json!({"name": p.name, "status": status_str(p.status), "cases": p.cases});
            if let Some(r) = p.reason {
                v["reason"] = r.code().into();
            }
            // Why, for a property that did not pass: the counterexample in
            // one sentence, where it was saved, how to reproduce it.
            if let Some(cx) = &p.counterexample {
                v["explanation"] = cx.explanation.clone().into();
            }
            if let Some(m) = &p.message {
                v["message"] = crate::redact::text(m).into();
            }
            if let Some(f) = &p.corpus_file {
                v["corpus_file"] = f.clone().into();
            }
            if !p.reproduce.is_empty() {
                v["reproduce"] = p.reproduce.clone().into();
            }
            v
        })
        .collect::<Vec<_>>()
        .into()
}

/// The `properties` check: the random run, and with `[check] exhaustive` the
/// exhaustive one as well (both must pass), their evidence added to `evidence`.
fn properties_check(
    random: &crate::runner::CheckReport,
    exhaustive: Option<Result<crate::runner::CheckReport, runner::exhaustive::ExhaustiveError>>,
    mut evidence: serde_json::Value,
    required: &[String],
) -> Check {
    evidence["properties"] = properties_of(random);
    let mut verdicts = vec![random.verdict()];
    match exhaustive {
        None => {}
        Some(Ok(x)) => {
            evidence["exhaustive_properties"] = properties_of(&x);
            if let Some(summary) = &x.exhaustive {
                evidence["domain"] = summary.domain.clone().into();
                evidence["requests"] = summary.requests.into();
            }
            verdicts.push(x.verdict());
        }
        Some(Err(e)) => {
            evidence["message"] = e.to_string().into();
            verdicts.push(Verdict::Error);
        }
    }
    let status = CheckStatus::of(Verdict::combine(verdicts));
    check("properties", status, required, evidence)
}

fn check(
    name: &str,
    status: CheckStatus,
    required: &[String],
    evidence: serde_json::Value,
) -> Check {
    Check {
        name: name.to_string(),
        status,
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

/// One input of the gate: its subject name, its path, whether a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The subject name: relative to the config's folder, `/` at the end for a folder.
    pub name: String,
    /// The path the gate reads it from.
    pub path: PathBuf,
    /// Whether it is a folder.
    pub folder: bool,
}

/// The inputs a config makes the gate read, in the order the proof lists
/// them: the config, the corpus, the migrations, the matrix and each env
/// file. `verify` rebuilds this list from the digest-checked config.
pub fn inputs(config: &Config) -> Vec<Input> {
    let input = |path: &Path, folder: bool| Input {
        name: relative(&config.dir, path, folder),
        path: path.to_path_buf(),
        folder,
    };
    let mut out = vec![input(&config.path, false)];
    if config.gate.corpus {
        out.push(input(&config.corpus_dir, true));
    }
    if let Some(m) = &config.gate.migrations {
        out.push(input(&m.dir, true));
    }
    if let Some(env) = &config.gate.env {
        out.push(input(&env.matrix, false));
        for (_, file) in &env.files {
            out.push(input(file, false));
        }
    }
    out
}

/// Whether a subject name stays inside the config's folder.
pub fn inside(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('/') && !name.split('/').any(|part| part == "..")
}

/// Why the gate could not make a statement (exit 2): an input it could not
/// read, or one that changed while it ran.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct GateError {
    /// The subject name of the input at fault.
    pub input: String,
    /// What went wrong, naming the input.
    pub message: String,
}

fn unreadable(input: &Input, why: &str) -> GateError {
    GateError {
        input: input.name.clone(),
        message: format!("`{}`: cannot read the gate's input: {why}", input.name),
    }
}

/// A folder's digest, taken before a check reads it and compared after.
fn folder_digest(input: &Input) -> Result<String, GateError> {
    digest::folder(&input.path)
        .map_err(|e| unreadable(input, &crate::model::source::io_message(&e)))
}

/// Records a folder's digest if it is the one taken before its check.
fn unchanged(
    input: &Input,
    before: String,
    digests: &mut BTreeMap<String, String>,
) -> Result<(), GateError> {
    if folder_digest(input)? != before {
        return Err(GateError {
            input: input.name.clone(),
            message: format!(
                "`{}` changed while the gate checked it: run the gate again on a tree that holds still",
                input.name
            ),
        });
    }
    digests.insert(input.name.clone(), before);
    Ok(())
}

/// Runs every configured check and returns the statement. A check that
/// cannot run is recorded as `error`; an input that cannot be read or that
/// changes while the gate runs is a [`GateError`]. `config_bytes` are the
/// bytes `config` was parsed from: the digest is of exactly those.
pub fn run(
    config: &Config,
    config_bytes: &[u8],
    opts: &GateOptions,
) -> Result<Statement, GateError> {
    let started_at = now();
    let required = config.gate.require.clone();
    let mut checks = Vec::new();
    let all_inputs = inputs(config);
    // A subject is named relative to the config's folder: one outside it
    // (an absolute path, `..`) would not be the tree's own, and a copy of
    // the tree would verify against another file.
    if let Some(outside) = all_inputs.iter().find(|i| !inside(&i.name)) {
        return Err(GateError {
            input: outside.name.clone(),
            message: format!(
                "`{}` is outside the config's folder: the proof can only bind inputs of the tree",
                outside.name
            ),
        });
    }
    let mut digests: BTreeMap<String, String> = BTreeMap::new();
    digests.insert(
        all_inputs[0].name.clone(),
        digest::bytes_digest(config_bytes),
    );
    let find = |path: &Path| {
        all_inputs
            .iter()
            .find(|i| i.path == path)
            .cloned()
            .expect("every input is listed")
    };

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
            CheckStatus::Error,
            &required,
            json!({"seed": format_seed(seed), "cases": config.cases, "exhaustive": config.exhaustive, "message": e.to_string()}),
        )),
        Ok(mut target) => {
            let domain = Arc::new(Domain::new(config.model.clone()));
            let o = Options {
                seed,
                progress: opts.progress.clone(),
                ..Options::from_config(config)
            };
            // With `[check] exhaustive`, the bounded domain and the random
            // cases both: the random ones reach tenant ids and contexts the
            // fixed domain does not hold.
            let exhaustive = config.exhaustive.then(|| {
                let subject = runner::exhaustive::Subject::of(&config.target, target.as_mut());
                let max = runner::exhaustive::DEFAULT_MAX_REQUESTS;
                if opts.shards.is_empty() {
                    return runner::exhaustive::check(&domain, subject, &o, None, max);
                }
                let shards = opts.shards.iter().map(|(_, _, s)| s.clone()).collect();
                let digest = config.target_digest();
                runner::exhaustive::merge_shards(&domain, subject, &o, max, &digest, shards, Some(&o))
                    .map_err(|e| runner::exhaustive::ExhaustiveError::Shards(e.to_string()))
            });
            let random = runner::check(&domain, target.as_mut(), &o);
            let mut evidence = evidence_base;
            if !opts.shards.is_empty() {
                evidence["exhaustive_shards"] = opts
                    .shards
                    .iter()
                    .map(|(file, sha, s)| json!({"shard": s.shard.to_string(), "file": file, "sha256": sha}))
                    .collect();
            }
            checks.push(properties_check(&random, exhaustive, evidence, &required));
        }
    }

    // corpus: every saved counterexample must hold now.
    if config.gate.corpus {
        let input = find(&config.corpus_dir);
        let before = folder_digest(&input)?;
        let files = crate::corpus::files(&config.corpus_dir);
        let (status, evidence) = match (files, crate::targets::build(&config.target, &config.model))
        {
            (Err(e), _) => (CheckStatus::Error, json!({"message": e.to_string()})),
            (_, Err(e)) => (CheckStatus::Error, json!({"message": e.to_string()})),
            (Ok(files), Ok(mut target)) => {
                let report = runner::replay(
                    &config.model,
                    target.as_mut(),
                    &files,
                    runner::Allow::default(),
                    &config.target_digest(),
                );
                let failing: Vec<serde_json::Value> = report
                    .files
                    .iter()
                    .filter(|f| f.status != Status::Pass)
                    .map(|f| json!({"file": f.file, "status": status_str(f.status), "message": f.message}))
                    .collect();
                let status = CheckStatus::of(report.verdict());
                let mut evidence = json!({"files": report.files.len(), "not_passing": failing});
                // Files saved under another model: say the way out.
                let digest = config.model.digest();
                let stale = files
                    .iter()
                    .filter(|p| crate::corpus::load(p).is_ok_and(|cx| cx.model_digest != digest))
                    .count();
                if stale > 0 {
                    evidence["message"] = json!(format!(
                        "{stale} corpus file(s) were saved under another model; if the model \
                         changed on purpose, run `gonogo corpus upgrade` to re-validate them \
                         against it (files that no longer apply are listed, never dropped)"
                    ));
                }
                (status, evidence)
            }
        };
        checks.push(check("corpus", status, &required, evidence));
        unchanged(&input, before, &mut digests)?;
    }

    // migrations: the preflight, with the URL expanded here and never written.
    if let Some(m) = &config.gate.migrations {
        let input = find(&m.dir);
        let before = folder_digest(&input)?;
        let (status, evidence) = migrations_check(m);
        checks.push(check("migrations", status, &required, evidence));
        unchanged(&input, before, &mut digests)?;
    }

    // env: the matrix against each env file, each read once and digested
    // from the bytes checked.
    if let Some(e) = &config.gate.env {
        let matrix_input = find(&e.matrix);
        let matrix_bytes = crate::model::source::read_regular(&e.matrix)
            .map_err(|why| unreadable(&matrix_input, &why))?;
        digests.insert(
            matrix_input.name.clone(),
            digest::bytes_digest(&matrix_bytes),
        );
        let result = String::from_utf8(matrix_bytes)
            .map_err(|_| format!("{}: not UTF-8 text", e.matrix.display()))
            .and_then(|text| {
                crate::env::Matrix::parse(&crate::model::source::SourceFile::new(&e.matrix, text))
                    .map_err(|err| err.to_string())
            })
            .and_then(|matrix| {
                crate::env::check_files(&matrix, &e.matrix, &e.files).map_err(|err| err.message)
            });
        let (status, evidence) = match result {
            Err(message) => {
                for (_, file) in &e.files {
                    let input = find(file);
                    let bytes = crate::model::source::read_regular(file)
                        .map_err(|why| unreadable(&input, &why))?;
                    digests.insert(input.name, digest::bytes_digest(&bytes));
                }
                (CheckStatus::Error, json!({"message": message}))
            }
            Ok(checked) => {
                for c in &checked {
                    digests.insert(find(&c.file).name, digest::bytes_digest(&c.bytes));
                }
                let envs: Vec<serde_json::Value> = checked
                    .iter()
                    .map(|c| json!({"name": c.name, "class": c.class, "findings": c.findings}))
                    .collect();
                let ok = checked.iter().all(|c| c.findings.is_empty());
                (
                    if ok {
                        CheckStatus::Pass
                    } else {
                        CheckStatus::Fail
                    },
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
                CheckStatus::Missing,
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

    let subject = all_inputs
        .iter()
        .map(|input| {
            let sha = digests
                .get(&input.name)
                .cloned()
                .expect("every input was digested");
            Subject::new(input.name.clone(), sha)
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
        config: Some(all_inputs[0].name.clone()),
        git_commit,
        git_dirty,
        started_at,
        finished_at: now(),
    };
    predicate.verdict = predicate.derived_verdict().to_string();
    Ok(Statement {
        kind: STATEMENT_TYPE.into(),
        subject,
        predicate_type: PREDICATE_TYPE.into(),
        predicate,
    })
}

#[cfg(feature = "db")]
fn migrations_check(
    m: &crate::model::config::MigrationsConfig,
) -> (CheckStatus, serde_json::Value) {
    let (url, scratch_url) = match (m.database_url(), m.scratch_url()) {
        (Ok(url), Ok(scratch)) => (url, scratch),
        (Err(e), _) | (_, Err(e)) => {
            return (CheckStatus::Error, json!({"message": e.to_string()}));
        }
    };
    let opts = crate::migrate::PreflightOptions {
        migrations: m.dir.clone(),
        database_url: url,
        allow_pending: m.allow_pending,
        scratch_url,
        migrations_role: m.migrations_role.clone(),
    };
    match crate::migrate::preflight(&opts) {
        Err(e) => (
            CheckStatus::Error,
            json!({"reason": e.reason().map(|r| r.code()), "message": e.to_string()}),
        ),
        Ok(report) => {
            let status = if report.verdict() == Verdict::Go {
                CheckStatus::Pass
            } else {
                CheckStatus::Fail
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
) -> (CheckStatus, serde_json::Value) {
    (
        CheckStatus::Error,
        json!({"message": "this build has no `db` feature: migrations cannot be checked"}),
    )
}

/// The git commit of a folder's work tree, and whether its tracked files
/// have uncommitted changes; `(None, None)` outside git. The gate records
/// both; `verify` compares them with the tree it verifies.
pub(super) fn git(dir: &Path) -> (Option<String>, Option<bool>) {
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
            // Tracked files only: the proof itself, written into the tree,
            // must not make the next run dirty.
            let dirty =
                out(&["status", "--porcelain", "--untracked-files=no"]).map(|s| !s.is_empty());
            (Some(commit), dirty)
        }
        _ => (None, None),
    }
}
