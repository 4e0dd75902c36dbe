//! Text helpers shared by the reader models: line numbers and the
//! whitespace classes of the languages the real readers are written in.

/// The 1-based line (lines end at `\n`) of a byte offset.
pub fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
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
    /// Byte offsets of the `\n`s of `text`.
    newlines: Vec<usize>,
    /// `lf[k]`: how many of the first `k` breaks held a `\n` originally.
    lf: Vec<usize>,
}

impl Normalized {
    pub fn new(original: &str) -> Normalized {
        let mut text = String::with_capacity(original.len());
        let (mut newlines, mut lf) = (Vec::new(), vec![0]);
        let mut chars = original.chars().peekable();
        while let Some(c) = chars.next() {
            let had_lf = match c {
                '\r' => chars.next_if_eq(&'\n').is_some(),
                '\n' => true,
                c => {
                    text.push(c);
                    continue;
                }
            };
            newlines.push(text.len());
            text.push('\n');
            lf.push(lf.last().copied().unwrap_or(0) + usize::from(had_lf));
        }
        Normalized { text, newlines, lf }
    }

    /// The original 1-based line (lines end at `\n`) of a byte offset of
    /// `text`.
    pub fn line(&self, offset: usize) -> usize {
        1 + self.lf[self.newlines.partition_point(|&p| p < offset)]
    }
}
