// Data protection: case keys for sealing personal values in events, legal holds, the
// retention schedule and erasure. Included in each backend module beside `ops.rs`.

/// Checks that `master` is the key this database's case keys were wrapped with; the first
/// start records it.
pub async fn check_master_key(conn: &mut Conn, master: &MasterKey) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO master_key_check (id, fingerprint) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(master.fingerprint())
    .execute(&mut *conn)
    .await?;
    let recorded: String =
        sqlx::query_scalar("SELECT fingerprint FROM master_key_check WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    if recorded != master.fingerprint() {
        return Err(sealing::wrong_key());
    }
    Ok(())
}

/// The fingerprint of the master key the database was first started with, if any.
pub async fn recorded_fingerprint(conn: &mut Conn) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT fingerprint FROM master_key_check WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// A case's key, made at `create` (a time) when there is none.
async fn data_key(
    conn: &mut Conn,
    master: &MasterKey,
    case_id: i64,
    create: Option<DateTime<Utc>>,
) -> Result<Option<DataKey>, StoreError> {
    let wrapped: Option<String> =
        sqlx::query_scalar("SELECT wrapped_key FROM data_keys WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(&mut *conn)
            .await?;
    match wrapped {
        Some(wrapped) => Ok(Some(master.open_data_key(&wrapped)?)),
        None if create.is_some() => {
            let (key, wrapped) = master.new_data_key();
            sqlx::query(
                "INSERT INTO data_keys (case_id, wrapped_key, created_at) VALUES ($1, $2, $3)",
            )
            .bind(case_id)
            .bind(wrapped)
            .bind(create)
            .execute(&mut *conn)
            .await?;
            Ok(Some(key))
        }
        None => Ok(None),
    }
}

/// Writes an event about a case with its personal values sealed under the case's key.
pub async fn log_case_event(
    conn: &mut Conn,
    master: &MasterKey,
    mut event: NewEvent,
) -> Result<(), StoreError> {
    if let Some(case_id) = event.case_id.filter(|_| sealing::holds_unsealed(&event)) {
        case_key(conn, master, case_id, event.occurred_at)
            .await?
            .seal_event(&mut event);
    }
    insert_event(conn, &event).await?;
    Ok(())
}

/// A case's key, made at `now` if it has none yet.
pub async fn case_key(
    conn: &mut Conn,
    master: &MasterKey,
    case_id: i64,
    now: DateTime<Utc>,
) -> Result<DataKey, StoreError> {
    Ok(data_key(conn, master, case_id, Some(now))
        .await?
        .expect("made when missing"))
}

/// Opens the sealed values of a case's events, or marks them erased when its key is gone.
pub async fn unseal_events(
    conn: &mut Conn,
    master: &MasterKey,
    case_id: i64,
    events: &mut [(EventRecord, Option<String>)],
) -> Result<(), StoreError> {
    if events.iter().all(|(_, sealed)| sealed.is_none()) {
        return Ok(());
    }
    let key = data_key(conn, master, case_id, None).await?;
    let erased_on: Option<NaiveDate> =
        sqlx::query_scalar("SELECT erased_on FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    for (event, sealed) in events.iter_mut() {
        let Some(sealed) = sealed else { continue };
        match &key {
            // A key made after an erasure does not open what was sealed before it.
            Some(key) => match key.open(sealed) {
                Ok(opened) => sealing::restore(&mut event.before, &mut event.after, &opened),
                Err(_) => sealing::mark_erased(&mut event.before, &mut event.after, erased_on),
            },
            None => sealing::mark_erased(&mut event.before, &mut event.after, erased_on),
        }
    }
    Ok(())
}

/// Seals the personal values of events written before sealing existed, one organisation per
/// transaction; the append-only rule is lifted for that transaction only and put back as it was.
pub async fn seal_old_events(
    conn: &mut Conn,
    master: &MasterKey,
    organisation_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let rows: Rows = sqlx::query(
        "SELECT e.id, e.case_id, e.kind, e.before_json, e.after_json,
            c.erased_on IS NOT NULL AS erased
         FROM events e JOIN cases c ON c.id = e.case_id
         WHERE e.organisation_id = $1 AND e.sealed IS NULL AND e.kind <> 'viewed'
         ORDER BY e.id",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut changes = Vec::new();
    for row in &rows {
        let before: Option<String> = row.try_get("before_json")?;
        let after: Option<String> = row.try_get("after_json")?;
        let mut event = Actor::system("migration").event(&row.try_get::<String, _>("kind")?, now);
        event.case_id = row.try_get("case_id")?;
        event.before = before.map(|b| json("before_json", &b)).transpose()?;
        event.after = after.map(|a| json("after_json", &a)).transpose()?;
        if let Some(personal) = sealing::take_personal(&mut event) {
            let id: i64 = row.try_get("id")?;
            let erased: bool = row.try_get("erased")?;
            changes.push((id, event, personal, erased));
        }
    }
    if changes.is_empty() {
        return Ok(0);
    }
    allow_event_changes(conn, true).await?;
    for (id, event, personal, erased) in &changes {
        let case_id = event.case_id.expect("selected with a case");
        // An erased case has no key, and must not get one: its values are sealed with a key
        // that is thrown away at once, so they read as erased (Art. 17).
        let key = match erased {
            true => master.new_data_key().0,
            false => case_key(conn, master, case_id, now).await?,
        };
        sqlx::query(
            "UPDATE events SET before_json = $1, after_json = $2, sealed = $3 WHERE id = $4",
        )
        .bind(event.before.as_ref().map(|v| v.to_string()))
        .bind(event.after.as_ref().map(|v| v.to_string()))
        .bind(key.seal(personal))
        .bind(*id)
        .execute(&mut *conn)
        .await?;
    }
    allow_event_changes(conn, false).await?;
    Ok(changes.len() as u64)
}

/// Lifts (`true`) or restores the triggers that make events append-only, inside the caller's
/// transaction: restored with the same definitions as migration 0001.
async fn allow_event_changes(conn: &mut Conn, allow: bool) -> Result<(), StoreError> {
    let statements: &[&str] = match (BACKEND, allow) {
        ("sqlite", true) => &[
            "DROP TRIGGER events_are_append_only_update",
            "DROP TRIGGER events_are_append_only_delete",
        ],
        ("sqlite", false) => &[
            "CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END",
            "CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END",
        ],
        (_, true) => &["ALTER TABLE events DISABLE TRIGGER events_are_append_only"],
        (_, false) => &["ALTER TABLE events ENABLE TRIGGER events_are_append_only"],
    };
    for statement in statements {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn pending_work(conn: &mut Conn, name: &str) -> Result<bool, StoreError> {
    let found: Option<String> = sqlx::query_scalar("SELECT name FROM pending_work WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

pub async fn finish_work(conn: &mut Conn, name: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM pending_work WHERE name = $1")
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn retention_rules(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Vec<RetentionRule>, StoreError> {
    let rows: Rows = sqlx::query(
        "SELECT applies_to, years FROM retention_rules WHERE organisation_id = $1 ORDER BY applies_to",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let years: i64 = r.try_get("years")?;
            Ok(RetentionRule {
                applies_to: r.try_get("applies_to")?,
                years: years as u32,
            })
        })
        .collect()
}

pub async fn set_retention_rules(
    conn: &mut Conn,
    organisation_id: i64,
    rules: &[RetentionRule],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM retention_rules WHERE organisation_id = $1")
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    for rule in rules {
        sqlx::query(
            "INSERT INTO retention_rules (organisation_id, applies_to, years) VALUES ($1, $2, $3)",
        )
        .bind(organisation_id)
        .bind(rule.applies_to.as_str())
        .bind(rule.years as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn legal_hold(conn: &mut Conn, case_id: i64) -> Result<Option<LegalHold>, StoreError> {
    let row =
        sqlx::query("SELECT reason, placed_by, placed_at FROM legal_holds WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|r| {
        Ok(LegalHold {
            reason: r.try_get("reason")?,
            placed_by: r.try_get("placed_by")?,
            placed_at: r.try_get("placed_at")?,
        })
    })
    .transpose()
}

/// Places (or replaces) a case's hold; `false`, placing nothing, when the case was erased.
pub async fn place_hold(
    conn: &mut Conn,
    case_id: i64,
    hold: &LegalHold,
) -> Result<bool, StoreError> {
    let placed = sqlx::query(
        "INSERT INTO legal_holds (case_id, reason, placed_by, placed_at)
         SELECT id, $2, $3, $4 FROM cases WHERE id = $1 AND erased_on IS NULL
         ON CONFLICT (case_id) DO UPDATE SET reason = excluded.reason,
            placed_by = excluded.placed_by, placed_at = excluded.placed_at",
    )
    .bind(case_id)
    .bind(hold.reason.as_str())
    .bind(hold.placed_by.as_str())
    .bind(hold.placed_at)
    .execute(&mut *conn)
    .await?;
    Ok(placed.rows_affected() > 0)
}

pub async fn lift_hold(conn: &mut Conn, case_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM legal_holds WHERE case_id = $1")
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The ids of an organisation's cases that may be due for erasure: concluded, not yet erased
/// and not held. Whether each is due is core's to say.
pub async fn erasure_candidates(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Vec<i64>, StoreError> {
    let open = crate::open_statuses_sql();
    let ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT c.id FROM cases c
         WHERE c.organisation_id = $1 AND c.erased_on IS NULL AND c.status NOT IN {open}
           AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = c.id)
         ORDER BY c.id"
    ))
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids)
}

/// The compliments not yet erased, with the day each was received.
pub async fn compliments_unerased(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Vec<(i64, NaiveDate)>, StoreError> {
    let rows: Rows = sqlx::query(
        "SELECT id, received_on FROM compliments
         WHERE organisation_id = $1 AND erased_on IS NULL ORDER BY id",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("received_on")?)))
        .collect()
}

/// Erases one case's personal data: its key (and with it every sealed value in its events),
/// its personal details, its files and the text of its mail. Returns what files went, or
/// `None` when the case was erased already.
pub async fn erase_case(
    conn: &mut Conn,
    case_id: i64,
    on: NaiveDate,
) -> Result<Option<Vec<ErasedFile>>, StoreError> {
    let erased = sqlx::query(
        "UPDATE cases SET erased_on = $1,
            late_complaint_grounds = CASE WHEN late_complaint_grounds IS NULL THEN NULL ELSE '[erased]' END,
            sufficient_interest_reason = CASE WHEN sufficient_interest_reason IS NULL THEN NULL ELSE '[erased]' END,
            version = version + 1
         WHERE id = $2 AND erased_on IS NULL",
    )
    .bind(on)
    .bind(case_id)
    .execute(&mut *conn)
    .await?;
    // Another erasure of the same case got there first (a run and a request at once).
    if erased.rows_affected() == 0 {
        return Ok(None);
    }
    let rows: Rows = sqlx::query(
        "SELECT id, content_type, size, sha256, added_at FROM case_attachments
         WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let files = rows
        .iter()
        .map(|r| {
            Ok(ErasedFile {
                id: r.try_get("id")?,
                content_type: r.try_get("content_type")?,
                size: r.try_get("size")?,
                sha256: r.try_get("sha256")?,
                added_at: r.try_get("added_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    for statement in [
        "DELETE FROM data_keys WHERE case_id = $1",
        "DELETE FROM case_personal WHERE case_id = $1",
        "DELETE FROM case_attachments WHERE case_id = $1",
        "UPDATE outbox SET recipient = NULL, subject = '[erased]', body = '[erased]',
            last_reply = NULL,
            status = CASE WHEN status IN ('queued', 'sending') THEN 'failed' ELSE status END
         WHERE case_id = $1",
    ] {
        sqlx::query(statement)
            .bind(case_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some(files))
}

/// Erases a compliment's text whole: names, a child's name, a phone number or an email can
/// be anywhere in it (UK GDPR Art. 17). Only the quotation the council approved for
/// publication, already public, stays.
pub async fn erase_compliment(
    conn: &mut Conn,
    compliment_id: i64,
    on: NaiveDate,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE compliments SET summary = '', erased_on = $1 WHERE id = $2")
        .bind(on)
        .bind(compliment_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn record_erasure(
    conn: &mut Conn,
    erasure: &Erasure,
    recorded_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO erasures (organisation_id, case_id, compliment_id, reference, erased_on,
            rule, files, actor, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(erasure.organisation_id)
    .bind(erasure.case_id)
    .bind(erasure.compliment_id)
    .bind(erasure.reference.as_deref())
    .bind(erasure.erased_on)
    .bind(erasure.rule.as_str())
    .bind(serde_json::to_string(&erasure.files).expect("files serialise"))
    .bind(erasure.actor.as_str())
    .bind(recorded_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The held cases of an organisation: (id, reference, reason).
pub async fn held_cases(
    conn: &mut Conn,
    organisation_id: i64,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    let rows: Rows = sqlx::query(
        "SELECT c.id, c.reference, h.reason FROM legal_holds h JOIN cases c ON c.id = h.case_id
         WHERE c.organisation_id = $1 ORDER BY c.id",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("reference")?,
                r.try_get("reason")?,
            ))
        })
        .collect()
}

pub async fn erasures(conn: &mut Conn, organisation_id: i64) -> Result<Vec<Erasure>, StoreError> {
    let rows: Rows = sqlx::query(
        "SELECT * FROM erasures WHERE organisation_id = $1 ORDER BY id DESC LIMIT 1000",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let files: String = r.try_get("files")?;
            Ok(Erasure {
                organisation_id,
                case_id: r.try_get("case_id")?,
                compliment_id: r.try_get("compliment_id")?,
                reference: r.try_get("reference")?,
                erased_on: r.try_get("erased_on")?,
                rule: r.try_get("rule")?,
                files: json("files", &files)?,
                actor: r.try_get("actor")?,
            })
        })
        .collect()
}
