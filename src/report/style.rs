//! Terminal styling: colors only when asked (a TTY without `NO_COLOR`).

/// Whether to color text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Whether to wrap text in ANSI color codes.
    pub color: bool,
}

impl Style {
    /// Color when stdout is a terminal and `NO_COLOR` is unset.
    pub fn detect() -> Style {
        use std::io::IsTerminal;
        Style {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Green.
    pub fn good(&self, text: &str) -> String {
        self.paint("1;32", text)
    }

    /// Red.
    pub fn bad(&self, text: &str) -> String {
        self.paint("1;31", text)
    }

    /// Yellow.
    pub fn error(&self, text: &str) -> String {
        self.paint("1;33", text)
    }

    /// Dim.
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// Bold.
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// A status word, padded and colored.
    pub fn status(&self, status: super::Status) -> String {
        match status {
            super::Status::Pass => self.good("PASS "),
            super::Status::Fail => self.bad("FAIL "),
            super::Status::Error => self.error("ERROR"),
        }
    }

    /// A verdict line.
    pub fn verdict(&self, verdict: super::Verdict) -> String {
        match verdict {
            super::Verdict::Go => self.good("GO"),
            super::Verdict::NoGo => self.bad("NO-GO"),
            super::Verdict::Error => self.error("ERROR"),
        }
    }
}
