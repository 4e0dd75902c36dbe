//! The environment matrix file (SPEC §8): environments with classes, flags
//! with types and rules, and the unknown-flag policy. Every error names the
//! file, line and key.

use super::readers::Reader;
use crate::model::source::{SourceError, SourceFile, quote_key};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use toml::Spanned;

/// The classes an environment may have. A fixed set, so that a typo in a
/// class cannot quietly switch a rule off.
pub const CLASSES: [&str; 4] = ["dev", "test", "prod-like", "prod"];

/// A flag's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagType {
    /// `bool`: enabled unless an explicit false value (`false`, `0`, `no`, `off`).
    Bool,
    /// `int`: a value must parse as a 64-bit integer.
    Int,
    /// `enum`: a value must be one of these `values`.
    Enum(Vec<String>),
    /// `url`: a value must parse as a URL, with no blank or control character.
    Url,
    /// `string`: any value.
    String,
}

/// A flag and its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The flag's `type`.
    pub kind: FlagType,
    /// Classes where the flag must not be enabled.
    pub forbid_in: BTreeSet<String>,
    /// Classes where the flag must be present and non-empty.
    pub required_in: BTreeSet<String>,
    /// Environment name or class → forbidden values.
    pub forbid_values: BTreeMap<String, Vec<String>>,
    /// Never print its value.
    pub secret: bool,
}

/// A parsed matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Environment name → class.
    pub environments: BTreeMap<String, String>,
    /// Flag name → the flag and its rules.
    pub flags: BTreeMap<String, Flag>,
    /// `[policy] unknown_flags = "allow"`.
    pub allow_unknown_flags: bool,
    /// `[policy] readers`: every program that reads the env files.
    pub readers: Vec<Reader>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatrix {
    #[serde(default)]
    environments: BTreeMap<Spanned<String>, RawEnvironment>,
    #[serde(default)]
    flags: BTreeMap<Spanned<String>, RawFlag>,
    policy: Option<RawPolicy>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    class: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlag {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    #[serde(default)]
    forbid_in: Vec<Spanned<String>>,
    #[serde(default)]
    required_in: Vec<Spanned<String>>,
    #[serde(default)]
    values: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    forbid_values: BTreeMap<Spanned<String>, Vec<String>>,
    #[serde(default)]
    secret: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    unknown_flags: Option<Spanned<String>>,
    readers: Option<Spanned<Vec<Spanned<String>>>>,
}

impl Matrix {
    /// Reads and parses a matrix file.
    pub fn load(path: &Path) -> Result<Matrix, SourceError> {
        Matrix::parse(&SourceFile::read(path)?)
    }

    /// Parses a matrix file already read.
    pub fn parse(source: &SourceFile) -> Result<Matrix, SourceError> {
        let raw: RawMatrix = source.deserialize()?;
        if raw.environments.is_empty() {
            return Err(source.missing(
                "environments",
                "no environments: declare them under [environments]",
            ));
        }
        let mut environments = BTreeMap::new();
        for (name, env) in &raw.environments {
            let key = format!("environments.{}.class", quote_key(name.get_ref()));
            check_class(source, &env.class, &key)?;
            environments.insert(name.get_ref().clone(), env.class.get_ref().clone());
        }
        let mut flags = BTreeMap::new();
        for (name, f) in &raw.flags {
            let base = format!("flags.{}", quote_key(name.get_ref()));
            let kind = match f.kind.get_ref().as_str() {
                "bool" => FlagType::Bool,
                "int" => FlagType::Int,
                "url" => FlagType::Url,
                "string" => FlagType::String,
                "enum" => match &f.values {
                    Some(v) if !v.get_ref().is_empty() => FlagType::Enum(v.get_ref().clone()),
                    _ => {
                        return Err(source.error(
                            f.kind.span(),
                            &format!("{base}.values"),
                            "an `enum` flag needs `values = [\"…\"]`",
                        ));
                    }
                },
                other => {
                    return Err(source.error(
                        f.kind.span(),
                        &format!("{base}.type"),
                        format!("unknown flag type `{other}`; expected `bool`, `int`, `enum`, `url` or `string`"),
                    ));
                }
            };
            if let (Some(v), false) = (&f.values, matches!(kind, FlagType::Enum(_))) {
                return Err(source.error(
                    v.span(),
                    &format!("{base}.values"),
                    "`values` applies to `enum` flags only",
                ));
            }
            let mut forbid_in = BTreeSet::new();
            for c in &f.forbid_in {
                check_class(source, c, &format!("{base}.forbid_in"))?;
                forbid_in.insert(c.get_ref().clone());
            }
            let mut required_in = BTreeSet::new();
            for c in &f.required_in {
                check_class(source, c, &format!("{base}.required_in"))?;
                if forbid_in.contains(c.get_ref()) {
                    return Err(source.error(
                        c.span(),
                        &format!("{base}.required_in"),
                        format!(
                            "`{}` is both forbidden and required in class `{}`",
                            name.get_ref(),
                            c.get_ref()
                        ),
                    ));
                }
                required_in.insert(c.get_ref().clone());
            }
            let mut forbid_values = BTreeMap::new();
            for (target, values) in &f.forbid_values {
                let t = target.get_ref();
                if !environments.contains_key(t) && !CLASSES.contains(&t.as_str()) {
                    return Err(source.error(
                        target.span(),
                        &format!("{base}.forbid_values"),
                        format!(
                            "`{t}` is neither an environment of [environments] nor a class ({})",
                            CLASSES.join(", ")
                        ),
                    ));
                }
                forbid_values.insert(t.clone(), values.clone());
            }
            flags.insert(
                name.get_ref().clone(),
                Flag {
                    kind,
                    forbid_in,
                    required_in,
                    forbid_values,
                    secret: f.secret,
                },
            );
        }
        let allow_unknown_flags = match raw.policy.as_ref().and_then(|p| p.unknown_flags.as_ref()) {
            None => false,
            Some(v) => match v.get_ref().as_str() {
                "deny" => false,
                "allow" => true,
                other => {
                    return Err(source.error(
                        v.span(),
                        "policy.unknown_flags",
                        format!("`{other}`: expected `deny` or `allow`"),
                    ));
                }
            },
        };
        let readers = match raw.policy.as_ref().and_then(|p| p.readers.as_ref()) {
            None => Reader::DEFAULT.to_vec(),
            Some(list) => {
                if list.get_ref().is_empty() {
                    return Err(source.error(
                        list.span(),
                        "policy.readers",
                        "no readers: list the programs that read the env files",
                    ));
                }
                let mut readers = Vec::new();
                for name in list.get_ref() {
                    let Some(r) = Reader::from_name(name.get_ref()) else {
                        let known: Vec<&str> = Reader::ALL.iter().map(|r| r.name()).collect();
                        return Err(source.error(
                            name.span(),
                            "policy.readers",
                            format!(
                                "unknown reader `{}`; expected one of {}",
                                name.get_ref(),
                                known.join(", ")
                            ),
                        ));
                    };
                    if !readers.contains(&r) {
                        readers.push(r);
                    }
                }
                readers
            }
        };
        Ok(Matrix {
            environments,
            flags,
            allow_unknown_flags,
            readers,
        })
    }
}

fn check_class(source: &SourceFile, class: &Spanned<String>, key: &str) -> Result<(), SourceError> {
    if CLASSES.contains(&class.get_ref().as_str()) {
        return Ok(());
    }
    Err(source.error(
        class.span(),
        key,
        format!(
            "unknown class `{}`; expected one of {}",
            class.get_ref(),
            CLASSES.join(", ")
        ),
    ))
}
