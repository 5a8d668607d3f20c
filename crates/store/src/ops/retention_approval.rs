// The council's approval of its retention schedule: the switch that lets it erase.

pub async fn retention_approvals(
    conn: &mut Conn,
) -> Result<Vec<(i64, crate::RetentionApproval)>, StoreError> {
    let rows: Rows = sqlx::query(
        "SELECT organisation_id, approved_on, approved_by, recorded_by, recorded_at
         FROM retention_approvals ORDER BY organisation_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("organisation_id")?,
                crate::RetentionApproval {
                    approved_on: r.try_get("approved_on")?,
                    approved_by: r.try_get("approved_by")?,
                    recorded_by: r.try_get("recorded_by")?,
                    recorded_at: r.try_get("recorded_at")?,
                },
            ))
        })
        .collect()
}

pub async fn set_retention_approval(
    conn: &mut Conn,
    organisation_id: i64,
    approval: Option<&crate::RetentionApproval>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM retention_approvals WHERE organisation_id = $1")
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    if let Some(approval) = approval {
        sqlx::query(
            "INSERT INTO retention_approvals
                 (organisation_id, approved_on, approved_by, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(organisation_id)
        .bind(approval.approved_on)
        .bind(approval.approved_by.as_str())
        .bind(approval.recorded_by.as_str())
        .bind(approval.recorded_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
