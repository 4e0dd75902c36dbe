//! `docker run --env-file` (the Docker CLI's `ParseEnvFile`).
//!
//! Lines end at `\n` (a trailing `\r` dropped); leading blanks are skipped;
//! empty lines and lines starting with `#` are ignored. `KEY=VALUE` takes
//! VALUE literally: quotes, `#` and `$` are part of it. A key alone is
//! taken from the reading process's environment. A key holding a blank, an
//! empty key, invalid UTF-8 or a line over 64 KiB is refused.

use super::text::strip_bom;
use super::{Entry, ReadError};

/// Reads a file as `docker run --env-file` does.
pub fn read(text: &str) -> Result<Vec<Entry>, ReadError> {
    let mut out = Vec::new();
    for (i, raw) in strip_bom(text).split('\n').enumerate() {
        let line_no = i + 1;
        if raw.len() >= 64 * 1024 {
            return Err(ReadError::at(line_no, "docker refuses a line over 64 KiB"));
        }
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let line = line.trim_start_matches(char::is_whitespace);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (line, None),
        };
        let key = key.trim_start_matches([' ', '\t', '\n', '\u{b}', '\u{c}', '\r']);
        if key.is_empty() {
            return Err(ReadError::at(
                line_no,
                "docker refuses a line with no variable name",
            ));
        }
        if key.contains([' ', '\t', '\n', '\u{b}', '\u{c}', '\r']) {
            return Err(ReadError::at(
                line_no,
                "docker refuses a variable name with blanks",
            ));
        }
        out.push(match value {
            Some(v) => Entry::new(key, v, line_no),
            None => Entry {
                external: vec![key.to_string()],
                ..Entry::new(key, "", line_no)
            },
        });
    }
    Ok(out)
}
