//! SQLite introspection, read through typed rows (a NULL where a name
//! belongs is an error, never `""`).

use super::catalog::{
    SQLITE_COLUMNS, SQLITE_FOREIGN_KEYS, SQLITE_HAS_MIGRATIONS, SQLITE_INDEX_COLUMNS,
    SQLITE_INDEXES, SQLITE_OBJECTS, SQLITE_TABLES, SQLITE_VIEWS,
};
use super::definitions::sqlite_checks;
use super::{DbUrl, add_objects, fetch as fetch_rows};
use crate::migrate::MigrateError;
use crate::migrate::schema::{Column, ForeignKey, Index, Schema, normalize_sql};
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct TableRow {
    name: String,
    sql: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ColumnRow {
    name: String,
    data_type: String,
    not_null: i64,
    default_value: Option<String>,
    pk: i64,
    hidden: i64,
}

#[derive(sqlx::FromRow)]
struct IndexRow {
    name: String,
    origin: String,
    is_unique: i64,
    partial: i64,
}

#[derive(sqlx::FromRow)]
struct IndexColumnRow {
    cid: i64,
    name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ForeignKeyRow {
    id: i64,
    table_name: String,
    from_column: String,
    /// NULL when the key references the parent's primary key implicitly.
    to_column: Option<String>,
    on_delete: String,
    on_update: String,
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    name: String,
    definition: Option<String>,
}

/// Runs one introspection query into typed rows.
async fn fetch<T>(
    c: &mut SqliteConnection,
    url: &DbUrl,
    what: &str,
    sql: &'static str,
    of: Option<&str>,
) -> Result<Vec<T>, MigrateError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    fetch_rows::<sqlx::Sqlite, T>(c, url, what, sql, of).await
}

/// Whether `_sqlx_migrations` exists.
pub(super) async fn has_migrations(
    c: &mut SqliteConnection,
    url: &DbUrl,
) -> Result<bool, MigrateError> {
    let rows: Vec<(String,)> =
        fetch(c, url, "the migrations table", SQLITE_HAS_MIGRATIONS, None).await?;
    Ok(!rows.is_empty())
}

/// The normalized schema.
pub(super) async fn schema(c: &mut SqliteConnection, url: &DbUrl) -> Result<Schema, MigrateError> {
    let mut schema = Schema::default();
    for t in fetch::<TableRow>(c, url, "tables", SQLITE_TABLES, None).await? {
        let name = t.name;
        let mut table = crate::migrate::schema::Table::default();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for col in fetch::<ColumnRow>(c, url, "columns", SQLITE_COLUMNS, Some(&name)).await? {
            if col.pk > 0 {
                pk.push((col.pk, col.name.clone()));
            }
            let generated = match col.hidden {
                2 => Some("virtual".to_string()),
                3 => Some("stored".to_string()),
                _ => None,
            };
            table.columns.insert(
                col.name,
                Column {
                    data_type: col.data_type,
                    nullable: col.not_null == 0 && col.pk == 0,
                    default: col.default_value,
                    generated,
                    collation: None, // in the table's SQL, compared among the objects
                },
            );
        }
        pk.sort();
        table.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        for ix in fetch::<IndexRow>(c, url, "indexes", SQLITE_INDEXES, Some(&name)).await? {
            let columns: Vec<String> = fetch::<IndexColumnRow>(
                c,
                url,
                "index columns",
                SQLITE_INDEX_COLUMNS,
                Some(&ix.name),
            )
            .await?
            .into_iter()
            .map(|k| match (k.cid, k.name) {
                (_, Some(n)) => n,
                (-1, None) => "rowid".to_string(),
                _ => "<expression>".to_string(),
            })
            .collect();
            match ix.origin.as_str() {
                "u" => {
                    table.uniques.insert(columns);
                }
                "c" => {
                    let index = Index {
                        table: name.clone(),
                        columns,
                        unique: ix.is_unique == 1,
                        partial: ix.partial == 1,
                    };
                    schema.indexes.insert(ix.name, index);
                }
                _ => {}
            }
        }
        let mut fks: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for f in
            fetch::<ForeignKeyRow>(c, url, "foreign keys", SQLITE_FOREIGN_KEYS, Some(&name)).await?
        {
            let fk = fks.entry(f.id).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: f.table_name.clone(),
                referenced: Vec::new(),
                actions: format!("on delete {} on update {}", f.on_delete, f.on_update),
            });
            fk.columns.push(f.from_column);
            fk.referenced
                .push(f.to_column.unwrap_or_else(|| "<primary key>".to_string()));
        }
        table.foreign_keys = fks.into_values().collect();
        table.checks = sqlite_checks(t.sql.as_deref().unwrap_or_default());
        schema.tables.insert(name, table);
    }
    for v in fetch::<ViewRow>(c, url, "views", SQLITE_VIEWS, None).await? {
        schema.views.insert(
            v.name,
            normalize_sql(v.definition.as_deref().unwrap_or_default()),
        );
    }
    // The text SQLite keeps of each table, index and trigger: generated
    // columns, partial and expression indexes, triggers, collations.
    let rows = fetch(c, url, "stored SQL", SQLITE_OBJECTS, None).await?;
    add_objects(&mut schema, "", rows, true);
    Ok(schema)
}
