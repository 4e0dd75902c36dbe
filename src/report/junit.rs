//! JUnit XML, one testcase per check or property.

use super::{Status, TestCase};
use std::fmt::Write;

/// The XML document.
pub fn render(suite: &str, cases: &[TestCase]) -> String {
    let failures = cases.iter().filter(|c| c.status == Status::Fail).count();
    let errors = cases.iter().filter(|c| c.status == Status::Error).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let head = format!(
        "name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\"",
        escape(suite),
        cases.len()
    );
    let _ = writeln!(out, "<testsuites {head}>");
    let _ = writeln!(out, "  <testsuite {head}>");
    for c in cases {
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            escape(suite),
            escape(&c.name)
        );
        match c.status {
            Status::Pass => {
                let _ = writeln!(out, "{open}/>");
            }
            Status::Fail | Status::Error => {
                let tag = if c.status == Status::Fail {
                    "failure"
                } else {
                    "error"
                };
                let _ = writeln!(out, "{open}>");
                let _ = writeln!(
                    out,
                    "      <{tag} type=\"{}\" message=\"{}\">{}</{tag}>",
                    escape(&c.kind),
                    escape(&c.message),
                    escape(&c.detail)
                );
                let _ = writeln!(out, "    </testcase>");
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Escapes text for XML attributes and content; characters XML 1.0 cannot
/// hold become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"'\u{1}"),
            "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}"
        );
    }
}
