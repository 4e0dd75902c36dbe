//! Databases by URL: SQLite, PostgreSQL, MySQL/MariaDB. Live connections are
//! read-only; scratch databases are created and dropped by gonogo. Every
//! message shows the URL without its password.

use super::MigrateError;
use super::findings::AppliedMigration;
use super::schema::{Column, Index, Schema, Table, normalize_sql};
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Row};
use std::str::FromStr;
use std::time::Duration;

/// How long connecting may take before the database counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// The kind of database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
    MySql,
}

/// A database URL, kept with its redacted form for messages.
#[derive(Clone)]
pub struct DbUrl {
    pub kind: Kind,
    url: String,
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
/// the first `:` after the scheme's slashes and the last `@`.
fn password_of(url: &str) -> Option<String> {
    let scheme_end = url.find(':')?;
    let rest = &url[scheme_end + 1..];
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let at = rest.rfind('@')?;
    let (_, password) = rest[..at].split_once(':')?;
    (!password.is_empty()).then(|| password.to_string())
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

    fn scrub(&self, message: &str) -> String {
        scrub(message, self.password.as_deref())
    }

    fn unreachable(&self, message: &str) -> MigrateError {
        MigrateError::Unreachable {
            url: self.shown.clone(),
            message: self.scrub(message),
        }
    }

    fn database(&self, message: &str) -> MigrateError {
        MigrateError::Database {
            url: self.shown.clone(),
            message: self.scrub(message),
        }
    }
}

/// A message without the password in it, should a driver ever echo it.
fn scrub(message: &str, password: Option<&str>) -> String {
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

/// An open connection.
pub enum Conn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
    MySql(MySqlConnection),
}

async fn timed<T, E: std::fmt::Display>(
    url: &DbUrl,
    fut: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, MigrateError> {
    match tokio::time::timeout(CONNECT_TIMEOUT, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(url.unreachable(&e.to_string())),
        Err(_) => {
            Err(url.unreachable(&format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())))
        }
    }
}

/// Connects to the live database, read-only: preflight never writes to it.
/// A SQLite file that does not exist is unreachable (it is not created).
pub async fn connect_live(url: &DbUrl) -> Result<Conn, MigrateError> {
    let conn = match url.kind {
        Kind::Sqlite => {
            let opts = SqliteConnectOptions::from_str(&url.url)
                .map_err(|e| url.unreachable(&e.to_string()))?
                .read_only(true)
                .create_if_missing(false);
            Conn::Sqlite(timed(url, opts.connect()).await?)
        }
        Kind::Postgres | Kind::MySql => {
            let mut c = connect_server(url, None).await?;
            let read_only = if url.kind == Kind::Postgres {
                "-- no-transaction\nSET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
            } else {
                "-- no-transaction\nSET SESSION TRANSACTION READ ONLY"
            };
            c.execute(read_only).await.map_err(|e| url.database(&e))?;
            c
        }
    };
    Ok(conn)
}

impl Conn {
    /// Closes the connection.
    pub async fn close(self) {
        let _ = match self {
            Conn::Sqlite(c) => c.close().await,
            Conn::Postgres(c) => c.close().await,
            Conn::MySql(c) => c.close().await,
        };
    }

    async fn rows(
        &mut self,
        url: &DbUrl,
        sql: String,
    ) -> Result<Vec<Vec<Option<String>>>, MigrateError> {
        // Every introspection query selects text columns only.
        let sql = AssertSqlSafe(sql);
        let err = |e: sqlx::Error| url.database(&e.to_string());
        Ok(match self {
            Conn::Sqlite(c) => texts(&sqlx::query(sql).fetch_all(c).await.map_err(err)?),
            Conn::Postgres(c) => texts(&sqlx::query(sql).fetch_all(c).await.map_err(err)?),
            Conn::MySql(c) => texts(&sqlx::query(sql).fetch_all(c).await.map_err(err)?),
        })
    }

    /// Runs migration SQL (several statements), in a transaction where the
    /// database has transactional DDL, unless it starts `-- no-transaction`.
    pub async fn execute(&mut self, sql: &str) -> Result<(), String> {
        let tx = !sql.starts_with("-- no-transaction");
        let run = |s: String| sqlx::raw_sql(AssertSqlSafe(s));
        let result = match self {
            Conn::Sqlite(c) if tx => {
                let mut t = c.begin().await.map_err(|e| e.to_string())?;
                run(sql.to_string())
                    .execute(&mut *t)
                    .await
                    .map_err(|e| e.to_string())?;
                t.commit().await
            }
            Conn::Postgres(c) if tx => {
                let mut t = c.begin().await.map_err(|e| e.to_string())?;
                run(sql.to_string())
                    .execute(&mut *t)
                    .await
                    .map_err(|e| e.to_string())?;
                t.commit().await
            }
            Conn::Sqlite(c) => run(sql.to_string()).execute(c).await.map(|_| ()),
            Conn::Postgres(c) => run(sql.to_string()).execute(c).await.map(|_| ()),
            Conn::MySql(c) => run(sql.to_string()).execute(c).await.map(|_| ()),
        };
        result.map_err(|e| e.to_string())
    }

    /// The rows of `_sqlx_migrations`, or none when the table does not exist.
    pub async fn applied(&mut self, url: &DbUrl) -> Result<Vec<AppliedMigration>, MigrateError> {
        let exists_sql = match self {
            Conn::Sqlite(_) => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Conn::Postgres(_) => {
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
            }
            Conn::MySql(_) => {
                "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_sqlx_migrations'"
            }
        };
        if self.rows(url, exists_sql.to_string()).await?.is_empty() {
            return Ok(Vec::new());
        }
        let sql =
            "SELECT version, description, success, checksum FROM _sqlx_migrations ORDER BY version";
        let err = |e: sqlx::Error| url.database(&e.to_string());
        macro_rules! read {
            ($c:expr) => {{
                let rows = sqlx::query(sql).fetch_all($c).await.map_err(err)?;
                let mut out = Vec::new();
                for r in &rows {
                    out.push(AppliedMigration {
                        version: r.try_get("version").map_err(err)?,
                        description: r.try_get("description").map_err(err)?,
                        success: r.try_get("success").map_err(err)?,
                        checksum: r.try_get("checksum").map_err(err)?,
                    });
                }
                out
            }};
        }
        Ok(match self {
            Conn::Sqlite(c) => read!(c),
            Conn::Postgres(c) => read!(c),
            Conn::MySql(c) => read!(c),
        })
    }

    /// The normalized schema (tables, columns, keys, checks, indexes, views),
    /// without `_sqlx_migrations`.
    pub async fn schema(&mut self, url: &DbUrl) -> Result<Schema, MigrateError> {
        match self {
            Conn::Sqlite(_) => self.sqlite_schema(url).await,
            Conn::Postgres(_) => self.postgres_schema(url).await,
            Conn::MySql(_) => self.mysql_schema(url).await,
        }
    }

    async fn sqlite_schema(&mut self, url: &DbUrl) -> Result<Schema, MigrateError> {
        let mut schema = Schema::default();
        let tables = self
            .rows(
                url,
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name"
                    .into(),
            )
            .await?;
        for t in tables {
            let name = t[0].clone().unwrap_or_default();
            let q = quote_literal(&name);
            let mut table = Table::default();
            let cols = self
                .rows(
                    url,
                    format!(
                        "SELECT name, lower(type), CAST(\"notnull\" AS TEXT), dflt_value, CAST(pk AS TEXT) \
                         FROM pragma_table_info({q}) ORDER BY cid"
                    ),
                )
                .await?;
            let mut pk: Vec<(i64, String)> = Vec::new();
            for c in cols {
                let cname = c[0].clone().unwrap_or_default();
                let pk_pos: i64 = c[4].as_deref().unwrap_or("0").parse().unwrap_or(0);
                if pk_pos > 0 {
                    pk.push((pk_pos, cname.clone()));
                }
                table.columns.insert(
                    cname,
                    Column {
                        data_type: c[1].clone().unwrap_or_default(),
                        nullable: c[2].as_deref() != Some("1") && pk_pos == 0,
                        default: c[3].clone(),
                    },
                );
            }
            pk.sort();
            table.primary_key = pk.into_iter().map(|(_, c)| c).collect();
            let indexes = self
                .rows(
                    url,
                    format!(
                        "SELECT name, origin, CAST(\"unique\" AS TEXT) FROM pragma_index_list({q})"
                    ),
                )
                .await?;
            for ix in indexes {
                let iname = ix[0].clone().unwrap_or_default();
                let cols: Vec<String> = self
                    .rows(
                        url,
                        format!(
                            "SELECT name FROM pragma_index_info({}) ORDER BY seqno",
                            quote_literal(&iname)
                        ),
                    )
                    .await?
                    .into_iter()
                    .map(|r| r[0].clone().unwrap_or_default())
                    .collect();
                match ix[1].as_deref() {
                    Some("u") => {
                        table.uniques.insert(cols);
                    }
                    Some("c") => {
                        schema.indexes.insert(
                            iname,
                            Index {
                                table: name.clone(),
                                columns: cols,
                                unique: ix[2].as_deref() == Some("1"),
                            },
                        );
                    }
                    _ => {}
                }
            }
            let fks = self
                .rows(
                    url,
                    format!(
                        "SELECT CAST(id AS TEXT), \"table\", \"from\", \"to\" FROM pragma_foreign_key_list({q}) \
                         ORDER BY id, seq"
                    ),
                )
                .await?;
            let mut grouped: std::collections::BTreeMap<
                String,
                (Vec<String>, String, Vec<String>),
            > = Default::default();
            for f in fks {
                let entry = grouped
                    .entry(f[0].clone().unwrap_or_default())
                    .or_insert_with(|| (Vec::new(), f[1].clone().unwrap_or_default(), Vec::new()));
                entry.0.push(f[2].clone().unwrap_or_default());
                entry.2.push(f[3].clone().unwrap_or_default());
            }
            table.foreign_keys = grouped.into_values().collect();
            table.checks = sqlite_checks(t[1].as_deref().unwrap_or_default());
            schema.tables.insert(name, table);
        }
        for v in self
            .rows(
                url,
                "SELECT name, sql FROM sqlite_master WHERE type = 'view'".into(),
            )
            .await?
        {
            schema.views.insert(
                v[0].clone().unwrap_or_default(),
                normalize_sql(v[1].as_deref().unwrap_or_default()),
            );
        }
        // The text SQLite keeps of each table, index and trigger: generated
        // columns, partial and expression indexes, triggers, collations.
        for o in self
            .rows(
                url,
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL \
                 AND type IN ('table', 'index', 'trigger') \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
                    .into(),
            )
            .await?
        {
            let kind = o[0].clone().unwrap_or_default();
            let name = o[1].clone().unwrap_or_default();
            schema.objects.insert(
                format!("{kind} `{name}` (its SQL)"),
                normalize_sql(o[2].as_deref().unwrap_or_default()),
            );
        }
        Ok(schema)
    }

    /// Adds the (name, definition) rows of each query to `schema.objects`,
    /// labelled.
    async fn objects(
        &mut self,
        url: &DbUrl,
        queries: &[(&str, &str)],
        schema: &mut Schema,
    ) -> Result<(), MigrateError> {
        for (label, sql) in queries {
            for o in self.rows(url, sql.to_string()).await? {
                let name = o[0].clone().unwrap_or_default();
                schema.objects.insert(
                    format!("{label} `{name}`"),
                    normalize_sql(o[1].as_deref().unwrap_or_default()),
                );
            }
        }
        Ok(())
    }

    async fn postgres_schema(&mut self, url: &DbUrl) -> Result<Schema, MigrateError> {
        let mut schema = Schema::default();
        let cols = self
            .rows(
                url,
                "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), \
                 CASE WHEN a.attnotnull THEN '1' ELSE '0' END, pg_get_expr(d.adbin, d.adrelid) \
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
                 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 \
                 AND NOT a.attisdropped AND c.relname <> '_sqlx_migrations'"
                    .into(),
            )
            .await?;
        for c in cols {
            let table = schema
                .tables
                .entry(c[0].clone().unwrap_or_default())
                .or_default();
            table.columns.insert(
                c[1].clone().unwrap_or_default(),
                Column {
                    data_type: c[2].clone().unwrap_or_default().to_lowercase(),
                    nullable: c[3].as_deref() != Some("1"),
                    default: c[4].clone(),
                },
            );
        }
        let constraints = self
            .rows(
                url,
                "SELECT c.relname::text, con.contype::text, pg_get_constraintdef(con.oid) \
                 FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = current_schema() AND c.relname <> '_sqlx_migrations' \
                 AND con.contype IN ('p', 'u', 'f', 'c')"
                    .into(),
            )
            .await?;
        for k in constraints {
            let Some(table) = schema.tables.get_mut(k[0].as_deref().unwrap_or_default()) else {
                continue;
            };
            let def = k[2].clone().unwrap_or_default();
            match k[1].as_deref() {
                Some("p") => table.primary_key = paren_list(&def),
                Some("u") => {
                    table.uniques.insert(paren_list(&def));
                }
                Some("f") => {
                    table.foreign_keys.insert(foreign_key(&def));
                }
                _ => {
                    table.checks.insert(normalize_sql(&def));
                }
            }
        }
        let indexes = self
            .rows(
                url,
                "SELECT i.relname::text, t.relname::text, CASE WHEN ix.indisunique THEN '1' ELSE '0' END, \
                 pg_get_indexdef(ix.indexrelid) \
                 FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
                 JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
                 WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations' \
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)"
                    .into(),
            )
            .await?;
        for ix in indexes {
            let def = ix[3].clone().unwrap_or_default();
            let columns = def
                .rfind('(')
                .map(|i| paren_list(&def[i..]))
                .unwrap_or_default();
            schema.indexes.insert(
                ix[0].clone().unwrap_or_default(),
                Index {
                    table: ix[1].clone().unwrap_or_default(),
                    columns,
                    unique: ix[2].as_deref() == Some("1"),
                },
            );
        }
        for v in self
            .rows(
                url,
                "SELECT viewname::text, definition FROM pg_views WHERE schemaname = current_schema()".into(),
            )
            .await?
        {
            schema.views.insert(
                v[0].clone().unwrap_or_default(),
                normalize_sql(v[1].as_deref().unwrap_or_default()),
            );
        }
        self.objects(url, &POSTGRES_OBJECTS, &mut schema).await?;
        Ok(schema)
    }

    async fn mysql_schema(&mut self, url: &DbUrl) -> Result<Schema, MigrateError> {
        let mut schema = Schema::default();
        let cols = self
            .rows(
                url,
                "SELECT CAST(c.TABLE_NAME AS CHAR), CAST(c.COLUMN_NAME AS CHAR), CAST(c.COLUMN_TYPE AS CHAR), \
                 CAST(c.IS_NULLABLE AS CHAR), CAST(c.COLUMN_DEFAULT AS CHAR), CAST(c.COLUMN_KEY AS CHAR) \
                 FROM information_schema.COLUMNS c JOIN information_schema.TABLES t \
                 ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME \
                 WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' \
                 AND c.TABLE_NAME <> '_sqlx_migrations' ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION"
                    .into(),
            )
            .await?;
        for c in cols {
            let table = schema
                .tables
                .entry(c[0].clone().unwrap_or_default())
                .or_default();
            table.columns.insert(
                c[1].clone().unwrap_or_default(),
                Column {
                    data_type: c[2].clone().unwrap_or_default().to_lowercase(),
                    nullable: c[3].as_deref() == Some("YES"),
                    default: c[4].clone(),
                },
            );
        }
        let keys = self
            .rows(
                url,
                "SELECT CAST(k.TABLE_NAME AS CHAR), CAST(k.CONSTRAINT_NAME AS CHAR), CAST(tc.CONSTRAINT_TYPE AS CHAR), \
                 CAST(k.COLUMN_NAME AS CHAR), CAST(k.REFERENCED_TABLE_NAME AS CHAR), CAST(k.REFERENCED_COLUMN_NAME AS CHAR) \
                 FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.TABLE_CONSTRAINTS tc \
                 ON tc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND tc.TABLE_NAME = k.TABLE_NAME \
                 AND tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
                 WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME <> '_sqlx_migrations' \
                 ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION"
                    .into(),
            )
            .await?;
        let mut fks: std::collections::BTreeMap<(String, String), ForeignKey> = Default::default();
        for k in keys {
            let tname = k[0].clone().unwrap_or_default();
            let Some(table) = schema.tables.get_mut(&tname) else {
                continue;
            };
            let column = k[3].clone().unwrap_or_default();
            match k[2].as_deref() {
                Some("PRIMARY KEY") => table.primary_key.push(column),
                Some("FOREIGN KEY") => {
                    let e = fks
                        .entry((tname, k[1].clone().unwrap_or_default()))
                        .or_insert_with(|| {
                            (Vec::new(), k[4].clone().unwrap_or_default(), Vec::new())
                        });
                    e.0.push(column);
                    e.2.push(k[5].clone().unwrap_or_default());
                }
                _ => {} // UNIQUE: a unique index, listed with the indexes
            }
        }
        for ((tname, _), fk) in fks {
            if let Some(t) = schema.tables.get_mut(&tname) {
                t.foreign_keys.insert(fk);
            }
        }
        // CHECK constraints (MariaDB 10.2+, MySQL 8.0.16+); absent elsewhere.
        if let Ok(checks) = self
            .rows(
                url,
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(CHECK_CLAUSE AS CHAR) FROM information_schema.CHECK_CONSTRAINTS \
                 WHERE CONSTRAINT_SCHEMA = DATABASE()"
                    .into(),
            )
            .await
        {
            for c in checks {
                if let Some(t) = schema.tables.get_mut(c[0].as_deref().unwrap_or_default()) {
                    t.checks.insert(normalize_sql(c[1].as_deref().unwrap_or_default()));
                }
            }
        }
        let stats = self
            .rows(
                url,
                "SELECT CAST(INDEX_NAME AS CHAR), CAST(TABLE_NAME AS CHAR), CAST(NON_UNIQUE AS CHAR), \
                 CAST(COLUMN_NAME AS CHAR) FROM information_schema.STATISTICS \
                 WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' AND TABLE_NAME <> '_sqlx_migrations' \
                 ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
                    .into(),
            )
            .await?;
        for s in stats {
            let tname = s[1].clone().unwrap_or_default();
            let key = format!("{tname}.{}", s[0].clone().unwrap_or_default());
            let ix = schema.indexes.entry(key).or_insert_with(|| Index {
                table: tname,
                columns: Vec::new(),
                unique: s[2].as_deref() == Some("0"),
            });
            ix.columns.push(s[3].clone().unwrap_or_default());
        }
        let db = self
            .rows(url, "SELECT CAST(DATABASE() AS CHAR)".into())
            .await?
            .first()
            .and_then(|r| r[0].clone())
            .unwrap_or_default();
        for v in self
            .rows(
                url,
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(VIEW_DEFINITION AS CHAR) FROM information_schema.VIEWS \
                 WHERE TABLE_SCHEMA = DATABASE()"
                    .into(),
            )
            .await?
        {
            // Definitions name the database; scratch and live databases differ.
            let def = v[1].clone().unwrap_or_default().replace(&format!("`{db}`."), "");
            schema.views.insert(v[0].clone().unwrap_or_default(), normalize_sql(&def));
        }
        self.objects(url, &MYSQL_OBJECTS, &mut schema).await?;
        Ok(schema)
    }
}

/// A foreign key: columns, referenced table, referenced columns.
type ForeignKey = (Vec<String>, String, Vec<String>);

/// `'text'` as an SQL string literal.
fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The names inside the first parenthesized list: `PRIMARY KEY (a, "b")` → `[a, b]`.
fn paren_list(def: &str) -> Vec<String> {
    let Some(open) = def.find('(') else {
        return Vec::new();
    };
    let close = def[open..].find(')').map_or(def.len(), |i| open + i);
    def[open + 1..close]
        .split(',')
        .map(|s| s.trim().trim_matches('"').trim_matches('`').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `FOREIGN KEY (a) REFERENCES t(b) ON DELETE CASCADE` as (columns, table
/// with its clauses, referenced columns).
fn foreign_key(def: &str) -> (Vec<String>, String, Vec<String>) {
    let cols = paren_list(def);
    let Some(r) = def.find("REFERENCES ") else {
        return (cols, def.to_string(), Vec::new());
    };
    let rest = &def[r + "REFERENCES ".len()..];
    let table_end = rest.find('(').unwrap_or(rest.len());
    let table = rest[..table_end].trim().trim_matches('"').to_string();
    let referenced = paren_list(&rest[table_end..]);
    let clauses = rest[table_end..]
        .find(')')
        .map_or("", |i| rest[table_end + i + 1..].trim());
    let table = if clauses.is_empty() {
        table
    } else {
        format!("{table} {}", clauses.to_lowercase())
    };
    (cols, table, referenced)
}

/// The `CHECK (…)` clauses of a SQLite `CREATE TABLE` statement.
fn sqlite_checks(sql: &str) -> std::collections::BTreeSet<String> {
    let lower = sql.to_lowercase();
    let bytes = lower.as_bytes();
    let mut out = std::collections::BTreeSet::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("check") {
        let start = from + i;
        from = start + 5;
        let before_ok =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('(') {
            continue;
        }
        let open = lower.len() - after.len();
        let mut depth = 0;
        for (j, ch) in lower[open..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        out.insert(normalize_sql(&sql[open..=open + j]));
                        from = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// A scratch database: a temporary SQLite file, or a database created on the
/// live server and dropped afterwards.
pub struct Scratch {
    pub conn: Conn,
    pub url: DbUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    File(#[allow(dead_code)] tempfile::TempDir),
    Server {
        admin: Box<Conn>,
        name: String,
        /// The interrupt cleanup that drops it if the command is stopped.
        on_interrupt: u64,
    },
}

/// A fresh scratch database of the same kind as `like` (SQLite when `None`).
pub async fn scratch(like: Option<&DbUrl>) -> Result<Scratch, MigrateError> {
    let name = format!("gonogo_scratch_{:016x}", crate::runner::random_seed());
    match like.map(|u| u.kind) {
        None | Some(Kind::Sqlite) => {
            let dir = tempfile::tempdir().map_err(|e| MigrateError::Database {
                url: "sqlite scratch".into(),
                message: e.to_string(),
            })?;
            let path = dir.path().join("scratch.db");
            let url = DbUrl::parse(&format!("sqlite://{}", path.display()))?;
            let conn = SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true)
                .foreign_keys(true)
                .connect()
                .await
                .map_err(|e| url.database(&e.to_string()))?;
            Ok(Scratch {
                conn: Conn::Sqlite(conn),
                url,
                cleanup: Cleanup::File(dir),
            })
        }
        Some(kind) => {
            let live = like.expect("a server url");
            let quoted = if kind == Kind::Postgres {
                format!("\"{name}\"")
            } else {
                format!("`{name}`")
            };
            // Ctrl-C or SIGTERM from here on: dropped (if it exists) from the
            // handler's thread on a connection of its own. Registered before
            // it is created, so no moment is left uncovered.
            let on_interrupt = {
                let live = live.clone();
                let sql = drop_sql(kind, &name);
                crate::targets::children::on_interrupt(Box::new(move || {
                    if let Ok(rt) = runtime() {
                        rt.block_on(async {
                            if let Ok(mut c) = connect_server(&live, None).await {
                                let _ = c.execute(&sql).await;
                                c.close().await;
                            }
                        });
                    }
                }))
            };
            // A separate connection creates and drops the scratch database:
            // the live session stays read-only.
            let mut admin = connect_server(live, None).await?;
            admin
                .execute(&format!("-- no-transaction\nCREATE DATABASE {quoted}"))
                .await
                .map_err(|e| {
                    crate::targets::children::forget_cleanup(on_interrupt);
                    live.database(&format!("cannot create a scratch database: {e}"))
                })?;
            let conn = match connect_server(live, Some(&name)).await {
                Ok(c) => c,
                Err(e) => {
                    let _ = admin
                        .execute(&format!(
                            "-- no-transaction\nDROP DATABASE IF EXISTS {quoted}"
                        ))
                        .await;
                    crate::targets::children::forget_cleanup(on_interrupt);
                    return Err(e);
                }
            };
            Ok(Scratch {
                conn,
                url: live.clone(),
                cleanup: Cleanup::Server {
                    admin: Box::new(admin),
                    name,
                    on_interrupt,
                },
            })
        }
    }
}

/// A connection to a PostgreSQL or MySQL server, to its URL's database or
/// to `database`.
async fn connect_server(url: &DbUrl, database: Option<&str>) -> Result<Conn, MigrateError> {
    let parse_err = |e: sqlx::Error| url.unreachable(&e.to_string());
    Ok(match url.kind {
        Kind::Postgres => {
            let mut opts = PgConnectOptions::from_str(&url.url).map_err(parse_err)?;
            if let Some(db) = database {
                opts = opts.database(db);
            }
            Conn::Postgres(timed(url, opts.connect()).await?)
        }
        Kind::MySql => {
            let mut opts = MySqlConnectOptions::from_str(&url.url).map_err(parse_err)?;
            if let Some(db) = database {
                opts = opts.database(db);
            }
            Conn::MySql(timed(url, opts.connect()).await?)
        }
        Kind::Sqlite => return Err(url.database("internal error: SQLite has no server")),
    })
}

impl Scratch {
    /// Closes the scratch connection and drops the scratch database.
    pub async fn drop_it(self) {
        self.conn.close().await;
        match self.cleanup {
            Cleanup::File(_) => {}
            Cleanup::Server {
                admin,
                name,
                on_interrupt,
            } => {
                let mut admin = *admin;
                let kind = match &admin {
                    Conn::Postgres(_) => Kind::Postgres,
                    _ => Kind::MySql,
                };
                let _ = admin.execute(&drop_sql(kind, &name)).await;
                admin.close().await;
                crate::targets::children::forget_cleanup(on_interrupt);
            }
        }
    }
}

/// A relation's ACL as owner-independent text: `owner`, `public` or the
/// role, `:` the privilege, `*` when grantable; `default` when never set.
macro_rules! pg_acl {
    ($acl:literal, $owner:literal) => {
        concat!(
            "coalesce((SELECT string_agg(e, ',' ORDER BY e) FROM (SELECT CASE WHEN x.grantee = ",
            $owner,
            " THEN 'owner' WHEN x.grantee = 0 THEN 'public' ELSE pg_get_userbyid(x.grantee)::text END \
             || ':' || x.privilege_type || CASE WHEN x.is_grantable THEN '*' ELSE '' END AS e \
             FROM aclexplode(",
            $acl,
            ") x) s), 'default')"
        )
    };
}

/// PostgreSQL objects beyond tables, each a query of (name, definition)
/// over every non-system schema (SPEC §7).
const POSTGRES_OBJECTS: [(&str, &str); 15] = [
    (
        "index",
        "SELECT n.nspname || '.' || i.relname, pg_get_indexdef(ix.indexrelid) \
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
         AND t.relname <> '_sqlx_migrations'",
    ),
    (
        "row-level security on",
        "SELECT n.nspname || '.' || c.relname, \
         CASE WHEN c.relrowsecurity THEN 'enabled' ELSE 'disabled' END \
         || CASE WHEN c.relforcerowsecurity THEN ', forced' ELSE '' END \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
         AND c.relkind IN ('r', 'p') AND c.relname <> '_sqlx_migrations'",
    ),
    (
        "policy",
        "SELECT schemaname || '.' || tablename || '.' || policyname, \
         permissive || ' for ' || cmd || ' to ' || array_to_string(roles, ',') \
         || ' using (' || coalesce(qual, '') || ') with check (' || coalesce(with_check, '') || ')' \
         FROM pg_policies WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    ),
    (
        "grants on",
        concat!(
            "SELECT n.nspname || '.' || c.relname, ",
            pg_acl!("c.relacl", "c.relowner"),
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
             AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relname <> '_sqlx_migrations' \
             AND c.relname <> '_sqlx_migrations_id_seq'"
        ),
    ),
    (
        "column grants on",
        concat!(
            "SELECT n.nspname || '.' || c.relname || '.' || a.attname, ",
            pg_acl!("a.attacl", "c.relowner"),
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
             AND a.attacl IS NOT NULL AND a.attnum > 0"
        ),
    ),
    (
        "grants on schema",
        concat!(
            "SELECT n.nspname, ",
            pg_acl!("n.nspacl", "n.nspowner"),
            " FROM pg_namespace n \
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
        ),
    ),
    (
        "function",
        "SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', \
         pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
         AND p.prokind IN ('f', 'p', 'w') \
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
    ),
    (
        "grants on function",
        concat!(
            "SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', ",
            pg_acl!("p.proacl", "p.proowner"),
            " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        ),
    ),
    (
        "trigger",
        "SELECT n.nspname || '.' || c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid) \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE NOT t.tgisinternal \
         AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'",
    ),
    (
        "type",
        "SELECT n.nspname || '.' || t.typname, CASE t.typtype \
         WHEN 'e' THEN 'enum (' || (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) \
           FROM pg_enum e WHERE e.enumtypid = t.oid) || ')' \
         ELSE 'domain ' || format_type(t.typbasetype, t.typtypmod) \
           || coalesce(' default ' || t.typdefault, '') || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END \
           || coalesce((SELECT ' ' || string_agg(pg_get_constraintdef(c.oid), ' ' ORDER BY c.conname) \
              FROM pg_constraint c WHERE c.contypid = t.oid), '') END \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE t.typtype IN ('e', 'd') \
         AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'",
    ),
    (
        "sequence",
        "SELECT schemaname || '.' || sequencename, data_type::text || ' start ' || start_value \
         || ' increment ' || increment_by || ' min ' || min_value || ' max ' || max_value \
         || CASE WHEN cycle THEN ' cycle' ELSE '' END || ' cache ' || cache_size \
         FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema') \
         AND sequencename <> '_sqlx_migrations_id_seq'",
    ),
    (
        "extension",
        "SELECT extname::text, extversion FROM pg_extension",
    ),
    (
        "comment on",
        "SELECT n.nspname || '.' || c.relname || coalesce('.' || a.attname, ''), d.description \
         FROM pg_description d JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0 \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'",
    ),
    (
        "materialized view",
        "SELECT schemaname || '.' || matviewname, definition FROM pg_matviews \
         WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    ),
    (
        "columns of table (outside the current schema)",
        "SELECT n.nspname || '.' || c.relname, string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) \
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END \
         || CASE WHEN a.attgenerated <> '' THEN ' generated as ' ELSE ' default ' END \
         || coalesce(pg_get_expr(d.adbin, d.adrelid), '-') \
         || coalesce(' collate ' || (SELECT co.collname::text FROM pg_collation co \
              WHERE co.oid = a.attcollation AND a.attcollation <> 0 AND co.collname <> 'default'), ''), \
         ', ' ORDER BY a.attnum) \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
         AND n.nspname <> current_schema() \
         AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_sqlx_migrations' \
         GROUP BY n.nspname, c.relname",
    ),
];

/// MySQL/MariaDB objects beyond tables (SPEC §7): triggers and routines.
const MYSQL_OBJECTS: [(&str, &str); 2] = [
    (
        "trigger",
        "SELECT CAST(TRIGGER_NAME AS CHAR), CAST(CONCAT(ACTION_TIMING, ' ', EVENT_MANIPULATION, ' ON ', \
         EVENT_OBJECT_TABLE, ' FOR EACH ', ACTION_ORIENTATION, ' ', ACTION_STATEMENT) AS CHAR) \
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
    ),
    (
        "routine",
        "SELECT CAST(CONCAT(ROUTINE_TYPE, ' ', ROUTINE_NAME) AS CHAR), \
         CAST(CONCAT(COALESCE(DTD_IDENTIFIER, ''), ' ', COALESCE(ROUTINE_DEFINITION, '')) AS CHAR) \
         FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()",
    ),
];

/// The statement that drops a scratch database (forcing out sessions).
fn drop_sql(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Postgres => {
            format!("-- no-transaction\nDROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")
        }
        _ => format!("-- no-transaction\nDROP DATABASE IF EXISTS `{name}`"),
    }
}

/// A current-thread runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, MigrateError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| MigrateError::Database {
            url: String::new(),
            message: format!("cannot start the async runtime: {e}"),
        })
}

/// Every column of every row as text (`None` for NULL or a non-text value).
fn texts<R: sqlx::Row>(rows: &[R]) -> Vec<Vec<Option<String>>>
where
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| r.try_get::<Option<String>, _>(i).ok().flatten())
                .collect()
        })
        .collect()
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
        ] {
            assert!(!redact(url).contains("cr"), "{url}: {}", redact(url));
            let p = password_of(url).unwrap();
            assert!(!scrub(&format!("error near {p}"), Some(&p)).contains(&p));
        }
    }

    #[test]
    fn sqlite_checks_are_found() {
        let c = sqlite_checks(
            "CREATE TABLE t (x int CHECK (x > 0), y int, CONSTRAINT c CHECK(y < (x + 1)))",
        );
        assert!(c.contains("(x > 0)"), "{c:?}");
        assert!(c.contains("(y < (x + 1))"), "{c:?}");
    }

    #[test]
    fn foreign_keys_parse() {
        let fk = foreign_key("FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE");
        assert_eq!(
            fk,
            (
                vec!["owner_id".into()],
                "users on delete cascade".into(),
                vec!["id".into()]
            )
        );
    }
}
