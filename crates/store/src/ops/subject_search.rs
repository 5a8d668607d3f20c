// Subject access: the cases, compliments and messages that hold a person's details.
// Included in each backend module beside `ops.rs`.

/// `%term%` for LIKE, lower case, with LIKE's own characters taken literally.
fn like_pattern(term: &str) -> String {
    let escaped: String = term
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// The cases, compliments and messages that hold the term in a personal field.
pub async fn subject_matches(
    conn: &mut Conn,
    organisation_id: i64,
    term: &str,
) -> Result<crate::SubjectMatches, StoreError> {
    let pattern = like_pattern(term);
    // Phone numbers are compared without their spaces.
    let phone = like_pattern(&term.replace(' ', ""));
    let rows: Rows = sqlx::query(
        "SELECT c.id, c.reference, c.received_on, c.status, c.version,
            lower(p.complainant_name) LIKE $2 ESCAPE '\\' AS by_name,
            lower(p.contact_email) LIKE $2 ESCAPE '\\' AS by_email,
            (p.contact_phone <> '' AND replace(p.contact_phone, ' ', '') LIKE $3 ESCAPE '\\') AS by_phone,
            lower(p.children) LIKE $2 ESCAPE '\\' AS by_child
         FROM cases c JOIN case_personal p ON p.case_id = c.id
         WHERE c.organisation_id = $1 AND (
            lower(p.complainant_name) LIKE $2 ESCAPE '\\'
            OR lower(p.contact_email) LIKE $2 ESCAPE '\\'
            OR (p.contact_phone <> '' AND replace(p.contact_phone, ' ', '') LIKE $3 ESCAPE '\\')
            OR lower(p.children) LIKE $2 ESCAPE '\\')
         ORDER BY c.id LIMIT 500",
    )
    .bind(organisation_id)
    .bind(&pattern)
    .bind(&phone)
    .fetch_all(&mut *conn)
    .await?;
    let mut matches = crate::SubjectMatches::default();
    for r in &rows {
        let mut matched = Vec::new();
        for (column, field) in [
            ("by_name", "complainant_name"),
            ("by_email", "contact_email"),
            ("by_phone", "contact_phone"),
            ("by_child", "children"),
        ] {
            if r.try_get::<Option<bool>, _>(column)?.unwrap_or(false) {
                matched.push(field);
            }
        }
        let status: String = r.try_get("status")?;
        matches.cases.push(crate::SubjectCase {
            id: r.try_get("id")?,
            reference: r.try_get("reference")?,
            received_on: r.try_get("received_on")?,
            status: parse("status", &status)?,
            version: r.try_get("version")?,
            matched,
        });
    }
    let rows: Rows = sqlx::query(
        "SELECT m.id, m.received_on, t.name AS team, m.summary FROM compliments m
         LEFT JOIN teams t ON t.id = m.team_id
         WHERE m.organisation_id = $1 AND lower(m.summary) LIKE $2 ESCAPE '\\'
         ORDER BY m.id LIMIT 500",
    )
    .bind(organisation_id)
    .bind(&pattern)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        matches.compliments.push(crate::SubjectCompliment {
            id: r.try_get("id")?,
            received_on: r.try_get("received_on")?,
            team: r.try_get("team")?,
            summary: r.try_get("summary")?,
        });
    }
    let case_ids: Vec<i64> = matches.cases.iter().map(|c| c.id).collect();
    let mut query: QueryBuilder<Db> = QueryBuilder::new(
        "SELECT id, case_id, kind, recipient, subject, body, status, created_at FROM outbox
         WHERE organisation_id = ",
    );
    query
        .push_bind(organisation_id)
        .push(" AND kind IN ('acknowledgement', 'letter') AND (lower(recipient) LIKE ")
        .push_bind(&pattern)
        .push(" ESCAPE '\\'");
    if !case_ids.is_empty() {
        query.push(" OR case_id IN (");
        let mut list = query.separated(", ");
        for id in &case_ids {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
    }
    query.push(") ORDER BY id LIMIT 1000");
    let rows: Rows = query.build().fetch_all(&mut *conn).await?;
    for r in &rows {
        let recipient: Option<String> = r.try_get("recipient")?;
        matches.messages.push(crate::SubjectMessage {
            id: r.try_get("id")?,
            case_id: r.try_get("case_id")?,
            kind: r.try_get("kind")?,
            recipient: recipient.unwrap_or_default(),
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
            status: r.try_get("status")?,
            created_at: r.try_get("created_at")?,
        });
    }
    Ok(matches)
}
