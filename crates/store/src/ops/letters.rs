// A council's own letter templates.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

pub async fn set_letter_template(
    conn: &mut Conn,
    organisation_id: i64,
    kind: &str,
    body: &str,
    updated_by: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO letter_templates (organisation_id, kind, body, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organisation_id, kind) DO UPDATE SET body = $3, updated_by = $4,
            updated_at = $5",
    )
    .bind(organisation_id)
    .bind(kind)
    .bind(body)
    .bind(updated_by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn letter_template(
    conn: &mut Conn,
    organisation_id: i64,
    kind: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row =
        sqlx::query("SELECT body FROM letter_templates WHERE organisation_id = $1 AND kind = $2")
            .bind(organisation_id)
            .bind(kind)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|r| r.try_get("body")).transpose()
}

/// A letter's files, its "letter_sent" event and, when it goes by email, the message carrying
/// its PDF: one write, inside the caller's transaction.
pub async fn insert_letter(
    conn: &mut Conn,
    letter: &crate::letters::LetterWrite<'_>,
    actor: &Actor,
    organisation_id: i64,
    case_id: i64,
) -> Result<(), StoreError> {
    let mut pdf = None;
    for (info, content) in letter.files.iter().zip(letter.contents) {
        let id = insert_attachment(conn, info, content).await?;
        if info.content_type == "application/pdf" {
            pdf = Some(id);
        }
    }
    let event = letter.event(actor, organisation_id, case_id);
    insert_event(conn, &event).await?;
    if let Some(email) = letter.email {
        let message = crate::outbox::NewMessage {
            organisation_id,
            kind: redress_core::MessageKind::Letter,
            recipient: Some(email.to.clone()),
            subject: email.subject.clone(),
            body: email.body.clone(),
            case_id: Some(case_id),
            dedupe_key: None,
            attachment_id: pdf,
        };
        insert_messages(conn, &[message], letter.at).await?;
    }
    Ok(())
}
