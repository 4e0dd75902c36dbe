//! The matrix applied to one environment's file as one reader reads it.
//! Pure; a value reaches a finding only through [`shown`].

use super::matrix::{Flag, FlagType, Matrix};
use super::readers::Entry;
use crate::reason::Reason;
use crate::redact;
use serde::Serialize;

/// One finding in one environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvFinding {
    /// The reason code.
    pub reason: Reason,
    /// The key the finding is about.
    pub flag: String,
    /// The line of the key, when the key is in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// One sentence on what is wrong; a value appears only as [`shown`] gives it.
    pub detail: String,
    /// The readers this finding holds for, when not all of them (for
    /// `ambiguous_line`: the readers that disagree).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readers: Vec<String>,
}

/// How a value may appear in a finding: never a secret flag's value, a
/// value substituted from another key or from the environment, a value a
/// reader could not know, a value spanning lines (a quote run on into the
/// next lines), and never a URL's userinfo.
pub fn shown(flag: Option<&Flag>, e: &Entry) -> String {
    if flag.is_none_or(|f| f.secret) {
        "(secret)".into()
    } else if !e.from.is_empty() || !e.external.is_empty() {
        "(substituted, not shown)".into()
    } else if e.opaque.is_some() {
        "(not shown)".into()
    } else if e.spans_lines
        || e.value
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        "(spans lines, not shown)".into()
    } else if redact::may_be_url(&e.value) {
        format!("`{}`", redact::url(&e.value))
    } else {
        format!("`{}`", redact::text(&e.value))
    }
}

/// The values that turn a `bool` flag off; anything else turns it on.
pub const FALSE_VALUES: [&str; 4] = ["false", "0", "no", "off"];

/// Whether a `bool` value counts as enabled (fail closed: anything but an
/// explicit false value).
pub fn bool_enabled(value: &str) -> bool {
    // Trimmed of ASCII blanks only: JavaScript's `trim` keeps U+0085, so a
    // wider trim could call off what a Node service reads as on.
    let v = value.trim_matches([' ', '\t', '\n', '\r', '\u{b}', '\u{c}']);
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
                    flag: redact::text(&e.key),
                    line: Some(e.line),
                    detail: format!(
                        "`{}` is not in the matrix (unknown_flags = \"deny\")",
                        redact::text(&e.key)
                    ),
                    readers: Vec::new(),
                });
            }
            continue;
        };
        let shown = shown(Some(flag), e);
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
            // The WHATWG parser drops tabs and line breaks inside a URL;
            // the service's reader may not: any blank or control character
            // makes the value invalid.
            FlagType::Url => (e
                .value
                .contains(|c: char| c.is_control() || c.is_whitespace())
                || url::Url::parse(value).is_err())
            .then(|| "a URL".to_string()),
        };
        if let Some(expected) = invalid {
            out.push(EnvFinding {
                reason: Reason::InvalidValue,
                flag: e.key.clone(),
                line: Some(e.line),
                detail: format!("`{}` = {shown} is not {expected}", e.key),
                readers: Vec::new(),
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
                readers: Vec::new(),
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
                    readers: Vec::new(),
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
                readers: Vec::new(),
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
