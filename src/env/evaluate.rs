//! The matrix applied to one environment's file. Pure, and never puts a
//! secret value (or the value of an undeclared key) into a finding.

use super::dotenv::Entry;
use super::matrix::{FlagType, Matrix};
use crate::reason::Reason;
use serde::Serialize;

/// One finding in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvFinding {
    pub reason: Reason,
    pub flag: String,
    /// The line of the key, when the key is in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub detail: String,
}

/// The values that turn a `bool` flag off; anything else turns it on.
pub const FALSE_VALUES: [&str; 4] = ["false", "0", "no", "off"];

/// Whether a `bool` value counts as enabled (fail closed: anything but an
/// explicit false value).
pub fn bool_enabled(value: &str) -> bool {
    let v = value.trim();
    !FALSE_VALUES.iter().any(|f| v.eq_ignore_ascii_case(f))
}

/// The findings of one environment, in file order then by flag.
pub fn evaluate(
    matrix: &Matrix,
    environment: &str,
    class: &str,
    entries: &[Entry],
) -> Vec<EnvFinding> {
    let mut out = Vec::new();
    for e in entries {
        let Some(flag) = matrix.flags.get(&e.key) else {
            if !matrix.allow_unknown_flags {
                out.push(EnvFinding {
                    reason: Reason::UnknownFlag,
                    flag: e.key.clone(),
                    line: Some(e.line),
                    detail: format!(
                        "`{}` is not in the matrix (unknown_flags = \"deny\")",
                        e.key
                    ),
                });
            }
            continue;
        };
        let shown = if flag.secret {
            "(secret)".to_string()
        } else {
            format!("`{}`", e.value)
        };
        let value = e.value.trim();
        let invalid = match &flag.kind {
            _ if value.is_empty() => None,
            FlagType::Bool | FlagType::String => None,
            FlagType::Int => value
                .parse::<i64>()
                .is_err()
                .then(|| "an integer".to_string()),
            FlagType::Enum(values) => (!values.iter().any(|v| v == value))
                .then(|| format!("one of {}", values.join(", "))),
            FlagType::Url => url::Url::parse(value).is_err().then(|| "a URL".to_string()),
        };
        if let Some(expected) = invalid {
            out.push(EnvFinding {
                reason: Reason::InvalidValue,
                flag: e.key.clone(),
                line: Some(e.line),
                detail: format!("`{}` = {shown} is not {expected}", e.key),
            });
        }
        let enabled = match flag.kind {
            FlagType::Bool => bool_enabled(&e.value),
            _ => true,
        };
        if enabled && flag.forbid_in.contains(class) {
            out.push(EnvFinding {
                reason: Reason::ForbiddenFlag,
                flag: e.key.clone(),
                line: Some(e.line),
                detail: format!(
                    "`{}` = {shown} is enabled in `{environment}`, and the matrix forbids it in class `{class}`",
                    e.key
                ),
            });
        }
        for target in [environment, class] {
            let Some(forbidden) = flag.forbid_values.get(target) else {
                continue;
            };
            if forbidden
                .iter()
                .any(|f| f.trim().eq_ignore_ascii_case(value))
            {
                out.push(EnvFinding {
                    reason: Reason::ForbiddenValue,
                    flag: e.key.clone(),
                    line: Some(e.line),
                    detail: format!("`{}` = {shown} is forbidden in `{target}`", e.key),
                });
                break;
            }
        }
    }
    for (name, flag) in &matrix.flags {
        if !flag.required_in.contains(class) {
            continue;
        }
        match entries.iter().find(|e| &e.key == name) {
            Some(e) if !e.value.trim().is_empty() => {}
            found => out.push(EnvFinding {
                reason: Reason::MissingRequired,
                flag: name.clone(),
                line: found.map(|e| e.line),
                detail: format!(
                    "`{name}` is required in class `{class}` and is {}",
                    if found.is_some() { "empty" } else { "absent" }
                ),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_explicit_false_values_disable_a_bool() {
        for off in ["false", " FALSE ", "0", "No", "off"] {
            assert!(!bool_enabled(off), "{off}");
        }
        for on in [
            "true", "1", "yes", "on", "enabled", "", "   ", "nope", "f", "disabled",
        ] {
            assert!(bool_enabled(on), "{on:?}");
        }
    }
}
