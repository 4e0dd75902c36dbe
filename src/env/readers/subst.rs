//! Shell-style substitution shared by the compose and bash models:
//! `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}` and `$$`;
//! any other use of `$` makes the value opaque.

use super::{Entry, Scope};

/// Substitutes `value`; `None` when it uses `$` in a way the model does not
/// follow (the caller marks the entry opaque).
pub fn expand(
    value: &str,
    dollar_dollar: bool,
    scope: &Scope,
    entry: &mut Entry,
) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if dollar_dollar && after.starts_with('$') {
            out.push('$');
            rest = &after[1..];
        } else if let Some(braced) = after.strip_prefix('{') {
            let end = braced.find('}')?;
            let body = &braced[..end];
            let name_len = name_len(body);
            let name = &body[..name_len];
            if name.is_empty() {
                return None;
            }
            match &body[name_len..] {
                "" => scope.substitute(name, None, &mut out, entry),
                op => {
                    let (default, unset_only) = if let Some(d) = op.strip_prefix(":-") {
                        (d, false)
                    } else if let Some(d) = op.strip_prefix('-') {
                        (d, true)
                    } else {
                        return None;
                    };
                    if default.contains('$') {
                        return None;
                    }
                    match scope.get(name) {
                        Some(v) if unset_only || !v.is_empty() => {
                            scope.substitute(name, None, &mut out, entry)
                        }
                        Some(_) => out.push_str(default),
                        None => scope.substitute(name, Some(default), &mut out, entry),
                    }
                }
            }
            rest = &braced[end + 1..];
        } else {
            let n = name_len(after);
            if n == 0 {
                return None;
            }
            scope.substitute(&after[..n], None, &mut out, entry);
            rest = &after[n..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The length of a `[A-Za-z_][A-Za-z0-9_]*` name at the start of `s`.
fn name_len(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return 0;
    }
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}
