//! Env files read with dotenvy (quotes, `export `, `#` comments, multi-line
//! quoted values), keeping each key's line number; a duplicate key or a line
//! that is not dotenv is an error naming the file and line.

/// One `KEY=VALUE` of an env file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    /// 1-based line of the key.
    pub line: usize,
}

/// Why an env file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DotenvError {
    /// A key appears twice.
    DuplicateKey {
        key: String,
        first: usize,
        line: usize,
    },
    /// A line that is not dotenv.
    Parse { line: usize, message: String },
}

/// Whether a raw line defines `key`: `[export ]KEY[ ]=`.
fn defines(line: &str, key: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_prefix("export ").map(str::trim_start).unwrap_or(t);
    t.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// Parses an env file's text.
pub fn parse(text: &str) -> Result<Vec<Entry>, DotenvError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cursor = 0;
    let mut out: Vec<Entry> = Vec::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((key, value)) => {
                // A key not found as written (dotenvy reads some lines more
                // leniently) is placed after the previous one, never past
                // the last line.
                let line = (cursor..lines.len())
                    .find(|&i| defines(lines[i], &key))
                    .map_or(next_line(cursor, &lines), |i| i + 1);
                cursor = line;
                if let Some(first) = out.iter().find(|e| e.key == key) {
                    return Err(DotenvError::DuplicateKey {
                        key,
                        first: first.line,
                        line,
                    });
                }
                out.push(Entry { key, value, line });
            }
            Err(dotenvy::Error::LineParse(bad, index)) => {
                let first_line = bad.lines().next().unwrap_or_default().trim_end();
                let line = (cursor..lines.len())
                    .find(|&i| lines[i].trim_end() == first_line)
                    .map_or(next_line(cursor, &lines), |i| i + 1);
                return Err(DotenvError::Parse {
                    line,
                    message: format!("not `KEY=VALUE` (at character {})", index + 1),
                });
            }
            Err(e) => {
                return Err(DotenvError::Parse {
                    line: next_line(cursor, &lines),
                    message: e.to_string(),
                });
            }
        }
    }
    Ok(out)
}

/// The line after `cursor` (1-based), at most the file's last line.
fn next_line(cursor: usize, lines: &[&str]) -> usize {
    (cursor + 1).min(lines.len().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `dotenv_matrix` fuzz smoke run in CI: keys dotenvy reads
    /// from lines they are not written on got line numbers past the end.
    #[test]
    fn line_numbers_never_pass_the_last_line() {
        let text =
            "export =\"multi\ni\nlexpoi,e\"\nLOG_LEVELrt =/\"lul\nexport=debu =/\"lSSg # c\n";
        let lines = text.lines().count();
        if let Ok(entries) = parse(text) {
            for e in entries {
                assert!(
                    e.line >= 1 && e.line <= lines,
                    "{} at line {} of {lines}",
                    e.key,
                    e.line
                );
            }
        }
    }

    #[test]
    fn reads_quotes_export_comments_and_lines() {
        let text = "# c\nA=1\n\nexport B = \"two words\" # note\nC='x'\nD=\"multi\nline\"\nE=\n";
        let e = parse(text).unwrap();
        let got: Vec<(&str, &str, usize)> = e
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str(), e.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("A", "1", 2),
                ("B", "two words", 4),
                ("C", "x", 5),
                ("D", "multi\nline", 6),
                ("E", "", 8)
            ]
        );
    }

    #[test]
    fn duplicates_and_garbage_are_errors() {
        assert_eq!(
            parse("A=1\nB=2\nA=3\n").unwrap_err(),
            DotenvError::DuplicateKey {
                key: "A".into(),
                first: 1,
                line: 3
            }
        );
        assert!(matches!(
            parse("A=1\nthis is not dotenv\n").unwrap_err(),
            DotenvError::Parse { line: 2, .. }
        ));
    }
}
