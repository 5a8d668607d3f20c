// Writing cases: new cases one at a time or in groups, a case's new state under its version, its parts (stages, ombudsman decisions, actions, personal details), imported history, and the due-date index.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

pub async fn insert_case(
    conn: &mut Conn,
    organisation_id: i64,
    case: &Case,
    index: &CaseIndex,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let ids = insert_case_rows(conn, organisation_id, &[(case, index)], now)
        .await
        .on_constraint("reference", || {
            format!("{} is already in use", case.reference())
        })?;
    Ok(ids[case.reference()])
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
            sufficient_interest_reason, reopenings, procedure_changes, draft, language) ",
    );
    query.push_values(rows, |mut row, (case, index)| {
        row.push_bind(organisation_id)
            .push_bind(case.reference())
            .push_bind(case.procedure())
            .push_bind(case.received_on())
            .push_bind(case.channel().as_str())
            .push_bind(case.complainant_role().as_str())
            .push_bind(case.child_complained())
            .push_bind(case.advocacy_offered())
            .push_bind(case.advocacy_taken_up())
            .push_bind(index.team_id)
            .push_bind(index.reason_id)
            .push_bind(case.status().as_str())
            .push_bind(case.current_stage().map(|s| s.number as i64))
            .push_bind(index.due_on)
            .push_bind(case.acknowledged_on())
            .push_bind(case.resolved_on())
            .push_bind(case.rejected_on())
            .push_bind(case.rejected_reason())
            .push_bind(case.withdrawn_on())
            .push_bind(case.closed_on())
            .push_bind(1i64)
            .push_bind(now)
            .push_bind(now)
            .push_bind(case.matter_arose_on())
            .push_bind(case.late_complaint_grounds())
            .push_bind(case.sufficient_interest().map(|d| d.decided))
            .push_bind(case.sufficient_interest().map(|d| d.reason.as_str()))
            .push_bind(serde_json::to_string(case.reopenings()).expect("reopenings serialise"))
            .push_bind(serde_json::to_string(case.procedure_changes()).expect("changes serialise"))
            .push_bind(draft_json(case))
            .push_bind(case.language().as_str());
    });
    query.push(" RETURNING id, reference");
    let returned: Rows = query.build().fetch_all(&mut *conn).await?;
    let mut ids = std::collections::HashMap::with_capacity(returned.len());
    for row in &returned {
        ids.insert(row.try_get("reference")?, row.try_get("id")?);
    }
    Ok(ids)
}

/// What an officer decided about a case drafted from an email, as the `draft` column holds it.
fn draft_json(case: &Case) -> Option<String> {
    case.draft()
        .map(|d| serde_json::to_string(d).expect("drafts serialise"))
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
            sufficient_interest_reason = $25, reopenings = $26, procedure_changes = $27,
            draft = $28, language = $29
         WHERE id = $20 AND version = $21",
    )
    .bind(case.procedure())
    .bind(case.received_on())
    .bind(case.channel().as_str())
    .bind(case.complainant_role().as_str())
    .bind(case.child_complained())
    .bind(case.advocacy_offered())
    .bind(case.advocacy_taken_up())
    .bind(index.team_id)
    .bind(index.reason_id)
    .bind(case.status().as_str())
    .bind(case.current_stage().map(|s| s.number as i64))
    .bind(index.due_on)
    .bind(case.acknowledged_on())
    .bind(case.resolved_on())
    .bind(case.rejected_on())
    .bind(case.rejected_reason())
    .bind(case.withdrawn_on())
    .bind(case.closed_on())
    .bind(now)
    .bind(id)
    .bind(expected_version)
    .bind(case.matter_arose_on())
    .bind(case.late_complaint_grounds())
    .bind(case.sufficient_interest().map(|d| d.decided))
    .bind(case.sufficient_interest().map(|d| d.reason.as_str()))
    .bind(serde_json::to_string(case.reopenings()).expect("reopenings serialise"))
    .bind(serde_json::to_string(case.procedure_changes()).expect("changes serialise"))
    .bind(draft_json(case))
    .bind(case.language().as_str())
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Replaces a case's stages, ombudsman cases, actions and personal details with `case`'s.
/// Saves a group of new cases in the caller's transaction, each in a savepoint of its own:
/// a case that is refused is rolled back alone and answered with its error.
pub async fn insert_new_cases(
    conn: &mut Conn,
    master: &MasterKey,
    jobs: Vec<NewCaseJob>,
) -> Result<Vec<Result<i64, StoreError>>, sqlx::Error> {
    let mut results = Vec::with_capacity(jobs.len());
    for mut job in jobs {
        let mut savepoint = sqlx::Connection::begin(&mut *conn).await?;
        match insert_new_case(&mut savepoint, master, &mut job).await {
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
pub(crate) async fn insert_new_case(
    conn: &mut Conn,
    master: &MasterKey,
    job: &mut NewCaseJob,
) -> Result<i64, StoreError> {
    let organisation = &job.organisation;
    let case = &mut job.case;
    let (team_id, reason_id) =
        team_and_reason_ids(conn, organisation.id, &organisation.slug, case).await?;
    if job.numbered {
        let year = case.received_on().year();
        let number = next_reference_number(conn, organisation.id, year as i64).await?;
        case.assign_reference(redress_core::Reference::generated(
            &organisation.reference_prefix,
            year,
            number,
        ));
    }
    let index = CaseIndex {
        team_id,
        reason_id,
        due_on: job.due_on,
    };
    let now = job.at;
    let id = insert_case(conn, organisation.id, case, &index, now).await?;
    write_parts(conn, id, case).await?;
    let this = Selection::One(id, &CaseScope::Everything);
    refresh_statistics(conn, organisation, &this, job.today).await?;
    let after = serde_json::to_value(&*case).expect("cases serialise");
    let event = job
        .actor
        .event("received", now)
        .about_case(organisation.id, id)
        .after(after);
    log_case_event(conn, master, event).await?;
    if let Some(respond_by) = job.mail {
        let officers = complaints_officers(conn, organisation.id).await?;
        let messages =
            crate::outbox::new_case_messages(organisation, case, id, respond_by, &officers);
        insert_messages(conn, &messages, now).await?;
    }
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
    // SQLite binds at most 32,766 values a statement: 23 a stage row.
    const BATCH: usize = 1024;
    let stages: Vec<(i64, &Stage)> = cases
        .iter()
        .flat_map(|(id, c)| c.stages().iter().map(move |s| (*id, s)))
        .collect();
    for chunk in crate::statement_chunks(&stages, BATCH) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO stages (case_id, number, started_on, late_request_reason, extended_to,
                extension_reason, clock_stops, responded_on, outcome, investigating_officer,
                independent_person, panel_on, panel_report_on, panel_members, panel_chair,
                acknowledged_on, extension_agreed_on, extension_notified_on, opened_on,
                extension_recorded_on, extension_length_unknown, earlier_rounds, ran_under,
                response_periods) ",
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
                .push_bind(stage.extension_notified_on)
                .push_bind(stage.opened_on)
                .push_bind(stage.extension_recorded_on)
                .push_bind(stage.extension_length_unknown)
                .push_bind(serde_json::to_string(&stage.earlier_rounds).expect("stages serialise"))
                .push_bind(
                    stage
                        .ran_under
                        .as_ref()
                        .map(|r| serde_json::to_string(r).expect("names serialise")),
                )
                .push_bind(
                    serde_json::to_string(&stage.response_periods).expect("periods serialise"),
                );
        });
        query.build().execute(&mut *conn).await?;
    }

    let appointees: Vec<(i64, String)> = cases
        .iter()
        .flat_map(|(id, c)| c.appointee_emails().into_iter().map(move |e| (*id, e)))
        .collect();
    for chunk in crate::statement_chunks(&appointees, BATCH) {
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
            c.ombudsman()
                .iter()
                .enumerate()
                .map(move |(i, o)| (*id, i, o))
        })
        .collect();
    for chunk in crate::statement_chunks(&ombudsman, BATCH) {
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
        .flat_map(|(id, c)| {
            c.actions()
                .iter()
                .enumerate()
                .map(move |(i, a)| (*id, i, a))
        })
        .collect();
    for chunk in crate::statement_chunks(&actions, BATCH) {
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
        .filter(|(_, c)| *c.personal() != PersonalDetails::default())
        .map(|(id, c)| (*id, c.personal()))
        .collect();
    for chunk in crate::statement_chunks(&personal, BATCH) {
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

/// Inserts imported cases, their "imported" events and their statistics rows (judged on
/// `organisation`'s rules from the cases in hand, not read back) in multi-row statements.
pub async fn insert_imported(
    conn: &mut Conn,
    organisation: &crate::Organisation,
    organisation_id: i64,
    rows: &[(ImportedCase, CaseIndex)],
    event: &ImportEvent<'_>,
    today: NaiveDate,
) -> Result<(), StoreError> {
    for chunk in crate::statement_chunks(rows, IMPORT_BATCH) {
        let case_rows: Vec<(&Case, &CaseIndex)> =
            chunk.iter().map(|(i, index)| (&i.case, index)).collect();
        let ids = insert_case_rows(conn, organisation_id, &case_rows, event.now).await?;
        let id_of = |case: &Case| {
            ids.get(case.reference())
                .copied()
                .ok_or(sqlx::Error::RowNotFound)
        };
        let mut with_ids = Vec::with_capacity(chunk.len());
        for (imported, _) in chunk {
            with_ids.push((id_of(&imported.case)?, &imported.case));
        }
        insert_parts(conn, &with_ids).await?;

        let mut events: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO events (organisation_id, case_id, actor, occurred_at, kind, after_json) ",
        );
        events.push_values(
            chunk.iter().zip(&with_ids),
            |mut row, ((imported, _), (case_id, _))| {
                row.push_bind(organisation_id)
                    .push_bind(*case_id)
                    .push_bind(event.actor)
                    .push_bind(event.now)
                    .push_bind("imported")
                    .push_bind(format!(
                        "{{\"source\":{},\"line\":{}}}",
                        event.source_json, imported.line
                    ));
            },
        );
        events.build().execute(&mut *conn).await?;

        let mut statistics = Vec::with_capacity(chunk.len() * 3);
        for ((imported, index), (case_id, _)) in chunk.iter().zip(&with_ids) {
            for figures in case_figures(organisation, &imported.case, today) {
                statistics.push(StatisticsRow {
                    case_id: *case_id,
                    organisation_id,
                    team_id: index.team_id,
                    reason_id: index.reason_id,
                    figures,
                });
            }
        }
        insert_statistics(conn, &statistics).await?;
    }
    Ok(())
}

/// SQLite binds at most 32,766 values a statement: 27 a case row (migration 0009 took it past
/// 1,213 rows a statement, and imports of more than that failed).
pub const IMPORT_BATCH: usize = 1024;

/// Sets the due-date index of one case (after the calendar changed).
/// Sets many cases' due dates in one statement per thousand cases.
pub async fn set_due_dates(
    conn: &mut Conn,
    due_dates: &[(i64, Option<NaiveDate>)],
) -> Result<(), sqlx::Error> {
    for chunk in due_dates.chunks(1000) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new("UPDATE cases SET due_on = CASE id");
        for (id, due_on) in chunk {
            query
                .push(" WHEN ")
                .push_bind(*id)
                .push(" THEN ")
                .push_bind(*due_on);
        }
        query.push(" END WHERE id IN (");
        let mut ids = query.separated(", ");
        for (id, _) in chunk {
            ids.push_bind(*id);
        }
        query.push(")");
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}
