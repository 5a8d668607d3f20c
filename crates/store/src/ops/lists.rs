// Lists of cases: filtered pages, the dashboard's counts, the actions tracker.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

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
            t.name AS team_name, r.name AS reason_name, c.due_on, c.version, c.child_complained, c.complainant_role,
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
    // Every open case with a due date counts, a complaint whose Stage 1 was never opened
    // included: reg. 14's 10 working days run from receipt (core's `Case::due_on`).
    if let Some(due_before) = filter.due_before {
        query
            .push(format!(" AND f.status IN {}", crate::open_statuses_sql()))
            .push(" AND f.due_on <= ")
            .push_bind(due_before);
    }
    if filter.overdue == Some(true) {
        query
            .push(format!(" AND f.status IN {}", crate::open_statuses_sql()))
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
                advocacy_missing: redress_core::advocacy_owed(
                    r.try_get("child_complained")?,
                    parse(
                        "complainant_role",
                        &r.try_get::<String, _>("complainant_role")?,
                    )?,
                    r.try_get("advocacy_offered")?,
                ),
            })
        })
        .collect()
}

/// Open cases in one organisation that the scope reaches, by stage (0: not yet at a stage),
/// with how many are overdue, due on `today` and due by `week_end`. Only open cases have a due
/// date, those not yet at a stage included (reg. 14 runs Stage 1 from receipt).
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
            CAST(COALESCE(SUM(CASE WHEN f.due_on < ",
    );
    query
        .push_bind(today)
        .push(
            " THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue,
            CAST(COALESCE(SUM(CASE WHEN f.due_on = ",
        )
        .push_bind(today)
        .push(
            " THEN 1 ELSE 0 END), 0) AS BIGINT) AS due_today,
            CAST(COALESCE(SUM(CASE WHEN f.due_on >= ",
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
