// The statistics table: one row per stage of each case (row 0 for the case), rewritten in the
// transaction of every change that affects it, and the national roll-up's grouped queries.
// Included in each backend module beside `ops.rs`.

/// Rewrites the statistics rows of the cases `selection` finds, judging them on
/// `organisation`'s procedures and calendars as they are (or are about to be) saved.
pub async fn refresh_statistics(
    conn: &mut Conn,
    organisation: &crate::Organisation,
    selection: &Selection<'_>,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let cases = load_cases(conn, selection, false).await?;
    write_statistics(conn, organisation, &cases, today).await?;
    Ok(cases.len())
}

/// The statistics rows `organisation`'s rules give these cases.
pub fn statistics_of(
    organisation: &crate::Organisation,
    cases: &[LoadedCase],
    today: NaiveDate,
) -> Vec<(i64, i64, redress_core::statistics::StageFigures)> {
    cases
        .iter()
        .flat_map(|loaded| {
            case_figures(organisation, &loaded.case, today)
                .into_iter()
                .map(move |row| (loaded.id, loaded.organisation_id, row))
        })
        .collect()
}

/// The statistics rows `organisation`'s rules give one case.
pub fn case_figures(
    organisation: &crate::Organisation,
    case: &Case,
    today: NaiveDate,
) -> Vec<redress_core::statistics::StageFigures> {
    redress_core::statistics::stage_figures(case, organisation, today)
}

/// One row of the statistics table: a case's figures for one stage, and what it is filed
/// under.
pub struct StatisticsRow {
    pub case_id: i64,
    pub organisation_id: i64,
    pub team_id: Option<i64>,
    pub reason_id: Option<i64>,
    pub figures: redress_core::statistics::StageFigures,
}

async fn write_statistics(
    conn: &mut Conn,
    organisation: &crate::Organisation,
    cases: &[LoadedCase],
    today: NaiveDate,
) -> Result<(), StoreError> {
    const BATCH: usize = 1000;
    for chunk in crate::statement_chunks(cases, BATCH) {
        let mut delete: QueryBuilder<Db> =
            QueryBuilder::new("DELETE FROM case_stage_stats WHERE case_id IN (");
        let mut list = delete.separated(", ");
        for loaded in chunk {
            list.push_bind(loaded.id);
        }
        list.push_unseparated(")");
        delete.build().execute(&mut *conn).await?;
    }
    let rows: Vec<StatisticsRow> = statistics_of(organisation, cases, today)
        .into_iter()
        .map(|(case_id, organisation_id, figures)| StatisticsRow {
            case_id,
            organisation_id,
            team_id: None,
            reason_id: None,
            figures,
        })
        .collect();
    insert_statistics(conn, &rows).await?;
    // The team and reason, by id, from the cases themselves.
    for chunk in crate::statement_chunks(cases, BATCH) {
        let mut update: QueryBuilder<Db> = QueryBuilder::new(
            "UPDATE case_stage_stats SET
                team_id = (SELECT c.team_id FROM cases c WHERE c.id = case_stage_stats.case_id),
                reason_id = (SELECT c.reason_id FROM cases c WHERE c.id = case_stage_stats.case_id)
             WHERE case_id IN (",
        );
        let mut list = update.separated(", ");
        for loaded in chunk {
            list.push_bind(loaded.id);
        }
        list.push_unseparated(")");
        update.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Inserts statistics rows (of cases that have none yet) in multi-row statements.
pub async fn insert_statistics(conn: &mut Conn, rows: &[StatisticsRow]) -> Result<(), StoreError> {
    // 30 values a row: 1,024 rows keep inside SQLite's 32,766 bound variables a statement.
    for chunk in crate::statement_chunks(rows, 1024) {
        let mut insert: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO case_stage_stats (case_id, stage, organisation_id, team_id, reason_id,
                procedure_kind, received_on, started_on, due_on, responded_on, outcome,
                responded, within_timescale, extended, clock_stopped, case_final,
                resolved_at_initial_contact, rejected, channel, complainant_role,
                child_complained, advocacy_offered, advocacy_taken_up, working_days_to_respond,
                judged_by_fallback, clock_stops, clock_paused, deadline_error,
                timeliness_error, case_final_on) ",
        );
        insert.push_values(chunk, |mut values, row| {
            let figures = &row.figures;
            values
                .push_bind(row.case_id)
                .push_bind(figures.stage as i64)
                .push_bind(row.organisation_id)
                .push_bind(row.team_id)
                .push_bind(row.reason_id)
                .push_bind(figures.procedure_kind.as_str())
                .push_bind(figures.received_on)
                .push_bind(figures.started_on)
                .push_bind(figures.due_on)
                .push_bind(figures.responded_on)
                .push_bind(figures.outcome.as_deref())
                .push_bind(figures.responded)
                .push_bind(figures.within_timescale)
                .push_bind(figures.extended)
                .push_bind(figures.clock_stopped)
                .push_bind(figures.case_final)
                .push_bind(figures.resolved_at_initial_contact)
                .push_bind(figures.rejected)
                .push_bind(figures.channel.as_str())
                .push_bind(figures.complainant_role.as_str())
                .push_bind(figures.child_complained)
                .push_bind(figures.advocacy_offered)
                .push_bind(figures.advocacy_taken_up)
                .push_bind(figures.working_days_to_respond)
                .push_bind(figures.judged_by_fallback)
                .push_bind(figures.clock_stops as i64)
                .push_bind(figures.clock_paused)
                .push_bind(figures.deadline_error.as_deref())
                .push_bind(figures.timeliness_error.as_deref())
                .push_bind(figures.case_final_on);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rewrites the statistics of every case of the organisation, a page of ids at a time.
pub async fn refresh_organisation_statistics(
    conn: &mut Conn,
    organisation: &crate::Organisation,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let mut after = 0;
    let mut count = 0;
    loop {
        let ids = case_ids(conn, organisation.id, after, 2000).await?;
        let Some(upto) = ids.last().copied() else {
            break;
        };
        let selection = Selection::IdRange {
            organisation_id: organisation.id,
            after,
            upto,
        };
        count += refresh_statistics(conn, organisation, &selection, today).await?;
        after = upto;
    }
    Ok(count)
}

/// The statistics rows kept for an organisation's cases with ids in `(after, upto]`, as core's
/// type, for the consistency check.
pub async fn stored_statistics(
    conn: &mut Conn,
    organisation_id: i64,
    after: i64,
    upto: i64,
) -> Result<Vec<(i64, i64, redress_core::statistics::StageFigures)>, StoreError> {
    let rows: Rows = sqlx::query(
        "SELECT * FROM case_stage_stats WHERE organisation_id = $1 AND case_id > $2
            AND case_id <= $3 ORDER BY case_id, stage",
    )
    .bind(organisation_id)
    .bind(after)
    .bind(upto)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("procedure_kind")?;
            let stage: i64 = r.try_get("stage")?;
            let channel: String = r.try_get("channel")?;
            let role: String = r.try_get("complainant_role")?;
            let clock_stops: i64 = r.try_get("clock_stops")?;
            Ok((
                r.try_get("case_id")?,
                organisation_id,
                redress_core::statistics::StageFigures {
                    stage: stage as u8,
                    procedure_kind: json("procedure_kind", &format!("\"{kind}\""))?,
                    received_on: r.try_get("received_on")?,
                    started_on: r.try_get("started_on")?,
                    due_on: r.try_get("due_on")?,
                    responded_on: r.try_get("responded_on")?,
                    outcome: r.try_get("outcome")?,
                    responded: r.try_get("responded")?,
                    within_timescale: r.try_get("within_timescale")?,
                    extended: r.try_get("extended")?,
                    clock_stopped: r.try_get("clock_stopped")?,
                    case_final: r.try_get("case_final")?,
                    case_final_on: r.try_get("case_final_on")?,
                    resolved_at_initial_contact: r.try_get("resolved_at_initial_contact")?,
                    rejected: r.try_get("rejected")?,
                    channel: parse("channel", &channel)?,
                    complainant_role: parse("complainant_role", &role)?,
                    child_complained: r.try_get("child_complained")?,
                    advocacy_offered: r.try_get("advocacy_offered")?,
                    advocacy_taken_up: r.try_get("advocacy_taken_up")?,
                    working_days_to_respond: r.try_get("working_days_to_respond")?,
                    judged_by_fallback: r.try_get("judged_by_fallback")?,
                    clock_stops: u32::try_from(clock_stops).unwrap_or(u32::MAX),
                    clock_paused: r.try_get("clock_paused")?,
                    deadline_error: r.try_get("deadline_error")?,
                    timeliness_error: r.try_get("timeliness_error")?,
                },
            ))
        })
        .collect()
}

/// Every organisation's counts for `spans.current`, one grouped query per figure. Stages and
/// ombudsman decisions count for cases received since `spans.lookback`, as a report's records
/// do (`redress_report::input::Needs`). Open work is judged as of the earlier of the period's
/// end and `spans.judged_on`. Rows the grouped queries cannot count alone are left to
/// `national_exceptions`.
pub async fn national_counts(
    conn: &mut Conn,
    spans: &crate::report_counts::ReportSpans,
) -> Result<std::collections::BTreeMap<i64, crate::statistics::NationalCounts>, StoreError> {
    let lookback = spans.lookback;
    let (from, to) = spans.current;
    let judged_on = to.min(spans.judged_on);
    let mut counts: std::collections::BTreeMap<i64, crate::statistics::NationalCounts> =
        Default::default();
    // Each query answers (organisation_id, a, b, c, d) with the figures it counts. Each reads
    // the organisation report's covering index, (organisation_id, stage, started_on, ...),
    // one range per organisation: naming the organisations lets both planners seek it, so no
    // second index ordered by date is kept up to date on every write (issue 26: it made a
    // small import into a large database touch pages all over that index). (Row 0 starts on
    // the day received; it has a due date only for a Stage 1 never opened, counted as open
    // and overdue.)
    let queries: [(&str, &str); 4] = [
        (
            "received",
            "SELECT organisation_id, CAST(COUNT(*) AS BIGINT) AS a,
                    CAST(SUM(CASE WHEN procedure_kind = 'statutory' THEN 1 ELSE 0 END) AS BIGINT) AS b,
                    CAST(0 AS BIGINT) AS c, CAST(0 AS BIGINT) AS d
                 FROM case_stage_stats WHERE organisation_id IN (SELECT id FROM organisations) AND stage = 0 AND started_on BETWEEN $1 AND $2
                 GROUP BY organisation_id",
        ),
        (
            "stage1",
            "SELECT organisation_id,
                    CAST(SUM(CASE WHEN responded THEN 1 ELSE 0 END) AS BIGINT) AS a,
                    CAST(SUM(CASE WHEN within_timescale THEN 1 ELSE 0 END) AS BIGINT) AS b,
                    CAST(SUM(CASE WHEN (responded_on IS NULL OR responded_on > $4)
                        AND (case_final_on IS NULL OR case_final_on > $4) AND NOT clock_paused
                        AND due_on < $4 THEN 1 ELSE 0 END) AS BIGINT) AS c,
                    CAST(SUM(CASE WHEN outcome = 'not_responded_in_time' THEN 1 ELSE 0 END) AS BIGINT) AS d
                 FROM case_stage_stats
                 WHERE organisation_id IN (SELECT id FROM organisations) AND stage IN (0, 1) AND started_on BETWEEN $1 AND $2 AND received_on >= $3
                 GROUP BY organisation_id",
        ),
        (
            "later stages",
            "SELECT organisation_id,
                    CAST(SUM(CASE WHEN stage = 2 THEN 1 ELSE 0 END) AS BIGINT) AS a,
                    CAST(SUM(CASE WHEN stage = 3 THEN 1 ELSE 0 END) AS BIGINT) AS b, CAST(0 AS BIGINT) AS c, CAST(0 AS BIGINT) AS d
                 FROM case_stage_stats
                 WHERE organisation_id IN (SELECT id FROM organisations) AND stage IN (2, 3) AND started_on BETWEEN $1 AND $2 AND received_on >= $3
                 GROUP BY organisation_id",
        ),
        (
            "ombudsman and compliments",
            "SELECT organisation_id, CAST(SUM(a) AS BIGINT) AS a, CAST(SUM(b) AS BIGINT) AS b, CAST(0 AS BIGINT) AS c, CAST(0 AS BIGINT) AS d FROM (
                    SELECT c.organisation_id, CAST(COUNT(*) AS BIGINT) AS a, CAST(0 AS BIGINT) AS b
                    FROM ombudsman_cases o JOIN cases c ON c.id = o.case_id
                    WHERE o.decided_on BETWEEN $1 AND $2 AND c.received_on >= $3
                    GROUP BY c.organisation_id
                    UNION ALL
                    SELECT organisation_id, CAST(0 AS BIGINT) AS a, CAST(COUNT(*) AS BIGINT) AS b FROM compliments
                    WHERE received_on BETWEEN $1 AND $2 GROUP BY organisation_id
                 ) x GROUP BY organisation_id",
        ),
    ];
    for (name, sql) in queries {
        let mut query = sqlx::query(sql).bind(from).bind(to);
        if sql.contains("$3") {
            query = query.bind(lookback);
        }
        if sql.contains("$4") {
            query = query.bind(judged_on);
        }
        let rows: Rows = query.fetch_all(&mut *conn).await?;
        for r in &rows {
            let organisation_id: i64 = r.try_get("organisation_id")?;
            let [a, b, c, d] = ["a", "b", "c", "d"].map(|column| {
                r.try_get::<Option<i64>, _>(column)
                    .ok()
                    .flatten()
                    .unwrap_or(0) as u64
            });
            let entry = counts.entry(organisation_id).or_default();
            match name {
                "received" => {
                    entry.received = a;
                    entry.statutory = b;
                }
                "stage1" => {
                    entry.stage1_responded = a;
                    entry.stage1_within_timescale = b;
                    entry.stage1_open_overdue = c;
                    entry.stage1_not_responded_in_time = d;
                }
                "later stages" => {
                    entry.stage2_started = a;
                    entry.stage3_started = b;
                }
                _ => {
                    entry.ombudsman_decisions = a;
                    entry.compliments_received = b;
                }
            }
        }
    }
    Ok(counts)
}

/// The organisations with a row the grouped queries cannot count alone, in any span their
/// report reads (the period, its quarters, the year before): one the rules could not judge, or
/// a stage open whose clock is stopped now or whose deadline could not be worked out.
pub async fn national_exceptions(
    conn: &mut Conn,
    spans: &crate::report_counts::ReportSpans,
) -> Result<Vec<i64>, StoreError> {
    let (from, to) = (spans.previous.0.min(spans.current.0), spans.current.1);
    // A stage open on a later day was open on an earlier one: judging openness on the
    // earliest span's day finds every row any span would treat as exceptional.
    let earliest = spans.previous.1.min(spans.current.1).min(spans.judged_on);
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT DISTINCT s.organisation_id FROM case_stage_stats s
             WHERE s.organisation_id IN (SELECT id FROM organisations) AND ",
    );
    push_exceptional(&mut query, earliest);
    query
        .push(" AND s.stage IN (1, 2, 3)")
        .push_between("s.started_on", from, to)
        .push_between("s.received_on", spans.lookback, spans.upto)
        .push(" ORDER BY s.organisation_id");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| Ok(r.try_get("organisation_id")?))
        .collect()
}

/// One organisation's Stage 1 counts for `spans.current`, and the first stage its report
/// cannot judge (as `from_counts` meets them: the period's stages, its quarters, the year
/// before), by the organisation report's own `stage_counts`: its stopped clocks are judged
/// from their cases.
pub async fn national_judged(
    conn: &mut Conn,
    organisation: &crate::Organisation,
    spans: &crate::report_counts::ReportSpans,
) -> Result<
    (
        redress_core::report_counts::StageCounts,
        Option<(u8, redress_core::report_counts::Unjudged)>,
    ),
    StoreError,
> {
    let first = |stages: &[redress_core::report_counts::StageCounts]| {
        stages
            .iter()
            .zip(1u8..)
            .find_map(|(c, n)| c.unjudged.clone().map(|u| (n, u)))
    };
    let (from, to) = spans.current;
    let [stage1, stage2, stage3] =
        stage_counts(conn, organisation, spans, Scope::WHOLE, from, to).await?;
    let mut unjudged = first(&[stage1.clone(), stage2, stage3]);
    for (_, quarter_from, quarter_to) in &spans.quarters {
        if unjudged.is_some() {
            break;
        }
        let [quarter, ..] = stage_counts(
            conn,
            organisation,
            spans,
            Scope::WHOLE,
            *quarter_from,
            *quarter_to,
        )
        .await?;
        unjudged = first(&[quarter]);
    }
    if unjudged.is_none() {
        let (before_from, before_to) = spans.previous;
        let before = stage_counts(
            conn,
            organisation,
            spans,
            Scope::WHOLE,
            before_from,
            before_to,
        )
        .await?;
        unjudged = first(&before);
    }
    Ok((stage1, unjudged))
}
