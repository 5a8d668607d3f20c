//! Issue 23, items 2, 6, 8 and 14, on both backends: what staff type as reasons, a
//! compliment's text and what is typed in the sign-in email box leave no trace in the
//! database's own files once erased (the SQLite file after VACUUM; every table and index file
//! of the PostgreSQL database), the erasure record keeps only the rule and who, and reports
//! quote only what the council approved for publication.

mod common;

use chrono::NaiveDate;
use common::App;
use redress_store::{Access, Actor};
use redress_testkit::{holds, on_both_backends, TestDatabase};
use serde_json::json;

const HOLD_REASON: &str = "Zebedee Quixotic-Falstaff threatens litigation";
const RECTIFICATION_REASON: &str = "Yolanda Brackenridge-Pym spelt her name for us";
const ERASURE_REASON: &str = "requested by Xanthe Ormsby-Thistlewood xot@example.org";
const CORRECTED_NAME: &str = "Wilhelmina Featherstonehaugh";

on_both_backends!(reasons_go_with_the_case);

/// A hold, a rectification and an erasure on request, each with a reason naming someone:
/// readable while the case is kept, gone from the files once it is erased.
async fn reasons_go_with_the_case(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let created = app.new_case("statutory", "2024-01-08").await.expect(201);
    let id = created.id();
    let hold = format!("/api/v1/cases/{id}/legal-hold");
    let ig = app.governance().await;
    app.call_as(
        &ig,
        "PUT",
        &hold,
        Some(json!({"reason": HOLD_REASON})),
        None,
    )
    .await
    .expect(200);
    app.call_as(
        &ig,
        "POST",
        &format!("/api/v1/cases/{id}/rectification"),
        Some(json!({
            "personal": {"complainant_name": CORRECTED_NAME, "summary": "A late reply"},
            "reason": RECTIFICATION_REASON,
        })),
        Some(created.etag()),
    )
    .await
    .expect(200);

    // The reasons read back whole while the case is kept, but the log holds them sealed.
    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    let reason_of = |events: &serde_json::Value, kind: &str| {
        events
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {events:#}"))["after"]["reason"]
            .clone()
    };
    assert_eq!(reason_of(&events.body, "legal_hold_placed"), HOLD_REASON);
    assert_eq!(
        reason_of(&events.body, "rectification_reason"),
        RECTIFICATION_REASON
    );
    let logged = db
        .texts_directly(&format!(
            "SELECT after_json FROM events WHERE case_id = {id} AND after_json IS NOT NULL"
        ))
        .await
        .unwrap()
        .join("\n");
    assert!(
        !logged.contains("Quixotic") && !logged.contains("Brackenridge"),
        "{logged}"
    );
    let bytes = db.stored_bytes().await;
    assert!(holds(&bytes, HOLD_REASON), "the search sees a kept value");

    app.call_as(&ig, "DELETE", &hold, None, None)
        .await
        .expect(204);
    let erased = app
        .call_as(
            &ig,
            "POST",
            &format!("/api/v1/cases/{id}/erasure"),
            Some(json!({"reason": ERASURE_REASON})),
            None,
        )
        .await
        .expect(201);
    assert_eq!(erased.body["rule"], "on request", "{:#}", erased.body);

    // The erasure record keeps the rule and who ran it, never the reason.
    let recorded = db
        .texts_directly("SELECT rule || ' | ' || actor FROM erasures")
        .await
        .unwrap();
    assert_eq!(recorded, ["on request | governance@testshire.test"]);

    // A hold on an erased case is refused, and places nothing.
    app.call_as(
        &ig,
        "PUT",
        &hold,
        Some(json!({"reason": HOLD_REASON})),
        None,
    )
    .await
    .refused(422, Some("case"), "was erased on");
    app.call_as(&ig, "GET", &hold, None, None).await.expect(404);

    // The history says who did what; every reason reads as erased.
    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    for kind in [
        "legal_hold_placed",
        "rectification_reason",
        "personal_data_erased",
    ] {
        let reason = reason_of(&events.body, kind);
        assert!(
            reason.as_str().unwrap().starts_with("erased on "),
            "{kind}: {reason}"
        );
    }

    let bytes = db.stored_bytes().await;
    for value in [
        "Quixotic-Falstaff",
        "Brackenridge-Pym",
        "Ormsby-Thistlewood",
        "xot@example.org",
        CORRECTED_NAME,
    ] {
        assert!(
            !holds(&bytes, value),
            "'{value}' is still in the {} database's files",
            db.backend
        );
    }
    app.store.close().await;
}

on_both_backends!(an_erasure_waits_for_older_transactions);

/// A reader's transaction that began before the erasure, and still sees the erased rows, holds
/// the rewrite back until it ends (within the wait's bound) instead of failing it or leaving
/// the rows behind.
async fn an_erasure_waits_for_older_transactions(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = app
        .post(
            "/api/v1/cases",
            json!({
                "organisation": "testshire", "procedure": "statutory",
                "received_on": "2024-01-08", "channel": "email",
                "complainant_role": "parent", "team": "Access & Assessment Team",
                "reason": "Communication",
                "personal": {"complainant_name": "Ptolemy Grimthorpe-Vasquez", "summary": "x"}
            }),
        )
        .await
        .expect(201)
        .id();
    let reader = if db.backend == "postgres" {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut conn)
            .await
            .unwrap();
        // Its snapshot sees the case's row; it holds no lock on that table.
        let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(seen, 1);
        Some(tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
        }))
    } else {
        None
    };
    app.call_as(
        &app.governance().await,
        "POST",
        &format!("/api/v1/cases/{id}/erasure"),
        Some(json!({"reason": "asked"})),
        None,
    )
    .await
    .expect(201);
    if let Some(reader) = reader {
        reader.await.unwrap();
    }
    let bytes = db.stored_bytes().await;
    assert!(
        !holds(&bytes, "Grimthorpe-Vasquez"),
        "the name is still in the {} database's files",
        db.backend
    );
    app.store.close().await;
}

const COMPLIMENT: &str =
    "Zebedee Quixotic-Falstaff rang on 07700 900123 (zq.falstaff@example.org): \
     Ms Okonkwo helped his son Barnaby Quixotic-Falstaff settle at school.";
const QUOTATION: &str = "The social worker helped our son settle at school.";

on_both_backends!(a_compliment_is_erased_whole_and_only_approved_words_are_quoted);

async fn a_compliment_is_erased_whole_and_only_approved_words_are_quoted(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let path = "/api/v1/organisations/testshire/compliments";
    let compliment = |summary: &str, consent: bool, quotation: Option<&str>| {
        json!({
            "received_on": "2019-06-03", "team": "Access & Assessment Team",
            "summary": summary, "consent_to_publish": consent,
            "published_quotation": quotation,
        })
    };
    // A quotation needs the person's consent.
    app.post(
        path,
        compliment("Thanks to Ms Okonkwo", false, Some(QUOTATION)),
    )
    .await
    .refused(422, Some("published_quotation"), "did not consent");
    assert!(app
        .get(path)
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .is_empty());
    let approved = app
        .post(path, compliment(COMPLIMENT, true, Some(QUOTATION)))
        .await
        .expect(201);
    assert_eq!(approved.body["published_quotation"], QUOTATION);
    // Consent given, but nothing approved yet: the report quotes nothing of it.
    let pending = app
        .post(
            path,
            compliment("Mr Ainsworth-Bellingham was wonderful", true, None),
        )
        .await
        .expect(201)
        .id();
    let unconsented = app
        .post(path, compliment("Thanks to Ms Okonkwo", false, None))
        .await
        .expect(201)
        .id();
    let quotation_of = |id: i64| format!("{path}/{id}/published-quotation");
    app.put(
        &quotation_of(unconsented),
        json!({"published_quotation": "Thank you"}),
    )
    .await
    .refused(422, Some("published_quotation"), "did not consent");
    app.put(&quotation_of(999_999), json!({"published_quotation": "x"}))
        .await
        .expect(404);
    app.put(&quotation_of(pending), json!({"published_quotation": "A"}))
        .await
        .expect(200);
    app.put(&quotation_of(pending), json!({"published_quotation": null}))
        .await
        .expect(200);

    let report = app
        .get("/api/v1/organisations/testshire/reports/2019?format=json")
        .await
        .expect(200);
    let compliments = &report.body["compliments"];
    assert_eq!(compliments["received"], 3, "{compliments:#}");
    assert_eq!(
        compliments["quotations"],
        json!([{"team": "Access & Assessment Team", "text": QUOTATION}])
    );

    // The schedule (2 years for compliments), approved, erases them.
    let store = &app.store;
    let today = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let preview = store
        .retention_preview(&Access::System, "testshire", today)
        .await
        .unwrap();
    store
        .approve_retention(
            &Access::System,
            "testshire",
            today,
            "Information Governance Board",
            preview.total,
            today,
            &Actor::system("test"),
        )
        .await
        .unwrap();
    let run = store
        .run_retention(today, false, &Actor::system("test"))
        .await
        .unwrap();
    assert_eq!(run.erased.len(), 3, "{run:?}");

    let kept = app.get(path).await.expect(200);
    for c in kept.body.as_array().unwrap() {
        assert_eq!(c["summary"], "", "{c:#}");
    }
    let report = app
        .get("/api/v1/organisations/testshire/reports/2019?format=json")
        .await
        .expect(200);
    assert_eq!(
        report.body["compliments"]["quotations"],
        json!([{"team": "Access & Assessment Team", "text": QUOTATION}]),
        "the approved words stay: they are published"
    );
    let bytes = db.stored_bytes().await;
    for value in [
        "Quixotic-Falstaff",
        "07700 900123",
        "zq.falstaff@example.org",
        "Okonkwo",
        "Ainsworth-Bellingham",
        "Z. Q.",
    ] {
        assert!(
            !holds(&bytes, value),
            "'{value}' is still in the {} database's files",
            db.backend
        );
    }
    app.store.close().await;
}

on_both_backends!(an_unknown_sign_in_keeps_no_trace_of_what_was_typed);

/// Someone types their password in the email box: the failure is logged and throttled under
/// a keyed digest of it, the same each time, and the text is nowhere.
async fn an_unknown_sign_in_keeps_no_trace_of_what_was_typed(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let typed = "Correct-Horse-Battery-Staple-42";
    for _ in 0..2 {
        app.post(
            "/api/v1/session",
            json!({"email": typed, "password": "whatever it is"}),
        )
        .await
        .expect(401);
    }
    // A known account is still named.
    app.post(
        "/api/v1/session",
        json!({"email": "officer@testshire.test", "password": "wrong password here"}),
    )
    .await
    .expect(401);
    let actors = db
        .texts_directly("SELECT actor FROM events WHERE kind = 'sign_in_failed' ORDER BY id")
        .await
        .unwrap();
    assert_eq!(actors.len(), 3, "{actors:?}");
    assert!(actors[0].starts_with("unknown account "), "{actors:?}");
    assert_eq!(actors[0], actors[1], "the same text, the same digest");
    assert_eq!(actors[2], "officer@testshire.test");
    let bytes = db.stored_bytes().await;
    for value in [typed.to_string(), typed.to_lowercase()] {
        assert!(
            !holds(&bytes, &value),
            "what was typed is in the {} database's files",
            db.backend
        );
    }
    app.store.close().await;
}

on_both_backends!(reasons_logged_in_the_clear_are_sealed_at_start);

/// A database from before this change: a hold reason and a rectification reason in the clear,
/// one on a kept case and one on an erased case. The next start seals the first, erases the
/// second, and neither text is left in the files.
async fn reasons_logged_in_the_clear_are_sealed_at_start(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let kept = app
        .new_case("statutory", "2024-01-08")
        .await
        .expect(201)
        .id();
    let erased = app
        .new_case("statutory", "2024-01-09")
        .await
        .expect(201)
        .id();
    app.call_as(
        &app.governance().await,
        "POST",
        &format!("/api/v1/cases/{erased}/erasure"),
        Some(json!({"reason": "asked"})),
        None,
    )
    .await
    .expect(201);
    let organisation = app.store.organisation("testshire").await.unwrap();
    app.store.close().await;
    for (case, kind, reason) in [
        (
            kept,
            "legal_hold_placed",
            "Percival Umbridge-Nightingale is suing",
        ),
        (
            erased,
            "rectification_reason",
            "Octavia Pemberton-Quince misspelt",
        ),
    ] {
        db.execute_directly(&format!(
            "INSERT INTO events (organisation_id, case_id, actor, occurred_at, kind, after_json)
             VALUES ({}, {case}, 'old version', '2024-02-01T10:00:00Z', '{kind}',
                     '{{\"reason\":\"{reason}\"}}')",
            organisation.id
        ))
        .await
        .unwrap();
    }
    db.execute_directly("INSERT INTO pending_work (name) VALUES ('seal_events')")
        .await
        .unwrap();

    let store = redress_store::Store::connect(&db.url).await.unwrap();
    let old = |events: Vec<redress_store::EventRecord>| {
        events
            .into_iter()
            .find(|e| e.actor == "old version")
            .unwrap()
            .after
            .unwrap()["reason"]
            .clone()
    };
    assert_eq!(
        old(store.events(&Access::System, kept).await.unwrap()),
        "Percival Umbridge-Nightingale is suing"
    );
    let gone = old(store.events(&Access::System, erased).await.unwrap());
    assert!(gone.as_str().unwrap().starts_with("erased on "), "{gone}");
    store.close().await;
    let bytes = db.stored_bytes().await;
    for value in ["Umbridge-Nightingale", "Pemberton-Quince"] {
        assert!(
            !holds(&bytes, value),
            "'{value}' is still in the {} database's files",
            db.backend
        );
    }
}

on_both_backends!(the_compliments_page_logs_an_approved_quotation);

/// The compliments page takes the approved quotation with the compliment, refuses it without
/// consent (naming the box), and shows it apart from the compliment's text.
async fn the_compliments_page_logs_an_approved_quotation(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let officer = app.session_for("officer@testshire.test").await;
    let common::Credentials::Session { csrf, .. } = &officer else {
        panic!("a session")
    };
    let form = |consent: &'static str| {
        vec![
            ("_csrf", csrf.as_str()),
            ("received_on", "2024-05-02"),
            ("team", ""),
            ("summary", "Mrs Pennywhistle-Abara thanked Ms Okonkwo"),
            ("consent", consent),
            ("published_quotation", QUOTATION),
        ]
    };
    let refused = app
        .form_as(&officer, "/compliments", &form(""))
        .await
        .expect(422);
    let text = refused.body.as_str().unwrap();
    assert!(text.contains("published_quotation-error"), "{text}");
    app.form_as(&officer, "/compliments", &form("yes"))
        .await
        .expect(303);
    let logged = app
        .get("/api/v1/organisations/testshire/compliments")
        .await
        .expect(200);
    assert_eq!(logged.body.as_array().unwrap().len(), 1);
    assert_eq!(logged.body[0]["published_quotation"], QUOTATION);
    let page = app
        .call_as(&officer, "GET", "/compliments", None, None)
        .await
        .expect(200);
    assert!(page.body.as_str().unwrap().contains(QUOTATION));
    app.store.close().await;
}
