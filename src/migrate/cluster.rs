//! Statements that change a whole database server rather than one
//! database: roles and users, memberships, database-level settings and
//! grants, tablespaces. Replaying them on a scratch database of the live
//! server would change the live server, so preflight refuses to unless the
//! scratch database is on a server of its own (`--scratch-url`). Pure.

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
    "ON * *",
];

/// The first server-wide statement in a migration's SQL, as the words that
/// matched (`CREATE ROLE`, `GRANT … TO` for a role membership). Text inside
/// literals and comments counts too: a `DO` block's `EXECUTE 'CREATE ROLE
/// …'` is as server-wide as the statement itself.
pub fn server_wide(sql: &str) -> Option<String> {
    let words: String = sql
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == ';' || c == '*' {
                c.to_ascii_uppercase()
            } else {
                ' '
            }
        })
        .collect();
    for statement in words.split(';') {
        let tokens: Vec<&str> = statement.split_whitespace().collect();
        for found in SERVER_WIDE {
            let pattern: Vec<&str> = found.split(' ').collect();
            if tokens
                .windows(pattern.len())
                .any(|w| w == pattern.as_slice())
            {
                return Some(found.to_string());
            }
        }
        // `GRANT role TO user` / `REVOKE role FROM user`: a membership,
        // server-wide; a privilege grant has `ON` before `TO`/`FROM`.
        for (verb, to) in [("GRANT", "TO"), ("REVOKE", "FROM")] {
            for (i, _) in tokens.iter().enumerate().filter(|(_, t)| **t == verb) {
                let rest = &tokens[i + 1..];
                if let Some(end) = rest.iter().position(|t| *t == to)
                    && !rest[..end].contains(&"ON")
                    && end > 0
                {
                    return Some(format!("{verb} … {to} (a role membership)"));
                }
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
        ] {
            assert!(server_wide(sql).is_some(), "{sql}");
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
            assert_eq!(server_wide(sql), None, "{sql}");
        }
    }
}
