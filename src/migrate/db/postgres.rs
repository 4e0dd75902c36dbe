//! PostgreSQL introspection: every non-system schema, read through typed
//! rows (a NULL where a name belongs is an error, never `""`).

use super::catalog::{PG_COLUMNS, PG_CONSTRAINTS, PG_HAS_MIGRATIONS, PG_VIEWS, POSTGRES_OBJECTS};
use super::definitions::{foreign_key, paren_list};
use super::{DbUrl, add_objects};
use crate::migrate::MigrateError;
use crate::migrate::schema::{Column, Schema};
use sqlx::PgConnection;

#[derive(sqlx::FromRow)]
struct ColumnRow {
    table_name: String,
    name: String,
    data_type: String,
    not_null: bool,
    default_value: Option<String>,
    generated: Option<String>,
    collation: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ConstraintRow {
    table_name: String,
    kind: String,
    definition: String,
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    name: String,
    definition: String,
}

/// Runs one introspection query into typed rows.
async fn fetch<T>(
    c: &mut PgConnection,
    url: &DbUrl,
    what: &str,
    sql: &'static str,
) -> Result<Vec<T>, MigrateError>
where
    T: for<'r> sqlx::FromRow<'r, <sqlx::Postgres as sqlx::Database>::Row> + Send + Unpin,
{
    super::fetch::<sqlx::Postgres, T>(c, url, what, sql, None).await
}

/// Whether `_sqlx_migrations` exists in the current schema.
pub(super) async fn has_migrations(
    c: &mut PgConnection,
    url: &DbUrl,
) -> Result<bool, MigrateError> {
    let rows: Vec<(String,)> = fetch(c, url, "the migrations table", PG_HAS_MIGRATIONS).await?;
    Ok(!rows.is_empty())
}

/// The normalized schema.
pub(super) async fn schema(c: &mut PgConnection, url: &DbUrl) -> Result<Schema, MigrateError> {
    let mut schema = Schema::default();
    for r in fetch::<ColumnRow>(c, url, "columns", PG_COLUMNS).await? {
        schema
            .tables
            .entry(r.table_name)
            .or_default()
            .columns
            .insert(
                r.name,
                Column {
                    data_type: r.data_type.to_lowercase(),
                    nullable: !r.not_null,
                    default: r.default_value,
                    generated: r.generated,
                    collation: r.collation,
                },
            );
    }
    for k in fetch::<ConstraintRow>(c, url, "constraints", PG_CONSTRAINTS).await? {
        let Some(table) = schema.tables.get_mut(&k.table_name) else {
            continue;
        };
        match k.kind.as_str() {
            "p" => table.primary_key = paren_list(&k.definition),
            "u" => {
                table.uniques.insert(paren_list(&k.definition));
            }
            "f" => {
                table.foreign_keys.insert(foreign_key(&k.definition));
            }
            _ => {
                table.checks.insert(k.definition);
            }
        }
    }
    for v in fetch::<ViewRow>(c, url, "views", PG_VIEWS).await? {
        schema.views.insert(v.name, v.definition);
    }
    for (label, sql) in POSTGRES_OBJECTS {
        let rows = fetch(c, url, label, sql).await?;
        add_objects(&mut schema, label, rows, false);
    }
    Ok(schema)
}

/// The server's engine and major version (`PostgreSQL 15`).
pub(super) async fn major_version(
    c: &mut PgConnection,
    url: &DbUrl,
) -> Result<String, MigrateError> {
    let rows: Vec<(String,)> =
        fetch(c, url, "the server version", super::catalog::PG_MAJOR).await?;
    rows.into_iter()
        .next()
        .map(|(v,)| v)
        .ok_or_else(|| url.database("the server reported no version"))
}
