//! The one place that decides what outside text may be shown: URLs lose
//! their userinfo, query and fragment however they are spelled, and text
//! from outside loses its control characters. Every renderer and message
//! goes through here (SPEC §2).

/// A URL, or text that may be one, with everything a secret can hide in
/// removed: the userinfo (all of it, up to the last `@`, so a password
/// holding `@`, `/`, `#` or `?` is cut whole; with or without `//`), and the
/// query and fragment (shown as `?…`). Scheme, host, port and path stay.
pub fn url(s: &str) -> String {
    let scheme_len = scheme_len(s);
    if scheme_len == 0 && !s.contains('@') {
        // Not a URL (a key=value connection string, say): nothing of it
        // can be told safe to show.
        return "(not a URL; not shown)".into();
    }
    let (scheme, rest) = s.split_at(scheme_len);
    let (slashes, rest) = match rest.strip_prefix("//") {
        Some(r) => ("//", r),
        None => ("", rest),
    };
    let (hidden_user, rest) = match rest.rfind('@') {
        Some(at) => ("***@", &rest[at + 1..]),
        None => ("", rest),
    };
    let (rest, cut) = match rest.find(['?', '#']) {
        Some(q) => (&rest[..q], "?…"),
        None => (rest, ""),
    };
    text(&format!("{scheme}{slashes}{hidden_user}{rest}{cut}"))
}

/// Whether `s` may be a URL or hold userinfo: a `scheme:` prefix or an `@`.
pub fn may_be_url(s: &str) -> bool {
    scheme_len(s) > 0 || s.contains('@')
}

/// The length of a leading `scheme:` (`[A-Za-z][A-Za-z0-9+.-]*:`), or 0.
pub(crate) fn scheme_len(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return 0;
    }
    match s.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))) {
        Some(i) if s[i..].starts_with(':') => i + 1,
        _ => 0,
    }
}

/// Outside text made safe for a terminal and for one-line messages:
/// control characters, line and paragraph separators and bidirectional
/// overrides are shown as `\u{…}` escapes (`\n`, `\r`, `\t` as such).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push('\\'),
            c if c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{200b}'..='\u{200f}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Outside text for a terminal that keeps its line breaks and tabs: every
/// other control character (an escape sequence, a bare `\r`), separator
/// and bidirectional override is shown as a `\u{…}` escape.
pub fn terminal(s: &str) -> String {
    s.split('\n')
        .map(|line| line.split('\t').map(text).collect::<Vec<_>>().join("\t"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_hidden_however_spelled() {
        for (input, shown) in [
            ("postgres://u:secret@h:5432/db", "postgres://***@h:5432/db"),
            ("postgres://u:se/cr@et@h/db", "postgres://***@h/db"),
            ("postgres://u:se#cr?et@h/db", "postgres://***@h/db"),
            ("postgres:u:secret@h/db", "postgres:***@h/db"),
            ("postgres://h/db?password=secret", "postgres://h/db?…"),
            ("mysql://root@h/db", "mysql://***@h/db"),
            ("u:secret@h", "u:***@h"),
            (
                "http://127.0.0.1:8080/authorize",
                "http://127.0.0.1:8080/authorize",
            ),
            (
                "host=h user=u password=secret dbname=d",
                "(not a URL; not shown)",
            ),
        ] {
            assert_eq!(url(input), shown, "{input}");
            assert!(!url(input).contains("secret"), "{input}");
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(text("a\u{1b}[31mb\nc"), "a\\u{1b}[31mb\\nc");
        assert_eq!(text("x\u{202e}y"), "x\\u{202e}y");
    }
}
