// Database operations written once and compiled for each backend: this file is included by
// `backends.rs` with `Conn` and `Db` set to SQLite's or PostgreSQL's types. Hand-written SQL
// uses `$1, $2, ...` in order of first appearance, which both backends read the same way.

use crate::access::{CaseScope, Grant};
use crate::group_commit::NewCaseJob;
use crate::records::{
    AttachmentInfo, CaseFilter, CaseIndex, CaseOrder, CaseSummary, Compliment, ErasedFile, Erasure,
    EventRecord, ImportEvent, ImportedCase, LegalHold, LoadedCase, LoggedCompliment, NewEvent,
    OpenCaseCount, RecentChange,
};
use crate::sealing::{self, DataKey, MasterKey};
use crate::{Actor, ResultExt, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use redress_core::retention::RetentionRule;
use redress_core::{Action, Case, OmbudsmanCase, PersonalDetails, Stage};
use sqlx::{QueryBuilder, Row};

type Rows = Vec<<Db as sqlx::Database>::Row>;

pub struct OrganisationRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub reference_prefix: String,
    pub division: String,
    pub nation: Option<String>,
    pub closures: String,
    pub calendar_json: Option<String>,
    pub version: i64,
}

const ORGANISATION_COLUMNS: &str =
    "id, slug, name, reference_prefix, division, nation, closures, calendar_json, version";

fn organisation_row(row: &<Db as sqlx::Database>::Row) -> Result<OrganisationRow, sqlx::Error> {
    Ok(OrganisationRow {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        reference_prefix: row.try_get("reference_prefix")?,
        division: row.try_get("division")?,
        nation: row.try_get("nation")?,
        closures: row.try_get("closures")?,
        calendar_json: row.try_get("calendar_json")?,
        version: row.try_get("version")?,
    })
}

pub async fn organisations(conn: &mut Conn) -> Result<Vec<OrganisationRow>, sqlx::Error> {
    let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organisations ORDER BY slug");
    let rows: Rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    rows.iter().map(organisation_row).collect()
}

pub async fn insert_organisation(
    conn: &mut Conn,
    slug: &str,
    name: &str,
    reference_prefix: &str,
    division: &str,
    nation: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisations (slug, name, reference_prefix, division, nation, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(reference_prefix)
    .bind(division)
    .bind(nation)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")
}

/// Saves the definition an organisation runs a procedure by (a new one, or a preset's new
/// version), keeping it in the history too.
pub async fn save_procedure(
    conn: &mut Conn,
    organisation_id: i64,
    name: &str,
    version: u32,
    definition: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO procedures (organisation_id, name, definition) VALUES ($1, $2, $3)
         ON CONFLICT (organisation_id, name) DO UPDATE SET definition = excluded.definition",
    )
    .bind(organisation_id)
    .bind(name)
    .bind(definition)
    .execute(&mut *conn)
    .await?;
    keep_in_history(conn, organisation_id, name, version, definition).await
}

/// Keeps a definition the organisation runs, for judging the stages answered under it after
/// it changes or is removed. A version already kept stays as it was.
pub async fn keep_in_history(
    conn: &mut Conn,
    organisation_id: i64,
    name: &str,
    version: u32,
    definition: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO procedure_history (organisation_id, name, version, definition)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(organisation_id)
    .bind(name)
    .bind(i64::from(version))
    .bind(definition)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes a procedure the organisation no longer runs.
pub async fn delete_procedure(
    conn: &mut Conn,
    organisation_id: i64,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM procedures WHERE organisation_id = $1 AND name = $2")
        .bind(organisation_id)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How many cases of an organisation are open under a procedure.
pub async fn open_cases_under(
    conn: &mut Conn,
    organisation_id: i64,
    procedure: &str,
) -> Result<i64, sqlx::Error> {
    // Open, or waiting on the complainant after a response.
    let sql = format!(
        "SELECT COUNT(*) AS n FROM cases WHERE organisation_id = $1 AND procedure = $2
         AND (status IN {} OR status = 'stage_responded')",
        crate::open_statuses_sql()
    );
    sqlx::query(&sql)
        .bind(organisation_id)
        .bind(procedure)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")
}

/// Whether an organisation has this slug: one lookup on its unique index.
pub async fn organisation_exists(conn: &mut Conn, slug: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT id FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?
        .is_some())
}

/// Every organisation's procedure definitions, in order: one query for the whole cache.
pub async fn all_procedures(conn: &mut Conn) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT organisation_id, definition FROM procedures ORDER BY organisation_id, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("organisation_id")?, r.try_get("definition")?)))
        .collect()
}

/// Every definition each organisation has run, current or not.
pub async fn procedure_history(conn: &mut Conn) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT organisation_id, definition FROM procedure_history
         ORDER BY organisation_id, name, version",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("organisation_id")?, r.try_get("definition")?)))
        .collect()
}

/// `table` is `teams` or `reasons`: a fixed name from this crate, never user input.
pub async fn named_id(
    conn: &mut Conn,
    table: &'static str,
    organisation_id: i64,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let sql = format!("SELECT id FROM {table} WHERE organisation_id = $1 AND name = $2");
    sqlx::query(&sql)
        .bind(organisation_id)
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()
}

pub async fn ensure_named(
    conn: &mut Conn,
    table: &'static str,
    organisation_id: i64,
    name: &str,
) -> Result<i64, sqlx::Error> {
    // No read first: two requests adding one name both succeed, and one row is made.
    let sql = format!(
        "INSERT INTO {table} (organisation_id, name) VALUES ($1, $2)
         ON CONFLICT (organisation_id, name) DO NOTHING"
    );
    sqlx::query(&sql)
        .bind(organisation_id)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    named_id(conn, table, organisation_id, name)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

pub async fn names(
    conn: &mut Conn,
    table: &'static str,
    organisation_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = format!("SELECT name FROM {table} WHERE organisation_id = $1 ORDER BY name");
    let rows: Rows = sqlx::query(&sql)
        .bind(organisation_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| r.try_get("name")).collect()
}

/// (is a team, name) for every team and reason of an organisation, each kind in name order.
pub async fn teams_and_reasons(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Vec<(bool, String)>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT 'team' AS kind, name FROM teams WHERE organisation_id = $1
         UNION ALL SELECT 'reason' AS kind, name FROM reasons WHERE organisation_id = $1
         ORDER BY kind DESC, name",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>("kind")? == "team",
                r.try_get("name")?,
            ))
        })
        .collect()
}

/// The next number in an organisation's reference sequence for a year. The upsert takes the
/// row lock, so concurrent creators get distinct numbers on both backends.
pub async fn next_reference_number(
    conn: &mut Conn,
    organisation_id: i64,
    year: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO reference_counters (organisation_id, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (organisation_id, year) DO UPDATE SET last = reference_counters.last + 1
         RETURNING last",
    )
    .bind(organisation_id)
    .bind(year)
    .fetch_one(&mut *conn)
    .await?
    .try_get("last")
}

/// The ids of a case's team and reason, which must already exist in the organisation.
pub async fn team_and_reason_ids(
    conn: &mut Conn,
    organisation_id: i64,
    slug: &str,
    case: &Case,
) -> Result<(Option<i64>, Option<i64>), StoreError> {
    let mut ids = [None, None];
    for (i, (table, field, name)) in [
        ("teams", "team", &case.team()),
        ("reasons", "reason", &case.reason()),
    ]
    .into_iter()
    .enumerate()
    {
        if let Some(name) = name {
            let id = named_id(conn, table, organisation_id, name)
                .await?
                .ok_or_else(|| StoreError::Invalid {
                    field: field.to_string(),
                    message: format!("no {field} named '{name}' in {slug}"),
                })?;
            ids[i] = Some(id);
        }
    }
    Ok((ids[0], ids[1]))
}

/// Creates an organisation with its procedures, and logs it; returns its id.
pub async fn create_organisation(
    conn: &mut Conn,
    new: &crate::NewOrganisation,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let id = insert_organisation(
        conn,
        &new.slug,
        &new.name,
        &new.reference_prefix,
        new.division.as_str(),
        new.nation.as_str(),
        now,
    )
    .await?;
    for procedure in &new.procedures {
        let definition = serde_json::to_string(procedure).expect("procedures serialise");
        save_procedure(conn, id, &procedure.name, procedure.version, &definition).await?;
    }
    let event = actor
        .event("organisation_created", now)
        .in_organisation(id)
        .after(
            serde_json::json!({"slug": new.slug, "name": new.name, "nation": new.nation.as_str()}),
        );
    insert_event(conn, &event).await?;
    Ok(id)
}

/// Moves a sequence past numbers that arrived by import.
pub async fn raise_reference_counter(
    conn: &mut Conn,
    organisation_id: i64,
    year: i64,
    at_least: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reference_counters (organisation_id, year, last) VALUES ($1, $2, $3)
         ON CONFLICT (organisation_id, year) DO UPDATE
         SET last = CASE WHEN reference_counters.last < $3 THEN $3 ELSE reference_counters.last END",
    )
    .bind(organisation_id)
    .bind(year)
    .bind(at_least)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets this connection's page cache to `kib` KiB on SQLite (PostgreSQL sizes its cache for
/// the server, not per connection).
pub async fn set_page_cache(conn: &mut Conn, kib: i64) -> Result<(), sqlx::Error> {
    if BACKEND == "sqlite" {
        sqlx::query(&format!("PRAGMA cache_size = -{kib}"))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// On SQLite, drops the indexes of `cases` and `case_stage_stats` that migrations made (not
/// those of their keys) and returns the statements that make them again: a large import
/// builds each at its end with one sort, rather than filing each row by its date.
/// (PostgreSQL keeps its indexes: nothing is dropped.)
pub async fn drop_case_indexes(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    if BACKEND != "sqlite" {
        return Ok(Vec::new());
    }
    let rows: Rows = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'
         AND tbl_name IN ('cases', 'case_stage_stats') AND sql IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut statements = Vec::with_capacity(rows.len());
    for row in &rows {
        let name: String = row.try_get("name")?;
        sqlx::query(&format!("DROP INDEX \"{name}\""))
            .execute(&mut *conn)
            .await?;
        statements.push(row.try_get("sql")?);
    }
    Ok(statements)
}

/// Runs statements `drop_case_indexes` returned.
pub async fn make_indexes(conn: &mut Conn, statements: &[String]) -> Result<(), sqlx::Error> {
    for statement in statements {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The highest case id so far: about how many cases there are, without counting them.
pub async fn max_case_id(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM cases")
        .fetch_one(&mut *conn)
        .await?;
    Ok(id.unwrap_or(0))
}

/// Whether the organisation has any case yet (an import into one without need not look for
/// its references in the database).
pub async fn has_cases(conn: &mut Conn, organisation_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM cases WHERE organisation_id = $1 LIMIT 1")
            .bind(organisation_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

pub async fn existing_references(
    conn: &mut Conn,
    organisation_id: i64,
    references: &[&str],
) -> Result<Vec<String>, sqlx::Error> {
    let mut found = Vec::new();
    for chunk in crate::statement_chunks(references, 512) {
        let mut query: QueryBuilder<Db> =
            QueryBuilder::new("SELECT reference FROM cases WHERE organisation_id = ");
        query.push_bind(organisation_id).push(" AND reference IN (");
        let mut list = query.separated(", ");
        for reference in chunk {
            list.push_bind(*reference);
        }
        query.push(")");
        let rows: Rows = query.build().fetch_all(&mut *conn).await?;
        for row in rows {
            found.push(row.try_get("reference")?);
        }
    }
    Ok(found)
}

/// Rewrites the organisation's closure days and calendar file if its settings are still at
/// `version`; false when someone changed them since (nothing is written then).
pub async fn set_calendar_settings(
    conn: &mut Conn,
    organisation_id: i64,
    version: i64,
    closures: &str,
    calendar_json: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE organisations SET closures = $1, calendar_json = $2, version = version + 1
         WHERE id = $3 AND version = $4",
    )
    .bind(closures)
    .bind(calendar_json)
    .bind(organisation_id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the organisation's settings on a version if they are still at `version` (a change
/// kept in other tables, such as its procedures); false when someone changed them since.
pub async fn bump_organisation_version(
    conn: &mut Conn,
    organisation_id: i64,
    version: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE organisations SET version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(organisation_id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
