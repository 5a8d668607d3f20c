// The append-only audit log: writing events, a case's history, recent activity.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

/// Writes an event. One that still holds a case's personal values in the clear is refused:
/// those go through `log_case_event`, which seals them.
pub async fn insert_event(conn: &mut Conn, event: &NewEvent) -> Result<(), sqlx::Error> {
    if crate::sealing::holds_unsealed(event) {
        return Err(sqlx::Error::Encode(
            "a case's personal values must be sealed before they are logged".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO events (organisation_id, case_id, actor, user_id, address, occurred_at, kind,
            before_json, after_json, sealed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
    .bind(event.sealed.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Many events in one statement: the group commit of case reads (which hold no personal
/// values).
pub async fn insert_events(conn: &mut Conn, events: &[NewEvent]) -> Result<(), sqlx::Error> {
    if events.iter().any(crate::sealing::holds_unsealed) {
        return Err(sqlx::Error::Encode(
            "a case's personal values must be sealed before they are logged".into(),
        ));
    }
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

/// A case's events, oldest first, with their sealed personal values opened (or marked erased).
pub async fn events(
    conn: &mut Conn,
    master: &MasterKey,
    case_id: i64,
) -> Result<Vec<EventRecord>, StoreError> {
    let rows: Rows = sqlx::query(
        "SELECT id, case_id, actor, occurred_at, kind, before_json, after_json, sealed
         FROM events WHERE case_id = $1 AND kind <> 'viewed' ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut events = rows
        .iter()
        .map(|r| {
            let before: Option<String> = r.try_get("before_json")?;
            let after: Option<String> = r.try_get("after_json")?;
            let sealed: Option<String> = r.try_get("sealed")?;
            let event = EventRecord {
                id: r.try_get("id")?,
                case_id: r.try_get("case_id")?,
                actor: r.try_get("actor")?,
                occurred_at: r.try_get("occurred_at")?,
                kind: r.try_get("kind")?,
                before: before.map(|b| json("before_json", &b)).transpose()?,
                after: after.map(|a| json("after_json", &a)).transpose()?,
            };
            Ok((event, sealed))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    unseal_events(conn, master, case_id, &mut events).await?;
    Ok(events.into_iter().map(|(event, _)| event).collect())
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
