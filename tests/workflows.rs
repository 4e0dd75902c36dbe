//! The GitHub Actions workflows gonogo ships — the recipes in `docs/ci/` and
//! the workflow `gonogo init` writes — parse as YAML and have the shape
//! Actions needs, and every install of gonogo builds it from its git
//! repository at a pinned commit (it is not on crates.io), cached per commit.
//! (`.ci/run` also runs actionlint on the same files.)

use regex::Regex;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::LazyLock;
use yaml_rust2::{Yaml, YamlLoader};

/// `steps.<id>` in an expression.
static STEP_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bsteps\.([A-Za-z_][A-Za-z0-9_-]*)").unwrap());
/// `env.<NAME>` in an expression.
static ENV_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\benv\.([A-Za-z_][A-Za-z0-9_]*)").unwrap());
/// A `${{ ... }}` expression in a string.
static EXPR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\$\{\{(.*?)\}\}").unwrap());
/// A shell variable, `$NAME` or `${NAME}` (not `${{`).
static SHELL_VAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)").unwrap());
/// `${{ env.NAME }}` as a whole, to read it as the shell's `$NAME`.
static ENV_EXPR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}").unwrap());

/// Where gonogo is installed to, and so what its cache step must cover.
const GONOGO_BIN: &str = "~/.cargo/bin/gonogo";

/// A scalar as text (env values may be written unquoted).
fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Every string below a node (keys and values), to find expressions in.
fn strings(y: &Yaml, out: &mut Vec<String>) {
    match y {
        Yaml::Hash(h) => {
            for (k, v) in h {
                strings(k, out);
                strings(v, out);
            }
        }
        Yaml::Array(a) => a.iter().for_each(|v| strings(v, out)),
        other => out.extend(scalar(other)),
    }
}

/// An `env:` block as (name, value) pairs, in order.
fn env_block(node: &Yaml, at: &str, problems: &mut Vec<String>) -> Vec<(String, String)> {
    match &node["env"] {
        Yaml::BadValue => Vec::new(),
        Yaml::Hash(h) => h
            .iter()
            .filter_map(|(k, v)| {
                let (Some(k), Some(v)) = (k.as_str(), scalar(v)) else {
                    problems.push(format!("{at}: env: every entry is NAME: scalar"));
                    return None;
                };
                Some((k.to_string(), v))
            })
            .collect(),
        _ => {
            problems.push(format!("{at}: env: is not a mapping"));
            Vec::new()
        }
    }
}

/// The value of an env variable visible to a step: the step's own `env`
/// first, then the job's, then the workflow's.
fn lookup<'a>(scopes: &[&'a [(String, String)]], name: &str) -> Option<&'a str> {
    scopes
        .iter()
        .find_map(|s| s.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()))
}

/// The arguments of each `cargo install` in a `run:` script (after
/// `cargo install`, quotes removed), `${{ env.X }}` read as `$X`.
fn cargo_installs(run: &str) -> Vec<Vec<String>> {
    let joined = run.replace("\\\n", " ");
    let joined = ENV_EXPR.replace_all(&joined, "$$$1");
    let mut installs = Vec::new();
    for line in joined.lines() {
        let line = match line.find(" #") {
            Some(i) => &line[..i],
            None => line,
        };
        for command in line.split(['|', ';', '&']) {
            let words: Vec<String> = command
                .split_whitespace()
                .map(|w| w.trim_matches(['"', '\'']).to_string())
                .collect();
            if let Some(i) = words
                .windows(2)
                .position(|w| w[0] == "cargo" && w[1] == "install")
            {
                installs.push(words[i + 2..].to_vec());
            }
        }
    }
    installs
}

/// The value of `--flag V` or `--flag=V`.
fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, a)| {
        if a == flag {
            args.get(i + 1).map(String::as_str)
        } else {
            a.strip_prefix(flag).and_then(|rest| rest.strip_prefix('='))
        }
    })
}

/// An argument resolved through the env: `$X` or `${X}` is X's value.
fn resolve(arg: &str, scopes: &[&[(String, String)]]) -> Result<String, String> {
    let Some(var) = arg.strip_prefix('$') else {
        return Ok(arg.to_string());
    };
    let name = var.trim_start_matches('{').trim_end_matches('}');
    lookup(scopes, name)
        .map(str::to_string)
        .ok_or_else(|| format!("`{arg}` is not defined in any env:"))
}

fn is_commit(rev: &str) -> bool {
    rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A revision left for the reader to pin: `<...>`, never a branch name.
fn is_placeholder(rev: &str) -> bool {
    rev.starts_with('<') && rev.ends_with('>')
}

/// Everything wrong with one workflow, each problem one line.
fn problems(name: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let docs = match YamlLoader::load_from_str(text) {
        Ok(docs) => docs,
        Err(e) => return vec![format!("{name}: not YAML: {e}")],
    };
    let [doc] = docs.as_slice() else {
        return vec![format!("{name}: {} YAML documents, not one", docs.len())];
    };
    if doc.as_hash().is_none() {
        return vec![format!("{name}: the top level is not a mapping")];
    }
    if doc["on"].is_badvalue() {
        problems.push(format!("{name}: no top-level `on:`"));
    }
    let workflow_env = env_block(doc, name, &mut problems);
    let Some(jobs) = doc["jobs"].as_hash().filter(|j| !j.is_empty()) else {
        problems.push(format!("{name}: no top-level `jobs:` with a job"));
        return problems;
    };
    for (job_name, job) in jobs {
        let job_name = scalar(job_name).unwrap_or_default();
        let at = format!("{name}: job `{job_name}`");
        if job.as_hash().is_none() {
            problems.push(format!("{at}: is not a mapping"));
            continue;
        }
        if job["runs-on"].is_badvalue() {
            problems.push(format!("{at}: no `runs-on:`"));
        }
        if let Some(cond) = job["if"].as_str()
            && STEP_REF.is_match(cond)
        {
            problems.push(format!(
                "{at}: its `if:` names steps, which a job's `if:` cannot see"
            ));
        }
        let job_env = env_block(job, &at, &mut problems);
        let Some(steps) = job["steps"].as_vec().filter(|s| !s.is_empty()) else {
            problems.push(format!("{at}: no `steps:`"));
            continue;
        };
        let mut ids: Vec<String> = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            let label = step["name"]
                .as_str()
                .or(step["id"].as_str())
                .map(|n| format!("step {} ({n})", i + 1))
                .unwrap_or_else(|| format!("step {}", i + 1));
            let at = format!("{at}, {label}");
            if step.as_hash().is_none() {
                problems.push(format!("{at}: is not a mapping"));
                continue;
            }
            let uses = step["uses"].as_str();
            let run = step["run"].as_str();
            if uses.is_some() == run.is_some() {
                problems.push(format!("{at}: needs exactly one of `uses:` and `run:`"));
            }
            let step_env = env_block(step, &at, &mut problems);
            let scopes: [&[(String, String)]; 3] = [&step_env, &job_env, &workflow_env];
            // `if:` may only name steps that ran before it in this job.
            if let Some(cond) = step["if"].as_str() {
                for id in STEP_REF.captures_iter(cond).map(|c| c[1].to_string()) {
                    if !ids.contains(&id) {
                        problems.push(format!(
                            "{at}: `if:` names `steps.{id}`, which no earlier step of this job has as its `id:`"
                        ));
                    }
                }
            }
            // Every `env.X` in an expression is defined.
            let mut texts = Vec::new();
            strings(step, &mut texts);
            let mut used: BTreeSet<String> = BTreeSet::new();
            for t in &texts {
                for e in EXPR.captures_iter(t) {
                    used.extend(ENV_REF.captures_iter(&e[1]).map(|c| c[1].to_string()));
                }
            }
            if let Some(cond) = step["if"].as_str() {
                used.extend(ENV_REF.captures_iter(cond).map(|c| c[1].to_string()));
            }
            for var in used {
                if lookup(&scopes, &var).is_none() {
                    problems.push(format!("{at}: uses `env.{var}`, defined in no env:"));
                }
            }
            if let Some(id) = step["id"].as_str() {
                if ids.iter().any(|i| i == id) {
                    problems.push(format!("{at}: a second step with `id: {id}`"));
                }
                ids.push(id.to_string());
            }
            let Some(run) = run else { continue };
            let installs = cargo_installs(run);
            if installs.is_empty() {
                continue;
            }
            // An install step's shell variables are all defined.
            for var in SHELL_VAR.captures_iter(run).map(|c| c[1].to_string()) {
                if lookup(&scopes, &var).is_none() {
                    problems.push(format!("{at}: uses `${var}`, defined in no env:"));
                }
            }
            for args in installs.iter().filter(|a| a.iter().any(|w| w == "gonogo")) {
                let shown = format!("`cargo install {}`", args.join(" "));
                if !args.iter().any(|a| a == "--locked") {
                    problems.push(format!("{at}: {shown} without --locked"));
                }
                match flag_value(args, "--git").map(|g| resolve(g, &scopes)) {
                    None => problems.push(format!(
                        "{at}: {shown} without --git: gonogo is not on crates.io"
                    )),
                    Some(Err(e)) => problems.push(format!("{at}: --git {e}")),
                    Some(Ok(url)) if url.trim().is_empty() => {
                        problems.push(format!("{at}: --git is empty"))
                    }
                    Some(Ok(_)) => {}
                }
                for moving in ["--branch", "--tag"] {
                    if flag_value(args, moving).is_some() {
                        problems.push(format!("{at}: {shown} follows a {moving}; pin --rev"));
                    }
                }
                match flag_value(args, "--rev").map(|r| resolve(r, &scopes)) {
                    None => problems.push(format!("{at}: {shown} does not pin --rev")),
                    Some(Err(e)) => problems.push(format!("{at}: --rev {e}")),
                    Some(Ok(rev)) if !is_commit(&rev) && !is_placeholder(&rev) => problems
                        .push(format!(
                            "{at}: --rev is `{rev}`, not a full 40-hex commit (nor a `<...>` placeholder)"
                        )),
                    Some(Ok(_)) => {}
                }
                // Installed only when the cache of this commit's binary missed.
                let cond = step["if"].as_str().unwrap_or_default();
                let cached = STEP_REF.captures_iter(cond).any(|c| {
                    let id = &c[1];
                    cond.contains(&format!("steps.{id}.outputs.cache-hit != 'true'"))
                        && steps.iter().take(i).any(|s| {
                            s["id"].as_str() == Some(id)
                                && s["uses"]
                                    .as_str()
                                    .is_some_and(|u| u.starts_with("actions/cache"))
                                && s["with"]["path"]
                                    .as_str()
                                    .is_some_and(|p| p.lines().any(|l| l.trim() == GONOGO_BIN))
                                && s["with"]["key"]
                                    .as_str()
                                    .is_some_and(|k| k.contains("env.GONOGO_REV"))
                        })
                });
                if !cached {
                    problems.push(format!(
                        "{at}: {shown} is not skipped on a hit of an earlier actions/cache step over {GONOGO_BIN} keyed on env.GONOGO_REV (`if: steps.<id>.outputs.cache-hit != 'true'`)"
                    ));
                }
            }
        }
    }
    problems
}

/// Fails with every problem of every workflow, one a line.
fn assert_clean(workflows: &[(String, String)]) {
    let all: Vec<String> = workflows
        .iter()
        .flat_map(|(name, text)| problems(name, text))
        .collect();
    assert!(
        all.is_empty(),
        "{} problem(s):\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn every_docs_ci_recipe_has_the_shape_actions_needs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci");
    let mut workflows: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .map(|p| {
            let name = format!("docs/ci/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    workflows.sort();
    assert!(workflows.len() >= 4, "recipes: {workflows:?}");
    assert_clean(&workflows);
}

#[test]
fn the_workflow_init_writes_has_the_shape_actions_needs() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gonogo"))
        .arg("init")
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join(".github/workflows/gonogo.yml")).unwrap();
    assert_clean(&[("gonogo init's .github/workflows/gonogo.yml".into(), text)]);
}

/// The checks above find what they claim to.
#[test]
fn the_checks_catch_a_bad_workflow() {
    let bad = r#"
name: bad
env:
  GONOGO_REV: main
jobs:
  a:
    if: steps.x.outputs.cache-hit
    steps:
      - uses: actions/checkout@v4
        run: echo both
      - name: Install
        if: steps.cache.outputs.cache-hit != 'true'
        run: cargo install --locked --git "$GONOGO_GIT" --rev "${{ env.GONOGO_REV }}" gonogo
      - run: cargo install --locked gonogo   # from crates.io
      - run: cargo install --locked --git https://example.invalid/gonogo gonogo
  b:
    runs-on: ubuntu-latest
    steps: []
"#;
    let found = problems("bad.yml", bad).join("\n");
    for expected in [
        "no top-level `on:`",
        "job `a`: no `runs-on:`",
        "job `a`: its `if:` names steps",
        "step 1: needs exactly one of `uses:` and `run:`",
        "`if:` names `steps.cache`",
        "uses `$GONOGO_GIT`, defined in no env:",
        "--git `$GONOGO_GIT` is not defined",
        "--rev is `main`, not a full 40-hex commit",
        "`cargo install --locked gonogo` without --git",
        "`cargo install --locked --git https://example.invalid/gonogo gonogo` does not pin --rev",
        "is not skipped on a hit",
        "job `b`: no `steps:`",
    ] {
        assert!(
            found.contains(expected),
            "missing {expected:?} in:\n{found}"
        );
    }
    assert!(problems("bad.yml", "on: [push\n")[0].contains("not YAML"));
}
