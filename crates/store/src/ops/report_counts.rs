// An organisation's report as grouped queries over the statistics table, and direct reads of
// the short lists it prints (ombudsman decisions, actions, compliments to quote).
// Included in each backend module beside `ops.rs`, sharing its imports and types.

/// Appends ` AND column BETWEEN from AND to`, the one range every query here reads by.
trait PushBetween {
    fn push_between(&mut self, column: &str, from: NaiveDate, to: NaiveDate) -> &mut Self;
}

impl PushBetween for QueryBuilder<'_, Db> {
    fn push_between(&mut self, column: &str, from: NaiveDate, to: NaiveDate) -> &mut Self {
        self.push(format!(" AND {column} >= "))
            .push_bind(from)
            .push(format!(" AND {column} <= "))
            .push_bind(to)
    }
}

/// Which cases a report reads besides its dates: one team's, and one scheme's (the
/// procedure kind its cases are under, e.g. reg. 18's adult social care report).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub team_id: Option<i64>,
    pub kind: Option<&'a str>,
}

impl Scope<'_> {
    /// Every case of the organisation.
    pub const WHOLE: Scope<'static> = Scope {
        team_id: None,
        kind: None,
    };
}

/// Appends the team filter (`team_column` = the team's id) when the report is a team's, and
/// the scheme's (`case_column` = the case's id) when it is one scheme's. Compliments belong
/// to no procedure (`case_column` None), so a scheme's report counts them all.
fn push_scope(
    query: &mut QueryBuilder<'_, Db>,
    team_column: &str,
    case_column: Option<&str>,
    scope: Scope<'_>,
) {
    if let Some(team_id) = scope.team_id {
        query
            .push(format!(" AND {team_column} = "))
            .push_bind(team_id);
    }
    if let (Some(kind), Some(case_column)) = (scope.kind, case_column) {
        query
            .push(format!(
                " AND {case_column} IN (SELECT k.case_id FROM case_stage_stats k WHERE k.stage = 0 AND k.procedure_kind = "
            ))
            .push_bind(kind.to_string())
            .push(")");
    }
}

/// Keeps to the cases (`c`) a report reads: received from `spans.lookback` to `spans.upto`,
/// and the team's.
fn push_cases_read(
    query: &mut QueryBuilder<'_, Db>,
    spans: &crate::report_counts::ReportSpans,
    scope: Scope<'_>,
) {
    query.push_between("c.received_on", spans.lookback, spans.upto);
    push_scope(query, "c.team_id", Some("c.id"), scope);
}

/// A count column, absent (no rows) read as 0.
fn count(row: &<Db as sqlx::Database>::Row, column: &str) -> Result<u64, StoreError> {
    let value: Option<i64> = row.try_get(column)?;
    Ok(value.unwrap_or(0).max(0) as u64)
}

/// The id of the organisation's team named `name`; -1 (no team's) when there is none, so
/// a report on it counts nothing.
pub async fn team_named(
    conn: &mut Conn,
    organisation_id: i64,
    name: &str,
) -> Result<i64, StoreError> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM teams WHERE organisation_id = $1 AND name = $2")
            .bind(organisation_id)
            .bind(name)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(id.unwrap_or(-1))
}

/// Everything the report for `spans.current` counts, in one connection.
pub async fn report_counts(
    conn: &mut Conn,
    organisation: &crate::Organisation,
    spans: &crate::report_counts::ReportSpans,
    team: Option<&str>,
    kind: Option<&str>,
) -> Result<redress_core::report_counts::ReportCounts, StoreError> {
    use redress_core::report_counts::{PreviousCounts, ReportCounts};
    let team_id = match team {
        Some(name) => Some(team_named(conn, organisation.id, name).await?),
        None => None,
    };
    let scope = Scope { team_id, kind };
    let (from, to) = spans.current;
    let (before_from, before_to) = spans.previous;
    let mut stage1_by_quarter = Vec::new();
    for (quarter, quarter_from, quarter_to) in &spans.quarters {
        let [stage1, ..] =
            stage_counts(conn, organisation, spans, scope, *quarter_from, *quarter_to).await?;
        stage1_by_quarter.push((*quarter, stage1));
    }
    let (compliments_received, compliments_by_team) =
        compliment_counts(conn, organisation.id, scope, from, to).await?;
    let (compliments_before, _) =
        compliment_counts(conn, organisation.id, scope, before_from, before_to).await?;
    let ombudsman = ombudsman_decisions(conn, organisation.id, spans, scope, from, to).await?;
    Ok(ReportCounts {
        complaints: complaint_counts(conn, organisation.id, scope, from, to).await?,
        stages: stage_counts(conn, organisation, spans, scope, from, to).await?,
        stage1_by_quarter,
        ombudsman,
        actions: report_actions(conn, organisation.id, spans, scope).await?,
        compliments_received,
        compliments_by_team,
        quotations: quotations(conn, organisation.id, scope, from, to).await?,
        previous: PreviousCounts {
            received: complaints_received(conn, organisation.id, scope, before_from, before_to)
                .await?,
            stages: stage_counts(conn, organisation, spans, scope, before_from, before_to).await?,
            ombudsman_decisions: ombudsman_decisions(
                conn,
                organisation.id,
                spans,
                scope,
                before_from,
                before_to,
            )
            .await?
            .len() as u64,
            compliments_received: compliments_before,
        },
    })
}

/// The complaints received in `from..=to`: one grouped query over the cases' rows (row 0),
/// and the rejection reasons, free text kept on the case only, grouped from the cases.
async fn complaint_counts(
    conn: &mut Conn,
    organisation_id: i64,
    scope: Scope<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<redress_core::report_counts::ComplaintCounts, StoreError> {
    use std::collections::BTreeMap;
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT s.channel, s.complainant_role, s.team_id, s.reason_id,
            CAST(COUNT(*) AS BIGINT) AS received,
            CAST(SUM(CASE WHEN s.procedure_kind = 'statutory' THEN 1 ELSE 0 END) AS BIGINT) AS statutory,
            CAST(SUM(CASE WHEN s.resolved_at_initial_contact THEN 1 ELSE 0 END) AS BIGINT) AS resolved,
            CAST(SUM(CASE WHEN s.rejected THEN 1 ELSE 0 END) AS BIGINT) AS rejected,
            CAST(SUM(CASE WHEN s.child_complained THEN 1 ELSE 0 END) AS BIGINT) AS child,
            CAST(SUM(CASE WHEN s.advocacy_offered THEN 1 ELSE 0 END) AS BIGINT) AS offered,
            CAST(SUM(CASE WHEN s.advocacy_taken_up THEN 1 ELSE 0 END) AS BIGINT) AS taken_up
         FROM case_stage_stats s WHERE s.organisation_id = ",
    );
    query
        .push_bind(organisation_id)
        .push(" AND s.stage = 0")
        .push_between("s.started_on", from, to);
    push_scope(&mut query, "s.team_id", Some("s.case_id"), scope);
    query.push(" GROUP BY s.channel, s.complainant_role, s.team_id, s.reason_id");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    let teams = names_by_id(conn, "teams", organisation_id).await?;
    let reasons = names_by_id(conn, "reasons", organisation_id).await?;
    let mut counts = redress_core::report_counts::ComplaintCounts::default();
    let mut by_channel: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_role: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_team: BTreeMap<Option<String>, u64> = BTreeMap::new();
    let mut by_reason: BTreeMap<Option<String>, u64> = BTreeMap::new();
    for row in &rows {
        let received = count(row, "received")?;
        let rejected = count(row, "rejected")?;
        counts.received += received;
        counts.statutory += count(row, "statutory")?;
        counts.resolved_at_initial_contact += count(row, "resolved")?;
        counts.rejected += rejected;
        counts.child_complained += count(row, "child")?;
        counts.advocacy_offered += count(row, "offered")?;
        counts.advocacy_taken_up += count(row, "taken_up")?;
        *by_channel.entry(row.try_get("channel")?).or_default() += received;
        *by_role.entry(row.try_get("complainant_role")?).or_default() += received;
        // Teams and reasons count the complaints not rejected.
        let accepted = received.saturating_sub(rejected);
        let (team, reason): (Option<i64>, Option<i64>) =
            (row.try_get("team_id")?, row.try_get("reason_id")?);
        let name = |names: &std::collections::HashMap<i64, String>, id: Option<i64>| {
            id.and_then(|id| names.get(&id).cloned())
        };
        *by_team.entry(name(&teams, team)).or_default() += accepted;
        *by_reason.entry(name(&reasons, reason)).or_default() += accepted;
    }
    counts.by_channel = by_channel.into_iter().collect();
    counts.by_complainant_role = by_role.into_iter().collect();
    counts.by_team = by_team.into_iter().collect();
    counts.by_reason = by_reason.into_iter().collect();

    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT rejected_reason, CAST(COUNT(*) AS BIGINT) AS n FROM cases
         WHERE organisation_id = ",
    );
    query
        .push_bind(organisation_id)
        .push_between("received_on", from, to)
        .push(" AND rejected_reason IS NOT NULL");
    push_scope(&mut query, "team_id", Some("id"), scope);
    query.push(" GROUP BY rejected_reason");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    for row in &rows {
        counts
            .rejected_reasons
            .push((row.try_get("rejected_reason")?, count(row, "n")?));
    }
    Ok(counts)
}

/// An organisation's teams or reasons (`table`: a fixed name from this file), by id.
async fn names_by_id(
    conn: &mut Conn,
    table: &'static str,
    organisation_id: i64,
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    let rows: Rows = sqlx::query(&format!(
        "SELECT id, name FROM {table} WHERE organisation_id = $1"
    ))
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
        .collect()
}

async fn complaints_received(
    conn: &mut Conn,
    organisation_id: i64,
    scope: Scope<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<u64, StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM case_stage_stats WHERE organisation_id = ",
    );
    query
        .push_bind(organisation_id)
        .push(" AND stage = 0")
        .push_between("started_on", from, to);
    push_scope(&mut query, "team_id", Some("case_id"), scope);
    let row = query.build().fetch_one(&mut *conn).await?;
    count(&row, "n")
}

/// The statistics rows of stages started in `from..=to`, of the cases a report reads
/// (received from `spans.lookback` to `spans.upto`).
fn push_stage_rows(
    query: &mut QueryBuilder<'_, Db>,
    organisation_id: i64,
    spans: &crate::report_counts::ReportSpans,
    scope: Scope<'_>,
    from: NaiveDate,
    to: NaiveDate,
) {
    query
        .push(" WHERE s.organisation_id = ")
        .push_bind(organisation_id)
        .push(" AND s.stage IN (1, 2, 3)")
        .push_between("s.started_on", from, to)
        .push_between("s.received_on", spans.lookback, spans.upto);
    push_scope(query, "s.team_id", Some("s.case_id"), scope);
}

/// A stage open on `as_of`: no response by then, in a case not final by then.
fn push_open_on(query: &mut QueryBuilder<'_, Db>, as_of: NaiveDate) {
    query
        .push("(s.responded_on IS NULL OR s.responded_on > ")
        .push_bind(as_of)
        .push(") AND (s.case_final_on IS NULL OR s.case_final_on > ")
        .push_bind(as_of)
        .push(")");
}

/// A row the grouped query cannot count alone: one the rules could not judge, or a stage open
/// on `as_of` whose clock is stopped now or whose deadline could not be worked out.
fn push_exceptional(query: &mut QueryBuilder<'_, Db>, as_of: NaiveDate) {
    query.push("(s.timeliness_error IS NOT NULL OR (");
    push_open_on(query, as_of);
    query.push(" AND (s.clock_paused OR s.deadline_error IS NOT NULL)))");
}

/// Stages 1 to 3 started in `from..=to`: one grouped query for the counts, then the few rows
/// it cannot count alone, in case order: a stage whose clock is stopped now (its deadline on
/// `to` is judged from the case) and any the rules could not judge (the first is named).
async fn stage_counts(
    conn: &mut Conn,
    organisation: &crate::Organisation,
    spans: &crate::report_counts::ReportSpans,
    scope: Scope<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<[redress_core::report_counts::StageCounts; 3], StoreError> {
    use redress_core::report_counts::{StageCounts, Unjudged};
    let mut counts: [StageCounts; 3] = Default::default();
    // Open work is judged on the earlier of the span's end and the report's day; a stage's
    // outcome counts with the year it started, whenever it came (as `redress_report` does).
    let as_of = to.min(spans.judged_on);
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT s.stage, CAST(COUNT(*) AS BIGINT) AS started,
            CAST(SUM(CASE WHEN s.responded THEN 1 ELSE 0 END) AS BIGINT) AS responded,
            CAST(SUM(CASE WHEN s.within_timescale THEN 1 ELSE 0 END) AS BIGINT) AS within_timescale,
            CAST(SUM(CASE WHEN s.extended THEN 1 ELSE 0 END) AS BIGINT) AS extended,
            CAST(SUM(CASE WHEN s.outcome = 'upheld' THEN 1 ELSE 0 END) AS BIGINT) AS upheld,
            CAST(SUM(CASE WHEN s.outcome = 'partially_upheld' THEN 1 ELSE 0 END) AS BIGINT) AS partially_upheld,
            CAST(SUM(CASE WHEN s.outcome = 'not_upheld' THEN 1 ELSE 0 END) AS BIGINT) AS not_upheld,
            CAST(SUM(CASE WHEN s.outcome = 'withdrawn' THEN 1 ELSE 0 END) AS BIGINT) AS withdrawn,
            CAST(SUM(CASE WHEN s.outcome = 'not_responded_in_time' THEN 1 ELSE 0 END) AS BIGINT) AS not_responded_in_time,
            CAST(SUM(CASE WHEN s.procedure_kind = 'statutory' THEN 1 ELSE 0 END) AS BIGINT) AS statutory,
            CAST(SUM(CASE WHEN s.judged_by_fallback THEN 1 ELSE 0 END) AS BIGINT) AS judged_by_fallback,
            CAST(SUM(s.clock_stops) AS BIGINT) AS clock_stops,
            CAST(SUM(s.working_days_to_respond) AS BIGINT) AS working_days,
            CAST(COUNT(s.working_days_to_respond) AS BIGINT) AS with_working_days",
    );
    query.push(", CAST(SUM(CASE WHEN ");
    push_open_on(&mut query, as_of);
    query
        .push(" AND NOT s.clock_paused AND s.due_on < ")
        .push_bind(as_of)
        .push(
            " THEN 1 ELSE 0 END) AS BIGINT) AS open_overdue,
            CAST(SUM(CASE WHEN ",
        );
    push_exceptional(&mut query, as_of);
    query.push(" THEN 1 ELSE 0 END) AS BIGINT) AS exceptional FROM case_stage_stats s");
    push_stage_rows(&mut query, organisation.id, spans, scope, from, to);
    query.push(" GROUP BY s.stage");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    let mut exceptional = 0;
    for row in &rows {
        exceptional += count(row, "exceptional")?;
        let stage: i64 = row.try_get("stage")?;
        let Some(figures) = usize::try_from(stage - 1)
            .ok()
            .and_then(|i| counts.get_mut(i))
        else {
            continue;
        };
        *figures = StageCounts {
            started: count(row, "started")?,
            responded: count(row, "responded")?,
            within_timescale: count(row, "within_timescale")?,
            extended: count(row, "extended")?,
            upheld: count(row, "upheld")?,
            partially_upheld: count(row, "partially_upheld")?,
            not_upheld: count(row, "not_upheld")?,
            withdrawn: count(row, "withdrawn")?,
            statutory: count(row, "statutory")?,
            open_overdue: count(row, "open_overdue")?,
            not_responded_in_time: count(row, "not_responded_in_time")?,
            judged_by_fallback: count(row, "judged_by_fallback")?,
            clock_stops: count(row, "clock_stops")?,
            working_days: row.try_get::<Option<i64>, _>("working_days")?.unwrap_or(0),
            responses_with_working_days: count(row, "with_working_days")?,
            unjudged: None,
        };
    }

    // Complaints with no stage on record whose Stage 1 (reg. 14, from receipt) was open and
    // overdue: row 0 holds its due date (core's `stage_figures`).
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM case_stage_stats s WHERE s.organisation_id = ",
    );
    query
        .push_bind(organisation.id)
        .push(" AND s.stage = 0")
        .push_between("s.started_on", from, to)
        .push_between("s.received_on", spans.lookback, spans.upto);
    push_scope(&mut query, "s.team_id", Some("s.case_id"), scope);
    query.push(" AND ");
    push_open_on(&mut query, as_of);
    query.push(" AND s.due_on < ").push_bind(as_of);
    let row = query.build().fetch_one(&mut *conn).await?;
    counts[0].open_overdue += count(&row, "n")?;

    if exceptional == 0 {
        return Ok(counts);
    }
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT s.stage, s.case_id, c.reference, s.responded_on, s.case_final_on, s.clock_paused,
            s.deadline_error, s.timeliness_error
         FROM case_stage_stats s JOIN cases c ON c.id = s.case_id",
    );
    push_stage_rows(&mut query, organisation.id, spans, scope, from, to);
    query.push(" AND ");
    push_exceptional(&mut query, as_of);
    query.push(" ORDER BY s.case_id");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    for row in &rows {
        let stage: i64 = row.try_get("stage")?;
        let Some(figures) = usize::try_from(stage - 1)
            .ok()
            .and_then(|i| counts.get_mut(i))
        else {
            continue;
        };
        if figures.unjudged.is_some() {
            continue;
        }
        let responded_on: Option<NaiveDate> = row.try_get("responded_on")?;
        let case_final_on: Option<NaiveDate> = row.try_get("case_final_on")?;
        let paused: bool = row.try_get("clock_paused")?;
        let deadline_error: Option<String> = row.try_get("deadline_error")?;
        let timeliness_error: Option<String> = row.try_get("timeliness_error")?;
        let open_at_end =
            responded_on.is_none_or(|r| r > as_of) && case_final_on.is_none_or(|f| f > as_of);
        let mut unjudged = None;
        if open_at_end && paused {
            let case_id: i64 = row.try_get("case_id")?;
            match paused_stage_overdue(conn, organisation, case_id, stage, (from, to), as_of)
                .await?
            {
                Ok(true) => figures.open_overdue += 1,
                Ok(false) => {}
                Err(message) => unjudged = Some(message),
            }
        } else if open_at_end {
            unjudged = deadline_error;
        }
        figures.unjudged = unjudged.or(timeliness_error).map(|message| Unjudged {
            reference: row.try_get("reference").unwrap_or_default(),
            message,
        });
    }
    Ok(counts)
}

/// Whether a stage whose clock is stopped now was overdue on `as_of`, judged from its case by
/// core's rule; the inner error says why it cannot be worked out.
async fn paused_stage_overdue(
    conn: &mut Conn,
    organisation: &crate::Organisation,
    case_id: i64,
    number: i64,
    (from, to): (NaiveDate, NaiveDate),
    as_of: NaiveDate,
) -> Result<Result<bool, String>, StoreError> {
    let loaded = load_cases(
        conn,
        &Selection::One(case_id, &CaseScope::Everything),
        false,
    )
    .await?;
    let Some(case) = loaded.first().map(|l| &l.case) else {
        return Ok(Ok(false));
    };
    let Some(stage) = case
        .stages()
        .iter()
        .find(|s| i64::from(s.number) == number && from <= s.started_on && s.started_on <= to)
    else {
        return Ok(Ok(false));
    };
    let (procedure, calendar) = redress_core::judged_under(organisation, case, stage);
    Ok(redress_core::statistics::overdue_on(
        case, stage, procedure, calendar, as_of,
    ))
}

/// Ombudsman decisions made in `from..=to` on the cases a report reads, with their case's
/// reference, in case order.
async fn ombudsman_decisions(
    conn: &mut Conn,
    organisation_id: i64,
    spans: &crate::report_counts::ReportSpans,
    scope: Scope<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, OmbudsmanCase)>, StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT c.reference, o.decision, o.decided_on, o.lgsco_reference, o.remedies
         FROM ombudsman_cases o CROSS JOIN cases c
         WHERE c.id = o.case_id AND c.organisation_id = ",
    );
    query
        .push_bind(organisation_id)
        .push_between("o.decided_on", from, to);
    push_cases_read(&mut query, spans, scope);
    query.push(" ORDER BY c.id, o.position");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|o| Ok((o.try_get("reference")?, ombudsman_from_row(o)?)))
        .collect()
}

/// The actions of the cases the period counts (received in it, or with a stage started in
/// it), with their case's reference, in case order.
async fn report_actions(
    conn: &mut Conn,
    organisation_id: i64,
    spans: &crate::report_counts::ReportSpans,
    scope: Scope<'_>,
) -> Result<Vec<(String, Action)>, StoreError> {
    let (from, to) = spans.current;
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT c.reference, a.kind, a.description, a.owner_team, a.due_on, a.completed_on
         FROM actions a CROSS JOIN cases c
         WHERE c.id = a.case_id AND c.organisation_id = ",
    );
    // Read from the actions, far fewer than the cases; row 0 starts on the day received, so
    // one range finds both kinds of activity.
    query
        .push_bind(organisation_id)
        .push(" AND EXISTS (SELECT 1 FROM case_stage_stats s WHERE s.case_id = a.case_id")
        .push_between("s.started_on", from, to)
        .push(")");
    push_cases_read(&mut query, spans, scope);
    query.push(" ORDER BY c.id, a.position");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|a| Ok((a.try_get("reference")?, action_from_row(a)?)))
        .collect()
}

/// Compliments received in `from..=to`: how many, and how many by team.
async fn compliment_counts(
    conn: &mut Conn,
    organisation_id: i64,
    scope: Scope<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(u64, Vec<(Option<String>, u64)>), StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT t.name AS team_name, CAST(COUNT(*) AS BIGINT) AS n
         FROM compliments c LEFT JOIN teams t ON t.id = c.team_id
         WHERE c.organisation_id = ",
    );
    query
        .push_bind(organisation_id)
        .push_between("c.received_on", from, to);
    push_scope(&mut query, "c.team_id", None, scope);
    query.push(" GROUP BY t.name");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    let mut total = 0;
    let mut by_team = Vec::with_capacity(rows.len());
    for row in &rows {
        let n = count(row, "n")?;
        total += n;
        by_team.push((row.try_get("team_name")?, n));
    }
    Ok((total, by_team))
}

/// The first ten quotations the council approved for publication, of compliments received in
/// `from..=to`: (team, quotation).
async fn quotations(
    conn: &mut Conn,
    organisation_id: i64,
    scope: Scope<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(Option<String>, String)>, StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT t.name AS team_name, c.published_quotation
         FROM compliments c LEFT JOIN teams t ON t.id = c.team_id
         WHERE c.organisation_id = ",
    );
    query
        .push_bind(organisation_id)
        .push(" AND c.published_quotation IS NOT NULL")
        .push_between("c.received_on", from, to);
    push_scope(&mut query, "c.team_id", None, scope);
    query.push(" ORDER BY c.received_on, c.id LIMIT 10");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("team_name")?,
                row.try_get("published_quotation")?,
            ))
        })
        .collect()
}
