//! A sqlx migrations folder: `<version>_<description>.sql`, or
//! `<version>_<description>.up.sql` / `.down.sql` pairs, each with sqlx's own
//! checksum (SHA-384 of the file) computed when the folder is read.

use super::MigrateError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One migration version as the folder holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMigration {
    pub version: i64,
    /// As sqlx stores it: underscores become spaces.
    pub description: String,
    /// The SQL that migrates up (the `.sql` or `.up.sql` file).
    pub up: String,
    /// The SQL that migrates down, for reversible migrations.
    pub down: Option<String>,
    /// sqlx's checksum of `up`: SHA-384.
    pub checksum: Vec<u8>,
    /// The file holding `up`.
    pub file: String,
}

/// How a file name reads, or why it is not a migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// Not of the form `<x>_<y>.sql`: sqlx ignores it, and so do we.
    Ignored,
    /// A migration file: version, description, direction.
    Migration {
        version: i64,
        description: String,
        kind: Kind,
    },
}

/// Which file of a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Simple,
    Up,
    Down,
}

/// Reads a file name the way sqlx does; a name sqlx rejects (a version that
/// is not an integer) is an error naming the file.
pub fn parse_name(name: &str) -> Result<Name, String> {
    let Some((version, rest)) = name.split_once('_') else {
        return Ok(Name::Ignored);
    };
    if !rest.ends_with(".sql") {
        return Ok(Name::Ignored);
    }
    let version: i64 = version.parse().map_err(|_| {
        format!("`{name}`: the version before `_` must be an integer (as in `20240101120000_create_users.sql`)")
    })?;
    let (stem, kind) = if let Some(s) = rest.strip_suffix(".up.sql") {
        (s, Kind::Up)
    } else if let Some(s) = rest.strip_suffix(".down.sql") {
        (s, Kind::Down)
    } else {
        (rest.strip_suffix(".sql").unwrap_or(rest), Kind::Simple)
    };
    Ok(Name::Migration {
        version,
        description: stem.replace('_', " "),
        kind,
    })
}

/// sqlx's checksum of a migration's SQL.
pub fn checksum(sql: &str) -> Vec<u8> {
    sqlx_checksum(sql)
}

#[cfg(feature = "db")]
fn sqlx_checksum(sql: &str) -> Vec<u8> {
    sqlx::migrate::Migration::new(
        0,
        "".into(),
        sqlx::migrate::MigrationType::Simple,
        sqlx::SqlSafeStr::into_sql_str(sqlx::AssertSqlSafe(sql.to_string())),
        false,
    )
    .checksum
    .to_vec()
}

#[cfg(not(feature = "db"))]
fn sqlx_checksum(sql: &str) -> Vec<u8> {
    use sha2::{Digest, Sha384};
    Sha384::digest(sql.as_bytes()).to_vec()
}

/// Builds the migrations from `(file name, contents)` pairs. Pure: the same
/// files give the same migrations, sorted by version.
pub fn from_files(
    dir: &str,
    files: &[(String, String)],
) -> Result<Vec<LocalMigration>, MigrateError> {
    let bad = |file: &str, message: String| MigrateError::BadMigrationFile {
        path: PathBuf::from(dir).join(file),
        message,
    };
    struct Parts {
        description: String,
        simple: Option<(String, String)>,
        up: Option<(String, String)>,
        down: Option<(String, String)>,
    }
    let mut by_version: BTreeMap<i64, Parts> = BTreeMap::new();
    for (name, contents) in files {
        let Name::Migration {
            version,
            description,
            kind,
        } = parse_name(name).map_err(|m| bad(name, m))?
        else {
            continue;
        };
        let entry = by_version.entry(version).or_insert_with(|| Parts {
            description: description.clone(),
            simple: None,
            up: None,
            down: None,
        });
        let slot = match kind {
            Kind::Simple => &mut entry.simple,
            Kind::Up => &mut entry.up,
            Kind::Down => &mut entry.down,
        };
        if let Some((other, _)) = slot.as_ref() {
            return Err(bad(
                name,
                format!("version {version} is also used by `{other}`"),
            ));
        }
        *slot = Some((name.clone(), contents.clone()));
    }
    let mut out = Vec::new();
    for (version, parts) in by_version {
        let (file, up, down) = match (parts.simple, parts.up, parts.down) {
            (Some((f, sql)), None, None) => (f, sql, None),
            (None, Some((f, up)), Some((_, down))) => (f, up, Some(down)),
            (Some((f, _)), Some((other, _)), _) | (Some((f, _)), None, Some((other, _))) => {
                return Err(bad(
                    &f,
                    format!("version {version} is also used by `{other}`"),
                ));
            }
            // sqlx applies a lone `.up.sql` (a reversible migration whose
            // down was never written) and never applies a lone `.down.sql`.
            (None, Some((f, up)), None) => (f, up, None),
            (None, None, Some(_)) => continue,
            (None, None, None) => continue,
        };
        out.push(LocalMigration {
            version,
            description: parts.description,
            checksum: checksum(&up),
            up,
            down,
            file,
        });
    }
    Ok(out)
}

/// Reads a migrations folder.
pub fn read_dir(dir: &Path) -> Result<Vec<LocalMigration>, MigrateError> {
    let shown = dir.display().to_string();
    let bad = |message: String| MigrateError::BadMigrationFile {
        path: dir.to_path_buf(),
        message,
    };
    let entries = std::fs::read_dir(dir).map_err(|e| {
        bad(format!(
            "cannot read the migrations folder: {}",
            crate::model::source::io_message(&e)
        ))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| bad(crate::model::source::io_message(&e)))?;
        if !entry.path().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        if !matches!(parse_name(&name), Ok(Name::Migration { .. }) | Err(_)) {
            continue;
        }
        let contents = crate::model::source::read_regular_text(&entry.path()).map_err(|e| {
            MigrateError::BadMigrationFile {
                path: entry.path(),
                message: format!("cannot read: {e}"),
            }
        })?;
        files.push((name, contents));
    }
    files.sort();
    from_files(&shown, &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<(String, String)> {
        names
            .iter()
            .map(|n| (n.to_string(), format!("-- {n}\n")))
            .collect()
    }

    #[test]
    fn names_read_like_sqlx() {
        assert_eq!(
            parse_name("20240101_create_users.up.sql").unwrap(),
            Name::Migration {
                version: 20240101,
                description: "create users".into(),
                kind: Kind::Up
            }
        );
        assert_eq!(parse_name("README.md").unwrap(), Name::Ignored);
        assert_eq!(parse_name("1.sql").unwrap(), Name::Ignored);
        assert!(parse_name("v1_create.sql").is_err());
    }

    #[test]
    fn versions_are_unique_and_pairs_complete() {
        let ok = from_files("m", &files(&["1_a.sql", "2_b.up.sql", "2_b.down.sql"])).unwrap();
        assert_eq!(ok.len(), 2);
        assert!(ok[1].down.is_some());
        assert!(from_files("m", &files(&["1_a.sql", "1_b.sql"])).is_err());
        assert!(from_files("m", &files(&["1_a.sql", "1_a.up.sql", "1_a.down.sql"])).is_err());
        // A folder sqlx accepts is accepted (issue 15): a lone up applies, a
        // lone down is never applied.
        let lone = from_files("m", &files(&["3_c.up.sql", "4_d.down.sql"])).unwrap();
        assert_eq!(lone.len(), 1);
        assert_eq!((lone[0].version, lone[0].down.is_none()), (3, true));
    }

    #[test]
    fn checksum_is_sha384_of_the_file() {
        use sha2::{Digest, Sha384};
        assert_eq!(
            checksum("create table t (x int);"),
            Sha384::digest(b"create table t (x int);").to_vec()
        );
    }
}
