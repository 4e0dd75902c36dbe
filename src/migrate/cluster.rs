//! Statements that change a whole database server rather than one
//! database: roles and users, memberships, database-level settings and
//! grants, tablespaces. Replaying them on a scratch database of the live
//! server would change the live server, so preflight refuses to unless the
//! scratch database is on a server of its own (`--scratch-url`). Pure.

use super::statements::{Lexer, without_comments};

/// Word sequences that name a server-wide change, in uppercase.
const SERVER_WIDE: [&str; 24] = [
    "CREATE ROLE",
    "ALTER ROLE",
    "DROP ROLE",
    "CREATE USER",
    "ALTER USER",
    "DROP USER",
    "RENAME USER",
    "CREATE GROUP",
    "ALTER GROUP",
    "DROP GROUP",
    "CREATE DATABASE",
    "ALTER DATABASE",
    "DROP DATABASE",
    "ON DATABASE",
    "ON ROLE",
    "TABLESPACE",
    "ALTER SYSTEM",
    "REASSIGN OWNED",
    "SET PASSWORD",
    "IDENTIFIED BY",
    "IDENTIFIED WITH",
    "SET DEFAULT ROLE",
    "FLUSH PRIVILEGES",
    "ON * . *",
];

/// More that changes a whole MySQL/MariaDB server (or another database
/// than the scratch one): `USE`, schemas (databases), global variables,
/// servers, plugins, replication, dynamic SQL.
const MYSQL_SERVER_WIDE: [&str; 40] = [
    "USE",
    "REPLACE USER",
    "REPLACE ROLE",
    "EXECUTE IMMEDIATE",
    "GLOBAL",
    "INTO OUTFILE",
    "INTO DUMPFILE",
    "LOAD DATA",
    "LOAD XML",
    "SHUTDOWN",
    "KILL",
    "FLUSH",
    "START SLAVE",
    "STOP SLAVE",
    "START REPLICA",
    "STOP REPLICA",
    "RESET",
    "BINLOG",
    "SONAME",
    "RESTART",
    "CREATE SCHEMA",
    "ALTER SCHEMA",
    "DROP SCHEMA",
    "SET GLOBAL",
    "SET PERSIST",
    "SET PERSIST_ONLY",
    "CREATE SERVER",
    "REPLACE SERVER",
    "ALTER SERVER",
    "DROP SERVER",
    "INSTALL PLUGIN",
    "UNINSTALL PLUGIN",
    "INSTALL SONAME",
    "UNINSTALL SONAME",
    "PURGE",
    "CHANGE MASTER",
    "CHANGE REPLICATION",
    "PREPARE",
    "PROXY ON",
    "RESET MASTER",
];

/// Which server the statements are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    MySql,
}

/// The first server-wide statement in a migration's SQL, as the words that
/// matched (`CREATE ROLE`, `GRANT … TO` for a role membership, `` `db`. ``
/// for a name qualified with another database of the server). Text inside
/// literals and comments counts too: a `DO` block's `EXECUTE 'CREATE ROLE
/// …'` is as server-wide as the statement itself, and a comment is never
/// a statement boundary (`ALTER /*;*/ ROLE`). `databases` are the
/// server's databases, for MySQL.
pub fn server_wide(sql: &str, dialect: Dialect, databases: &[String]) -> Option<String> {
    let lexer = match dialect {
        Dialect::Postgres => Lexer::Postgres,
        Dialect::MySql => Lexer::MySql,
    };
    // Read twice: as written (comment text counts, so nothing hides in a
    // literal our lexer misreads) and without comments (`ALTER /*x*/ ROLE`).
    scan(sql, dialect, databases)
        .or_else(|| scan(&without_comments(sql, lexer), dialect, databases))
}

/// PostgreSQL statements that reach past the transaction a replay runs in:
/// another connection (`dblink`), a program or file on the server
/// (`COPY … TO PROGRAM`, `lo_export`, `pg_file_write`).
pub fn side_channel(sql: &str) -> Option<String> {
    [sql.to_string(), without_comments(sql, Lexer::Postgres)]
        .iter()
        .find_map(|text| {
            let tokens = tokens(text);
            tokens.iter().enumerate().find_map(|(i, t)| {
                let program =
                    *t == "PROGRAM" && i > 0 && matches!(tokens[i - 1].as_str(), "TO" | "FROM");
                (t.starts_with("DBLINK")
                    || program
                    || t.starts_with("LO_EXPORT")
                    || t.starts_with("PG_FILE_WRITE"))
                .then(|| t.to_string())
            })
        })
}

/// Uppercased words, with `.` and `*.*` stars as tokens of their own.
fn tokens(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut text = String::with_capacity(sql.len());
    for (i, &c) in chars.iter().enumerate() {
        // `*` counts only beside a `.` (`*.*`): in `/*;*/` it is a comment.
        let star =
            c == '*' && (chars.get(i + 1) == Some(&'.') || i > 0 && chars.get(i - 1) == Some(&'.'));
        if c.is_alphanumeric() || c == '_' || c == '$' {
            text.push(c.to_ascii_uppercase());
        } else if star || c == '.' {
            text.push(' ');
            text.push(c);
            text.push(' ');
        } else {
            text.push(' ');
        }
    }
    text.split_whitespace().map(str::to_string).collect()
}

fn scan(sql: &str, dialect: Dialect, databases: &[String]) -> Option<String> {
    let owned = tokens(sql);
    let tokens: Vec<&str> = owned.iter().map(String::as_str).collect();
    let has = |found: &str| {
        let pattern: Vec<&str> = found.split(' ').collect();
        tokens
            .windows(pattern.len())
            .any(|w| w == pattern.as_slice())
    };
    let extra: &[&str] = match dialect {
        Dialect::Postgres => &[],
        Dialect::MySql => &MYSQL_SERVER_WIDE,
    };
    for found in SERVER_WIDE.iter().chain(extra) {
        let pattern: Vec<&str> = found.split(' ').collect();
        let hit = tokens.windows(pattern.len()).enumerate().any(|(i, w)| {
            w == pattern.as_slice()
                // A user mapping belongs to one database.
                && !(pattern.ends_with(&["USER"]) && tokens.get(i + pattern.len()) == Some(&"MAPPING"))
                // `USE INDEX` / `USE KEY` are index hints.
                && !(*found == "USE"
                    && matches!(tokens.get(i + 1), Some(&"INDEX") | Some(&"KEY")))
        });
        if hit {
            return Some(found.to_string());
        }
    }
    if dialect == Dialect::MySql {
        let skip = ["INFORMATION_SCHEMA", "PERFORMANCE_SCHEMA", "SYS"];
        for db in databases {
            let db = db.to_uppercase();
            if !skip.contains(&db.as_str()) && has(&format!("{db} .")) {
                return Some(format!(
                    "{} . (a name in another database)",
                    db.to_lowercase()
                ));
            }
        }
    }
    // `GRANT role TO user` / `REVOKE role FROM user`: a membership,
    // server-wide; a privilege grant has `ON` before `TO`/`FROM`.
    for (verb, to) in [("GRANT", "TO"), ("REVOKE", "FROM")] {
        for (i, _) in tokens.iter().enumerate().filter(|(_, t)| **t == verb) {
            let rest = &tokens[i + 1..];
            if let Some(end) = rest.iter().position(|t| *t == to)
                && end > 0
                && !rest[..end].contains(&"ON")
            {
                return Some(format!("{verb} … {to} (a role membership)"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_wide_statements_are_found() {
        for sql in [
            "CREATE ROLE app;",
            "create  role\napp",
            "DO $$ BEGIN EXECUTE 'CREATE ROLE ' || 'x'; END $$;",
            "ALTER ROLE app CONNECTION LIMIT 5;",
            "GRANT admin TO app;",
            "GRANT admin, auditor TO app WITH ADMIN OPTION;",
            "REVOKE admin FROM app;",
            "GRANT CONNECT ON DATABASE prod TO app;",
            "ALTER DATABASE prod SET row_security = off;",
            "CREATE USER 'app'@'%' IDENTIFIED BY 'x';",
            "GRANT ALL ON *.* TO 'app'@'%';",
            "CREATE TABLE t (id int) TABLESPACE fast;",
            // The second attack review: a comment is no statement boundary.
            "ALTER /*;*/ ROLE app CONNECTION LIMIT 3;",
            "GRANT /*;*/ admin TO app;",
        ] {
            assert!(server_wide(sql, Dialect::Postgres, &[]).is_some(), "{sql}");
        }
    }

    #[test]
    fn database_statements_are_not() {
        for sql in [
            "CREATE TABLE users (id INTEGER PRIMARY KEY, role TEXT);",
            "GRANT SELECT ON docs TO app;",
            "GRANT USAGE ON SCHEMA billing TO PUBLIC;",
            "REVOKE ALL ON docs FROM PUBLIC;",
            "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app;",
            "CREATE POLICY p ON docs TO app USING (true);",
            "CREATE INDEX users_role ON users (role);",
            "INSERT INTO grants (who) VALUES ('to');",
        ] {
            assert_eq!(server_wide(sql, Dialect::Postgres, &[]), None, "{sql}");
        }
        // A user mapping belongs to one database.
        assert_eq!(
            server_wide(
                "CREATE USER MAPPING FOR app SERVER s;",
                Dialect::Postgres,
                &[]
            ),
            None
        );
    }

    #[test]
    fn mysql_server_wide_statements_are_found() {
        let dbs = ["live".to_string(), "side".to_string(), "mysql".to_string()];
        for sql in [
            "USE live; INSERT INTO t VALUES (1);",
            "CREATE SCHEMA IF NOT EXISTS side;",
            "INSERT INTO side.log VALUES (1);",
            "INSERT INTO `live`.`t` VALUES (1);",
            "SET GLOBAL max_connect_errors = 4321;",
            "SET @@global.max_connect_errors = 1;",
            "CREATE OR REPLACE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'h');",
            "GRANT SELECT ON mysql.* TO 'app'@'%';",
            "INSTALL SONAME 'ha_connect';",
            "PREPARE s FROM @sql;",
        ] {
            assert!(server_wide(sql, Dialect::MySql, &dbs).is_some(), "{sql}");
        }
        for sql in [
            "CREATE TABLE t (id INT, side INT);",
            "SELECT t.id FROM t USE INDEX (ix) WHERE t.side = 1;",
            "GRANT SELECT ON t TO 'app'@'%';",
            "SELECT * FROM information_schema.tables;",
        ] {
            assert_eq!(server_wide(sql, Dialect::MySql, &dbs), None, "{sql}");
        }
    }
}
