//! A TOML file kept with its text, so every error names the file, the line,
//! the column and the dotted key it is about.

use serde::de::DeserializeOwned;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// An input file that is not what gonogo expects, located precisely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line; 0 when the error is about the file as a whole.
    pub line: usize,
    /// 1-based column; 0 when the error is about the file as a whole.
    pub column: usize,
    /// The dotted key the error is about (`resources.project.read`), or empty.
    pub key: String,
    /// Lowercase, user input in backticks.
    pub message: String,
    /// The offending line, for a report that shows it (see [`SourceError::render`]).
    pub snippet: Option<Box<Snippet>>,
}

/// The line an error is on, and the byte range of the offending text in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub line_text: String,
    pub range: Range<usize>,
}

impl SourceError {
    /// The error with the offending line and a caret under the offending text
    /// (rustc style, colored with `color`); the one-line form when there is
    /// no line to show.
    pub fn render(&self, color: bool) -> String {
        use annotate_snippets::{AnnotationKind, Level, Renderer};
        let Some(snippet) = &self.snippet else {
            return format!("error: {self}\n");
        };
        let title = if self.key.is_empty() {
            self.message.clone()
        } else {
            format!("`{}`: {}", self.key, self.message)
        };
        let report = &[Level::ERROR.primary_title(title).element(
            annotate_snippets::Snippet::source(snippet.line_text.as_str())
                .line_start(self.line)
                .path(self.file.as_str())
                .annotation(AnnotationKind::Primary.span(snippet.range.clone())),
        )];
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        format!("{}\n", renderer.render(report))
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.key.is_empty() {
            write!(f, ": `{}`", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for SourceError {}

/// A file's name and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given (used in messages).
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
}

impl SourceFile {
    /// Reads a file; an unreadable one is an error naming it.
    pub fn read(path: &Path) -> Result<SourceFile, SourceError> {
        match read_regular_text(path) {
            Ok(text) => Ok(SourceFile {
                path: path.to_path_buf(),
                text,
            }),
            Err(e) => Err(SourceError {
                file: path.display().to_string(),
                line: 0,
                column: 0,
                key: String::new(),
                message: format!("cannot read the file: {e}"),
                snippet: None,
            }),
        }
    }

    /// A file from text already in memory.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// An error at a span, about a key.
    pub fn error(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> SourceError {
        let (line, column) = self.line_col(span.start);
        let start = span.start.min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let line_text = self.text[line_start..line_end].trim_end_matches('\r');
        // The caret covers the span on its first line, at least one
        // character, both ends on character boundaries.
        let mut from = (start - line_start).min(line_text.len());
        while !line_text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (span.end.min(line_end).saturating_sub(line_start))
            .max(from + 1)
            .min(line_text.len());
        while to < line_text.len() && !line_text.is_char_boundary(to) {
            to += 1;
        }
        let to = to.max(from);
        SourceError {
            file: self.path.display().to_string(),
            line,
            column,
            key: key.to_string(),
            message: message.into(),
            snippet: Some(Box::new(Snippet {
                line_text: line_text.to_string(),
                range: from..to,
            })),
        }
    }

    /// An error about the whole file.
    pub fn file_error(&self, message: impl Into<String>) -> SourceError {
        self.missing("", message)
    }

    /// An error about a key the file does not have.
    pub fn missing(&self, key: &str, message: impl Into<String>) -> SourceError {
        SourceError {
            file: self.path.display().to_string(),
            line: 0,
            column: 0,
            key: key.to_string(),
            message: message.into(),
            snippet: None,
        }
    }

    /// Deserializes the TOML text; malformed TOML and type errors are located.
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, SourceError> {
        let tree = DeTable::parse(&self.text).map_err(|e| self.toml_error(&e, None))?;
        toml::from_str::<T>(&self.text).map_err(|e| self.toml_error(&e, Some(tree.get_ref())))
    }

    fn toml_error(&self, e: &toml::de::Error, tree: Option<&DeTable<'_>>) -> SourceError {
        let message = lowercase_first(e.message().trim());
        let Some(span) = e.span() else {
            return self.file_error(format!("malformed toml: {message}"));
        };
        let key = match tree {
            Some(tree) => key_at(tree, span.start).unwrap_or_default(),
            None => self.key_on_line(span.start),
        };
        let prefix = if tree.is_some() {
            ""
        } else {
            "malformed toml: "
        };
        self.error(span, &key, format!("{prefix}{message}"))
    }

    /// For a syntax error (no tree): the table header above the line and the
    /// key written on it.
    fn key_on_line(&self, offset: usize) -> String {
        let offset = offset.min(self.text.len());
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let line = &self.text[line_start..line_end];
        let header = self.text[..line_start]
            .lines()
            .rev()
            .map(str::trim)
            .find(|l| l.starts_with('[') && l.ends_with(']'))
            .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
        let key = line
            .split_once('=')
            .map(|(k, _)| k.trim().to_string())
            .filter(|k| !k.is_empty() && !k.starts_with('['));
        match (header, key) {
            (Some(h), Some(k)) => format!("{h}.{k}"),
            (None, Some(k)) => k,
            (_, None) if line.trim_start().starts_with('[') => line
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
                .to_string(),
            (Some(h), None) => h,
            (None, None) => String::new(),
        }
    }
}

/// The dotted path of the key at `offset`: the key written there, or the key
/// of the scalar value written there. Table spans are not trusted (a
/// `[table]` header's span does not cover its body), so every table is searched.
pub fn key_at(table: &DeTable<'_>, offset: usize) -> Option<String> {
    for (k, v) in table.iter() {
        let name = quote_key(k.get_ref());
        if k.span().contains(&offset) {
            return Some(name);
        }
        if let Some(rest) = value_key_at(v, offset) {
            return Some(if rest.is_empty() {
                name
            } else if rest.starts_with('[') {
                format!("{name}{rest}")
            } else {
                format!("{name}.{rest}")
            });
        }
    }
    None
}

/// The path below a value to `offset`: `Some("")` for the value itself.
fn value_key_at(value: &Spanned<DeValue<'_>>, offset: usize) -> Option<String> {
    match value.get_ref() {
        DeValue::Table(t) => key_at(t, offset),
        DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            value_key_at(item, offset).map(|rest| {
                if rest.is_empty() || rest.starts_with('[') {
                    format!("[{i}]{rest}")
                } else {
                    format!("[{i}].{rest}")
                }
            })
        }),
        _ => value.span().contains(&offset).then(String::new),
    }
}

/// A key as TOML would write it in a dotted path.
pub fn quote_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        format!("\"{}\"", key.escape_default())
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An I/O error's message without the OS error number.
pub fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    lowercase_first(&text)
}

/// Reads a regular file whole. Opened without blocking and checked after
/// opening, so a FIFO, a device or a folder is refused at once instead of
/// hanging or reading forever. The error is a lowercase cause.
pub fn read_regular(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| io_message(&e))?;
    let meta = file.metadata().map_err(|e| io_message(&e))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes).map_err(|e| io_message(&e))?;
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text.
pub fn read_regular_text(path: &Path) -> Result<String, String> {
    String::from_utf8(read_regular(path)?).map_err(|_| "not UTF-8 text".to_string())
}

/// Writes a file whole or not at all: into a uniquely named temporary file
/// beside it (so concurrent writers never trip over each other), then
/// renamed over it. An existing path that is not a regular file (a device,
/// a FIFO, a symlink, a folder) is refused, never replaced. The error reads
/// `cannot write `<path>`: <cause>`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let fail = |cause: String| format!("cannot write `{}`: {cause}", path.display());
    use std::os::unix::fs::PermissionsExt;
    let mut mode = 0o644;
    match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(fail(
                "it exists and is not a regular file (a device, FIFO, symlink or folder is never replaced)".into(),
            ));
        }
        Ok(meta) => mode = meta.permissions().mode() & 0o7777,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(io_message(&e))),
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail(io_message(&e)))?;
    tmp.write_all(bytes)
        .and_then(|_| {
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
        })
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| fail(io_message(&e)))?;
    tmp.persist(path).map_err(|e| fail(io_message(&e.error)))?;
    Ok(())
}

/// Replaces every `${NAME}` in `value` by that environment variable. An unset
/// variable is an error naming it (never an empty string).
pub fn expand_env(value: &str) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| "unterminated `${` in the value".to_string())?;
        let name = &after[..end];
        if name.is_empty() {
            return Err("empty variable name `${}` in the value".to_string());
        }
        match std::env::var(name) {
            Ok(v) => out.push_str(&v),
            Err(_) => return Err(format!("environment variable `{name}` is not set")),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let f = SourceFile::new("f.toml", "a = 1\nbc = 2\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        assert_eq!(f.line_col(8), (2, 3));
    }

    #[test]
    fn expand_env_fails_on_unset_variables() {
        // SAFETY: tests in this module do not read this variable concurrently.
        unsafe { std::env::set_var("GONOGO_TEST_EXPAND", "x") };
        assert_eq!(expand_env("a${GONOGO_TEST_EXPAND}b").unwrap(), "axb");
        assert!(expand_env("${GONOGO_TEST_SURELY_UNSET_42}").is_err());
        assert!(expand_env("${OPEN").is_err());
    }
}

#[cfg(test)]
mod snippet_tests {
    use super::*;

    /// Spans starting on any character (parsers' spans do), empty or ending
    /// inside a multi-byte character, render without panicking, the caret on
    /// character boundaries.
    #[test]
    fn carets_land_on_character_boundaries() {
        let file = SourceFile::new("m.toml", "a = \"аcme\"\nb = 'ｆ'\n");
        for start in (0..file.text.len()).filter(|&i| file.text.is_char_boundary(i)) {
            for end in start..=file.text.len().min(start + 4) {
                let e = file.error(start..end, "k", "m");
                let s = e.snippet.as_ref().unwrap();
                assert!(s.line_text.is_char_boundary(s.range.start));
                assert!(s.line_text.is_char_boundary(s.range.end));
                let _ = e.render(false);
            }
        }
    }
}
