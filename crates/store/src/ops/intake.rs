// Messages read from a complaints mailbox or handed in by the mail gate: each recorded once,
// with what became of it, in the transaction that files it.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

/// Records a message as handled; `None` when the organisation already has it (the earlier
/// filing stands, and nothing else may be written).
pub async fn claim_inbound(
    conn: &mut Conn,
    organisation_id: i64,
    message: &crate::intake::InboundMessage,
    disposition: &str,
    reason: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    let place = message.place.as_ref();
    sqlx::query_scalar(
        "INSERT INTO inbound_messages (organisation_id, message_id, disposition, reason, mailbox,
            uid_validity, uid, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (organisation_id, message_id) DO NOTHING RETURNING id",
    )
    .bind(organisation_id)
    .bind(message.message_id.as_str())
    .bind(disposition)
    .bind(reason)
    .bind(place.map(|p| p.mailbox.as_str()))
    .bind(place.map(|p| i64::from(p.uid_validity)))
    .bind(place.map(|p| i64::from(p.uid)))
    .bind(message.received_at)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn set_inbound_case(conn: &mut Conn, id: i64, case_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE inbound_messages SET case_id = $1 WHERE id = $2")
        .bind(case_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How a message the organisation already has was filed.
pub async fn inbound_record(
    conn: &mut Conn,
    organisation_id: i64,
    message_id: &str,
) -> Result<Option<crate::intake::InboundRecord>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT i.message_id, i.disposition, i.reason, i.case_id, c.reference, i.mailbox,
            i.uid_validity, i.uid, i.received_at
         FROM inbound_messages i LEFT JOIN cases c ON c.id = i.case_id
         WHERE i.organisation_id = $1 AND i.message_id = $2",
    )
    .bind(organisation_id)
    .bind(message_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(inbound_row).transpose()
}

/// The organisation's most recent messages, newest first: the admin page's list.
pub async fn inbound_records(
    conn: &mut Conn,
    organisation_id: i64,
    limit: i64,
) -> Result<Vec<crate::intake::InboundRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT i.message_id, i.disposition, i.reason, i.case_id, c.reference, i.mailbox,
            i.uid_validity, i.uid, i.received_at
         FROM inbound_messages i LEFT JOIN cases c ON c.id = i.case_id
         WHERE i.organisation_id = $1 ORDER BY i.id DESC LIMIT $2",
    )
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(inbound_row).collect()
}

fn inbound_row(
    row: &<Db as sqlx::Database>::Row,
) -> Result<crate::intake::InboundRecord, sqlx::Error> {
    Ok(crate::intake::InboundRecord {
        message_id: row.try_get("message_id")?,
        disposition: row.try_get("disposition")?,
        reason: row.try_get("reason")?,
        case_id: row.try_get("case_id")?,
        reference: row.try_get("reference")?,
        mailbox: row.try_get("mailbox")?,
        received_at: row.try_get("received_at")?,
    })
}

/// The case a reply belongs to: the one a message it answers was sent about (its
/// `In-Reply-To` and `References` against the outbox and earlier mail), else the one whose
/// reference its subject carries.
pub async fn case_replied_to(
    conn: &mut Conn,
    organisation_id: i64,
    answers: &[String],
    reference: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    for message_id in answers.iter().rev() {
        let sent: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT case_id FROM outbox WHERE organisation_id = $1 AND message_id = $2",
        )
        .bind(organisation_id)
        .bind(message_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(Some(case_id)) = sent {
            return Ok(Some(case_id));
        }
        let received: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT case_id FROM inbound_messages WHERE organisation_id = $1 AND message_id = $2",
        )
        .bind(organisation_id)
        .bind(message_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(Some(case_id)) = received {
            return Ok(Some(case_id));
        }
    }
    let Some(reference) = reference else {
        return Ok(None);
    };
    sqlx::query_scalar("SELECT id FROM cases WHERE organisation_id = $1 AND reference = $2")
        .bind(organisation_id)
        .bind(reference)
        .fetch_optional(&mut *conn)
        .await
}

/// Records that a message could not be filed, and why.
pub async fn insert_inbound_failure(
    conn: &mut Conn,
    organisation_id: i64,
    failure: &crate::intake::InboundFailure,
) -> Result<(), sqlx::Error> {
    let place = failure.place.as_ref();
    sqlx::query(
        "INSERT INTO inbound_failures (organisation_id, message_id, mailbox, uid_validity, uid,
            reason, failed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(organisation_id)
    .bind(failure.message_id.as_deref())
    .bind(place.map(|p| p.mailbox.as_str()))
    .bind(place.map(|p| i64::from(p.uid_validity)))
    .bind(place.map(|p| i64::from(p.uid)))
    .bind(failure.reason.as_str())
    .bind(failure.failed_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The organisation's latest failures, newest first, as records the admin list shows.
pub async fn inbound_failures(
    conn: &mut Conn,
    organisation_id: i64,
    limit: i64,
) -> Result<Vec<crate::intake::InboundRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT message_id, reason, mailbox, failed_at FROM inbound_failures
         WHERE organisation_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(crate::intake::InboundRecord {
                message_id: row
                    .try_get::<Option<String>, _>("message_id")?
                    .unwrap_or_default(),
                disposition: "failed".into(),
                reason: row.try_get("reason")?,
                case_id: None,
                reference: None,
                mailbox: row.try_get("mailbox")?,
                received_at: row.try_get("failed_at")?,
            })
        })
        .collect()
}
