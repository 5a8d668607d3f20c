// Database operations written once and compiled for each backend: this file is included by
// `backends.rs` with `Conn` and `Db` set to SQLite's or PostgreSQL's types. Hand-written SQL
// uses `$1, $2, ...` in order of first appearance, which both backends read the same way.

use crate::access::{CaseScope, Grant};
use crate::group_commit::NewCaseJob;
use crate::records::{
    AttachmentInfo, CaseFilter, CaseIndex, CaseOrder, CaseSummary, Compliment, EventRecord,
    ImportedCase, LoadedCase, NewEvent, OpenCaseCount, RecentChange,
};
use crate::{Actor, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use redress_core::{Action, Case, OmbudsmanCase, PersonalDetails, Stage, Status};
use sqlx::{QueryBuilder, Row};

type Rows = Vec<<Db as sqlx::Database>::Row>;

pub struct OrganisationRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub reference_prefix: String,
    pub division: String,
    pub closures: String,
    pub calendar_json: Option<String>,
    pub version: i64,
}

const ORGANISATION_COLUMNS: &str =
    "id, slug, name, reference_prefix, division, closures, calendar_json, version";

fn organisation_row(row: &<Db as sqlx::Database>::Row) -> Result<OrganisationRow, sqlx::Error> {
    Ok(OrganisationRow {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        reference_prefix: row.try_get("reference_prefix")?,
        division: row.try_get("division")?,
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
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisations (slug, name, reference_prefix, division, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(reference_prefix)
    .bind(division)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")
}

pub async fn insert_procedure(
    conn: &mut Conn,
    organisation_id: i64,
    name: &str,
    definition: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO procedures (organisation_id, name, definition) VALUES ($1, $2, $3)")
        .bind(organisation_id)
        .bind(name)
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

pub async fn procedures(conn: &mut Conn, organisation_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows: Rows =
        sqlx::query("SELECT definition FROM procedures WHERE organisation_id = $1 ORDER BY id")
            .bind(organisation_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(|r| r.try_get("definition")).collect()
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
    if let Some(id) = named_id(conn, table, organisation_id, name).await? {
        return Ok(id);
    }
    let sql = format!("INSERT INTO {table} (organisation_id, name) VALUES ($1, $2) RETURNING id");
    sqlx::query(&sql)
        .bind(organisation_id)
        .bind(name)
        .fetch_one(&mut *conn)
        .await?
        .try_get("id")
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
        ("teams", "team", &case.team),
        ("reasons", "reason", &case.reason),
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
        now,
    )
    .await?;
    for procedure in &new.procedures {
        let definition = serde_json::to_string(procedure).expect("procedures serialise");
        insert_procedure(conn, id, &procedure.name, &definition).await?;
    }
    let event = actor
        .event("organisation_created", now)
        .in_organisation(id)
        .after(serde_json::json!({"slug": new.slug, "name": new.name}));
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

pub async fn existing_references(
    conn: &mut Conn,
    organisation_id: i64,
    references: &[&str],
) -> Result<Vec<String>, sqlx::Error> {
    let mut found = Vec::new();
    for chunk in references.chunks(500) {
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

pub async fn insert_case(
    conn: &mut Conn,
    organisation_id: i64,
    case: &Case,
    index: &CaseIndex,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    match insert_case_rows(conn, organisation_id, &[(case, index)], now).await {
        Ok(ids) => Ok(ids[&case.reference]),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Invalid {
            field: "reference".into(),
            message: format!("{} is already in use", case.reference),
        }),
        Err(e) => Err(e.into()),
    }
}

/// Inserts `cases` rows in one statement; returns each reference's new id.
async fn insert_case_rows(
    conn: &mut Conn,
    organisation_id: i64,
    rows: &[(&Case, &CaseIndex)],
    now: DateTime<Utc>,
) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "INSERT INTO cases (organisation_id, reference, procedure, received_on, channel,
            complainant_role, child_complained, advocacy_offered, advocacy_taken_up, team_id,
            reason_id, status, current_stage, due_on, acknowledged_on, resolved_on,
            rejected_on, rejected_reason, withdrawn_on, closed_on, version, created_at,
            updated_at, matter_arose_on, late_complaint_grounds, sufficient_interest,
            sufficient_interest_reason) ",
    );
    query.push_values(rows, |mut row, (case, index)| {
        row.push_bind(organisation_id)
            .push_bind(case.reference.as_str())
            .push_bind(case.procedure.as_str())
            .push_bind(case.received_on)
            .push_bind(case.channel.as_str())
            .push_bind(case.complainant_role.as_str())
            .push_bind(case.child_complained)
            .push_bind(case.advocacy_offered)
            .push_bind(case.advocacy_taken_up)
            .push_bind(index.team_id)
            .push_bind(index.reason_id)
            .push_bind(case.status.as_str())
            .push_bind(case.current_stage().map(|s| s.number as i64))
            .push_bind(index.due_on)
            .push_bind(case.acknowledged_on)
            .push_bind(case.resolved_on)
            .push_bind(case.rejected_on)
            .push_bind(case.rejected_reason.as_deref())
            .push_bind(case.withdrawn_on)
            .push_bind(case.closed_on)
            .push_bind(1i64)
            .push_bind(now)
            .push_bind(now)
            .push_bind(case.matter_arose_on)
            .push_bind(case.late_complaint_grounds.as_deref())
            .push_bind(case.sufficient_interest.as_ref().map(|d| d.decided))
            .push_bind(case.sufficient_interest.as_ref().map(|d| d.reason.as_str()));
    });
    query.push(" RETURNING id, reference");
    let returned: Rows = query.build().fetch_all(&mut *conn).await?;
    let mut ids = std::collections::HashMap::with_capacity(returned.len());
    for row in &returned {
        ids.insert(row.try_get("reference")?, row.try_get("id")?);
    }
    Ok(ids)
}

/// Writes the new state only if the stored version is still `expected_version`.
pub async fn update_case(
    conn: &mut Conn,
    id: i64,
    expected_version: i64,
    case: &Case,
    index: &CaseIndex,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE cases SET procedure = $1, received_on = $2, channel = $3, complainant_role = $4,
            child_complained = $5, advocacy_offered = $6, advocacy_taken_up = $7, team_id = $8,
            reason_id = $9, status = $10, current_stage = $11, due_on = $12,
            acknowledged_on = $13, resolved_on = $14, rejected_on = $15, rejected_reason = $16,
            withdrawn_on = $17, closed_on = $18, version = version + 1, updated_at = $19,
            matter_arose_on = $22, late_complaint_grounds = $23, sufficient_interest = $24,
            sufficient_interest_reason = $25
         WHERE id = $20 AND version = $21",
    )
    .bind(&case.procedure)
    .bind(case.received_on)
    .bind(case.channel.as_str())
    .bind(case.complainant_role.as_str())
    .bind(case.child_complained)
    .bind(case.advocacy_offered)
    .bind(case.advocacy_taken_up)
    .bind(index.team_id)
    .bind(index.reason_id)
    .bind(case.status.as_str())
    .bind(case.current_stage().map(|s| s.number as i64))
    .bind(index.due_on)
    .bind(case.acknowledged_on)
    .bind(case.resolved_on)
    .bind(case.rejected_on)
    .bind(&case.rejected_reason)
    .bind(case.withdrawn_on)
    .bind(case.closed_on)
    .bind(now)
    .bind(id)
    .bind(expected_version)
    .bind(case.matter_arose_on)
    .bind(case.late_complaint_grounds.as_deref())
    .bind(case.sufficient_interest.as_ref().map(|d| d.decided))
    .bind(case.sufficient_interest.as_ref().map(|d| d.reason.as_str()))
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Replaces a case's stages, ombudsman cases, actions and personal details with `case`'s.
/// Saves a group of new cases in the caller's transaction, each in a savepoint of its own:
/// a case that is refused is rolled back alone and answered with its error.
pub async fn insert_new_cases(
    conn: &mut Conn,
    jobs: Vec<NewCaseJob>,
) -> Result<Vec<Result<i64, StoreError>>, sqlx::Error> {
    let mut results = Vec::with_capacity(jobs.len());
    for mut job in jobs {
        let mut savepoint = sqlx::Connection::begin(&mut *conn).await?;
        match insert_new_case(&mut savepoint, &mut job).await {
            Ok(id) => {
                savepoint.commit().await?;
                results.push(Ok(id));
            }
            Err(refused) => {
                savepoint.rollback().await?;
                results.push(Err(refused));
            }
        }
    }
    Ok(results)
}

/// Saves one new case with its parts and its "received" event, numbering it first if asked.
async fn insert_new_case(conn: &mut Conn, job: &mut NewCaseJob) -> Result<i64, StoreError> {
    let organisation = &job.organisation;
    let case = &mut job.case;
    let (team_id, reason_id) =
        team_and_reason_ids(conn, organisation.id, &organisation.slug, case).await?;
    if job.numbered {
        let year = case.received_on.year();
        let number = next_reference_number(conn, organisation.id, year as i64).await?;
        case.reference = format!("{}-{year}-{number:04}", organisation.reference_prefix);
    }
    let index = CaseIndex {
        team_id,
        reason_id,
        due_on: job.due_on,
    };
    let now = Utc::now();
    let id = insert_case(conn, organisation.id, case, &index, now).await?;
    write_parts(conn, id, case).await?;
    let after = serde_json::to_value(&*case).expect("cases serialise");
    let event = job
        .actor
        .event("received", now)
        .about_case(organisation.id, id)
        .after(after);
    insert_event(conn, &event).await?;
    Ok(id)
}

pub async fn write_parts(conn: &mut Conn, case_id: i64, case: &Case) -> Result<(), StoreError> {
    for table in [
        "stages",
        "ombudsman_cases",
        "actions",
        "case_personal",
        "case_appointees",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE case_id = $1"))
            .bind(case_id)
            .execute(&mut *conn)
            .await?;
    }
    insert_parts(conn, &[(case_id, case)]).await
}

/// Inserts the parts of many new cases, in multi-row statements.
pub async fn insert_parts(conn: &mut Conn, cases: &[(i64, &Case)]) -> Result<(), StoreError> {
    const BATCH: usize = 2400;
    let stages: Vec<(i64, &Stage)> = cases
        .iter()
        .flat_map(|(id, c)| c.stages.iter().map(move |s| (*id, s)))
        .collect();
    for chunk in stages.chunks(BATCH) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO stages (case_id, number, started_on, late_request_reason, extended_to,
                extension_reason, clock_stops, responded_on, outcome, investigating_officer,
                independent_person, panel_on, panel_report_on, panel_members, panel_chair,
                acknowledged_on, extension_agreed_on, extension_notified_on) ",
        );
        query.push_values(chunk, |mut row, (case_id, stage)| {
            let stops = serde_json::to_string(&stage.clock_stops).expect("clock stops serialise");
            row.push_bind(*case_id)
                .push_bind(stage.number as i64)
                .push_bind(stage.started_on)
                .push_bind(stage.late_request_reason.as_deref())
                .push_bind(stage.extended_to.map(i64::from))
                .push_bind(stage.extension_reason.as_deref())
                .push_bind(stops)
                .push_bind(stage.responded_on)
                .push_bind(stage.outcome.map(|o| o.as_str()))
                .push_bind(stage.investigating_officer.as_deref())
                .push_bind(stage.independent_person.as_deref())
                .push_bind(stage.panel_on)
                .push_bind(stage.panel_report_on)
                .push_bind(serde_json::to_string(&stage.panel_members).expect("strings serialise"))
                .push_bind(stage.panel_chair.as_deref())
                .push_bind(stage.acknowledged_on)
                .push_bind(stage.extension_agreed_on)
                .push_bind(stage.extension_notified_on);
        });
        query.build().execute(&mut *conn).await?;
    }

    let appointees: Vec<(i64, String)> = cases
        .iter()
        .flat_map(|(id, c)| c.appointee_emails().into_iter().map(move |e| (*id, e)))
        .collect();
    for chunk in appointees.chunks(BATCH) {
        let mut query: QueryBuilder<Db> =
            QueryBuilder::new("INSERT INTO case_appointees (case_id, email) ");
        query.push_values(chunk, |mut row, (case_id, email)| {
            row.push_bind(*case_id).push_bind(email.as_str());
        });
        query.build().execute(&mut *conn).await?;
    }

    let ombudsman: Vec<(i64, usize, &OmbudsmanCase)> = cases
        .iter()
        .flat_map(|(id, c)| {
            c.ombudsman
                .iter()
                .enumerate()
                .map(move |(i, o)| (*id, i, o))
        })
        .collect();
    for chunk in ombudsman.chunks(BATCH) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO ombudsman_cases (case_id, position, decision, decided_on, lgsco_reference, remedies) ",
        );
        query.push_values(chunk, |mut row, (case_id, position, o)| {
            row.push_bind(*case_id)
                .push_bind(*position as i64)
                .push_bind(o.decision.as_str())
                .push_bind(o.decided_on)
                .push_bind(o.lgsco_reference.as_deref())
                .push_bind(serde_json::to_string(&o.remedies).expect("remedies serialise"));
        });
        query.build().execute(&mut *conn).await?;
    }

    let actions: Vec<(i64, usize, &Action)> = cases
        .iter()
        .flat_map(|(id, c)| c.actions.iter().enumerate().map(move |(i, a)| (*id, i, a)))
        .collect();
    for chunk in actions.chunks(BATCH) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO actions (case_id, position, kind, description, owner_team, due_on, completed_on) ",
        );
        query.push_values(chunk, |mut row, (case_id, position, a)| {
            row.push_bind(*case_id)
                .push_bind(*position as i64)
                .push_bind(a.kind.as_str())
                .push_bind(a.description.as_str())
                .push_bind(a.owner_team.as_str())
                .push_bind(a.due_on)
                .push_bind(a.completed_on);
        });
        query.build().execute(&mut *conn).await?;
    }

    let personal: Vec<(i64, &PersonalDetails)> = cases
        .iter()
        .filter(|(_, c)| c.personal != PersonalDetails::default())
        .map(|(id, c)| (*id, &c.personal))
        .collect();
    for chunk in personal.chunks(BATCH) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO case_personal (case_id, complainant_name, contact_email, contact_phone,
                contact_address, children, summary, outcome_wanted) ",
        );
        query.push_values(chunk, |mut row, (case_id, p)| {
            row.push_bind(*case_id)
                .push_bind(p.complainant_name.as_str())
                .push_bind(p.contact_email.as_str())
                .push_bind(p.contact_phone.as_str())
                .push_bind(p.contact_address.as_str())
                .push_bind(serde_json::to_string(&p.children).expect("strings serialise"))
                .push_bind(p.summary.as_str())
                .push_bind(p.outcome_wanted.as_str());
        });
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

fn parse<T: std::str::FromStr>(column: &str, text: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{column} holds '{text}'")))
}

fn json<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

/// Which cases to load.
pub enum Selection<'a> {
    /// One case, if the scope reaches it.
    One(i64, &'a CaseScope),
    /// What a report for `from` to `to` needs: cases received then, and cases received since
    /// `lookback` with a stage started or an ombudsman decision made then.
    ActiveBetween {
        organisation_id: i64,
        lookback: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// An organisation's cases with ids in `(after, upto]`: a page of an export.
    IdRange {
        organisation_id: i64,
        after: i64,
        upto: i64,
    },
}

fn push_selection(query: &mut QueryBuilder<'_, Db>, selection: &Selection) {
    match selection {
        Selection::One(id, scope) => {
            query.push(" WHERE c.id = ").push_bind(*id);
            push_case_scope(query, "c", scope);
        }
        Selection::ActiveBetween {
            organisation_id,
            lookback,
            from,
            to,
        } => {
            query
                .push(" WHERE c.organisation_id = ")
                .push_bind(*organisation_id)
                .push(" AND c.received_on <= ")
                .push_bind(*to)
                .push(" AND (c.received_on >= ")
                .push_bind(*from)
                .push(" OR (c.received_on >= ")
                .push_bind(*lookback)
                .push(" AND (EXISTS (SELECT 1 FROM stages x WHERE x.case_id = c.id AND x.started_on >= ")
                .push_bind(*from)
                .push(") OR EXISTS (SELECT 1 FROM ombudsman_cases y WHERE y.case_id = c.id AND y.decided_on >= ")
                .push_bind(*from)
                .push("))))");
        }
        Selection::IdRange {
            organisation_id,
            after,
            upto,
        } => {
            query
                .push(" WHERE c.organisation_id = ")
                .push_bind(*organisation_id)
                .push(" AND c.id > ")
                .push_bind(*after)
                .push(" AND c.id <= ")
                .push_bind(*upto);
        }
    }
}

/// Appends ` AND ...` limiting `alias` (a `cases` row) to what the scope reaches. A single
/// grant is written without an OR around it, so the planner can use it to reach an index.
fn push_case_scope(query: &mut QueryBuilder<'_, Db>, alias: &str, scope: &CaseScope) {
    let CaseScope::Only(grants) = scope else {
        return;
    };
    let grants: Vec<&Grant> = grants
        .iter()
        .filter(|g| !matches!(g, Grant::Teams(_, teams) if teams.is_empty()))
        .collect();
    if grants.is_empty() {
        query.push(" AND 1 = 0");
        return;
    }
    query.push(" AND (");
    for (i, grant) in grants.into_iter().enumerate() {
        if i > 0 {
            query.push(" OR ");
        }
        query
            .push(format!("({alias}.organisation_id = "))
            .push_bind(grant.organisation_id());
        match grant {
            Grant::Organisation(_) => {}
            Grant::Teams(_, team_ids) => {
                query.push(format!(" AND {alias}.team_id IN ("));
                let mut list = query.separated(", ");
                for id in team_ids {
                    list.push_bind(*id);
                }
                query.push(")");
            }
            Grant::Appointed(_, email) => {
                query
                    .push(format!(
                        " AND {alias}.id IN (SELECT case_id FROM case_appointees WHERE email = "
                    ))
                    .push_bind(email.clone());
                query.push(")");
            }
        }
        query.push(")");
    }
    query.push(")");
}

pub async fn load_case(
    conn: &mut Conn,
    id: i64,
    scope: &CaseScope,
) -> Result<Option<LoadedCase>, StoreError> {
    Ok(load_cases(conn, &Selection::One(id, scope), true)
        .await?
        .pop())
}

/// Loads whole cases (stages, ombudsman cases, actions, personal details) in four queries
/// whatever their number.
/// Without `personal`, the personal details are not read at all: reports need none.
pub async fn load_cases(
    conn: &mut Conn,
    selection: &Selection<'_>,
    personal: bool,
) -> Result<Vec<LoadedCase>, StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(if personal {
        "SELECT c.*, t.name AS team_name, r.name AS reason_name,
            p.complainant_name, p.contact_email, p.contact_phone, p.contact_address, p.children,
            p.summary, p.outcome_wanted
         FROM cases c
         LEFT JOIN teams t ON t.id = c.team_id
         LEFT JOIN reasons r ON r.id = c.reason_id
         LEFT JOIN case_personal p ON p.case_id = c.id"
    } else {
        "SELECT c.*, t.name AS team_name, r.name AS reason_name, CAST(NULL AS TEXT) AS children
         FROM cases c
         LEFT JOIN teams t ON t.id = c.team_id
         LEFT JOIN reasons r ON r.id = c.reason_id"
    });
    push_selection(&mut query, selection);
    query.push(" ORDER BY c.id");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    let mut cases = Vec::with_capacity(rows.len());
    let mut position = std::collections::HashMap::with_capacity(rows.len());
    for row in &rows {
        let loaded = case_from_row(row)?;
        position.insert(loaded.id, cases.len());
        cases.push(loaded);
    }
    if cases.is_empty() {
        return Ok(cases);
    }

    // The parts are read by the ids found, so the selection is evaluated once.
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let rows = parts_of(conn, "stages", "number", &ids).await?;
    for s in &rows {
        let case_id: i64 = s.try_get("case_id")?;
        let outcome: Option<String> = s.try_get("outcome")?;
        let extended_to: Option<i64> = s.try_get("extended_to")?;
        let number: i64 = s.try_get("number")?;
        let stops: String = s.try_get("clock_stops")?;
        let members: String = s.try_get("panel_members")?;
        let stage = Stage {
            number: number as u8,
            started_on: s.try_get("started_on")?,
            late_request_reason: s.try_get("late_request_reason")?,
            extended_to: extended_to.map(|e| e as u32),
            extension_reason: s.try_get("extension_reason")?,
            clock_stops: json("clock_stops", &stops)?,
            responded_on: s.try_get("responded_on")?,
            outcome: outcome.map(|o| parse("outcome", &o)).transpose()?,
            investigating_officer: s.try_get("investigating_officer")?,
            independent_person: s.try_get("independent_person")?,
            panel_on: s.try_get("panel_on")?,
            panel_report_on: s.try_get("panel_report_on")?,
            panel_members: json("panel_members", &members)?,
            panel_chair: s.try_get("panel_chair")?,
            acknowledged_on: s.try_get("acknowledged_on")?,
            extension_agreed_on: s.try_get("extension_agreed_on")?,
            extension_notified_on: s.try_get("extension_notified_on")?,
        };
        if let Some(i) = position.get(&case_id) {
            cases[*i].case.stages.push(stage);
        }
    }

    let rows = parts_of(conn, "ombudsman_cases", "position", &ids).await?;
    for o in &rows {
        let case_id: i64 = o.try_get("case_id")?;
        let decision: String = o.try_get("decision")?;
        let remedies: String = o.try_get("remedies")?;
        let ombudsman = OmbudsmanCase {
            decision: parse("decision", &decision)?,
            decided_on: o.try_get("decided_on")?,
            lgsco_reference: o.try_get("lgsco_reference")?,
            remedies: json("remedies", &remedies)?,
        };
        if let Some(i) = position.get(&case_id) {
            cases[*i].case.ombudsman.push(ombudsman);
        }
    }

    let rows = parts_of(conn, "actions", "position", &ids).await?;
    for a in &rows {
        let case_id: i64 = a.try_get("case_id")?;
        let kind: String = a.try_get("kind")?;
        let action = Action {
            kind: parse("kind", &kind)?,
            description: a.try_get("description")?,
            owner_team: a.try_get("owner_team")?,
            due_on: a.try_get("due_on")?,
            completed_on: a.try_get("completed_on")?,
        };
        if let Some(i) = position.get(&case_id) {
            cases[*i].case.actions.push(action);
        }
    }
    Ok(cases)
}

/// The rows of a part table (`stages`, `ombudsman_cases`, `actions`: fixed names from this
/// file) for the given cases, in case and `order` order.
async fn parts_of(
    conn: &mut Conn,
    table: &'static str,
    order: &'static str,
    ids: &[i64],
) -> Result<Rows, sqlx::Error> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(1000) {
        let mut query: QueryBuilder<Db> =
            QueryBuilder::new(format!("SELECT * FROM {table} WHERE case_id IN ("));
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        query.push(format!(") ORDER BY case_id, {order}"));
        rows.extend(query.build().fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

fn case_from_row(row: &<Db as sqlx::Database>::Row) -> Result<LoadedCase, StoreError> {
    let children: Option<String> = row.try_get("children")?;
    let personal = match children {
        None => PersonalDetails::default(),
        Some(children) => PersonalDetails {
            complainant_name: row.try_get("complainant_name")?,
            contact_email: row.try_get("contact_email")?,
            contact_phone: row.try_get("contact_phone")?,
            contact_address: row.try_get("contact_address")?,
            children: json("children", &children)?,
            summary: row.try_get("summary")?,
            outcome_wanted: row.try_get("outcome_wanted")?,
        },
    };
    let channel: String = row.try_get("channel")?;
    let role: String = row.try_get("complainant_role")?;
    let status: String = row.try_get("status")?;
    Ok(LoadedCase {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        case: Case {
            reference: row.try_get("reference")?,
            procedure: row.try_get("procedure")?,
            received_on: row.try_get("received_on")?,
            channel: parse("channel", &channel)?,
            complainant_role: parse("complainant_role", &role)?,
            child_complained: row.try_get("child_complained")?,
            advocacy_offered: row.try_get("advocacy_offered")?,
            advocacy_taken_up: row.try_get("advocacy_taken_up")?,
            team: row.try_get("team_name")?,
            reason: row.try_get("reason_name")?,
            status: parse("status", &status)?,
            acknowledged_on: row.try_get("acknowledged_on")?,
            resolved_on: row.try_get("resolved_on")?,
            rejected_on: row.try_get("rejected_on")?,
            rejected_reason: row.try_get("rejected_reason")?,
            withdrawn_on: row.try_get("withdrawn_on")?,
            closed_on: row.try_get("closed_on")?,
            stages: Vec::new(),
            ombudsman: Vec::new(),
            actions: Vec::new(),
            personal,
            matter_arose_on: row.try_get("matter_arose_on")?,
            late_complaint_grounds: row.try_get("late_complaint_grounds")?,
            sufficient_interest: match row.try_get::<Option<bool>, _>("sufficient_interest")? {
                Some(decided) => Some(redress_core::SufficientInterest {
                    decided,
                    reason: row
                        .try_get::<Option<String>, _>("sufficient_interest_reason")?
                        .unwrap_or_default(),
                }),
                None => None,
            },
        },
    })
}

pub async fn compliments_between(
    conn: &mut Conn,
    organisation_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Compliment>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT c.received_on, t.name AS team_name, c.summary, c.consent_to_publish
         FROM compliments c LEFT JOIN teams t ON t.id = c.team_id
         WHERE c.organisation_id = $1 AND c.received_on >= $2 AND c.received_on <= $3
         ORDER BY c.received_on, c.id",
    )
    .bind(organisation_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Compliment {
                received_on: r.try_get("received_on")?,
                team: r.try_get("team_name")?,
                summary: r.try_get("summary")?,
                consent_to_publish: r.try_get("consent_to_publish")?,
            })
        })
        .collect()
}

pub async fn set_narrative(
    conn: &mut Conn,
    organisation_id: i64,
    year: i64,
    section: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO narratives (organisation_id, year, section, body, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organisation_id, year, section) DO UPDATE SET body = $4, updated_at = $5",
    )
    .bind(organisation_id)
    .bind(year)
    .bind(section)
    .bind(body)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn narratives(
    conn: &mut Conn,
    organisation_id: i64,
    year: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT section, body FROM narratives WHERE organisation_id = $1 AND year = $2 ORDER BY section",
    )
    .bind(organisation_id)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("section")?, r.try_get("body")?)))
        .collect()
}

/// Ids of an organisation's cases in id order, a page at a time (for export).
pub async fn case_ids(
    conn: &mut Conn,
    organisation_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT id FROM cases WHERE organisation_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(organisation_id)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

pub async fn insert_event(conn: &mut Conn, event: &NewEvent) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO events (organisation_id, case_id, actor, user_id, address, occurred_at, kind,
            before_json, after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(event.organisation_id)
    .bind(event.case_id)
    .bind(event.actor.as_str())
    .bind(event.user_id)
    .bind(event.address.as_deref())
    .bind(event.occurred_at)
    .bind(event.kind.as_str())
    .bind(event.before.as_ref().map(|v| v.to_string()))
    .bind(event.after.as_ref().map(|v| v.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Many events in one statement: the group commit of case reads.
pub async fn insert_events(conn: &mut Conn, events: &[NewEvent]) -> Result<(), sqlx::Error> {
    for chunk in events.chunks(1000) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO events (organisation_id, case_id, actor, user_id, address, occurred_at,
                kind, before_json, after_json) ",
        );
        query.push_values(chunk, |mut row, event| {
            row.push_bind(event.organisation_id)
                .push_bind(event.case_id)
                .push_bind(event.actor.as_str())
                .push_bind(event.user_id)
                .push_bind(event.address.as_deref())
                .push_bind(event.occurred_at)
                .push_bind(event.kind.as_str())
                .push_bind(event.before.as_ref().map(|v| v.to_string()))
                .push_bind(event.after.as_ref().map(|v| v.to_string()));
        });
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn events(conn: &mut Conn, case_id: i64) -> Result<Vec<EventRecord>, StoreError> {
    let rows: Rows = sqlx::query(
        "SELECT id, case_id, actor, occurred_at, kind, before_json, after_json
         FROM events WHERE case_id = $1 AND kind <> 'viewed' ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let before: Option<String> = r.try_get("before_json")?;
            let after: Option<String> = r.try_get("after_json")?;
            Ok(EventRecord {
                id: r.try_get("id")?,
                case_id: r.try_get("case_id")?,
                actor: r.try_get("actor")?,
                occurred_at: r.try_get("occurred_at")?,
                kind: r.try_get("kind")?,
                before: before.map(|b| json("before_json", &b)).transpose()?,
                after: after.map(|a| json("after_json", &a)).transpose()?,
            })
        })
        .collect()
}

/// Two steps: the ids of the page come from the `cases` indexes alone (team and text search as
/// sub-selects), then only those rows are joined for display. Sorting a few thousand ids
/// costs little; sorting a few thousand joined rows cost 15 ms.
pub async fn list_cases(
    conn: &mut Conn,
    filter: &CaseFilter,
    scope: &CaseScope,
    organisation_id: Option<i64>,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<CaseSummary>, StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT c.id, o.slug, c.reference, c.procedure, c.received_on, c.status, c.current_stage,
            t.name AS team_name, r.name AS reason_name, c.due_on, c.version, c.child_complained,
            c.advocacy_offered
         FROM cases c
         JOIN organisations o ON o.id = c.organisation_id
         LEFT JOIN teams t ON t.id = c.team_id
         LEFT JOIN reasons r ON r.id = c.reason_id
         WHERE c.id IN (SELECT f.id FROM cases f WHERE 1 = 1",
    );
    if let Some(id) = organisation_id {
        query.push(" AND f.organisation_id = ").push_bind(id);
    }
    if let Some(procedure) = &filter.procedure {
        query
            .push(" AND f.procedure = ")
            .push_bind(procedure.clone());
    }
    if let Some(stage) = filter.stage {
        query.push(" AND f.current_stage = ").push_bind(stage);
    }
    if let Some(status) = filter.status {
        query.push(" AND f.status = ").push_bind(status.as_str());
    }
    if let Some(team) = &filter.team {
        query
            .push(" AND f.team_id IN (SELECT id FROM teams WHERE name = ")
            .push_bind(team.clone());
        if let Some(id) = organisation_id {
            query.push(" AND organisation_id = ").push_bind(id);
        }
        query.push(")");
    }
    if let Some(due_before) = filter.due_before {
        query
            .push(" AND f.status = ")
            .push_bind(Status::InStage.as_str())
            .push(" AND f.due_on <= ")
            .push_bind(due_before);
    }
    if filter.overdue == Some(true) {
        query
            .push(" AND f.status = ")
            .push_bind(Status::InStage.as_str())
            .push(" AND f.due_on < ")
            .push_bind(today);
    }
    if let Some(from) = filter.received_from {
        query.push(" AND f.received_on >= ").push_bind(from);
    }
    if let Some(to) = filter.received_to {
        query.push(" AND f.received_on <= ").push_bind(to);
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!(
            "%{}%",
            q.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        query
            .push(" AND f.id IN (SELECT case_id FROM case_personal WHERE LOWER(summary) LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
    if let Some(reference) = &filter.reference {
        query
            .push(" AND f.reference = ")
            .push_bind(reference.clone());
    }
    if filter.open {
        // Written out, not bound, so it matches the cases_open_due index's condition.
        query.push(format!(" AND f.status IN {}", crate::open_statuses_sql()));
    }
    if let Some(after) = filter.after {
        query.push(" AND f.id > ").push_bind(after);
    }
    push_case_scope(&mut query, "f", scope);
    let order = |alias: &str| match filter.order {
        CaseOrder::Oldest => format!("{alias}.id"),
        CaseOrder::Newest => format!("{alias}.id DESC"),
        CaseOrder::DueSoonest => {
            format!("({alias}.due_on IS NULL), {alias}.due_on, {alias}.id")
        }
    };
    query
        .push(format!(" ORDER BY {} LIMIT ", order("f")))
        .push_bind(limit);
    if let Some(offset) = filter.offset.filter(|o| *o > 0) {
        query.push(" OFFSET ").push_bind(offset);
    }
    query.push(format!(") ORDER BY {}", order("c")));
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            Ok(CaseSummary {
                id: r.try_get("id")?,
                organisation: r.try_get("slug")?,
                reference: r.try_get("reference")?,
                procedure: r.try_get("procedure")?,
                received_on: r.try_get("received_on")?,
                status: parse("status", &status)?,
                current_stage: r.try_get("current_stage")?,
                team: r.try_get("team_name")?,
                reason: r.try_get("reason_name")?,
                due_on: r.try_get("due_on")?,
                version: r.try_get("version")?,
                advocacy_missing: r.try_get::<bool, _>("child_complained")?
                    && !r.try_get::<bool, _>("advocacy_offered")?,
            })
        })
        .collect()
}

/// Open cases in one organisation that the scope reaches, by stage (0: not yet at a stage),
/// with how many in a stage are overdue, due on `today` and due by `week_end`.
pub async fn open_case_counts(
    conn: &mut Conn,
    organisation_id: i64,
    scope: &CaseScope,
    today: NaiveDate,
    week_end: NaiveDate,
) -> Result<Vec<OpenCaseCount>, StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT CAST(CASE WHEN f.status = 'in_stage' THEN COALESCE(f.current_stage, 0) ELSE 0 END
                AS BIGINT) AS stage,
            COUNT(*) AS open,
            CAST(COALESCE(SUM(CASE WHEN f.status = 'in_stage' AND f.due_on < ",
    );
    query
        .push_bind(today)
        .push(
            " THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue,
            CAST(COALESCE(SUM(CASE WHEN f.status = 'in_stage' AND f.due_on = ",
        )
        .push_bind(today)
        .push(
            " THEN 1 ELSE 0 END), 0) AS BIGINT) AS due_today,
            CAST(COALESCE(SUM(CASE WHEN f.status = 'in_stage' AND f.due_on >= ",
        )
        .push_bind(today)
        .push(" AND f.due_on <= ")
        .push_bind(week_end)
        .push(format!(
            " THEN 1 ELSE 0 END), 0) AS BIGINT) AS due_this_week
         FROM cases f
         WHERE f.status IN {} AND f.organisation_id = ",
            crate::open_statuses_sql()
        ))
        .push_bind(organisation_id);
    push_case_scope(&mut query, "f", scope);
    query.push(" GROUP BY 1");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(OpenCaseCount {
                stage: r.try_get("stage")?,
                open: r.try_get("open")?,
                overdue: r.try_get("overdue")?,
                due_today: r.try_get("due_today")?,
                due_this_week: r.try_get("due_this_week")?,
            })
        })
        .collect()
}

/// Inserts imported cases and their "imported" events in multi-row statements.
pub async fn insert_imported(
    conn: &mut Conn,
    organisation_id: i64,
    rows: &[(ImportedCase, CaseIndex)],
    actor: &str,
    source: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    const BATCH: usize = 1400;
    for chunk in rows.chunks(BATCH) {
        let case_rows: Vec<(&Case, &CaseIndex)> =
            chunk.iter().map(|(i, index)| (&i.case, index)).collect();
        let ids = insert_case_rows(conn, organisation_id, &case_rows, now).await?;
        let with_ids: Vec<(i64, &Case)> = chunk
            .iter()
            .map(|(imported, _)| (ids[&imported.case.reference], &imported.case))
            .collect();
        insert_parts(conn, &with_ids).await?;

        let mut events: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO events (organisation_id, case_id, actor, occurred_at, kind, after_json) ",
        );
        events.push_values(chunk, |mut row, (imported, _)| {
            row.push_bind(organisation_id)
                .push_bind(ids[&imported.case.reference])
                .push_bind(actor)
                .push_bind(now)
                .push_bind("imported")
                .push_bind(format!(
                    "{{\"source\":{},\"line\":{}}}",
                    serde_json::Value::from(source),
                    imported.line
                ));
        });
        events.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn insert_compliments(
    conn: &mut Conn,
    organisation_id: i64,
    compliments: &[(Compliment, Option<i64>)],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for chunk in compliments.chunks(500) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO compliments (organisation_id, received_on, team_id, summary, consent_to_publish, created_at) ",
        );
        query.push_values(chunk, |mut row, (c, team_id)| {
            row.push_bind(organisation_id)
                .push_bind(c.received_on)
                .push_bind(*team_id)
                .push_bind(c.summary.as_str())
                .push_bind(c.consent_to_publish)
                .push_bind(now);
        });
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn compliments(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Vec<Compliment>, sqlx::Error> {
    let (first, last) = (
        NaiveDate::from_ymd_opt(1, 1, 1).expect("a date"),
        NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date"),
    );
    compliments_between(conn, organisation_id, first, last).await
}

/// The latest changes to the cases the scope reaches, newest first.
pub async fn recent_changes(
    conn: &mut Conn,
    scope: &CaseScope,
    limit: i64,
) -> Result<Vec<RecentChange>, StoreError> {
    // CROSS JOIN makes SQLite walk the newest changes first (the events_changes index) and
    // stop at `limit`; left to itself it walks every case of the organisation instead.
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT e.case_id, c.reference, e.actor, e.kind, e.occurred_at
         FROM events e CROSS JOIN cases c
         WHERE c.id = e.case_id AND e.kind NOT IN ('viewed', 'imported')",
    );
    push_case_scope(&mut query, "c", scope);
    query.push(" ORDER BY e.id DESC LIMIT ").push_bind(limit);
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(RecentChange {
                case_id: r.try_get("case_id")?,
                reference: r.try_get("reference")?,
                actor: r.try_get("actor")?,
                kind: r.try_get("kind")?,
                occurred_at: r.try_get("occurred_at")?,
            })
        })
        .collect()
}

/// The ids of the cases the scope reaches that have actions or ombudsman decisions.
pub async fn cases_with_actions(
    conn: &mut Conn,
    scope: &CaseScope,
    organisation_id: Option<i64>,
) -> Result<Vec<i64>, StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT c.id FROM cases c WHERE (c.id IN (SELECT case_id FROM actions)
            OR c.id IN (SELECT case_id FROM ombudsman_cases))",
    );
    if let Some(id) = organisation_id {
        query.push(" AND c.organisation_id = ").push_bind(id);
    }
    push_case_scope(&mut query, "c", scope);
    query.push(" ORDER BY c.id");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?)
}

pub async fn insert_attachment(
    conn: &mut Conn,
    info: &AttachmentInfo,
    content: &[u8],
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_attachments (case_id, name, content_type, size, sha256, content,
            added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(info.case_id)
    .bind(info.name.as_str())
    .bind(info.content_type.as_str())
    .bind(info.size)
    .bind(info.sha256.as_str())
    .bind(content)
    .bind(info.added_by.as_str())
    .bind(info.added_at)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")
}

fn attachment_info(r: &<Db as sqlx::Database>::Row) -> Result<AttachmentInfo, sqlx::Error> {
    Ok(AttachmentInfo {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        name: r.try_get("name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        added_by: r.try_get("added_by")?,
        added_at: r.try_get("added_at")?,
    })
}

pub async fn attachments(
    conn: &mut Conn,
    case_id: i64,
) -> Result<Vec<AttachmentInfo>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT id, case_id, name, content_type, size, sha256, added_by, added_at
         FROM case_attachments WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(attachment_info).collect()
}

pub async fn attachment(
    conn: &mut Conn,
    case_id: i64,
    id: i64,
) -> Result<Option<(AttachmentInfo, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, case_id, name, content_type, size, sha256, added_by, added_at, content
         FROM case_attachments WHERE case_id = $1 AND id = $2",
    )
    .bind(case_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((attachment_info(&r)?, r.try_get("content")?)))
        .transpose()
}

/// Rewrites the organisation's closure days and calendar file.
pub async fn set_calendar_settings(
    conn: &mut Conn,
    organisation_id: i64,
    closures: &str,
    calendar_json: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE organisations SET closures = $1, calendar_json = $2, version = version + 1
         WHERE id = $3",
    )
    .bind(closures)
    .bind(calendar_json)
    .bind(organisation_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets the due-date index of one case (after the calendar changed).
pub async fn set_due_on(
    conn: &mut Conn,
    case_id: i64,
    due_on: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cases SET due_on = $1 WHERE id = $2")
        .bind(due_on)
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
