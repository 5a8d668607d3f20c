//! Issue 23, item 4: people's data is open only to the roles that handle it, on both backends.
//! Each test first makes the attack the probe made: an administrator searching subject access
//! with `.co`, rectifying and erasing by id, making a second account with a case-reading role,
//! reading complainants' addresses in the outbox; investigators listing every compliment.

mod common;

use common::{App, Credentials};
use redress_store::{Access, Role};
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::{json, Value};

const NAME: &str = "Zebedee Quixotic-Falstaff";
const EMAIL: &str = "zq@example.org";

/// testshire with its officer (signed in), an administrator, information governance, a team
/// manager of the first team, an investigator and a viewer; and one case of NAME's, whose
/// acknowledgement to EMAIL waits in the outbox. Answers the case's id.
async fn world(app: &App) -> i64 {
    app.seed().await;
    for (email, role, teams) in [
        ("admin@testshire.test", Role::Admin, &[][..]),
        (
            "governance@testshire.test",
            Role::InformationGovernance,
            &[][..],
        ),
        (
            "manager@testshire.test",
            Role::TeamManager,
            &["Access & Assessment Team"][..],
        ),
        ("investigator@testshire.test", Role::Investigator, &[][..]),
        ("viewer@testshire.test", Role::Viewer, &[][..]),
    ] {
        app.add_user(email, Some("testshire"), Some(role), teams, false)
            .await;
    }
    app.post(
        "/api/v1/cases",
        json!({
            "organisation": "testshire", "procedure": "statutory", "received_on": "2024-01-08",
            "channel": "email", "complainant_role": "parent", "team": "Access & Assessment Team",
            "reason": "Communication",
            "personal": {"complainant_name": NAME, "contact_email": EMAIL, "summary": "Contact"}
        }),
    )
    .await
    .expect(201)
    .id()
}

fn text(reply: &common::Reply) -> String {
    reply
        .body
        .as_str()
        .unwrap_or_default()
        .replace("&#x40;", "@")
}

on_both_backends!(administrators_reach_no_personal_data);

async fn administrators_reach_no_personal_data(db: &TestDatabase) {
    let app = App::start(db).await;
    let id = world(&app).await;
    let admin = app.session_for("admin@testshire.test").await;
    let base = "/api/v1/organisations/testshire/subject-access";
    // The probe's search, a real one, and the bundle: refused on the role, before the term.
    for path in [
        format!("{base}?q=.co"),
        format!("{base}?q=Zebedee"),
        format!("{base}/bundle?q=Zebedee"),
    ] {
        app.call_as(&admin, "GET", &path, None, None).await.refused(
            403,
            None,
            "information governance",
        );
    }
    let page = app
        .call_as(
            &admin,
            "GET",
            "/organisations/testshire/subject-access?q=Zebedee",
            None,
            None,
        )
        .await
        .expect(403);
    assert!(!text(&page).contains(NAME));
    // Rectification, erasure and holds by id: the case does not exist for them.
    let version = app.store.case(&Access::System, id).await.unwrap().version;
    let rectify = json!({"personal": {"complainant_name": "A N Other"}, "reason": "Misspelt"});
    let reply = app
        .call_as(
            &admin,
            "POST",
            &format!("/api/v1/cases/{id}/rectification"),
            Some(rectify),
            Some(version),
        )
        .await
        .expect(404);
    assert!(!reply.body.to_string().contains(NAME), "{:#}", reply.body);
    app.call_as(
        &admin,
        "POST",
        &format!("/api/v1/cases/{id}/erasure"),
        Some(json!({"reason": "asked"})),
        None,
    )
    .await
    .expect(404);
    app.call_as(
        &admin,
        "PUT",
        &format!("/api/v1/cases/{id}/legal-hold"),
        Some(json!({"reason": "Litigation"})),
        None,
    )
    .await
    .expect(404);
    let record = app.store.case(&Access::System, id).await.unwrap();
    assert_eq!(
        record.case.personal().complainant_name,
        NAME,
        "nothing changed"
    );
    assert!(record.erased_on.is_none());

    // The outbox: the administrator sees what went, not to whom.
    let outbox = app
        .call_as(
            &admin,
            "GET",
            "/api/v1/organisations/testshire/outbox",
            None,
            None,
        )
        .await
        .expect(200);
    let messages = outbox.body.as_array().unwrap();
    assert!(messages.iter().any(|m| m["kind"] == "acknowledgement"));
    assert!(
        !outbox.body.to_string().contains(EMAIL),
        "{:#}",
        outbox.body
    );
    assert!(messages
        .iter()
        .all(|m| m["recipient"].is_null() && m["recipient_withheld"] == true));
    let page = app
        .call_as(&admin, "GET", "/admin/testshire/outbox", None, None)
        .await
        .expect(200);
    let page = text(&page);
    assert!(!page.contains(EMAIL) && page.contains("withheld"), "{page}");
    // The complaints officer, who writes to the person, sees the address.
    let officer = app.session_for("officer@testshire.test").await;
    let outbox = app
        .call_as(
            &officer,
            "GET",
            "/api/v1/organisations/testshire/outbox",
            None,
            None,
        )
        .await
        .expect(200);
    assert!(outbox
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["recipient"] == EMAIL && m["recipient_withheld"] == false));
    let page = app
        .call_as(&officer, "GET", "/admin/testshire/outbox", None, None)
        .await
        .expect(200);
    assert!(text(&page).contains(EMAIL));
    let dashboard = app
        .call_as(&officer, "GET", "/", None, None)
        .await
        .expect(200);
    assert!(text(&dashboard)
        .replace("&#x2f;", "/")
        .contains("href=\"/admin/testshire/outbox\""));
}

on_both_backends!(information_governance_searches_rectifies_holds_and_erases);

async fn information_governance_searches_rectifies_holds_and_erases(db: &TestDatabase) {
    let app = App::start(db).await;
    let id = world(&app).await;
    app.sign_in_as("governance@testshire.test").await;
    let base = "/api/v1/organisations/testshire/subject-access";
    // A term must name someone: punctuation and fragments of addresses are refused.
    for term in [".co", "%40%40%40", "---", "%40example.org", "Ze"] {
        app.get(&format!("{base}?q={term}")).await.refused(
            422,
            Some("q"),
            "at least 3 letters or digits",
        );
        app.get(&format!("{base}/bundle?q={term}"))
            .await
            .refused(422, Some("q"), "");
    }
    let page = app
        .get("/organisations/testshire/subject-access?q=.co")
        .await
        .expect(422);
    assert!(text(&page).contains("href=\"#q\""));
    // A name, an email address: the case, with its version for the rectification.
    let found = app.get(&format!("{base}?q=Zebedee")).await.expect(200);
    assert_eq!(found.body["cases"][0]["id"], id);
    let by_email = app
        .get(&format!("{base}?q={}", EMAIL.replace('@', "%40")))
        .await
        .expect(200);
    assert_eq!(
        by_email.body["cases"][0]["matched"],
        json!(["contact_email"])
    );
    let version = found.body["cases"][0]["version"].as_i64().unwrap();
    let bundle = app.get(&format!("{base}/bundle?q=Zebedee")).await;
    assert_eq!(bundle.status.as_u16(), 200);
    // Information governance reads no case as such.
    app.get(&format!("/api/v1/cases/{id}")).await.expect(404);
    app.get("/api/v1/cases?organisation=testshire")
        .await
        .expect(403);

    // Rectification answers the person's details and the version, not the case.
    let fixed = app
        .call(
            "POST",
            &format!("/api/v1/cases/{id}/rectification"),
            Some(json!({
                "personal": {"complainant_name": "Zebedee Quixote-Falstaff", "contact_email": EMAIL,
                             "summary": "Contact"},
                "reason": "The name was misspelt",
            })),
            Some(version),
        )
        .await
        .expect(200);
    assert_eq!(
        fixed.body["personal"]["complainant_name"],
        "Zebedee Quixote-Falstaff"
    );
    assert_eq!(fixed.body["version"].as_i64(), Some(fixed.etag()));
    let keys: Vec<&String> = fixed.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "personal", "reference", "version"], "{keys:?}");

    // A hold keeps the data; lifted, the data is erased on request.
    let hold = format!("/api/v1/cases/{id}/legal-hold");
    app.put(&hold, json!({"reason": "Judicial review claim issued"}))
        .await
        .expect(200);
    app.get(&hold).await.expect(200);
    let erase = format!("/api/v1/cases/{id}/erasure");
    app.post(&erase, json!({"reason": "The person asked"}))
        .await
        .refused(422, Some("legal_hold"), "");
    app.call("DELETE", &hold, None, None).await.expect(204);
    let erased = app
        .post(&erase, json!({"reason": "The person asked"}))
        .await
        .expect(201);
    assert_eq!(erased.body["case_id"], id);
    let record = app.store.case(&Access::System, id).await.unwrap();
    assert!(record.erased_on.is_some());
    assert_eq!(record.case.personal().complainant_name, "");
    // A complaints officer rectifies too, but holds and erases nothing.
    let officer = app.session_for("officer@testshire.test").await;
    app.call_as(
        &officer,
        "PUT",
        &hold,
        Some(json!({"reason": "Litigation"})),
        None,
    )
    .await
    .refused(403, None, "information governance");
}

/// The `role_granted` entries of testshire's audit log, as the administrator reads them.
async fn grants(app: &App, admin: &Credentials) -> Vec<Value> {
    let audit = app
        .call_as(
            admin,
            "GET",
            "/api/v1/audit?organisation=testshire&limit=500",
            None,
            None,
        )
        .await
        .expect(200);
    audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "role_granted")
        .cloned()
        .collect()
}

/// The notices of a role given to `email`, as queued for the complaints officers.
async fn notices_about(app: &App, email: &str) -> Vec<redress_store::OutboxMessage> {
    app.store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == redress_core::MessageKind::RoleGranted && m.subject.contains(email))
        .collect()
}

on_both_backends!(granting_a_role_that_reaches_personal_data_is_announced);

async fn granting_a_role_that_reaches_personal_data_is_announced(db: &TestDatabase) {
    let app = App::start(db).await;
    world(&app).await;
    let admin = app.session_for("admin@testshire.test").await;
    // The probe's attack: a second account, with a case-reading role, by the API.
    app.call_as(
        &admin,
        "POST",
        "/api/v1/organisations/testshire/users",
        Some(json!({"email": "second@testshire.test", "role": "complaints_officer"})),
        None,
    )
    .await
    .expect(201);
    let notices = notices_about(&app, "second@testshire.test").await;
    assert_eq!(notices.len(), 1, "{notices:#?}");
    assert_eq!(
        notices[0].recipient.as_deref(),
        Some("officer@testshire.test")
    );
    assert!(notices[0].body.contains("admin@testshire.test"));
    // By the admin page, information governance; and the admin page lists both.
    let csrf = match &admin {
        Credentials::Session { csrf, .. } => csrf.clone(),
        other => panic!("not a session: {other:?}"),
    };
    app.form_as(
        &admin,
        "/admin/testshire/users",
        &[
            ("_csrf", &csrf),
            ("user-email", "third@testshire.test"),
            ("user-role", "information_governance"),
        ],
    )
    .await
    .expect(200);
    // Now two officers are told.
    assert_eq!(notices_about(&app, "third@testshire.test").await.len(), 2);
    let granted = grants(&app, &admin).await;
    for (email, role) in [
        ("second@testshire.test", "complaints_officer"),
        ("third@testshire.test", "information_governance"),
    ] {
        assert!(
            granted
                .iter()
                .any(|e| e["after"]["email"] == email && e["after"]["role"] == role),
            "{granted:#?}"
        );
    }
    let page = app
        .call_as(&admin, "GET", "/admin?organisation=testshire", None, None)
        .await
        .expect(200);
    let page = text(&page);
    let table = &page[page.find("id=\"role-grants\"").expect("the grants table")..];
    assert!(table.contains("second@testshire.test") && table.contains("third@testshire.test"));
    // A viewer reaches no personal data: not announced.
    app.call_as(
        &admin,
        "POST",
        "/api/v1/organisations/testshire/users",
        Some(json!({"email": "fourth@testshire.test", "role": "viewer"})),
        None,
    )
    .await
    .expect(201);
    assert!(notices_about(&app, "fourth@testshire.test")
        .await
        .is_empty());
    // And an administrator still cannot give themselves a role.
    app.call_as(
        &admin,
        "POST",
        "/api/v1/organisations/testshire/users",
        Some(json!({"email": "admin@testshire.test", "role": "information_governance"})),
        None,
    )
    .await
    .refused(403, None, "no one can give themselves a role");
    assert!(notices_about(&app, "admin@testshire.test").await.is_empty());
    assert_eq!(grants(&app, &admin).await.len(), granted.len());
}

on_both_backends!(compliments_are_read_by_those_who_handle_them);

async fn compliments_are_read_by_those_who_handle_them(db: &TestDatabase) {
    let app = App::start(db).await;
    world(&app).await;
    let mut ids = Vec::new();
    for (team, summary) in [
        (
            "Access & Assessment Team",
            "Ann Example, 07700 900001: thank you",
        ),
        (
            "Fostering and Adoption Team",
            "Bo Example, 07700 900002: thank you",
        ),
    ] {
        let logged = app
            .post(
                "/api/v1/organisations/testshire/compliments",
                json!({"received_on": "2024-02-01", "team": team, "summary": summary}),
            )
            .await
            .expect(201);
        ids.push(logged.id());
    }
    let list = "/api/v1/organisations/testshire/compliments";
    // The probe's attack: an investigator listing every compliment, phone numbers and all.
    for email in [
        "investigator@testshire.test",
        "viewer@testshire.test",
        "admin@testshire.test",
        "governance@testshire.test",
    ] {
        let session = app.session_for(email).await;
        let reply = app.call_as(&session, "GET", list, None, None).await;
        assert_eq!(reply.status.as_u16(), 403, "{email}: {:#}", reply.body);
        assert!(!reply.body.to_string().contains("07700"));
        app.call_as(&session, "GET", &format!("{list}/{}", ids[0]), None, None)
            .await
            .expect(403);
        let page = app
            .call_as(&session, "GET", "/compliments", None, None)
            .await
            .expect(403);
        assert!(!text(&page).contains("07700"), "{email}");
    }
    // A team manager reads their own team's only.
    let manager = app.session_for("manager@testshire.test").await;
    let seen = app
        .call_as(&manager, "GET", list, None, None)
        .await
        .expect(200);
    let seen: Vec<i64> = seen
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, [ids[0]]);
    app.call_as(&manager, "GET", &format!("{list}/{}", ids[0]), None, None)
        .await
        .expect(200);
    app.call_as(&manager, "GET", &format!("{list}/{}", ids[1]), None, None)
        .await
        .expect(404);
    let page = app
        .call_as(&manager, "GET", "/compliments", None, None)
        .await
        .expect(200);
    let page = text(&page);
    assert!(page.contains("Ann Example") && !page.contains("Bo Example"));
    // The complaints officer reads both.
    let both = app.get(list).await.expect(200);
    assert_eq!(both.body.as_array().unwrap().len(), 2);
}

on_both_backends!(information_governance_holds_and_erases_on_its_page);

/// Information governance opens no case pages: the subject access page holds, releases and
/// erases the cases it finds, as its forms post them.
async fn information_governance_holds_and_erases_on_its_page(db: &TestDatabase) {
    let app = App::start(db).await;
    let id = world(&app).await;
    let governance = app.session_for("governance@testshire.test").await;
    let csrf = match &governance {
        Credentials::Session { csrf, .. } => csrf.clone(),
        other => panic!("not a session: {other:?}"),
    };
    let search = "/organisations/testshire/subject-access?q=Zebedee";
    let page = app
        .call_as(&governance, "GET", search, None, None)
        .await
        .expect(200);
    assert!(text(&page).contains("Place a legal hold"));
    let act = |step: &str| format!("/organisations/testshire/subject-access/cases/{id}/{step}");
    let field = format!("case-{id}-legal_hold-reason");
    // No reason: the page again, the error linked to the box; nothing held.
    let refused = app
        .form_as(
            &governance,
            &act("legal_hold"),
            &[("_csrf", &csrf), ("q", "Zebedee"), (&field, "")],
        )
        .await
        .expect(422);
    assert!(text(&refused).contains(&format!("href=\"#{field}\"")));
    app.form_as(
        &governance,
        &act("legal_hold"),
        &[
            ("_csrf", &csrf),
            ("q", "Zebedee"),
            (&field, "Litigation threatened"),
        ],
    )
    .await
    .expect(303);
    let page = app
        .call_as(&governance, "GET", search, None, None)
        .await
        .expect(200);
    assert!(text(&page).contains("Legal hold: Litigation threatened"));
    // Another role posting the same is refused; the officer may not hold.
    let officer = app.session_for("officer@testshire.test").await;
    let officer_csrf = match &officer {
        Credentials::Session { csrf, .. } => csrf.clone(),
        other => panic!("not a session: {other:?}"),
    };
    app.form_as(
        &officer,
        &act("lift_legal_hold"),
        &[("_csrf", &officer_csrf), ("q", "Zebedee")],
    )
    .await
    .expect(403);
    app.form_as(
        &governance,
        &act("lift_legal_hold"),
        &[("_csrf", &csrf), ("q", "Zebedee")],
    )
    .await
    .expect(303);
    let erase_field = format!("case-{id}-erase_personal_data-reason");
    app.form_as(
        &governance,
        &act("erase_personal_data"),
        &[
            ("_csrf", &csrf),
            ("q", "Zebedee"),
            (&erase_field, "The person asked"),
        ],
    )
    .await
    .expect(303);
    let record = app.store.case(&Access::System, id).await.unwrap();
    assert!(record.erased_on.is_some());
    app.form_as(
        &governance,
        &act("nonsense"),
        &[("_csrf", &csrf), ("q", "Zebedee")],
    )
    .await
    .expect(404);
}
