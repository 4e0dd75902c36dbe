//! Text helpers shared by the reader models: line numbers and the
//! whitespace classes of the languages the real readers are written in.

/// Line numbers as findings show them: a line ends at `\n`, `\r\n` or a
/// lone `\r` (what editors, python-dotenv and node dotenv all break on),
/// whichever reader is read.
pub struct LineIndex {
    /// Byte offsets where lines start (the first is 0).
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    /// How many lines the text has (at least 1).
    pub fn count(&self) -> usize {
        self.starts.len()
    }
}

/// The 1-based line of a byte offset (see [`LineIndex`]; build one index
/// for many lookups).
pub fn line_at(text: &str, offset: usize) -> usize {
    LineIndex::new(text).line(offset)
}

/// The byte offset of the `chars`-th character after `start`.
pub fn char_offset(text: &str, start: usize, chars: usize) -> usize {
    text[start..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| start + i)
}

/// Python's `str.isspace()` (the `\s` of a `str` regex).
pub fn py_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// JavaScript's `\s`.
pub fn js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// A JavaScript line terminator (where `^`/`$` match under `/m`).
pub fn js_line_end(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// Go's `unicode.IsSpace`.
pub fn go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (c as u32 > 0xff && c.is_whitespace())
}

/// The text without a leading UTF-8 byte order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The text after `\r\n` and a bare `\r` became `\n` (Python's universal
/// newlines, node dotenv's first step), with the original line
/// of each position.
pub struct Normalized {
    pub text: String,
    /// Byte offsets of the `\n`s of `text`: one per line break of the
    /// original, which [`LineIndex`] counts the same way.
    newlines: Vec<usize>,
}

impl Normalized {
    pub fn new(original: &str) -> Normalized {
        let mut text = String::with_capacity(original.len());
        let mut newlines = Vec::new();
        let mut chars = original.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    chars.next_if_eq(&'\n');
                }
                '\n' => {}
                c => {
                    text.push(c);
                    continue;
                }
            }
            newlines.push(text.len());
            text.push('\n');
        }
        Normalized { text, newlines }
    }

    /// The original 1-based line of a byte offset of `text`.
    pub fn line(&self, offset: usize) -> usize {
        1 + self.newlines.partition_point(|&p| p < offset)
    }
}
