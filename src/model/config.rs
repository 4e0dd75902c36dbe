//! `gonogo.toml` (SPEC §3): parsed into a [`Model`] and the run settings, with
//! every error naming the file, line and key.

use super::policy::{Action, Catalog, CatalogReason, Model, ResourceType};
use super::scopes::{Lattice, LatticeError, ScopeSet};
use super::source::{SourceError, SourceFile, expand_env, quote_key};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

/// The default number of random cases per property.
pub const DEFAULT_CASES: u32 = 1000;
/// The default bound on HTTP requests in flight.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 8;
/// The default per-decision timeout of external targets.
pub const DEFAULT_TIMEOUT_MS: u64 = 2000;

/// A value with the place it was written, for errors found after parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    /// `file:line:column`.
    pub at: String,
    /// The dotted key.
    pub key: String,
}

impl<T> Located<T> {
    /// An error about this value.
    pub fn error(&self, message: impl Into<String>) -> SourceError {
        let mut parts = self.at.rsplitn(3, ':');
        let column = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
        let line = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
        let file = parts.next().unwrap_or_default().to_string();
        SourceError {
            file,
            line,
            column,
            key: self.key.clone(),
            message: message.into(),
            snippet: None,
        }
    }
}

/// Which system answers the requests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TargetSpec {
    /// The declared policy itself.
    Policy,
    /// The declared policy with a planted bug (for self-checks and demos).
    Mutant(Located<String>),
    /// A child process speaking JSON Lines.
    Process {
        /// The program and its arguments, `${NAME}` expanded.
        command: Vec<String>,
        /// The working directory: `cwd` taken from the config's folder (the folder itself by default).
        cwd: PathBuf,
        /// How long one decision may take.
        timeout: Duration,
    },
    /// An HTTP endpoint.
    Http {
        /// The endpoint's `http://` or `https://` URL, `${NAME}` expanded.
        url: String,
        /// How long one decision may take.
        timeout: Duration,
        /// Requests in flight at most.
        max_in_flight: usize,
    },
}

/// A parsed `gonogo.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, as named by the user.
    pub path: PathBuf,
    /// Its folder (empty for the working directory): relative paths are taken from here.
    pub dir: PathBuf,
    /// The authorization model.
    pub model: Model,
    /// The system that answers the requests (`[target]`).
    pub target: TargetSpec,
    /// `[target]` as written (`${NAME}` unexpanded; kind, command, url,
    /// cwd, mutant): what a counterexample records as the target it failed on.
    pub target_record: serde_json::Value,
    /// The same with `${NAME}` expanded in `command` and `url`: the target
    /// that actually runs, which [`Config::target_digest`] digests (so a
    /// target chosen through an environment variable is told apart).
    pub target_expanded: serde_json::Value,
    /// `[check] cases`.
    pub cases: u32,
    /// `[check] seed`.
    pub seed: Option<u64>,
    /// `[check] exhaustive`: `check` and `gate` enumerate the bounded domain.
    pub exhaustive: bool,
    /// `[corpus] dir`, resolved.
    pub corpus_dir: PathBuf,
    /// The sections the release gate runs.
    pub gate: GateConfig,
}

/// The release gate's view of the config (SPEC §9): each section present is
/// a check; `require` lists those that must be present and pass.
#[derive(Debug, Clone, Default)]
pub struct GateConfig {
    /// `[gate] require`.
    pub require: Vec<String>,
    /// `[corpus]` is present.
    pub corpus: bool,
    /// `[migrations]`.
    pub migrations: Option<MigrationsConfig>,
    /// `[env]`.
    pub env: Option<EnvConfig>,
}

/// `[migrations]`.
#[derive(Debug, Clone)]
pub struct MigrationsConfig {
    pub dir: PathBuf,
    /// As written: `${VAR}` is expanded only when the gate runs, and the
    /// expanded URL is never written out.
    pub database_url: Located<String>,
    pub allow_pending: bool,
    /// `scratch_url`, as written (expanded when the gate runs).
    pub scratch_url: Option<Located<String>>,
    /// `migrations_role`: the preflight's `--migrations-role`.
    pub migrations_role: Option<String>,
    /// The config's folder: a relative SQLite path is taken from it.
    pub base: PathBuf,
}

impl MigrationsConfig {
    /// `database_url` with `${VAR}` expanded and a relative SQLite path
    /// taken from the config's folder (not the working directory).
    pub fn database_url(&self) -> Result<String, SourceError> {
        expand_located(&self.database_url, &self.base)
    }

    /// `scratch_url`, expanded the same way.
    pub fn scratch_url(&self) -> Result<Option<String>, SourceError> {
        self.scratch_url
            .as_ref()
            .map(|u| expand_located(u, &self.base))
            .transpose()
    }
}

fn expand_located(url: &Located<String>, base: &Path) -> Result<String, SourceError> {
    let expanded = super::source::expand_env(&url.value).map_err(|m| url.error(m))?;
    Ok(sqlite_relative_to(&expanded, base))
}

/// A `sqlite:` URL whose path is relative, taken from `base`; any other URL
/// (an absolute path, `:memory:`, another engine) as it is.
pub fn sqlite_relative_to(url: &str, base: &Path) -> String {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return url.to_string();
    };
    let (slashes, path) = match rest.strip_prefix("//") {
        Some(p) => ("//", p),
        None => ("", rest),
    };
    if base.as_os_str().is_empty()
        || path.is_empty()
        || path.starts_with('/')
        || path.starts_with(":memory:")
        || path.starts_with('?')
    {
        return url.to_string();
    }
    format!("sqlite:{slashes}{}", base.join(path).display())
}

/// `[env]`.
#[derive(Debug, Clone)]
pub struct EnvConfig {
    pub matrix: PathBuf,
    /// Environment name and env file, in name order.
    pub files: Vec<(String, PathBuf)>,
}

/// The checks a gate can run, by name.
pub const GATE_CHECKS: [&str; 4] = ["properties", "corpus", "migrations", "env"];

impl Config {
    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<Config, SourceError> {
        let source = SourceFile::read(path)?;
        Config::parse(&source)
    }

    /// Parses a config file already read.
    pub fn parse(source: &SourceFile) -> Result<Config, SourceError> {
        let raw: RawConfig = source.deserialize()?;
        // The folder as a prefix: empty for a file named without a folder,
        // so paths print as `corpus/…`, not `./corpus/…`.
        let dir = source
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let model = build_model(source, &raw)?;
        let target = build_target(source, &raw, &dir)?;
        let (cases, seed) = build_check(source, &raw)?;
        let exhaustive = raw
            .check
            .as_ref()
            .and_then(|c| c.exhaustive)
            .unwrap_or(false);
        let corpus_dir = match raw.corpus.as_ref().and_then(|c| c.dir.as_ref()) {
            Some(d) => dir.join(expand(source, d, "corpus.dir")?),
            None => dir.join("corpus"),
        };
        let gate = build_gate(source, &raw, &dir)?;
        let target_record = match &raw.target {
            None => serde_json::json!({"kind": "policy"}),
            Some(t) => {
                let mut r = serde_json::json!({"kind": t.kind.get_ref()});
                if let Some(c) = &t.command {
                    r["command"] = c.get_ref().iter().map(|a| a.get_ref().clone()).collect();
                }
                for (key, v) in [("url", &t.url), ("cwd", &t.cwd), ("mutant", &t.mutant)] {
                    if let Some(v) = v {
                        r[key] = v.get_ref().clone().into();
                    }
                }
                r
            }
        };
        let mut target_expanded = target_record.clone();
        match &target {
            TargetSpec::Process { command, .. } => {
                target_expanded["kind"] = "process".into();
                target_expanded["command"] = command.clone().into();
                // The working directory as written, `${NAME}` expanded: the
                // same spelling on every machine, another folder another
                // target.
                if let Some(cwd) = raw.target.as_ref().and_then(|t| t.cwd.as_ref()) {
                    target_expanded["cwd"] = expand(source, cwd, "target.cwd")?.into();
                }
            }
            TargetSpec::Http { url, .. } => {
                target_expanded["kind"] = "http".into();
                target_expanded["url"] = url.clone().into();
            }
            TargetSpec::Policy => target_expanded["kind"] = "policy".into(),
            TargetSpec::Mutant(m) => {
                target_expanded["kind"] = "mutant".into();
                target_expanded["mutant"] = m.value.clone().into();
            }
        }
        // As shown (in corpus files and reports): a URL without userinfo.
        let mut target_record = target_record;
        if let Some(url) = target_record.get("url").and_then(|u| u.as_str()) {
            target_record["url"] = crate::redact::url(url).into();
        }
        Ok(Config {
            path: source.path.clone(),
            dir,
            model,
            target,
            target_record,
            target_expanded,
            cases,
            seed,
            exhaustive,
            corpus_dir,
            gate,
        })
    }
}

fn build_gate(source: &SourceFile, raw: &RawConfig, dir: &Path) -> Result<GateConfig, SourceError> {
    let mut gate = GateConfig {
        corpus: raw.corpus.is_some(),
        ..GateConfig::default()
    };
    if let Some(g) = &raw.gate {
        for r in &g.require {
            let check = expand(source, r, "gate.require")?;
            if !GATE_CHECKS.contains(&check.as_str()) {
                return Err(source.error(
                    r.span(),
                    "gate.require",
                    format!(
                        "unknown check `{}`; expected {}",
                        r.get_ref(),
                        GATE_CHECKS.join(", ")
                    ),
                ));
            }
            if !gate.require.contains(&check) {
                gate.require.push(check);
            }
        }
    }
    if let Some(m) = &raw.migrations {
        let (line, column) = source.line_col(m.database_url.span().start);
        gate.migrations = Some(MigrationsConfig {
            dir: dir.join(expand(source, &m.dir, "migrations.dir")?),
            database_url: Located {
                value: m.database_url.get_ref().clone(),
                at: format!("{}:{line}:{column}", source.path.display()),
                key: "migrations.database_url".into(),
            },
            allow_pending: m.allow_pending,
            scratch_url: m.scratch_url.as_ref().map(|u| {
                let (line, column) = source.line_col(u.span().start);
                Located {
                    value: u.get_ref().clone(),
                    at: format!("{}:{line}:{column}", source.path.display()),
                    key: "migrations.scratch_url".into(),
                }
            }),
            migrations_role: match &m.migrations_role {
                Some(role) => Some(expand(source, role, "migrations.migrations_role")?),
                None => None,
            },
            base: dir.to_path_buf(),
        });
    }
    if let Some(e) = &raw.env {
        if e.files.is_empty() {
            // An env check of no file checks nothing: never a pass.
            return Err(source.missing(
                "env.files",
                "`[env] files` is empty: name each environment's env file",
            ));
        }
        let mut files = Vec::new();
        for (name, file) in &e.files {
            let key = format!("env.files.{}", quote_key(name.get_ref()));
            files.push((
                name.get_ref().clone(),
                dir.join(expand(source, file, &key)?),
            ));
        }
        gate.env = Some(EnvConfig {
            matrix: dir.join(expand(source, &e.matrix, "env.matrix")?),
            files,
        });
    }
    Ok(gate)
}

impl Config {
    /// The digest of the target that runs ([`Config::target_expanded`]):
    /// `sha256:<hex>` of its JSON.
    pub fn target_digest(&self) -> String {
        target_digest(&self.target_expanded)
    }
}

/// `sha256:<hex>` of a target record's JSON.
pub fn target_digest(record: &serde_json::Value) -> String {
    use sha2::{Digest, Sha256};
    let text = serde_json::to_string(record).expect("a record serializes");
    format!("sha256:{}", hex::encode(Sha256::digest(text.as_bytes())))
}

/// Parses a seed: `0x`-prefixed hex or decimal.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => t.parse::<u64>(),
    };
    parsed.map_err(|_| format!("`{text}` is not a seed (a 64-bit number, decimal or 0x-hex)"))
}

/// Prints a seed the way it is parsed back: `0x` and lowercase hex.
pub fn format_seed(seed: u64) -> String {
    format!("{seed:#x}")
}

/// A name from the model: not empty, no control characters, no `${…}`
/// (variables are expanded only in paths, commands, URLs and tenant ids).
fn check_name(
    source: &SourceFile,
    span: Range<usize>,
    key: &str,
    what: &str,
    name: &str,
) -> Result<(), SourceError> {
    let problem = if name.is_empty() {
        Some(format!("an empty {what}"))
    } else if name.chars().any(char::is_control) {
        Some(format!(
            "{what} `{}` holds a control character",
            name.escape_debug()
        ))
    } else if name.contains("${") {
        Some(format!(
            "{what} `{name}`: `${{…}}` is expanded only in paths, commands, URLs and tenant ids"
        ))
    } else {
        None
    };
    match problem {
        Some(message) => Err(source.error(span, key, message)),
        None => Ok(()),
    }
}

fn expand(source: &SourceFile, value: &Spanned<String>, key: &str) -> Result<String, SourceError> {
    expand_env(value.get_ref()).map_err(|m| source.error(value.span(), key, m))
}

fn build_model(source: &SourceFile, raw: &RawConfig) -> Result<Model, SourceError> {
    for (k, v) in &raw.scopes {
        let key = format!("scopes.{}", quote_key(k.get_ref()));
        check_name(source, k.span(), &key, "scope name", k.get_ref())?;
        for implied in v.get_ref() {
            check_name(
                source,
                implied.span(),
                &key,
                "scope name",
                implied.get_ref(),
            )?;
        }
    }
    for (rname, actions) in &raw.resources {
        let rkey = format!("resources.{}", quote_key(rname.get_ref()));
        check_name(
            source,
            rname.span(),
            &rkey,
            "resource type",
            rname.get_ref(),
        )?;
        for aname in actions.keys() {
            let akey = format!("{rkey}.{}", quote_key(aname.get_ref()));
            check_name(source, aname.span(), &akey, "action name", aname.get_ref())?;
        }
    }
    let entries: Vec<(String, Vec<String>)> = raw
        .scopes
        .iter()
        .map(|(k, v)| {
            let implied = v.get_ref().iter().map(|s| s.get_ref().clone()).collect();
            (k.get_ref().clone(), implied)
        })
        .collect();
    let scope_span = |name: &str| -> (Range<usize>, String) {
        raw.scopes
            .iter()
            .find(|(k, _)| k.get_ref() == name)
            .map(|(k, _)| (k.span(), format!("scopes.{}", quote_key(name))))
            .unwrap_or((0..0, "scopes".to_string()))
    };
    let lattice = Lattice::new(&entries).map_err(|e| match e {
        LatticeError::TooMany { count } => source.error(
            raw.scopes
                .keys()
                .nth(super::scopes::MAX_SCOPES)
                .map_or(0..0, |k| k.span()),
            "scopes",
            format!(
                "{count} scopes; at most {} are supported",
                super::scopes::MAX_SCOPES
            ),
        ),
        LatticeError::UnknownImplied { scope, implied } => {
            let (span, key) = raw
                .scopes
                .iter()
                .find(|(k, _)| *k.get_ref() == scope)
                .and_then(|(k, v)| {
                    v.get_ref()
                        .iter()
                        .find(|s| *s.get_ref() == implied)
                        .map(|s| (s.span(), format!("scopes.{}", quote_key(k.get_ref()))))
                })
                .unwrap_or_else(|| scope_span(&scope));
            source.error(
                span,
                &key,
                format!("`{scope}` implies `{implied}`, which is not a declared scope"),
            )
        }
        LatticeError::Cycle { path } => {
            let (span, key) = scope_span(&path[0]);
            let shown: Vec<String> = path.iter().map(|p| format!("`{p}`")).collect();
            source.error(
                span,
                &key,
                format!("implication cycle {}", shown.join(" -> ")),
            )
        }
    })?;

    let scope_set = |names: &[Spanned<String>],
                     key: &str,
                     whole: Range<usize>|
     -> Result<ScopeSet, SourceError> {
        let mut set = ScopeSet::EMPTY;
        for n in names {
            let id = lattice.id(n.get_ref()).ok_or_else(|| {
                let span = if n.span() == (0..0) {
                    whole.clone()
                } else {
                    n.span()
                };
                source.error(
                    span,
                    key,
                    format!("unknown scope `{}`; declare it under [scopes]", n.get_ref()),
                )
            })?;
            set = set.with(id);
        }
        Ok(set)
    };

    let (cross_tenant, tenant_ids) = match &raw.tenants {
        Some(t) => (
            scope_set(&t.cross_tenant_scopes, "tenants.cross_tenant_scopes", 0..0)?,
            {
                let mut ids = Vec::new();
                for id in &t.ids {
                    let value = expand(source, id, "tenants.ids")?;
                    check_name(source, id.span(), "tenants.ids", "tenant id", &value)?;
                    ids.push(value);
                }
                ids
            },
        ),
        None => (ScopeSet::EMPTY, Vec::new()),
    };

    if raw.resources.is_empty() {
        return Err(source.missing(
            "resources",
            "no resource types: declare at least one as [resources.<type>]",
        ));
    }
    let mut resources = Vec::new();
    for (rname, actions) in &raw.resources {
        let rkey = format!("resources.{}", quote_key(rname.get_ref()));
        if actions.is_empty() {
            return Err(source.error(rname.span(), &rkey, "a resource type with no actions"));
        }
        let mut list = Vec::new();
        for (aname, required) in actions {
            let akey = format!("{rkey}.{}", quote_key(aname.get_ref()));
            list.push(Action {
                name: aname.get_ref().clone(),
                required: scope_set(&required.get_ref().0, &akey, required.span())?,
            });
        }
        resources.push(ResourceType {
            name: rname.get_ref().clone(),
            actions: list,
        });
    }

    let reasons = raw.reasons.as_ref();
    let Some(reasons) = reasons.filter(|r| !r.get_ref().is_empty()) else {
        let message = "the reason catalog is empty: list at least `unauthenticated`, \
                       `unknown_action`, `tenant_mismatch` and `insufficient_scope` as [[reasons]]";
        return Err(match reasons {
            Some(r) => source.error(r.span(), "reasons", message),
            None => source.missing("reasons", message),
        });
    };
    let mut entries: Vec<CatalogReason> = Vec::new();
    for (i, r) in reasons.get_ref().iter().enumerate() {
        let key = format!("reasons[{i}]");
        let code = r.code.get_ref();
        let snake = code.starts_with(|c: char| c.is_ascii_lowercase())
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !snake {
            return Err(source.error(
                r.code.span(),
                &format!("{key}.code"),
                format!("reason code `{code}` is not snake_case (`[a-z][a-z0-9_]*`)"),
            ));
        }
        if let Some(first) = reasons.get_ref()[..i]
            .iter()
            .position(|p| p.code.get_ref() == code)
        {
            let (line, _) = source.line_col(reasons.get_ref()[first].code.span().start);
            return Err(source.error(
                r.code.span(),
                &format!("{key}.code"),
                format!("duplicate reason code `{code}` (first listed at line {line})"),
            ));
        }
        let status = *r.status.get_ref();
        if !(100..=599).contains(&status) {
            return Err(source.error(
                r.status.span(),
                &format!("{key}.status"),
                format!("status {status} is outside 100-599"),
            ));
        }
        entries.push(CatalogReason {
            code: code.clone(),
            status: status as u16,
        });
    }
    let catalog = Catalog::new(entries).map_err(|missing| {
        source.error(
            reasons.span(),
            "reasons",
            format!(
                "the reason catalog has no `{}`: the declared policy needs a status for it",
                missing.code()
            ),
        )
    })?;

    Ok(Model {
        lattice,
        cross_tenant,
        tenant_ids,
        resources,
        catalog,
    })
}

fn build_target(
    source: &SourceFile,
    raw: &RawConfig,
    dir: &Path,
) -> Result<TargetSpec, SourceError> {
    let Some(t) = &raw.target else {
        return Ok(TargetSpec::Policy);
    };
    let timeout = match &t.timeout_ms {
        None => Duration::from_millis(DEFAULT_TIMEOUT_MS),
        Some(ms) if *ms.get_ref() > 0 => Duration::from_millis(*ms.get_ref() as u64),
        Some(ms) => {
            return Err(source.error(
                ms.span(),
                "target.timeout_ms",
                "must be a positive number of milliseconds",
            ));
        }
    };
    let at = |span: Range<usize>| {
        let (line, column) = source.line_col(span.start);
        format!("{}:{line}:{column}", source.path.display())
    };
    let kind = expand(source, &t.kind, "target.kind")?;
    let kind = kind.as_str();
    let present: [(&str, Option<Range<usize>>); 5] = [
        ("command", t.command.as_ref().map(|v| v.span())),
        ("cwd", t.cwd.as_ref().map(|v| v.span())),
        ("url", t.url.as_ref().map(|v| v.span())),
        ("mutant", t.mutant.as_ref().map(|v| v.span())),
        ("max_in_flight", t.max_in_flight.as_ref().map(|v| v.span())),
    ];
    let allowed: &[&str] = match kind {
        "process" => &["command", "cwd"],
        "http" => &["url", "max_in_flight"],
        "mutant" => &["mutant"],
        _ => &[],
    };
    for (key, span) in present {
        if let Some(span) = span {
            if !allowed.contains(&key) {
                return Err(source.error(
                    span,
                    &format!("target.{key}"),
                    format!(
                        "`{key}` does not apply to `kind = \"{}\"`",
                        t.kind.get_ref()
                    ),
                ));
            }
        }
    }
    match kind {
        "policy" => Ok(TargetSpec::Policy),
        "mutant" => {
            let Some(m) = &t.mutant else {
                return Err(source.error(
                    t.kind.span(),
                    "target.mutant",
                    "`kind = \"mutant\"` needs `mutant = \"<name>\"`",
                ));
            };
            Ok(TargetSpec::Mutant(Located {
                value: expand(source, m, "target.mutant")?,
                at: at(m.span()),
                key: "target.mutant".into(),
            }))
        }
        "process" => {
            let Some(cmd) = &t.command else {
                return Err(source.error(
                    t.kind.span(),
                    "target.command",
                    "`kind = \"process\"` needs `command = [\"program\", \"arg\", …]`",
                ));
            };
            if cmd.get_ref().is_empty() {
                return Err(source.error(cmd.span(), "target.command", "the command is empty"));
            }
            let mut command = Vec::new();
            for part in cmd.get_ref() {
                command.push(expand(source, part, "target.command")?);
            }
            let cwd = match &t.cwd {
                Some(c) => dir.join(expand(source, c, "target.cwd")?),
                None => dir.to_path_buf(),
            };
            let cwd = if cwd.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                cwd
            };
            Ok(TargetSpec::Process {
                command,
                cwd,
                timeout,
            })
        }
        "http" => {
            let Some(url) = &t.url else {
                return Err(source.error(
                    t.kind.span(),
                    "target.url",
                    "`kind = \"http\"` needs `url = \"http://…\"`",
                ));
            };
            let max_in_flight = match &t.max_in_flight {
                None => DEFAULT_MAX_IN_FLIGHT,
                Some(n) if (1..=256).contains(n.get_ref()) => *n.get_ref() as usize,
                Some(n) => {
                    return Err(source.error(
                        n.span(),
                        "target.max_in_flight",
                        "must be between 1 and 256",
                    ));
                }
            };
            let url = expand(source, url, "target.url")?;
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(source.error(
                    t.url.as_ref().map_or(0..0, |u| u.span()),
                    "target.url",
                    "must start with `http://` or `https://`",
                ));
            }
            Ok(TargetSpec::Http {
                url,
                timeout,
                max_in_flight,
            })
        }
        _ => Err(source.error(
            t.kind.span(),
            "target.kind",
            format!(
                "unknown target kind `{}`; expected `policy`, `process`, `http` or `mutant`",
                t.kind.get_ref()
            ),
        )),
    }
}

fn build_check(source: &SourceFile, raw: &RawConfig) -> Result<(u32, Option<u64>), SourceError> {
    let Some(check) = &raw.check else {
        return Ok((DEFAULT_CASES, None));
    };
    let cases = match &check.cases {
        None => DEFAULT_CASES,
        Some(c) if *c.get_ref() >= 1 && *c.get_ref() <= u32::MAX as i64 => *c.get_ref() as u32,
        Some(c) => {
            return Err(source.error(
                c.span(),
                "check.cases",
                format!("must be between 1 and {}", u32::MAX),
            ));
        }
    };
    let seed = match &check.seed {
        None => None,
        Some(s) => Some(match s.get_ref() {
            SeedValue::Int(i) if *i >= 0 => *i as u64,
            SeedValue::Int(i) => {
                return Err(source.error(
                    s.span(),
                    "check.seed",
                    format!("`{i}` is not a seed (a 64-bit number, decimal or 0x-hex)"),
                ));
            }
            // An error names the seed as written: a value taken from the
            // environment is never printed.
            SeedValue::Text(t) => expand_env(t)
                .and_then(|e| {
                    parse_seed(&e).map_err(|m| match t.contains("${") {
                        true => format!(
                            "`{t}` does not expand to a seed (a 64-bit number, decimal or 0x-hex)"
                        ),
                        false => m,
                    })
                })
                .map_err(|m| source.error(s.span(), "check.seed", m))?,
        }),
    };
    Ok((cases, seed))
}

// ---- the file as written ----------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    scopes: BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>,
    tenants: Option<RawTenants>,
    #[serde(default)]
    resources: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<Required>>>,
    reasons: Option<Spanned<Vec<RawReason>>>,
    target: Option<RawTarget>,
    check: Option<RawCheck>,
    corpus: Option<RawCorpus>,
    // Sections the release gate runs.
    gate: Option<RawGate>,
    migrations: Option<RawMigrations>,
    env: Option<RawEnv>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGate {
    #[serde(default)]
    require: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMigrations {
    dir: Spanned<String>,
    database_url: Spanned<String>,
    #[serde(default)]
    allow_pending: bool,
    #[serde(default)]
    scratch_url: Option<Spanned<String>>,
    #[serde(default)]
    migrations_role: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnv {
    matrix: Spanned<String>,
    files: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTenants {
    #[serde(default)]
    cross_tenant_scopes: Vec<Spanned<String>>,
    #[serde(default)]
    ids: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReason {
    code: Spanned<String>,
    status: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    kind: Spanned<String>,
    command: Option<Spanned<Vec<Spanned<String>>>>,
    url: Option<Spanned<String>>,
    cwd: Option<Spanned<String>>,
    timeout_ms: Option<Spanned<i64>>,
    mutant: Option<Spanned<String>>,
    max_in_flight: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    cases: Option<Spanned<i64>>,
    seed: Option<Spanned<SeedValue>>,
    exhaustive: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorpus {
    dir: Option<Spanned<String>>,
}

/// A seed written as a number or a string.
enum SeedValue {
    Int(i64),
    Text(String),
}

impl<'de> Deserialize<'de> for SeedValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SeedValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a seed: an integer or a string such as \"0x5eed\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SeedValue, E> {
                Ok(SeedValue::Int(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SeedValue, E> {
                Ok(SeedValue::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Required scopes: one scope name or a list (all-of).
struct Required(Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for Required {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Required;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scope name or a list of scope names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Required, E> {
                Ok(Required(vec![Spanned::new(0..0, v.to_string())]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Required, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<Spanned<String>>()? {
                    out.push(s);
                }
                Ok(Required(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process_target(cwd: &str) -> Config {
        let text = format!(
            "[scopes]\na = []\n[resources.r]\nx = \"a\"\n\
             [[reasons]]\ncode = \"unauthenticated\"\nstatus = 401\n[[reasons]]\ncode = \"unknown_action\"\nstatus = 400\n\
             [[reasons]]\ncode = \"tenant_mismatch\"\nstatus = 404\n[[reasons]]\ncode = \"insufficient_scope\"\nstatus = 403\n\
             [target]\nkind = \"process\"\ncommand = [\"true\"]\ncwd = \"{cwd}\"\n"
        );
        Config::parse(&SourceFile::new("gonogo.toml", text)).unwrap()
    }

    /// Attack (review of issue 17): `cwd = "${D}"` entered the target digest
    /// unexpanded, so shards (and corpus files) of the target in another
    /// folder were taken as this target's.
    #[test]
    fn the_target_digest_follows_an_expanded_cwd() {
        // SAFETY: these variables are read by this test only.
        unsafe {
            std::env::set_var("GONOGO_TEST_CWD_A", "good");
            std::env::set_var("GONOGO_TEST_CWD_B", "bad");
        }
        let a = process_target("${GONOGO_TEST_CWD_A}");
        let b = process_target("${GONOGO_TEST_CWD_B}");
        assert_ne!(a.target_digest(), b.target_digest());
        assert_eq!(a.target_digest(), process_target("good").target_digest());
        // The record (what files show) keeps the variable, never its value.
        assert_eq!(a.target_record["cwd"], "${GONOGO_TEST_CWD_A}");
    }
}
