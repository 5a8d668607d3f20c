// The officer-written sections of a year's report.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

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
