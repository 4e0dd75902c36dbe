//! Database URLs: which engine a URL names, and its redacted form. Every
//! message about a database shows the URL without its password.

use super::super::MigrateError;
use sqlx::mysql::MySqlConnectOptions;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;

/// The kind of database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SQLite (`sqlite:`).
    Sqlite,
    /// PostgreSQL (`postgres:` or `postgresql:`).
    Postgres,
    /// MySQL or MariaDB (`mysql:` or `mariadb:`).
    MySql,
}

/// A database URL, kept with its redacted form for messages.
#[derive(Clone)]
pub struct DbUrl {
    /// The kind of database the URL names.
    pub kind: Kind,
    pub(super) url: String,
    /// The URL with its password replaced by `***`.
    pub shown: String,
    password: Option<String>,
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DbUrl({})", self.shown)
    }
}

/// The URL as messages show it: no userinfo, query or fragment, however
/// the URL is spelled (`crate::redact::url`).
pub fn redact(url: &str) -> String {
    crate::redact::url(url)
}

/// The password of a URL's userinfo, however spelled: everything between
/// the first `:` after the scheme's slashes and the last `@`; or, when the
/// `:` is percent-encoded (`user%3Asecret@`), what follows it once decoded
/// (a driver echoes that user name, secret and all).
fn password_of(url: &str) -> Option<String> {
    let scheme_end = url.find(':')?;
    let rest = &url[scheme_end + 1..];
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let at = rest.rfind('@')?;
    let userinfo = &rest[..at];
    let password = match userinfo.split_once(':') {
        Some((_, p)) => p.to_string(),
        None => {
            let decoded = percent_encoding::percent_decode_str(userinfo).decode_utf8_lossy();
            decoded.split_once(':')?.1.to_string()
        }
    };
    (!password.is_empty()).then_some(password)
}

/// A driver's message without a server's own source line (`at line 948`),
/// which says nothing about the migration file or the URL.
pub(super) fn cut_source_line(message: &str) -> String {
    match message.split_once(" at line ") {
        Some((head, tail)) if tail.starts_with(|c: char| c.is_ascii_digit()) => head.to_string(),
        _ => message.to_string(),
    }
}

impl DbUrl {
    /// Parses a URL: `sqlite:`, `postgres:`/`postgresql:`, `mysql:`/`mariadb:`.
    pub fn parse(url: &str) -> Result<DbUrl, MigrateError> {
        let shown = redact(url);
        let bad = |message: &str| MigrateError::BadUrl {
            url: shown.clone(),
            message: message.to_string(),
        };
        // Only a real `scheme:` is a scheme: a key=value connection string
        // (with its password) is never echoed as one.
        let scheme = url
            .split_once(':')
            .map(|(s, _)| s)
            .filter(|s| {
                s.starts_with(|c: char| c.is_ascii_alphabetic())
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
            })
            .unwrap_or_default()
            .to_ascii_lowercase();
        let (kind, url) = match scheme.as_str() {
            "sqlite" => (Kind::Sqlite, url.to_string()),
            "postgres" | "postgresql" => (Kind::Postgres, url.to_string()),
            "mysql" => (Kind::MySql, url.to_string()),
            "mariadb" => (Kind::MySql, format!("mysql{}", &url["mariadb".len()..])),
            "" => {
                return Err(bad(
                    "no scheme; expected `sqlite:`, `postgres:` or `mysql:`",
                ));
            }
            other => {
                return Err(bad(&format!(
                    "unsupported scheme `{other}`; expected `sqlite:`, `postgres:` or `mysql:`"
                )));
            }
        };
        let parsed = match kind {
            Kind::Sqlite => SqliteConnectOptions::from_str(&url).map(|_| ()),
            Kind::Postgres => PgConnectOptions::from_str(&url).map(|_| ()),
            Kind::MySql => MySqlConnectOptions::from_str(&url).map(|_| ()),
        };
        let password = password_of(&url);
        parsed.map_err(|e| bad(&scrub(&e.to_string(), password.as_deref())))?;
        Ok(DbUrl {
            kind,
            url,
            shown,
            password,
        })
    }

    /// Whether two server URLs may name the same server: the same port
    /// (by default the engine's) on the same host, every loopback name and
    /// a local socket counting as one host. When in doubt, the same.
    pub fn same_server(&self, other: &DbUrl) -> bool {
        let place = |u: &DbUrl| {
            let parsed = url::Url::parse(&u.url).ok();
            let default_port = match u.kind {
                Kind::Postgres => 5432,
                Kind::MySql => 3306,
                Kind::Sqlite => 0,
            };
            let host = parsed
                .as_ref()
                .and_then(|p| {
                    p.host_str()
                        .map(|h| h.trim_matches(['[', ']']).to_ascii_lowercase())
                })
                .unwrap_or_default();
            let local = host.is_empty()
                || host == "localhost"
                || host.starts_with("127.")
                || host == "::1"
                || host.ends_with(".localhost");
            let port = parsed.and_then(|p| p.port()).unwrap_or(default_port);
            (if local { "localhost".to_string() } else { host }, port)
        };
        self.kind == other.kind && place(self) == place(other)
    }

    pub(super) fn scrub(&self, message: &str) -> String {
        scrub(message, self.password.as_deref())
    }

    pub(super) fn unreachable(&self, message: &str) -> MigrateError {
        MigrateError::Unreachable {
            url: self.shown.clone(),
            message: self.scrub(message),
        }
    }

    pub(super) fn database(&self, message: &str) -> MigrateError {
        MigrateError::Database {
            url: self.shown.clone(),
            message: self.scrub(message),
        }
    }
}

/// A message without the password in it, should a driver ever echo it,
/// and without a server's source line.
fn scrub(message: &str, password: Option<&str>) -> String {
    let message = &cut_source_line(message);
    match password {
        Some(p) if p.len() >= 3 => {
            let decoded = url::form_urlencoded::parse(format!("p={p}").as_bytes())
                .next()
                .map(|(_, v)| v.to_string())
                .unwrap_or_default();
            let mut out = message.replace(p, "***");
            if decoded.len() >= 3 {
                out = out.replace(&decoded, "***");
            }
            out
        }
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://***@h:5432/db"
        );
        assert_eq!(redact("mysql://root@h/db"), "mysql://***@h/db");
        assert_eq!(
            redact("postgres://h/db?user=u&password=secret"),
            "postgres://h/db?…"
        );
        assert_eq!(
            password_of("postgres://u:p%40ss@h/db").as_deref(),
            Some("p%40ss")
        );
        // Issue 14: `/`, `#`, `?` or `@` in the password, or no `//`.
        for url in [
            "postgres://u:se/cr#et@h/db",
            "postgres://u:se?cret@h/db",
            "postgres://u:s@cret@h/db",
            "postgres:u:secret@h/db",
            // The attack review: a percent-encoded `:` made the secret part
            // of the user name, which the server echoes.
            "postgres://u%3Asecret@h/db",
        ] {
            assert!(!redact(url).contains("cr"), "{url}: {}", redact(url));
            let p = password_of(url).unwrap();
            assert!(!scrub(&format!("error near {p}"), Some(&p)).contains(&p));
        }
    }

    #[test]
    fn the_same_server_is_recognized_however_named() {
        let u = |s: &str| DbUrl::parse(s).unwrap();
        let live = u("postgres://app@127.0.0.1:5432/prod");
        assert!(live.same_server(&u("postgres://postgres@localhost/scratch")));
        assert!(live.same_server(&u("postgresql://x@[::1]:5432/y")));
        assert!(!live.same_server(&u("postgres://x@127.0.0.1:5433/y")));
        assert!(!live.same_server(&u("postgres://x@scratch.internal/y")));
        assert!(!live.same_server(&u("mysql://x@127.0.0.1/y")));
    }
}
