// The outbox's SQL: queueing, claiming, marking, listing, resending.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

const OUTBOX_COLUMNS: &str = "id, organisation_id, kind, recipient, subject, body, case_id, status,
    attempts, next_attempt_at, last_reply, message_id, created_at, sent_at, attachment_id";

fn outbox_row(
    row: &<Db as sqlx::Database>::Row,
) -> Result<crate::outbox::OutboxMessage, StoreError> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    Ok(crate::outbox::OutboxMessage {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        kind: parse("kind", &kind)?,
        recipient: row.try_get("recipient")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        case_id: row.try_get("case_id")?,
        status: parse("status", &status)?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_reply: row.try_get("last_reply")?,
        message_id: row.try_get("message_id")?,
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
        attachment_id: row.try_get("attachment_id")?,
    })
}

/// Queues messages; one whose key is already queued is left out. Answers how many were added.
pub async fn insert_messages(
    conn: &mut Conn,
    messages: &[crate::outbox::NewMessage],
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let mut added = 0;
    for message in messages {
        let status = if message.recipient.is_some() {
            redress_core::MessageStatus::Queued
        } else {
            redress_core::MessageStatus::NotSent
        };
        let reply = message
            .recipient
            .is_none()
            .then_some("no one to send it to");
        let result = sqlx::query(
            "INSERT INTO outbox (organisation_id, kind, recipient, subject, body, case_id, status,
                next_attempt_at, last_reply, message_id, dedupe_key, created_at, attachment_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $8, $12)
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(message.organisation_id)
        .bind(message.kind.as_str())
        .bind(message.recipient.as_deref())
        .bind(&message.subject)
        .bind(&message.body)
        .bind(message.case_id)
        .bind(status.as_str())
        .bind(now)
        .bind(reply)
        .bind(crate::outbox::message_id())
        .bind(message.dedupe_key.as_deref())
        .bind(message.attachment_id)
        .execute(&mut *conn)
        .await?;
        added += result.rows_affected();
    }
    Ok(added)
}

/// The sign-in emails of an organisation's complaints officers whose accounts are enabled.
pub async fn complaints_officers(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organisation_id = $1 AND m.role = 'complaints_officer' AND NOT u.disabled
         ORDER BY u.email",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| r.try_get("email")).collect()
}

pub async fn outbox(
    conn: &mut Conn,
    organisation_id: i64,
    limit: i64,
) -> Result<Vec<crate::outbox::OutboxMessage>, StoreError> {
    let sql = format!(
        "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE organisation_id = $1 ORDER BY id DESC LIMIT $2"
    );
    let rows: Rows = sqlx::query(&sql)
        .bind(organisation_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(outbox_row).collect()
}

/// Claims the oldest message due. The status is checked again by the UPDATE itself, so two
/// senders racing for one message (PostgreSQL, several servers) cannot both claim it.
pub async fn claim_due(
    conn: &mut Conn,
    now: DateTime<Utc>,
) -> Result<Option<crate::outbox::OutboxMessage>, StoreError> {
    let sql = format!(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_at = $1
         WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1
                     ORDER BY next_attempt_at, id LIMIT 1)
           AND status = 'queued'
         RETURNING {OUTBOX_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(outbox_row).transpose()
}

pub async fn mark_sent(
    conn: &mut Conn,
    id: i64,
    reply: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET status = 'sent', last_reply = $1, sent_at = $2
         WHERE id = $3 AND status = 'sending'",
    )
    .bind(reply)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Back to `queued` for `retry_at`, or `failed` when there is none.
pub async fn mark_refused(
    conn: &mut Conn,
    id: i64,
    reply: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    let status = if retry_at.is_some() {
        redress_core::MessageStatus::Queued
    } else {
        redress_core::MessageStatus::Failed
    };
    sqlx::query(
        "UPDATE outbox SET status = $1, last_reply = $2,
            next_attempt_at = COALESCE($3, next_attempt_at)
         WHERE id = $4 AND status = 'sending'",
    )
    .bind(status.as_str())
    .bind(reply)
    .bind(retry_at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn fail_interrupted(
    conn: &mut Conn,
    reason: &str,
    claimed_before: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE outbox SET status = 'failed', last_reply = $1
         WHERE status = 'sending' AND claimed_at < $2",
    )
    .bind(reason)
    .bind(claimed_before)
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected())
}

/// A failed message queued again, due now.
pub async fn resend(
    conn: &mut Conn,
    organisation_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<crate::outbox::OutboxMessage>, StoreError> {
    let sql = format!(
        "UPDATE outbox SET status = 'queued', next_attempt_at = $1
         WHERE id = $2 AND organisation_id = $3 AND status = 'failed'
         RETURNING {OUTBOX_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(now)
        .bind(id)
        .bind(organisation_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(outbox_row).transpose()
}
