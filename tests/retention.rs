//! `redress retention run` through the real binary, on the demo with concluded complaints that
//! carry personal data in every place it can be (details, a correction, a note, a file, an
//! acknowledgement email): the figures stay byte-identical, the personal values are gone from
//! the database itself, a legal hold keeps its case, and `--dry-run` changes nothing.

use chrono::NaiveDate;
use redress_store::{Access, Actor, Store};
use redress_testkit::{holds, on_both_backends, TestDatabase};
use std::process::{Command, Output};

fn redress(db: &TestDatabase, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .output()
        .expect("the redress binary runs")
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A complaint resolved at first contact in January 2021, with `tag` in every personal field,
/// a corrected name, a note, a file and the acknowledgement email. Answers its id and the
/// personal values it holds.
async fn concluded_case(store: &Store, tag: &str) -> (i64, String, Vec<String>) {
    let actor = Actor::system("officer@westminster.example");
    let personal = serde_json::json!({
        "complainant_name": format!("Zebedee {tag}feather"),
        "contact_email": format!("{}.q@example.org", tag.to_lowercase()),
        "contact_phone": "07700 900461",
        "contact_address": format!("14 {tag} Mews, London"),
        "children": [format!("CHILD-{tag}-5521")],
        "summary": format!("{tag}-summary: the social worker missed three visits."),
        "outcome_wanted": format!("{tag}-outcome: an apology."),
    });
    let new = serde_json::from_value(serde_json::json!({
        "procedure": "statutory", "received_on": "2021-01-11", "channel": "email",
        "complainant_role": "parent", "team": "Localities", "reason": "Communication",
        "personal": personal,
    }))
    .unwrap();
    let today = day("2021-01-11");
    let record = store
        .create_case(&Access::System, "westminster", new, &actor, today)
        .await
        .expect("the case is recorded");
    let corrected = format!("Zebedee {tag}feather-Corrected");
    let update: redress_core::CaseUpdate = serde_json::from_value(serde_json::json!({
        "personal": {
            "complainant_name": corrected,
            "contact_email": format!("{}.q@example.org", tag.to_lowercase()),
            "contact_phone": "07700 900461",
            "contact_address": format!("14 {tag} Mews, London"),
            "children": [format!("CHILD-{tag}-5521")],
            "summary": format!("{tag}-summary: the social worker missed three visits."),
            "outcome_wanted": format!("{tag}-outcome: an apology."),
        }
    }))
    .unwrap();
    let record = store
        .update_case(
            &Access::System,
            record.id,
            record.version,
            &update,
            &actor,
            today,
        )
        .await
        .unwrap();
    store
        .add_note(
            &Access::System,
            record.id,
            &format!("{tag}-note: phoned her mother."),
            &actor,
        )
        .await
        .unwrap();
    let file = format!("%PDF-1.4\n{tag}-file contents\n%%EOF\n");
    store
        .add_attachment(
            &Access::System,
            record.id,
            &format!("{tag} statement.pdf"),
            file.as_bytes(),
            &actor,
        )
        .await
        .unwrap();
    let mut record = store.case(&Access::System, record.id).await.unwrap();
    for step in [
        serde_json::json!({"transition": "acknowledge", "on": "2021-01-11"}),
        serde_json::json!({"transition": "resolve_at_initial_contact", "on": "2021-01-12"}),
    ] {
        let step = serde_json::from_value(step).unwrap();
        record = store
            .transition(
                &Access::System,
                record.id,
                record.version,
                &step,
                &actor,
                day("2021-01-12"),
            )
            .await
            .unwrap();
    }
    let values = vec![
        format!("Zebedee {tag}feather"),
        format!("{}.q@example.org", tag.to_lowercase()),
        format!("14 {tag} Mews"),
        format!("CHILD-{tag}-5521"),
        format!("{tag}-summary"),
        format!("{tag}-outcome"),
        format!("{tag}-note"),
        format!("{tag}-file"),
        format!("{tag} statement"),
    ];
    (record.id, record.case.reference().to_string(), values)
}

/// Every byte the database keeps in its files: the SQLite file after VACUUM, or every table
/// and index file of the PostgreSQL database.
async fn database_bytes(db: &TestDatabase) -> Vec<u8> {
    db.stored_bytes().await
}

on_both_backends!(retention_erases_the_people_and_keeps_the_figures);

async fn retention_erases_the_people_and_keeps_the_figures(db: &TestDatabase) {
    ok(redress(db, &["demo", "--no-serve"]));
    let store = Store::connect(&db.url).await.unwrap();
    let (erased_id, erased_reference, erased_values) = concluded_case(&store, "Quillon").await;
    let (held_id, held_reference, held_values) = concluded_case(&store, "Holdsby").await;
    store
        .place_legal_hold(
            &Access::System,
            held_id,
            "Litigation: claim issued",
            &Actor::system("dpo"),
        )
        .await
        .unwrap();
    store.close().await;

    let report = |db: &TestDatabase| {
        ok(redress(
            db,
            &[
                "report",
                "annual",
                "--organisation",
                "westminster",
                "--year",
                "2020",
                "--format",
                "json",
            ],
        ))
    };
    let before = report(db);
    assert!(
        holds(&database_bytes(db).await, &erased_values[0]),
        "the check can see a value"
    );

    // Until the council's approval is recorded, the schedule erases nothing, even when run.
    let off = ok(redress(db, &["retention", "run", "--on", "2030-01-01"]));
    assert!(
        off.contains("not applied in westminster: its schedule is off"),
        "{off}"
    );
    assert!(
        off.contains("erased the personal data of 0 cases and 0 compliments"),
        "{off}"
    );
    assert!(holds(&database_bytes(db).await, &erased_values[0]));

    // Switching it on needs the approval's date and author, and the dry run's count today.
    let preview = ok(redress(
        db,
        &["retention", "preview", "--organisation", "westminster"],
    ));
    assert!(preview.contains("it is off"), "{preview}");
    let due_today = preview
        .split("would erase ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the preview gives a count")
        .to_string();
    let approve = |count: &str| {
        redress(
            db,
            &[
                "retention",
                "approve",
                "--organisation",
                "westminster",
                "--approved-on",
                "2026-01-05",
                "--approved-by",
                "Information Governance Board",
                "--confirm-erasures",
                count,
            ],
        )
    };
    let wrong = approve("999999");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("confirm_erasures"));
    let approved = ok(approve(&due_today));
    assert!(approved.contains("retention schedule on"), "{approved}");

    // A dry run says what is due and changes nothing.
    let events_before = db
        .texts_directly("SELECT CAST(COUNT(*) AS TEXT) FROM events")
        .await
        .unwrap();
    let dry = ok(redress(
        db,
        &["retention", "run", "--on", "2030-01-01", "--dry-run"],
    ));
    assert!(
        dry.contains(&format!("would erase case {erased_reference}")),
        "{dry}"
    );
    assert!(dry.contains("dry run: nothing was changed"), "{dry}");
    assert_eq!(
        db.texts_directly("SELECT CAST(COUNT(*) AS TEXT) FROM events")
            .await
            .unwrap(),
        events_before
    );
    assert_eq!(
        db.texts_directly("SELECT CAST(COUNT(*) AS TEXT) FROM erasures")
            .await
            .unwrap(),
        vec!["0".to_string()]
    );

    let run = ok(redress(db, &["retention", "run", "--on", "2030-01-01"]));
    assert!(
        run.contains(&format!(
            "erased case {erased_reference} (statutory: 6 years after the case was concluded)"
        )),
        "{run}"
    );
    assert!(
        run.contains(&format!(
            "kept westminster case {held_reference}: legal hold (Litigation: claim issued)"
        )),
        "{run}"
    );
    assert!(
        !run.contains(&format!("erased case {held_reference}")),
        "{run}"
    );

    // The figures, byte for byte.
    assert_eq!(
        report(db),
        before,
        "the 2020/21 report changed after erasure"
    );

    // No personal value of the erased case is anywhere in the database; the held one's are.
    let bytes = database_bytes(db).await;
    for value in &erased_values {
        assert!(
            !holds(&bytes, value),
            "'{value}' is still in the {} database",
            db.backend
        );
    }
    // (Its note and file name are sealed, so only its personal details are legible here.)
    for value in &held_values[..6] {
        assert!(holds(&bytes, value), "the held case lost '{value}'");
    }

    // The history still says who did what and when; its personal values read as erased.
    let store = Store::connect(&db.url).await.unwrap();
    let record = store.case(&Access::System, erased_id).await.unwrap();
    assert_eq!(record.erased_on, Some(day("2030-01-01")));
    assert_eq!(
        *record.case.personal(),
        redress_core::PersonalDetails::default()
    );
    let events = store.events(&Access::System, erased_id).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    for kind in [
        "received",
        "updated",
        "note",
        "attachment_added",
        "resolve_at_initial_contact",
        "personal_data_erased",
    ] {
        assert!(kinds.contains(&kind), "{kind} is missing from {kinds:?}");
    }
    let received = events.iter().find(|e| e.kind == "received").unwrap();
    assert_eq!(received.actor, "officer@westminster.example");
    let after = received.after.as_ref().unwrap();
    assert_eq!(after["personal"], "erased on 2030-01-01");
    assert_eq!(after["team"], "Localities", "the facts stay readable");
    let note = events.iter().find(|e| e.kind == "note").unwrap();
    assert_eq!(note.after.as_ref().unwrap()["text"], "erased on 2030-01-01");
    assert!(store
        .attachments(&Access::System, erased_id)
        .await
        .unwrap()
        .is_empty());

    // The held case reads as it did.
    let held = store.case(&Access::System, held_id).await.unwrap();
    assert_eq!(held.erased_on, None);
    assert!(held.case.personal().complainant_name.contains("Holdsby"));
    let held_events = store.events(&Access::System, held_id).await.unwrap();
    let held_received = held_events.iter().find(|e| e.kind == "received").unwrap();
    assert_eq!(
        held_received.after.as_ref().unwrap()["personal"]["complainant_name"],
        "Zebedee Holdsbyfeather"
    );

    // Every erasure is in the audit log, naming the case and the rule and no one.
    let logged = db
        .texts_directly(&format!(
            "SELECT after_json FROM events WHERE kind = 'personal_data_erased' AND case_id = {erased_id}"
        ))
        .await
        .unwrap();
    assert_eq!(logged.len(), 1, "one erasure event");
    assert!(
        logged[0].contains(&erased_reference) && logged[0].contains("6 years"),
        "{}",
        logged[0]
    );
    let erasures = db
        .texts_directly("SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind IN ('personal_data_erased', 'compliment_erased')")
        .await
        .unwrap();
    let recorded = db
        .texts_directly("SELECT CAST(COUNT(*) AS TEXT) FROM erasures")
        .await
        .unwrap();
    assert_eq!(erasures, recorded, "an audit event for every erasure");

    // The log is still append-only.
    assert!(db
        .execute_directly("UPDATE events SET actor = 'someone else'")
        .await
        .is_err());
    assert!(db.execute_directly("DELETE FROM events").await.is_err());

    // Once the hold is lifted, the next run erases the case.
    store
        .lift_legal_hold(&Access::System, held_id, &Actor::system("dpo"))
        .await
        .unwrap();
    store.close().await;
    let again = ok(redress(db, &["retention", "run", "--on", "2030-01-01"]));
    assert!(
        again.contains(&format!("erased case {held_reference}")),
        "{again}"
    );
    assert_eq!(report(db), before);
    let bytes = database_bytes(db).await;
    for value in held_values
        .iter()
        .map(String::as_str)
        .chain(["Litigation: claim issued"])
    {
        assert!(
            !holds(&bytes, value),
            "'{value}' survived the lifted hold's erasure"
        );
    }
}
