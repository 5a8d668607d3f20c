//! The API can do whatever a page can. Every state-changing page route (read from the
//! router's own table) names the API operations that do the same, and each is served; then
//! the operations added for it, through the router on both backends, with another
//! organisation's ids (404, never a leak) and the roles refused.

mod common;

use common::{App, Credentials};
use redress_store::{Access, Actor, Role};
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;
use std::collections::BTreeSet;

/// Every POST page route and the API operations that do the same thing.
const PARITY: &[(&str, &[&str])] = &[
    ("POST /sign-in", &["POST /api/v1/session"]),
    ("POST /sign-out", &["DELETE /api/v1/session"]),
    ("POST /password", &["PUT /api/v1/session/password"]),
    ("POST /cases/new", &["POST /api/v1/cases"]),
    (
        // The steps core allows are transitions; besides them the page writes notes and
        // changes the team and reason.
        "POST /cases/{id}/actions/{action}",
        &[
            "POST /api/v1/cases/{id}/transitions",
            "POST /api/v1/cases/{id}/notes",
            "PATCH /api/v1/cases/{id}",
            // Data protection steps: a legal hold, lifting it, erasure on request.
            "PUT /api/v1/cases/{id}/legal-hold",
            "DELETE /api/v1/cases/{id}/legal-hold",
            "POST /api/v1/cases/{id}/erasure",
        ],
    ),
    (
        "POST /cases/{id}/attachments",
        &["POST /api/v1/cases/{id}/attachments"],
    ),
    (
        "POST /cases/{id}/letter",
        &["POST /api/v1/cases/{id}/letters"],
    ),
    (
        "POST /admin/{slug}/letters/{kind}",
        &["PUT /api/v1/organisations/{slug}/letter-templates/{kind}"],
    ),
    (
        "POST /compliments",
        &["POST /api/v1/organisations/{slug}/compliments"],
    ),
    (
        "POST /reports/narrative",
        &["PUT /api/v1/organisations/{slug}/narratives/{year}/{section}"],
    ),
    (
        "POST /admin/{slug}/users",
        &[
            "POST /api/v1/organisations/{slug}/users",
            "PUT /api/v1/organisations/{slug}/users/{email}/teams",
        ],
    ),
    (
        "POST /admin/{slug}/users/remove",
        &["DELETE /api/v1/organisations/{slug}/users/{email}"],
    ),
    (
        "POST /admin/{slug}/teams",
        &["POST /api/v1/organisations/{slug}/teams"],
    ),
    (
        "POST /admin/{slug}/reasons",
        &["POST /api/v1/organisations/{slug}/reasons"],
    ),
    (
        "POST /admin/{slug}/sign-in-policy",
        &["PUT /api/v1/organisations/{slug}/sign-in-policy"],
    ),
    (
        "POST /admin/{slug}/closures",
        &[
            "POST /api/v1/organisations/{slug}/closures",
            "DELETE /api/v1/organisations/{slug}/closures/{date}",
        ],
    ),
    (
        "POST /admin/{slug}/procedures",
        &["PUT /api/v1/organisations/{slug}/procedures"],
    ),
    (
        "POST /admin/{slug}/retention",
        &["PUT /api/v1/organisations/{slug}/retention"],
    ),
    (
        "POST /admin/{slug}/retention/approval",
        &["PUT /api/v1/organisations/{slug}/retention/approval"],
    ),
    (
        "POST /admin/{slug}/retention/off",
        &["DELETE /api/v1/organisations/{slug}/retention/approval"],
    ),
    (
        "POST /admin/{slug}/calendar",
        &["PUT /api/v1/organisations/{slug}/calendar"],
    ),
    (
        "POST /admin/{slug}/outbox/{id}/resend",
        &["POST /api/v1/organisations/{slug}/outbox/{id}/resend"],
    ),
    (
        // Information governance's steps on a case the search found.
        "POST /organisations/{slug}/subject-access/cases/{id}/{step}",
        &[
            "PUT /api/v1/cases/{id}/legal-hold",
            "DELETE /api/v1/cases/{id}/legal-hold",
            "POST /api/v1/cases/{id}/erasure",
        ],
    ),
];

/// Page actions with no API operation, and why.
const PAGE_ONLY: &[(&str, &str)] = &[
    ("POST /complain/{slug}", "the public's form, with no account: the API serves staff and systems that sign in, who record a complaint with POST /api/v1/cases"),
    ("POST /complain/{slug}/young-people", "the young people's version of the public form, likewise"),
    ("POST /compliment/{slug}", "the public's compliment form, with no account: staff log one with POST /api/v1/organisations/{slug}/compliments"),
];

/// Pages that read, and the API operations that read the same (not exhaustive: the
/// dashboard, lists and forms are pages of their own).
const READS: &[(&str, &str)] = &[
    (
        "GET /admin/{slug}/retention/approval",
        "GET /api/v1/organisations/{slug}/retention/preview",
    ),
    ("GET /actions", "GET /api/v1/actions"),
    (
        "GET /compliments",
        "GET /api/v1/organisations/{slug}/compliments",
    ),
    (
        "GET /cases/{id}/attachments/{attachment}",
        "GET /api/v1/cases/{id}/attachments/{attachment}",
    ),
    ("GET /cases/{id}", "GET /api/v1/cases/{id}"),
    (
        "GET /organisations/{slug}/subject-access",
        "GET /api/v1/organisations/{slug}/subject-access",
    ),
    (
        "GET /reports/download",
        "GET /api/v1/organisations/{slug}/reports/{year}",
    ),
];

on_both_backends!(
    every_page_action_has_an_api_operation,
    compliments_are_logged_and_read,
    attachments_are_uploaded_listed_and_downloaded,
    notes_are_written,
    the_tracker_lists_actions_and_remedies,
    the_calendar_is_replaced,
    a_members_teams_are_set
);

async fn every_page_action_has_an_api_operation(db: &TestDatabase) {
    let app = App::start(db).await;
    let doc = app.get("/api/v1/openapi.json").await.expect(200);
    let mut served = BTreeSet::new();
    for (path, item) in doc.body["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            served.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let page_posts: BTreeSet<String> = redress_web::route_table()
        .into_iter()
        .filter(|r| r.method == "POST" && !r.path.starts_with("/api/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let listed: BTreeSet<String> = PARITY
        .iter()
        .map(|(page, _)| page.to_string())
        .chain(PAGE_ONLY.iter().map(|(page, _)| page.to_string()))
        .collect();
    let missing: Vec<&String> = page_posts.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "page actions with no API operation named here: {missing:?}"
    );
    let stale: Vec<&String> = listed.difference(&page_posts).collect();
    assert!(stale.is_empty(), "no such page routes: {stale:?}");
    let named = PARITY
        .iter()
        .flat_map(|(_, operations)| operations.iter())
        .chain(READS.iter().map(|(_, operation)| operation));
    for operation in named {
        assert!(served.contains(*operation), "{operation} is not served");
    }
    for (page, _) in READS {
        let (method, path) = page.split_once(' ').unwrap();
        assert!(
            redress_web::route_table()
                .iter()
                .any(|r| r.method == method && r.path == path),
            "no page {page}"
        );
    }
}

/// testshire (seeded, signed in as its officer), otherton with a compliment and a case, and a
/// user per role in testshire.
async fn two_councils(app: &App) -> (i64, i64) {
    app.seed().await;
    let operator = app.session_for("operator@redress.test").await;
    app.call_as(
        &operator,
        "POST",
        "/api/v1/organisations",
        Some(json!({"slug": "otherton", "name": "Otherton", "reference_prefix": "OTC"})),
        None,
    )
    .await
    .expect(201);
    app.call_as(
        &operator,
        "POST",
        "/api/v1/organisations/otherton/teams",
        Some(json!({"name": "Access & Assessment Team"})),
        None,
    )
    .await
    .expect(204);
    for role in [
        Role::Admin,
        Role::TeamManager,
        Role::Investigator,
        Role::Viewer,
    ] {
        let teams: &[&str] = if role == Role::TeamManager {
            &["Fostering and Adoption Team"]
        } else {
            &[]
        };
        app.add_user(
            &format!("{role}@testshire.test"),
            Some("testshire"),
            Some(role),
            teams,
            false,
        )
        .await;
    }
    app.add_user(
        "officer@otherton.test",
        Some("otherton"),
        Some(Role::ComplaintsOfficer),
        &[],
        false,
    )
    .await;
    let compliment = serde_json::from_value(json!({
        "received_on": "2024-06-01", "summary": "Otherton's own thanks",
    }))
    .unwrap();
    let other_compliment = app
        .store
        .log_compliment(
            &Access::System,
            "otherton",
            compliment,
            &Actor::system("test"),
        )
        .await
        .unwrap()
        .id;
    let new = serde_json::from_value(json!({
        "procedure": "statutory", "received_on": "2024-06-01", "channel": "email",
        "complainant_role": "parent", "personal": {"summary": "Otherton's case"}
    }))
    .unwrap();
    let other_case = app
        .store
        .create_case(
            &Access::System,
            "otherton",
            new,
            &Actor::system("test"),
            chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
        )
        .await
        .unwrap()
        .id;
    (other_compliment, other_case)
}

async fn compliments_are_logged_and_read(db: &TestDatabase) {
    let app = App::start(db).await;
    let (other_compliment, _) = two_councils(&app).await;
    let path = "/api/v1/organisations/testshire/compliments";
    let logged = app
        .post(
            path,
            json!({"received_on": "2024-05-02", "team": "Access & Assessment Team",
                "summary": "The social worker listened", "consent_to_publish": true}),
        )
        .await
        .expect(201);
    let id = logged.id();
    assert_eq!(logged.headers["location"], format!("{path}/{id}").as_str());
    assert_eq!(logged.body["team"], "Access & Assessment Team");
    let list = app.get(path).await.expect(200);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(list.body[0]["summary"], "The social worker listened");
    let one = app.get(&format!("{path}/{id}")).await.expect(200);
    assert_eq!(one.body["consent_to_publish"], true);

    // Refusals name their field.
    app.post(
        path,
        json!({"received_on": "2024-05-02", "summary": "x", "team": "Nobody"}),
    )
    .await
    .refused(422, Some("team"), "not a team of testshire");
    app.post(path, json!({"received_on": "2024-05-02", "summary": "  "}))
        .await
        .refused(422, Some("summary"), "say what the compliment is");
    app.post(path, json!({"received_on": "2024-02-30", "summary": "x"}))
        .await
        .refused(422, Some("received_on"), "");
    app.post(path, json!({"summary": "x"})).await.refused(
        422,
        Some("received_on"),
        "missing field",
    );

    // The quotation approved for publication: set, withdrawn, refused without consent.
    let quotation = format!("{path}/{id}/published-quotation");
    let set = app
        .put(
            &quotation,
            json!({"published_quotation": " The social worker listened. "}),
        )
        .await
        .expect(200);
    assert_eq!(
        set.body["published_quotation"],
        "The social worker listened."
    );
    app.put(&quotation, json!({"published_quotation": null}))
        .await
        .expect(200);
    app.put(&quotation, json!({"quotation": "x"}))
        .await
        .refused(422, Some("quotation"), "");
    app.put(
        &format!("{path}/{other_compliment}/published-quotation"),
        json!({"published_quotation": null}),
    )
    .await
    .refused(404, None, "not found");

    // Another organisation's compliment is not found, by either path.
    app.get(&format!("{path}/{other_compliment}"))
        .await
        .refused(404, None, "not found");
    app.get("/api/v1/organisations/otherton/compliments")
        .await
        .refused(404, None, "not found");
    app.get(&format!("{path}/zzz"))
        .await
        .refused(404, None, "not found");

    // Roles: a viewer and an admin read no compliments (they name people); only an officer
    // logs one.
    let viewer = app.session_for("viewer@testshire.test").await;
    let manager = app.session_for("team_manager@testshire.test").await;
    let admin = app.session_for("admin@testshire.test").await;
    app.call_as(&viewer, "GET", path, None, None)
        .await
        .refused(403, None, "compliments");
    let body = json!({"received_on": "2024-05-02", "summary": "x"});
    for who in [&manager, &admin, &viewer] {
        app.call_as(who, "POST", path, Some(body.clone()), None)
            .await
            .refused(403, None, "");
    }
    app.call_as(&admin, "GET", &format!("{path}/{id}"), None, None)
        .await
        .refused(403, None, "compliments");
}

const PDF: &[u8] = b"%PDF-1.7\n% a letter\n";

async fn attachments_are_uploaded_listed_and_downloaded(db: &TestDatabase) {
    let app = App::start(db).await;
    let (_, other_case) = two_councils(&app).await;
    let (id, _) = app.at_stage1("statutory", "2024-05-01").await;
    let files = format!("/api/v1/cases/{id}/attachments");
    let added = app.upload(&files, "letter.html", PDF).await.expect(201);
    let attachment = added.id();
    assert_eq!(added.body["name"], "letter.pdf", "named for what it is");
    assert_eq!(added.body["content_type"], "application/pdf");
    assert_eq!(
        added.headers["location"],
        format!("{files}/{attachment}").as_str()
    );
    let list = app.get(&files).await.expect(200);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(list.body[0]["size"], PDF.len());
    let download = app.get(&format!("{files}/{attachment}")).await.expect(200);
    assert_eq!(download.headers["content-type"], "application/pdf");
    assert_eq!(
        download.headers["content-disposition"],
        "attachment; filename=\"letter.pdf\""
    );
    assert_eq!(
        download.body.as_str().unwrap().as_bytes(),
        PDF,
        "the bytes as stored"
    );

    // The page's checks: content, emptiness, size.
    app.upload(&files, "report.pdf", b"#!/bin/sh\nrm -rf /\n")
        .await
        .refused(422, Some("file"), "not a PDF");
    app.upload(&files, "empty.pdf", b"")
        .await
        .refused(422, Some("file"), "the file is empty");
    let mut big = PDF.to_vec();
    big.resize(redress_store::attachments::MAX_ATTACHMENT_BYTES + 1, b' ');
    app.upload(&files, "big.pdf", &big)
        .await
        .refused(422, Some("file"), "larger than 10 MB");
    big.resize(
        redress_store::attachments::MAX_ATTACHMENT_BYTES + 200 * 1024,
        b' ',
    );
    app.upload(&files, "bigger.pdf", &big)
        .await
        .refused(413, Some("file"), "10 MB or smaller");
    app.post(&files, json!({"file": "zzz"}))
        .await
        .refused(415, None, "multipart");

    // Another organisation's case, or its file on our case, is not found.
    let theirs = app
        .store
        .add_attachment(
            &Access::System,
            other_case,
            "theirs.pdf",
            PDF,
            &Actor::system("test"),
        )
        .await
        .unwrap()
        .id;
    let their_files = format!("/api/v1/cases/{other_case}/attachments");
    app.get(&their_files).await.refused(404, None, "not found");
    app.get(&format!("{their_files}/{theirs}"))
        .await
        .refused(404, None, "not found");
    app.get(&format!("{files}/{theirs}"))
        .await
        .refused(404, None, "not found");
    app.upload(&their_files, "letter.pdf", PDF)
        .await
        .refused(404, None, "not found");

    // A team manager of another team, an investigator not appointed and a viewer see nothing.
    for who in ["team_manager", "investigator", "viewer", "admin"] {
        let session = app.session_for(&format!("{who}@testshire.test")).await;
        app.call_as(&session, "GET", &files, None, None)
            .await
            .refused(404, None, "not found");
        app.upload_as(&session, &files, "letter.pdf", PDF)
            .await
            .refused(404, None, "not found");
    }
    // The upload is in the case's audit log.
    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    assert!(events
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "attachment_added"));
}

async fn notes_are_written(db: &TestDatabase) {
    let app = App::start(db).await;
    let (_, other_case) = two_councils(&app).await;
    let (id, _) = app.at_stage1("statutory", "2024-05-01").await;
    let notes = format!("/api/v1/cases/{id}/notes");
    app.post(&notes, json!({"text": "Rang the family"}))
        .await
        .expect(204);
    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    assert!(events
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "note" && e["after"]["text"] == "Rang the family"));
    app.post(&notes, json!({"text": " "}))
        .await
        .refused(422, Some("text"), "write the note");
    app.post(&notes, json!({"words": "x"}))
        .await
        .refused(422, Some("words"), "unknown field");
    app.post(
        &format!("/api/v1/cases/{other_case}/notes"),
        json!({"text": "x"}),
    )
    .await
    .refused(404, None, "not found");
    let viewer = app.session_for("viewer@testshire.test").await;
    app.call_as(&viewer, "POST", &notes, Some(json!({"text": "x"})), None)
        .await
        .refused(404, None, "not found");
}

async fn the_tracker_lists_actions_and_remedies(db: &TestDatabase) {
    let app = App::start(db).await;
    two_councils(&app).await;
    let (id, v) = app.at_stage1("statutory", "2024-05-01").await;
    let v = app
        .step(
            id,
            v,
            json!({"transition": "add_action", "kind": "learning", "description": "Reply sooner",
                "owner_team": "Access & Assessment Team", "due_on": "2024-06-01"}),
        )
        .await;
    let v = app
        .step(
            id,
            v,
            json!({"transition": "add_action", "kind": "recommendation", "description": "Train staff",
                "owner_team": "Access & Assessment Team", "due_on": "2099-01-01"}),
        )
        .await;
    let open = app.get("/api/v1/actions").await.expect(200);
    let items = open.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(open.body["overdue"], 1);
    assert_eq!(items[0]["description"], "Reply sooner", "soonest due first");
    assert_eq!(items[0]["source"], "action");
    assert_eq!(items[0]["kind"], "learning");
    assert_eq!(items[0]["overdue"], true);
    assert_eq!(items[0]["case_id"], id);
    let action = items[0]["action"].as_u64().unwrap();
    app.step(
        id,
        v,
        json!({"transition": "complete_action", "action": action, "on": "2024-06-02"}),
    )
    .await;
    let open = app
        .get("/api/v1/actions?organisation=testshire")
        .await
        .expect(200);
    assert_eq!(open.body["items"].as_array().unwrap().len(), 1);
    let all = app.get("/api/v1/actions?done=true").await.expect(200);
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(all.body["items"][0]["completed_on"], "2024-06-02");
    let overdue = app.get("/api/v1/actions?overdue=true").await.expect(200);
    assert_eq!(overdue.body["items"].as_array().unwrap().len(), 0);

    app.get("/api/v1/actions?done=maybe")
        .await
        .refused(400, Some("done"), "");
    app.get("/api/v1/actions?colour=red")
        .await
        .refused(400, Some("colour"), "unknown field");
    app.get("/api/v1/actions?organisation=otherton")
        .await
        .refused(404, None, "not found");
    // A viewer and a manager of another team see none of it.
    let viewer = app.session_for("viewer@testshire.test").await;
    app.call_as(
        &viewer,
        "GET",
        "/api/v1/actions?organisation=testshire",
        None,
        None,
    )
    .await
    .refused(403, None, "");
    let manager = app.session_for("team_manager@testshire.test").await;
    let seen = app
        .call_as(&manager, "GET", "/api/v1/actions?done=true", None, None)
        .await
        .expect(200);
    assert_eq!(seen.body["items"].as_array().unwrap().len(), 0);
    // The other council's officer sees none of testshire's.
    let theirs = app.session_for("officer@otherton.test").await;
    let seen = app
        .call_as(&theirs, "GET", "/api/v1/actions?done=true", None, None)
        .await
        .expect(200);
    assert_eq!(seen.body["items"].as_array().unwrap().len(), 0);
}

async fn the_calendar_is_replaced(db: &TestDatabase) {
    let app = App::start(db).await;
    two_councils(&app).await;
    let admin = app.session_for("admin@testshire.test").await;
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../../calendar/data/bank-holidays.json")).unwrap();
    let path = "/api/v1/organisations/testshire/calendar";
    let set = app
        .call_as(&admin, "PUT", path, Some(file.clone()), None)
        .await
        .expect(200);
    assert_eq!(set.body["division"], "england-and-wales");
    assert!(set.body["known_to"].as_str().unwrap() > "2025-01-01");
    app.call_as(&admin, "PUT", path, Some(json!({"scotland": 1})), None)
        .await
        .refused(422, Some("body"), "");
    app.call_as(&admin, "PUT", path, Some(json!([])), None)
        .await
        .refused(422, Some("body"), "");
    app.call_as(
        &admin,
        "PUT",
        "/api/v1/organisations/otherton/calendar",
        Some(file.clone()),
        None,
    )
    .await
    .refused(404, None, "not found");
    // Only an administrator.
    app.put(path, file)
        .await
        .refused(403, None, "administrator");
    let audit = app
        .call_as(
            &admin,
            "GET",
            "/api/v1/audit?organisation=testshire",
            None,
            None,
        )
        .await
        .expect(200);
    assert!(audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "calendar_changed"));
}

async fn a_members_teams_are_set(db: &TestDatabase) {
    let app = App::start(db).await;
    two_councils(&app).await;
    let admin = app.session_for("admin@testshire.test").await;
    let path = "/api/v1/organisations/testshire/users/team_manager@testshire.test/teams";
    let teams = |names: serde_json::Value| Some(json!({ "teams": names }));
    let set = app
        .call_as(
            &admin,
            "PUT",
            path,
            teams(json!([
                "Access & Assessment Team",
                "Fostering and Adoption Team"
            ])),
            None,
        )
        .await
        .expect(200);
    assert_eq!(set.body["role"], "team_manager");
    assert_eq!(set.body["teams"].as_array().unwrap().len(), 2);
    let users = app
        .call_as(
            &admin,
            "GET",
            "/api/v1/organisations/testshire/users",
            None,
            None,
        )
        .await
        .expect(200);
    let manager = users
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "team_manager@testshire.test")
        .unwrap()
        .clone();
    assert_eq!(
        manager["memberships"][0]["teams"].as_array().unwrap().len(),
        2
    );
    // The manager now sees the first team's case.
    let (id, _) = app.at_stage1("statutory", "2024-05-01").await;
    let session = app.session_for("team_manager@testshire.test").await;
    app.call_as(&session, "GET", &format!("/api/v1/cases/{id}"), None, None)
        .await
        .expect(200);

    app.call_as(&admin, "PUT", path, teams(json!(["Nobody"])), None)
        .await
        .refused(422, Some("teams[0]"), "not a team of testshire");
    app.call_as(&admin, "PUT", path, teams(json!([])), None)
        .await
        .refused(422, Some("teams"), "at least one team");
    app.call_as(&admin, "PUT", path, Some(json!({})), None)
        .await
        .refused(422, Some("teams"), "missing field");
    // Not a member here, or of another organisation: not found.
    app.call_as(
        &admin,
        "PUT",
        "/api/v1/organisations/testshire/users/officer@otherton.test/teams",
        teams(json!([])),
        None,
    )
    .await
    .refused(404, None, "not found");
    app.call_as(
        &admin,
        "PUT",
        "/api/v1/organisations/otherton/users/officer@otherton.test/teams",
        teams(json!([])),
        None,
    )
    .await
    .refused(404, None, "not found");
    // Not for oneself, and not by an officer.
    app.call_as(
        &admin,
        "PUT",
        "/api/v1/organisations/testshire/users/admin@testshire.test/teams",
        teams(json!(["Access & Assessment Team"])),
        None,
    )
    .await
    .refused(403, None, "no one can give themselves a role");
    app.put(path, json!({"teams": ["Access & Assessment Team"]}))
        .await
        .refused(403, None, "administrator");
    let _ = Credentials::None;
}
