// Reading cases whole: one, a report's period, or a page of an export, with their parts.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

fn parse<T: std::str::FromStr>(column: &str, text: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{column} holds '{text}'")))
}

fn json<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T, StoreError> {
    StoreError::from_stored_json(column, text)
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
    /// An organisation's open cases: those whose due dates a calendar change moves.
    Open { organisation_id: i64 },
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
        Selection::Open { organisation_id } => {
            query
                .push(" WHERE c.organisation_id = ")
                .push_bind(*organisation_id)
                .push(format!(" AND c.status IN {}", crate::open_statuses_sql()));
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

/// One case, in one statement for the case and its stages (the parts nearly every case has),
/// with counts that say whether its rarer parts need reading: each statement is a hand-off to
/// the database connection's thread, most of what a read costs.
pub async fn load_case(
    conn: &mut Conn,
    id: i64,
    scope: &CaseScope,
) -> Result<Option<LoadedCase>, StoreError> {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        let stage_columns: Vec<String> = STAGE_COLUMNS
            .iter()
            .map(|c| format!("s.{c} AS s_{c}"))
            .collect();
        format!(
            "SELECT c.*, t.name AS team_name, r.name AS reason_name, {PERSONAL_COLUMNS},
                (SELECT COUNT(*) FROM ombudsman_cases o WHERE o.case_id = c.id) AS ombudsman_count,
                (SELECT COUNT(*) FROM actions a WHERE a.case_id = c.id) AS action_count,
                {}
             FROM cases c
             LEFT JOIN teams t ON t.id = c.team_id
             LEFT JOIN reasons r ON r.id = c.reason_id
             LEFT JOIN case_personal p ON p.case_id = c.id
             LEFT JOIN stages s ON s.case_id = c.id",
            stage_columns.join(", ")
        )
    });
    let mut query: QueryBuilder<Db> = QueryBuilder::new(sql.as_str());
    push_selection(&mut query, &Selection::One(id, scope));
    query.push(" ORDER BY s.number");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut loaded = case_from_row(first)?;
    for row in &rows {
        if row.try_get::<Option<i64>, _>("s_number")?.is_some() {
            loaded.facts.stages.push(stage_from_row(row, "s_")?);
        }
    }
    let ids = [loaded.id];
    if first.try_get::<i64, _>("ombudsman_count")? > 0 {
        for row in &parts_of(conn, "ombudsman_cases", "position", &ids).await? {
            loaded.facts.ombudsman.push(ombudsman_from_row(row)?);
        }
    }
    if first.try_get::<i64, _>("action_count")? > 0 {
        for row in &parts_of(conn, "actions", "position", &ids).await? {
            loaded.facts.actions.push(action_from_row(row)?);
        }
    }
    Ok(Some(loaded.into_case()))
}

/// The personal details' columns, from `case_personal p`.
const PERSONAL_COLUMNS: &str = "p.complainant_name, p.contact_email, p.contact_phone, \
    p.contact_address, p.children, p.summary, p.outcome_wanted";

/// The columns of `stages` a stage is read from.
const STAGE_COLUMNS: [&str; 23] = [
    "number",
    "started_on",
    "late_request_reason",
    "extended_to",
    "extension_reason",
    "clock_stops",
    "responded_on",
    "outcome",
    "investigating_officer",
    "independent_person",
    "panel_on",
    "panel_report_on",
    "panel_members",
    "panel_chair",
    "acknowledged_on",
    "extension_agreed_on",
    "extension_notified_on",
    "opened_on",
    "extension_recorded_on",
    "extension_length_unknown",
    "earlier_rounds",
    "ran_under",
    "response_periods",
];

/// Loads whole cases (stages, ombudsman cases, actions, personal details) in four queries
/// whatever their number.
/// Without `personal`, the personal details are not read at all: reports need none.
pub async fn load_cases(
    conn: &mut Conn,
    selection: &Selection<'_>,
    personal: bool,
) -> Result<Vec<LoadedCase>, StoreError> {
    let mut query: QueryBuilder<Db> = QueryBuilder::new(if personal {
        format!(
            "SELECT c.*, t.name AS team_name, r.name AS reason_name, {PERSONAL_COLUMNS}
             FROM cases c
             LEFT JOIN teams t ON t.id = c.team_id
             LEFT JOIN reasons r ON r.id = c.reason_id
             LEFT JOIN case_personal p ON p.case_id = c.id"
        )
    } else {
        "SELECT c.*, t.name AS team_name, r.name AS reason_name, CAST(NULL AS TEXT) AS children
         FROM cases c
         LEFT JOIN teams t ON t.id = c.team_id
         LEFT JOIN reasons r ON r.id = c.reason_id"
            .to_string()
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
        return Ok(Vec::new());
    }

    // The parts are read by the ids found, so the selection is evaluated once.
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    for s in &parts_of(conn, "stages", "number", &ids).await? {
        let case_id: i64 = s.try_get("case_id")?;
        if let Some(i) = position.get(&case_id) {
            cases[*i].facts.stages.push(stage_from_row(s, "")?);
        }
    }

    for o in &parts_of(conn, "ombudsman_cases", "position", &ids).await? {
        let case_id: i64 = o.try_get("case_id")?;
        if let Some(i) = position.get(&case_id) {
            cases[*i].facts.ombudsman.push(ombudsman_from_row(o)?);
        }
    }

    for a in &parts_of(conn, "actions", "position", &ids).await? {
        let case_id: i64 = a.try_get("case_id")?;
        if let Some(i) = position.get(&case_id) {
            cases[*i].facts.actions.push(action_from_row(a)?);
        }
    }
    Ok(cases.into_iter().map(RowCase::into_case).collect())
}

/// A stage from a row whose stage columns are named with `prefix`.
fn stage_from_row(s: &<Db as sqlx::Database>::Row, prefix: &str) -> Result<Stage, StoreError> {
    let column = |name: &str| format!("{prefix}{name}");
    let outcome: Option<String> = s.try_get(column("outcome").as_str())?;
    let extended_to: Option<i64> = s.try_get(column("extended_to").as_str())?;
    let number: i64 = s.try_get(column("number").as_str())?;
    let stops: String = s.try_get(column("clock_stops").as_str())?;
    let members: String = s.try_get(column("panel_members").as_str())?;
    let rounds: String = s.try_get(column("earlier_rounds").as_str())?;
    let ran_under: Option<String> = s.try_get(column("ran_under").as_str())?;
    let periods: String = s.try_get(column("response_periods").as_str())?;
    Ok(Stage {
        number: number as u8,
        started_on: s.try_get(column("started_on").as_str())?,
        opened_on: s.try_get(column("opened_on").as_str())?,
        late_request_reason: s.try_get(column("late_request_reason").as_str())?,
        extended_to: extended_to.map(|e| e as u32),
        extension_reason: s.try_get(column("extension_reason").as_str())?,
        clock_stops: json("clock_stops", &stops)?,
        responded_on: s.try_get(column("responded_on").as_str())?,
        outcome: outcome.map(|o| parse("outcome", &o)).transpose()?,
        investigating_officer: s.try_get(column("investigating_officer").as_str())?,
        independent_person: s.try_get(column("independent_person").as_str())?,
        panel_on: s.try_get(column("panel_on").as_str())?,
        panel_report_on: s.try_get(column("panel_report_on").as_str())?,
        panel_members: json("panel_members", &members)?,
        panel_chair: s.try_get(column("panel_chair").as_str())?,
        acknowledged_on: s.try_get(column("acknowledged_on").as_str())?,
        extension_agreed_on: s.try_get(column("extension_agreed_on").as_str())?,
        extension_notified_on: s.try_get(column("extension_notified_on").as_str())?,
        extension_recorded_on: s.try_get(column("extension_recorded_on").as_str())?,
        extension_length_unknown: s.try_get(column("extension_length_unknown").as_str())?,
        earlier_rounds: json("earlier_rounds", &rounds)?,
        ran_under: ran_under.map(|r| json("ran_under", &r)).transpose()?,
        response_periods: json("response_periods", &periods)?,
    })
}

fn ombudsman_from_row(o: &<Db as sqlx::Database>::Row) -> Result<OmbudsmanCase, StoreError> {
    let decision: String = o.try_get("decision")?;
    let remedies: String = o.try_get("remedies")?;
    Ok(OmbudsmanCase {
        decision: parse("decision", &decision)?,
        decided_on: o.try_get("decided_on")?,
        lgsco_reference: o.try_get("lgsco_reference")?,
        remedies: json("remedies", &remedies)?,
    })
}

fn action_from_row(a: &<Db as sqlx::Database>::Row) -> Result<Action, StoreError> {
    let kind: String = a.try_get("kind")?;
    Ok(Action {
        kind: parse("kind", &kind)?,
        description: a.try_get("description")?,
        owner_team: a.try_get("owner_team")?,
        due_on: a.try_get("due_on")?,
        completed_on: a.try_get("completed_on")?,
    })
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

/// A case's row read, its stages, ombudsman cases and actions still to be added.
struct RowCase {
    id: i64,
    organisation_id: i64,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    erased_on: Option<NaiveDate>,
    facts: redress_core::CaseFacts,
    status: redress_core::Status,
}

impl RowCase {
    fn into_case(self) -> LoadedCase {
        LoadedCase {
            id: self.id,
            organisation_id: self.organisation_id,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            erased_on: self.erased_on,
            case: Case::from_row(self.facts, self.status),
        }
    }
}

fn case_from_row(row: &<Db as sqlx::Database>::Row) -> Result<RowCase, StoreError> {
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
    let reopenings: String = row.try_get("reopenings")?;
    let procedure_changes: String = row.try_get("procedure_changes")?;
    let draft: Option<String> = row.try_get("draft")?;
    let language: String = row.try_get("language")?;
    Ok(RowCase {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        erased_on: row.try_get("erased_on")?,
        status: parse("status", &status)?,
        facts: redress_core::CaseFacts {
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
            language: redress_core::Language::parse(&language)
                .ok_or_else(|| StoreError::Corrupt(format!("language '{language}'")))?,
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
            reopenings: json("reopenings", &reopenings)?,
            procedure_changes: json("procedure_changes", &procedure_changes)?,
            draft: draft.map(|d| json("draft", &d)).transpose()?,
        },
    })
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
