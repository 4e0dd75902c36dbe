//! MySQL/MariaDB introspection of the current database, read through typed
//! rows (a NULL where a name belongs is an error, never `""`).

use super::catalog::{
    MYSQL_CHECKS, MYSQL_COLUMNS, MYSQL_DATABASE, MYSQL_DEFINED, MYSQL_HAS_MIGRATIONS,
    MYSQL_INDEXES, MYSQL_KEYS, MYSQL_OBJECTS, MYSQL_VIEWS,
};
use super::{DbUrl, add_objects};
use crate::migrate::MigrateError;
use crate::migrate::schema::{Column, ForeignKey, Index, Schema};
use sqlx::MySqlConnection;
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct ColumnRow {
    table_name: String,
    name: String,
    data_type: String,
    nullable: String,
    default_value: Option<String>,
    generated: Option<String>,
    collation: Option<String>,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    table_name: String,
    constraint_name: String,
    kind: String,
    column_name: String,
    referenced_table: Option<String>,
    referenced_column: Option<String>,
    actions: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CheckRow {
    table_name: String,
    definition: String,
}

#[derive(sqlx::FromRow)]
struct IndexRow {
    name: String,
    table_name: String,
    non_unique: String,
    /// NULL for an expression key (MySQL 8 functional indexes).
    column_name: Option<String>,
    method: String,
    sub_part: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    name: String,
    definition: Option<String>,
}

/// The current database and the server it runs on.
#[derive(sqlx::FromRow)]
pub(super) struct DatabaseRow {
    pub name: String,
    pub charset: String,
    pub collation: String,
    pub version: String,
}

/// Runs one introspection query into typed rows.
async fn fetch<T>(
    c: &mut MySqlConnection,
    url: &DbUrl,
    what: &str,
    sql: &'static str,
) -> Result<Vec<T>, MigrateError>
where
    T: for<'r> sqlx::FromRow<'r, <sqlx::MySql as sqlx::Database>::Row> + Send + Unpin,
{
    super::fetch::<sqlx::MySql, T>(c, url, what, sql, None).await
}

/// Whether `_sqlx_migrations` exists in the current database.
pub(super) async fn has_migrations(
    c: &mut MySqlConnection,
    url: &DbUrl,
) -> Result<bool, MigrateError> {
    let rows: Vec<(String,)> = fetch(c, url, "the migrations table", MYSQL_HAS_MIGRATIONS).await?;
    Ok(!rows.is_empty())
}

/// The server's databases this user can see.
pub(super) async fn databases(
    c: &mut MySqlConnection,
    url: &DbUrl,
) -> Result<Vec<String>, MigrateError> {
    let rows: Vec<(String,)> = fetch(
        c,
        url,
        "the databases",
        "SELECT CAST(SCHEMA_NAME AS CHAR) FROM information_schema.SCHEMATA",
    )
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// The current database, its default character set and collation, and the
/// server's flavour and major version.
pub(super) async fn database(
    c: &mut MySqlConnection,
    url: &DbUrl,
) -> Result<DatabaseRow, MigrateError> {
    fetch::<DatabaseRow>(c, url, "the current database", MYSQL_DATABASE)
        .await?
        .pop()
        .ok_or_else(|| url.database("the URL names no database"))
}

/// The normalized schema.
pub(super) async fn schema(
    c: &mut MySqlConnection,
    url: &DbUrl,
    migrations_role: Option<&str>,
) -> Result<Schema, MigrateError> {
    let mut schema = Schema::default();
    for r in fetch::<ColumnRow>(c, url, "columns", MYSQL_COLUMNS).await? {
        schema
            .tables
            .entry(r.table_name)
            .or_default()
            .columns
            .insert(
                r.name,
                Column {
                    data_type: r.data_type.to_lowercase(),
                    nullable: r.nullable == "YES",
                    default: r.default_value,
                    generated: r.generated,
                    collation: r.collation,
                },
            );
    }
    let mut fks: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for k in fetch::<KeyRow>(c, url, "keys", MYSQL_KEYS).await? {
        let Some(table) = schema.tables.get_mut(&k.table_name) else {
            continue;
        };
        match k.kind.as_str() {
            "PRIMARY KEY" => table.primary_key.push(k.column_name),
            "FOREIGN KEY" => {
                let fk = fks
                    .entry((k.table_name, k.constraint_name))
                    .or_insert_with(|| ForeignKey {
                        columns: Vec::new(),
                        table: k.referenced_table.clone().unwrap_or_default(),
                        referenced: Vec::new(),
                        actions: k.actions.clone().unwrap_or_default(),
                    });
                fk.columns.push(k.column_name);
                fk.referenced.push(k.referenced_column.unwrap_or_default());
            }
            _ => {} // UNIQUE: a unique index, listed with the indexes
        }
    }
    for ((table, _), fk) in fks {
        if let Some(t) = schema.tables.get_mut(&table) {
            t.foreign_keys.insert(fk);
        }
    }
    for c in fetch::<CheckRow>(c, url, "check constraints", MYSQL_CHECKS).await? {
        if let Some(t) = schema.tables.get_mut(&c.table_name) {
            t.checks.insert(c.definition);
        }
    }
    for s in fetch::<IndexRow>(c, url, "indexes", MYSQL_INDEXES).await? {
        let key = format!("{}.{}", s.table_name, s.name);
        let ix = schema.indexes.entry(key).or_insert_with(|| Index {
            table: s.table_name.clone(),
            columns: Vec::new(),
            unique: s.non_unique == "0",
            partial: false,
        });
        let mut column = s.column_name.unwrap_or_else(|| "<expression>".into());
        if let Some(n) = s.sub_part {
            column = format!("{column}({n})");
        }
        if s.method != "BTREE" {
            column = format!("{column} using {}", s.method.to_lowercase());
        }
        ix.columns.push(column);
    }
    let db = database(c, url).await?.name;
    for v in fetch::<ViewRow>(c, url, "views", MYSQL_VIEWS).await? {
        // Definitions name the database; scratch and live databases differ.
        let def = v
            .definition
            .unwrap_or_else(|| "(definition not visible to this user)".into())
            .replace(&format!("`{db}`."), "");
        schema.views.insert(v.name, def);
    }
    for (label, sql) in MYSQL_OBJECTS {
        let rows = fetch(c, url, label, sql).await?;
        add_objects(&mut schema, label, rows, false);
    }
    let defined = fetch::<DefinedRow>(c, url, "objects to define", MYSQL_DEFINED).await?;
    for d in defined {
        let text = show_create(c, url, &d).await?;
        let text = text.map(|t| normalize_show_create(&d.kind, &t, &db));
        schema.objects.insert(
            format!("definition of {} `{}`", d.kind.to_lowercase(), d.name),
            text.unwrap_or_else(|| "(null)".to_string()),
        );
    }
    // The migrations' user: on a scratch database (no `_sqlx_migrations`)
    // this session's own account, which defined every replayed object; on
    // the live one the account that defined most objects, this session's
    // on a tie.
    let rows: Vec<(String,)> = fetch(
        c,
        url,
        "the current user",
        "SELECT CAST(CURRENT_USER() AS CHAR)",
    )
    .await?;
    let me = rows
        .into_iter()
        .next()
        .map(|(u,)| match u.rsplit_once('@') {
            Some((user, host)) => format!(
                "DEFINER=`{}`@`{}`",
                user.replace('`', "``"),
                host.replace('`', "``")
            ),
            None => format!("DEFINER=`{u}`"),
        });
    let scratch = !has_migrations(c, url).await?;
    // Grants on routines live in `mysql.procs_priv`: a user who cannot read
    // it cannot compare them, which is an error (exit 2), never a pass.
    let routine_grants: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT CAST(CONCAT(Routine_type, ' ', Routine_name, ' to ', User, '@', Host) AS CHAR), \
         CAST(Proc_priv AS CHAR) FROM mysql.procs_priv WHERE Db = DATABASE()",
    )
    .fetch_all(&mut *c)
    .await
    .map_err(|e| {
        url.database(&format!(
            "reading grants on routines (mysql.procs_priv; grant this user SELECT on it): {e}"
        ))
    })?;
    add_objects(&mut schema, "grants on routine", routine_grants, false);
    let named = migrations_role.filter(|_| !scratch).map(|account| {
        let (user, host) = account.rsplit_once('@').unwrap_or((account, "%"));
        format!(
            "DEFINER=`{}`@`{}`",
            user.replace('`', "``"),
            host.replace('`', "``")
        )
    });
    relative_definers(
        &mut schema,
        named.as_deref().or(me.as_deref()),
        scratch || named.is_some(),
    );
    Ok(schema)
}

/// An object `SHOW CREATE` writes.
#[derive(sqlx::FromRow)]
struct DefinedRow {
    name: String,
    /// `TABLE`, `VIEW`, `FUNCTION`, `PROCEDURE` or `TRIGGER`.
    kind: String,
}

/// The statement `SHOW CREATE` writes for an object; `None` when the
/// server hides it from this user.
async fn show_create(
    c: &mut MySqlConnection,
    url: &DbUrl,
    d: &DefinedRow,
) -> Result<Option<String>, MigrateError> {
    let (keyword, column) = match d.kind.as_str() {
        "TABLE" => ("TABLE", 1),
        "VIEW" => ("VIEW", 1),
        "FUNCTION" => ("FUNCTION", 2),
        "PROCEDURE" => ("PROCEDURE", 2),
        _ => ("TRIGGER", 2),
    };
    // Audited dynamic SQL: a fixed keyword and a backquoted identifier
    // with its backquotes doubled.
    let sql = format!("SHOW CREATE {keyword} `{}`", d.name.replace('`', "``"));
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(c)
        .await
        .map_err(|e| url.database(&format!("reading {keyword} `{}`: {e}", d.name)))?;
    use sqlx::Row;
    let text_at = |i: usize| -> Result<Option<String>, MigrateError> {
        Ok(match row.try_get::<Option<String>, _>(i) {
            Ok(text) => text,
            Err(_) => row
                .try_get::<Option<Vec<u8>>, _>(i)
                .map_err(|e| url.database(&format!("reading {keyword} `{}`: {e}", d.name)))?
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
        })
    };
    let text = text_at(column)?;
    // A routine or trigger keeps the sql_mode it was created under, which
    // changes what it does (truncation, quoting): compared too.
    Ok(if column == 2 {
        let mode = text_at(1)?.unwrap_or_default();
        text.map(|t| format!("sql_mode={mode}\n{t}"))
    } else {
        text
    })
}

/// A `SHOW CREATE` statement as compared: without the database's own name
/// (scratch and live databases differ), a table's `AUTO_INCREMENT=` counter
/// (data, not schema), and with a table's column, key and constraint lines
/// in sorted order (a key dropped and added again identically is not drift).
fn normalize_show_create(kind: &str, text: &str, db: &str) -> String {
    let text = text.replace(&format!("`{}`.", db.replace('`', "``")), "");
    if kind != "TABLE" {
        return text;
    }
    let text = AUTO_INCREMENT.replace_all(&text, "").into_owned();
    let mut lines = text.lines();
    let Some(head) = lines.next() else {
        return text;
    };
    let mut body: Vec<&str> = Vec::new();
    let mut tail: Vec<&str> = Vec::new();
    for line in lines {
        if tail.is_empty() && !line.starts_with(')') {
            body.push(line.trim().trim_end_matches(','));
        } else {
            tail.push(line);
        }
    }
    body.sort_unstable();
    format!("{head}\n{}\n{}", body.join(",\n"), tail.join("\n"))
}

static AUTO_INCREMENT: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r" AUTO_INCREMENT=\d+").expect("a valid regex"));

static DEFINER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`").expect("a valid regex")
});

/// Definers relative to the migrations' user (`me` on a scratch database,
/// else the account that defined most objects, `me` first on a tie),
/// which reads as `DEFINER=<the migrations' user>`; any other account by
/// name.
fn relative_definers(schema: &mut Schema, me: Option<&str>, scratch: bool) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for text in schema.objects.values() {
        for m in DEFINER.find_iter(text) {
            *counts.entry(m.as_str().to_string()).or_default() += 1;
        }
    }
    let main = if scratch {
        me.map(str::to_string)
    } else {
        counts
            .iter()
            .max_by(|a, b| {
                a.1.cmp(b.1)
                    .then_with(|| (Some(a.0.as_str()) == me).cmp(&(Some(b.0.as_str()) == me)))
                    .then_with(|| b.0.cmp(a.0))
            })
            .map(|(d, _)| d.clone())
    };
    let Some(main) = main else {
        return;
    };
    for text in schema.objects.values_mut() {
        if text.contains(&main) {
            *text = text.replace(&main, "DEFINER=<the migrations' user>");
        }
    }
}
