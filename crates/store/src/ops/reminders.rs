// What reminders and digests are worked out from: open deadlines, who manages which team, and
// a Stage 2's investigating officer. Included in each backend module beside `ops.rs`.

/// Open cases of an organisation due on or before `horizon`.
pub async fn open_deadlines(
    conn: &mut Conn,
    organisation_id: i64,
    horizon: NaiveDate,
) -> Result<Vec<crate::reminders::OpenDeadline>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id, c.reference, c.procedure, c.current_stage, c.due_on, c.team_id, t.name
         FROM cases c LEFT JOIN teams t ON t.id = c.team_id
         WHERE c.organisation_id = $1 AND c.status IN {} AND c.due_on IS NOT NULL
           AND c.due_on <= $2
         ORDER BY c.due_on, c.id",
        crate::open_statuses_sql()
    );
    let rows: Rows = sqlx::query(&sql)
        .bind(organisation_id)
        .bind(horizon)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(crate::reminders::OpenDeadline {
                case_id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                procedure: r.try_get("procedure")?,
                stage: r.try_get("current_stage")?,
                due_on: r.try_get("due_on")?,
                team_id: r.try_get("team_id")?,
                team: r.try_get("name")?,
            })
        })
        .collect()
}

/// (team id, team name, email) of every enabled team manager of the organisation.
pub async fn team_managers(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT mt.team_id, t.name, u.email FROM membership_teams mt
         JOIN memberships m ON m.user_id = mt.user_id AND m.organisation_id = mt.organisation_id
         JOIN users u ON u.id = m.user_id
         JOIN teams t ON t.id = mt.team_id
         WHERE mt.organisation_id = $1 AND m.role = 'team_manager' AND NOT u.disabled
         ORDER BY u.email",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("team_id")?,
                r.try_get("name")?,
                r.try_get("email")?,
            ))
        })
        .collect()
}

/// The investigating officer recorded on a case's Stage 2, if any.
pub async fn investigating_officer(
    conn: &mut Conn,
    case_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row =
        sqlx::query("SELECT investigating_officer FROM stages WHERE case_id = $1 AND number = 2")
            .bind(case_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row
        .map(|r| r.try_get::<Option<String>, _>("investigating_officer"))
        .transpose()?
        .flatten())
}

/// The organisation's reminder points as stored (a JSON list), if it has set them.
pub async fn reminder_days(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT days FROM reminder_points WHERE organisation_id = $1")
        .bind(organisation_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("days"))
        .transpose()
}

pub async fn set_reminder_days(
    conn: &mut Conn,
    organisation_id: i64,
    days: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reminder_points (organisation_id, days) VALUES ($1, $2)
         ON CONFLICT (organisation_id) DO UPDATE SET days = excluded.days",
    )
    .bind(organisation_id)
    .bind(days)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
