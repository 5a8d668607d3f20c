//! Data protection through the API, on both backends: legal holds, erasure and rectification on
//! request, the retention schedule, the erasure record, and events written before sealing.

mod common;

use common::{App, Credentials};
use redress_store::{Access, Role, Store};
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;

const SUMMARY: &str = "Late reply to a letter about contact arrangements";

on_both_backends!(a_hold_refuses_erasure_until_it_is_lifted);

async fn a_hold_refuses_erasure_until_it_is_lifted(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let (id, _) = app.at_stage1("statutory", "2024-01-08").await;
    // Holds and erasure are information governance's; the officer reads the case.
    let officer = app.session_for("officer@testshire.test").await;
    app.add_user(
        "governance@testshire.test",
        Some("testshire"),
        Some(Role::InformationGovernance),
        &[],
        false,
    )
    .await;
    app.sign_in_as("governance@testshire.test").await;
    let read = |path: String| {
        let officer = officer.clone();
        let app = &app;
        async move { app.call_as(&officer, "GET", &path, None, None).await }
    };
    let hold = format!("/api/v1/cases/{id}/legal-hold");
    app.get(&hold).await.expect(404);
    app.put(&hold, json!({"reason": "  "}))
        .await
        .refused(422, Some("reason"), "say why");
    let placed = app
        .put(&hold, json!({"reason": "Judicial review claim issued"}))
        .await
        .expect(200);
    assert_eq!(placed.body["placed_by"], "governance@testshire.test");
    app.get(&hold).await.expect(200);

    let erase = format!("/api/v1/cases/{id}/erasure");
    app.post(&erase, json!({"reason": "The complainant asked"}))
        .await
        .refused(422, Some("legal_hold"), "Judicial review claim issued");
    let case = read(format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(
        case.body["personal"]["summary"], SUMMARY,
        "nothing was erased"
    );

    app.call("DELETE", &hold, None, None).await.expect(204);
    app.call("DELETE", &hold, None, None).await.expect(404);
    let erased = app
        .post(&erase, json!({"reason": "The complainant asked"}))
        .await
        .expect(201);
    assert_eq!(erased.body["rule"], "on request", "{:#}", erased.body);
    let case = read(format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(case.body["personal"]["summary"], "");
    assert!(case.body["erased_on"].is_string(), "{:#}", case.body);
    // A second erasure is refused naming the case; the erasure is listed once.
    app.post(&erase, json!({"reason": "again"}))
        .await
        .refused(422, Some("case"), "was erased on");
    let listed = app
        .get("/api/v1/organisations/testshire/erasures")
        .await
        .expect(200);
    assert_eq!(listed.body.as_array().unwrap().len(), 1);

    // The timeline keeps who did what; the personal values read as erased.
    let events = read(format!("/api/v1/cases/{id}/events")).await.expect(200);
    let kinds: Vec<&str> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "received",
        "legal_hold_placed",
        "legal_hold_lifted",
        "personal_data_erased",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let received = &events.body.as_array().unwrap()[0];
    assert!(
        received["after"]["personal"]
            .as_str()
            .unwrap()
            .starts_with("erased on "),
        "{received:#}"
    );
}

on_both_backends!(only_information_governance_erases);

async fn only_information_governance_erases(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let (id, _) = app.at_stage1("statutory", "2024-01-08").await;
    app.add_user(
        "manager@testshire.test",
        Some("testshire"),
        Some(Role::TeamManager),
        &["Access & Assessment Team"],
        false,
    )
    .await;
    let manager = app.session_for("manager@testshire.test").await;
    let erase = format!("/api/v1/cases/{id}/erasure");
    let reply = app
        .call_as(
            &manager,
            "POST",
            &erase,
            Some(json!({"reason": "asked"})),
            None,
        )
        .await;
    assert_eq!(reply.status.as_u16(), 403, "{:#}", reply.body);
    let reply = app
        .call_as(
            &Credentials::None,
            "POST",
            &erase,
            Some(json!({"reason": "asked"})),
            None,
        )
        .await;
    assert_eq!(reply.status.as_u16(), 401);
    // Another organisation's officer does not learn the case exists.
    app.sign_in_as("operator@redress.test").await;
    app.post(
        "/api/v1/organisations",
        json!({"slug": "otherton", "name": "Otherton", "reference_prefix": "OTH"}),
    )
    .await
    .expect(201);
    app.add_user(
        "officer@otherton.test",
        Some("otherton"),
        Some(Role::ComplaintsOfficer),
        &[],
        false,
    )
    .await;
    let other = app.session_for("officer@otherton.test").await;
    let reply = app
        .call_as(
            &other,
            "POST",
            &erase,
            Some(json!({"reason": "asked"})),
            None,
        )
        .await;
    assert_eq!(reply.status.as_u16(), 404, "{:#}", reply.body);
    let reply = app
        .call_as(
            &other,
            "PUT",
            &format!("/api/v1/cases/{id}/legal-hold"),
            Some(json!({"reason": "x"})),
            None,
        )
        .await;
    assert_eq!(reply.status.as_u16(), 404);
}

on_both_backends!(rectification_corrects_and_is_audited);

async fn rectification_corrects_and_is_audited(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let created = app.new_case("statutory", "2024-01-08").await.expect(201);
    let id = created.id();
    let path = format!("/api/v1/cases/{id}/rectification");
    let body = json!({
        "personal": {"complainant_name": "Ann Smyth", "summary": SUMMARY},
        "reason": "The name was misspelt",
    });
    app.call("POST", &path, Some(body.clone()), None)
        .await
        .expect(428);
    app.call("POST", &path, Some(body.clone()), Some(created.etag() + 7))
        .await
        .expect(409);
    app.call(
        "POST",
        &path,
        Some(json!({"personal": {}, "reason": ""})),
        Some(created.etag()),
    )
    .await
    .refused(422, Some("reason"), "say what was wrong");
    let fixed = app
        .call("POST", &path, Some(body), Some(created.etag()))
        .await
        .expect(200);
    assert_eq!(fixed.body["personal"]["complainant_name"], "Ann Smyth");
    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    let events = events.body.as_array().unwrap();
    let rectified = events.iter().find(|e| e["kind"] == "rectified").unwrap();
    assert_eq!(
        rectified["after"]["personal"]["complainant_name"],
        "Ann Smyth"
    );
    assert_eq!(rectified["actor"], "officer@testshire.test");
    let reason = events
        .iter()
        .find(|e| e["kind"] == "rectification_reason")
        .unwrap();
    assert_eq!(reason["after"]["reason"], "The name was misspelt");
    // In the log itself the name is sealed.
    let raw = db
        .texts_directly(&format!(
            "SELECT after_json FROM events WHERE case_id = {id} AND kind = 'rectified'"
        ))
        .await
        .unwrap();
    assert!(!raw[0].contains("Ann Smyth"), "{}", raw[0]);
}

on_both_backends!(the_schedule_is_checked_line_by_line);

async fn the_schedule_is_checked_line_by_line(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let path = "/api/v1/organisations/testshire/retention";
    let schedule = app.get(path).await.expect(200);
    let rules = schedule.body["rules"].as_array().unwrap();
    assert!(rules.contains(&json!({"applies_to": "statutory", "years": 6})));
    assert!(rules.contains(&json!({"applies_to": "compliments", "years": 2})));
    // Only an administrator sets it.
    app.put(
        path,
        json!({"rules": [{"applies_to": "statutory", "years": 7}]}),
    )
    .await
    .expect(403);
    app.add_user(
        "admin@testshire.test",
        Some("testshire"),
        Some(Role::Admin),
        &[],
        false,
    )
    .await;
    app.sign_in_as("admin@testshire.test").await;
    app.put(
        path,
        json!({"rules": [{"applies_to": "statutory", "years": 0}]}),
    )
    .await
    .refused(422, Some("rules[0].years"), "1 to 25 years");
    app.put(path, json!({"rules": [{"applies_to": "nope", "years": 3}]}))
        .await
        .refused(422, Some("rules[0].applies_to"), "'nope'");
    app.put(
        path,
        json!({"rules": [{"applies_to": "compliments", "years": 3}, {"applies_to": "compliments", "years": 4}]}),
    )
    .await
    .refused(422, Some("rules[1].applies_to"), "twice");
    app.put(path, json!({"rules": [{"years": 3}]}))
        .await
        .expect(422);
    let set = app
        .put(
            path,
            json!({"rules": [{"applies_to": "statutory", "years": 7}]}),
        )
        .await
        .expect(200);
    assert!(set.body["rules"]
        .as_array()
        .unwrap()
        .contains(&json!({"applies_to": "statutory", "years": 7})));
}

on_both_backends!(events_written_before_sealing_are_sealed_at_start);

/// A database from before sealing: an event holding a name in the clear. The next start seals
/// it in place, the append-only triggers stand as they were, and the case still reads whole.
async fn events_written_before_sealing_are_sealed_at_start(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let created = app.new_case("statutory", "2024-01-08").await.expect(201);
    let id = created.id();
    let organisation = app.store.organisation("testshire").await.unwrap();
    app.store.close().await;
    db.execute_directly(&format!(
        "INSERT INTO events (organisation_id, case_id, actor, occurred_at, kind, after_json)
         VALUES ({}, {id}, 'old system', '2024-01-09T10:00:00Z', 'updated',
                 '{{\"personal\":{{\"complainant_name\":\"Olwen Oldfield\"}}}}')",
        organisation.id
    ))
    .await
    .unwrap();
    db.execute_directly("INSERT INTO pending_work (name) VALUES ('seal_events')")
        .await
        .unwrap();

    let store = Store::connect(&db.url).await.unwrap();
    let raw = db
        .texts_directly(&format!(
            "SELECT after_json FROM events WHERE case_id = {id} AND actor = 'old system'"
        ))
        .await
        .unwrap();
    assert_eq!(raw, vec![r#"{"personal":"[sealed]"}"#.to_string()]);
    let events = store.events(&Access::System, id).await.unwrap();
    let old = events.iter().find(|e| e.actor == "old system").unwrap();
    assert_eq!(
        old.after.as_ref().unwrap()["personal"]["complainant_name"],
        "Olwen Oldfield"
    );
    assert!(db
        .execute_directly("UPDATE events SET actor = 'x'")
        .await
        .is_err());
    assert!(db.execute_directly("DELETE FROM events").await.is_err());
    assert!(db
        .texts_directly("SELECT name FROM pending_work")
        .await
        .unwrap()
        .is_empty());
    store.close().await;

    // Another master key is refused, naming it.
    let wrong = Store::connect_with_key(&db.url, redress_store::MasterKey::generate()).await;
    let refused = wrong.err().expect("a wrong key is refused").to_string();
    assert!(refused.contains("master_key"), "{refused}");
}

fn csrf_of(credentials: &Credentials) -> String {
    match credentials {
        Credentials::Session { csrf, .. } => csrf.clone(),
        other => panic!("not a session: {other:?}"),
    }
}

on_both_backends!(the_pages_hold_erase_and_set_the_schedule);

/// As a complaints officer and an administrator would, in the browser's forms. Holds and
/// erasure are information governance's, which reads no case pages: the officer's case page
/// offers neither, and a forged post of one is refused.
async fn the_pages_hold_erase_and_set_the_schedule(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = app
        .new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id();
    let officer = app.session_for("officer@testshire.test").await;
    let csrf = csrf_of(&officer);
    let page = app
        .call_as(&officer, "GET", &format!("/cases/{id}"), None, None)
        .await
        .expect(200);
    let text = page.body.as_str().unwrap();
    assert!(!text.contains("Place a legal hold") && !text.contains("Erase personal data now"));
    let act = |step: &str| format!("/cases/{id}/actions/{step}");
    let refused = app
        .form_as(
            &officer,
            &act("erase_personal_data"),
            &[("_csrf", &csrf), ("erase_personal_data-reason", "asked")],
        )
        .await
        .expect(422);
    assert!(refused
        .body
        .as_str()
        .unwrap()
        .contains("is not possible at this point"));
    // Information governance erases through the API; the admin page lists the erasure.
    app.add_user(
        "governance@testshire.test",
        Some("testshire"),
        Some(Role::InformationGovernance),
        &[],
        false,
    )
    .await;
    let governance = app.session_for("governance@testshire.test").await;
    app.call_as(
        &governance,
        "POST",
        &format!("/api/v1/cases/{id}/erasure"),
        Some(json!({"reason": "The complainant asked"})),
        None,
    )
    .await
    .expect(201);

    // The administrator sets the schedule on the admin page; a wrong value names its box.
    app.add_user(
        "admin@testshire.test",
        Some("testshire"),
        Some(Role::Admin),
        &[],
        false,
    )
    .await;
    let admin = app.session_for("admin@testshire.test").await;
    let csrf = csrf_of(&admin);
    let wrong = app
        .form_as(
            &admin,
            "/admin/testshire/retention",
            &[
                ("_csrf", &csrf),
                ("retention-statutory", "40"),
                ("retention-compliments", "2"),
            ],
        )
        .await
        .expect(422);
    assert!(wrong
        .body
        .as_str()
        .unwrap()
        .contains("retention-statutory-error"));
    app.form_as(
        &admin,
        "/admin/testshire/retention",
        &[
            ("_csrf", &csrf),
            ("retention-statutory", "8"),
            ("retention-compliments", "3"),
        ],
    )
    .await
    .expect(303);
    let schedule = app.store.retention_schedule("testshire").await.unwrap();
    assert!(schedule
        .iter()
        .any(|r| r.applies_to == "statutory" && r.years == 8));
    assert!(schedule
        .iter()
        .any(|r| r.applies_to == "compliments" && r.years == 3));
    let page = app
        .call_as(&admin, "GET", "/admin?organisation=testshire", None, None)
        .await
        .expect(200);
    let text = page.body.as_str().unwrap();
    assert!(text.contains("Latest erasures") && text.contains("on request"));
    assert!(
        !text.contains("The complainant asked"),
        "the reason went with the case"
    );
}

on_both_backends!(rectification_changes_only_the_fields_sent);

// Issue 23 item 5: sending only a corrected name set the summary, phone and address to empty.
async fn rectification_changes_only_the_fields_sent(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let created = app
        .post(
            "/api/v1/cases",
            json!({
                "organisation": "testshire", "procedure": "statutory",
                "received_on": "2024-01-08", "channel": "email", "complainant_role": "parent",
                "personal": {"complainant_name": "Ann Smith", "contact_phone": "020 7946 0018",
                    "contact_address": "4 Mill Lane", "contact_email": "ann@example.org",
                    "summary": SUMMARY}
            }),
        )
        .await
        .expect(201);
    let id = created.id();
    let path = format!("/api/v1/cases/{id}/rectification");
    let fixed = app
        .call(
            "POST",
            &path,
            Some(json!({"personal": {"complainant_name": "Ann Smyth"},
                "reason": "The name was misspelt"})),
            Some(created.etag()),
        )
        .await
        .expect(200);
    let personal = &fixed.body["personal"];
    assert_eq!(personal["complainant_name"], "Ann Smyth");
    assert_eq!(personal["summary"], SUMMARY);
    assert_eq!(personal["contact_phone"], "020 7946 0018");
    assert_eq!(personal["contact_address"], "4 Mill Lane");
    assert_eq!(personal["contact_email"], "ann@example.org");

    // A misspelt field and an over-long value are refused by name; nothing changes.
    for (personal, field, detail) in [
        (
            json!({"contact_phnoe": "1"}),
            "personal.contact_phnoe",
            "unknown field",
        ),
        (
            json!({"contact_phone": "1".repeat(41)}),
            "personal.contact_phone",
            "40 characters",
        ),
    ] {
        app.call(
            "POST",
            &path,
            Some(json!({"personal": personal, "reason": "Wrong number"})),
            Some(fixed.etag()),
        )
        .await
        .refused(422, Some(field), detail);
    }
    // null clears a field (RFC 7396); the rest stays.
    let cleared = app
        .call(
            "POST",
            &path,
            Some(json!({"personal": {"contact_phone": null}, "reason": "Not her number"})),
            Some(fixed.etag()),
        )
        .await
        .expect(200);
    assert_eq!(cleared.body["personal"]["contact_phone"], "");
    assert_eq!(cleared.body["personal"]["complainant_name"], "Ann Smyth");
    assert_eq!(cleared.body["personal"]["contact_address"], "4 Mill Lane");
}
