// Compliments: logged one at a time or imported, read for a period or whole.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

pub async fn compliments_between(
    conn: &mut Conn,
    organisation_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Compliment>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT c.received_on, t.name AS team_name, c.summary, c.consent_to_publish,
                c.published_quotation
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
                published_quotation: r.try_get("published_quotation")?,
            })
        })
        .collect()
}

pub async fn insert_compliments(
    conn: &mut Conn,
    organisation_id: i64,
    compliments: &[(Compliment, Option<i64>)],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for chunk in compliments.chunks(500) {
        let mut query: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO compliments (organisation_id, received_on, team_id, summary, consent_to_publish, published_quotation, created_at) ",
        );
        query.push_values(chunk, |mut row, (c, team_id)| {
            row.push_bind(organisation_id)
                .push_bind(c.received_on)
                .push_bind(*team_id)
                .push_bind(c.summary.as_str())
                .push_bind(c.consent_to_publish)
                .push_bind(c.published_quotation.as_deref())
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

/// One compliment with its id, or all of the organisation's (newest received first).
pub async fn logged_compliments(
    conn: &mut Conn,
    organisation_id: i64,
    id: Option<i64>,
) -> Result<Vec<LoggedCompliment>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT c.id, c.received_on, t.name AS team_name, c.summary, c.consent_to_publish,
                c.published_quotation, c.created_at
         FROM compliments c LEFT JOIN teams t ON t.id = c.team_id
         WHERE c.organisation_id = $1 AND ($2 IS NULL OR c.id = $2)
         ORDER BY c.received_on DESC, c.id DESC",
    )
    .bind(organisation_id)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LoggedCompliment {
                id: r.try_get("id")?,
                logged_at: r.try_get("created_at")?,
                compliment: Compliment {
                    received_on: r.try_get("received_on")?,
                    team: r.try_get("team_name")?,
                    summary: r.try_get("summary")?,
                    consent_to_publish: r.try_get("consent_to_publish")?,
                    published_quotation: r.try_get("published_quotation")?,
                },
            })
        })
        .collect()
}

pub async fn insert_compliment(
    conn: &mut Conn,
    organisation_id: i64,
    compliment: &Compliment,
    team_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO compliments (organisation_id, received_on, team_id, summary,
            consent_to_publish, published_quotation, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(organisation_id)
    .bind(compliment.received_on)
    .bind(team_id)
    .bind(compliment.summary.as_str())
    .bind(compliment.consent_to_publish)
    .bind(compliment.published_quotation.as_deref())
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")
}

/// Sets (or, with `None`, withdraws) a compliment's approved quotation; `false` when the
/// organisation has no such compliment.
pub async fn set_published_quotation(
    conn: &mut Conn,
    organisation_id: i64,
    id: i64,
    quotation: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE compliments SET published_quotation = $1 WHERE organisation_id = $2 AND id = $3",
    )
    .bind(quotation)
    .bind(organisation_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
