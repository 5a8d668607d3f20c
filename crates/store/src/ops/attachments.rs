// Files on a case, stored with their checksum.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

pub async fn insert_attachment(
    conn: &mut Conn,
    info: &AttachmentInfo,
    content: &[u8],
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_attachments (case_id, name, content_type, size, sha256, content,
            added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(info.case_id)
    .bind(info.name.as_str())
    .bind(info.content_type.as_str())
    .bind(info.size)
    .bind(info.sha256.as_str())
    .bind(content)
    .bind(info.added_by.as_str())
    .bind(info.added_at)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")
}

fn attachment_info(r: &<Db as sqlx::Database>::Row) -> Result<AttachmentInfo, sqlx::Error> {
    Ok(AttachmentInfo {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        name: r.try_get("name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        added_by: r.try_get("added_by")?,
        added_at: r.try_get("added_at")?,
    })
}

pub async fn attachments(
    conn: &mut Conn,
    case_id: i64,
) -> Result<Vec<AttachmentInfo>, sqlx::Error> {
    let rows: Rows = sqlx::query(
        "SELECT id, case_id, name, content_type, size, sha256, added_by, added_at
         FROM case_attachments WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(attachment_info).collect()
}

pub async fn attachment(
    conn: &mut Conn,
    case_id: i64,
    id: i64,
) -> Result<Option<(AttachmentInfo, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, case_id, name, content_type, size, sha256, added_by, added_at, content
         FROM case_attachments WHERE case_id = $1 AND id = $2",
    )
    .bind(case_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((attachment_info(&r)?, r.try_get("content")?)))
        .transpose()
}
