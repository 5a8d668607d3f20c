//! The web pages through the router: sign-in, CSRF on every staff form, the public forms
//! (validation, honeypot, rate limit), attachments checked by content, compliments, the
//! administration page and the reports page.

mod common;

use axum::body::Body;
use axum::http::{header, Request};
use common::{App, Credentials, Reply, PASSWORD};
use redress_store::{Access, Role};
use redress_testkit::{on_both_backends, TestDatabase};
use redress_web::AuthSettings;
use serde_json::json;

on_both_backends!(
    signing_in_through_the_page,
    staff_forms_need_the_session_token,
    the_public_complaint_form,
    the_public_forms_keep_spam_out,
    attachments_are_checked_by_content,
    compliments_and_the_tracker,
    administration_and_reports,
    the_dashboard_counts_every_open_case,
);

fn html(reply: &Reply) -> &str {
    reply.body.as_str().unwrap_or_default()
}

fn location(reply: &Reply) -> &str {
    reply.headers[header::LOCATION].to_str().unwrap()
}

fn csrf_of(credentials: &Credentials) -> String {
    match credentials {
        Credentials::Session { csrf, .. } => csrf.clone(),
        other => panic!("not a session: {other:?}"),
    }
}

async fn get_as(app: &App, credentials: &Credentials, path: &str) -> Reply {
    app.call_as(credentials, "GET", path, None, None).await
}

async fn signing_in_through_the_page(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let none = Credentials::None;
    let away = get_as(&app, &none, "/cases?due=overdue").await.expect(303);
    assert_eq!(location(&away), "/sign-in?next=%2Fcases%3Fdue%3Doverdue");
    let page = get_as(&app, &none, "/sign-in").await.expect(200);
    assert!(html(&page).contains("<h1 class=\"govuk-heading-l\">Sign in</h1>"));

    let wrong = app
        .form_as(
            &none,
            "/sign-in",
            &[
                ("email", "officer@testshire.test"),
                ("password", "nope"),
                ("next", "/"),
            ],
        )
        .await
        .expect(401);
    assert!(html(&wrong).contains("Enter a correct email address and password"));
    assert!(
        html(&wrong).contains("href=\"#email\""),
        "the error summary links to the field"
    );
    let empty = app.form_as(&none, "/sign-in", &[]).await.expect(422);
    assert!(
        html(&empty).contains("Enter your email address")
            && html(&empty).contains("Enter your password")
    );

    // Only paths on this site are followed after signing in.
    let signed_in = app
        .form_as(
            &none,
            "/sign-in",
            &[
                ("email", "officer@testshire.test"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await
        .expect(303);
    assert_eq!(location(&signed_in), "/");
    let cookie = signed_in.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let session = Credentials::Session {
        cookie,
        csrf: String::new(),
    };
    let dashboard = get_as(&app, &session, "/").await.expect(200);
    assert!(html(&dashboard).contains("complaints officer at testshire"));
    // A form posted from another site is refused before any password is checked.
    let request = Request::builder()
        .method("POST")
        .uri("/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!(
            "email=officer%40testshire.test&password={}",
            PASSWORD.replace(' ', "+")
        )))
        .unwrap();
    app.send(request).await.expect(403);
}

async fn staff_forms_need_the_session_token(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = app
        .new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id();
    let session = app.session_for("officer@testshire.test").await;
    let path = format!("/cases/{id}/actions/acknowledge");
    for token in ["", "forged"] {
        let refused = app
            .form_as(
                &session,
                &path,
                &[
                    ("_csrf", token),
                    ("version", "1"),
                    ("acknowledge-on", "2024-05-02"),
                ],
            )
            .await
            .expect(403);
        assert!(html(&refused).contains("did not come from Redress"));
    }
    let case = app.store.case(&Access::System, id).await.unwrap();
    assert_eq!(case.version, 1, "nothing changed");
    let done = app
        .form_as(
            &session,
            &path,
            &[
                ("_csrf", &csrf_of(&session)),
                ("version", "1"),
                ("acknowledge-on", "2024-05-02"),
            ],
        )
        .await
        .expect(303);
    assert_eq!(location(&done), format!("/cases/{id}?done=acknowledge"));
    // Every lifecycle step core knows is announced, reopening and moving procedure included;
    // a key that is not one shows nothing.
    for (key, banner) in [
        ("acknowledge", Some("Acknowledge recorded")),
        ("reopen", Some("Reopen recorded")),
        ("change_procedure", Some("Change procedure recorded")),
        (
            "decide_sufficient_interest",
            Some("Decide sufficient interest recorded"),
        ),
        ("nonsense", None),
    ] {
        let reply = app
            .call_as(
                &session,
                "GET",
                &format!("/cases/{id}?done={key}"),
                None,
                None,
            )
            .await
            .expect(200);
        let shown = html(&reply);
        match banner {
            Some(banner) => assert!(shown.contains(banner), "{key}: no banner"),
            None => assert!(!shown.contains("nonsense recorded"), "{key}"),
        }
    }
    let case = app.store.case(&Access::System, id).await.unwrap();
    assert_eq!(
        case.case.acknowledged_on().unwrap().to_string(),
        "2024-05-02"
    );

    // A stale version is refused and the page shows the case as it now is.
    let stale = app
        .form_as(
            &session,
            &format!("/cases/{id}/actions/open_stage1"),
            &[("_csrf", &csrf_of(&session)), ("version", "1")],
        )
        .await
        .expect(422);
    assert!(
        html(&stale).contains("Someone else changed this case"),
        "{}",
        html(&stale)
    );
    app.form_as(
        &session,
        &format!("/cases/{id}/actions/open_stage1"),
        &[("_csrf", &csrf_of(&session)), ("version", "2")],
    )
    .await
    .expect(303);
    // A step the case's state does not offer is refused, saying so.
    let page = app
        .form_as(
            &session,
            &format!("/cases/{id}/actions/close"),
            &[("_csrf", &csrf_of(&session)), ("version", "3")],
        )
        .await
        .expect(422);
    assert!(html(&page).contains("Close is not possible at this point"));
    // A step the lifecycle refuses says why: an extension beyond the procedure's limit.
    let page = app
        .form_as(
            &session,
            &format!("/cases/{id}/actions/extend"),
            &[
                ("_csrf", &csrf_of(&session)),
                ("version", "3"),
                ("extend-to_working_days", "90"),
                ("extend-reason", "Complex"),
            ],
        )
        .await
        .expect(422);
    assert!(
        html(&page).contains("There is a problem"),
        "{}",
        html(&page)
    );
    assert!(
        html(&page).contains("href=\"#extend-"),
        "the error names the field"
    );
    // A note goes in the timeline without changing the case's version.
    app.form_as(
        &session,
        &format!("/cases/{id}/actions/note"),
        &[
            ("_csrf", &csrf_of(&session)),
            ("note-text", "Phoned the complainant"),
        ],
    )
    .await
    .expect(303);
    let shown = get_as(&app, &session, &format!("/cases/{id}"))
        .await
        .expect(200);
    assert!(html(&shown).contains("Phoned the complainant"));
    assert_eq!(
        app.store.case(&Access::System, id).await.unwrap().version,
        3
    );

    // A GET is never a change.
    let sneaky = app.call_as(&session, "POST", "/cases", None, None).await;
    assert_eq!(sneaky.status.as_u16(), 405);
}

async fn the_public_complaint_form(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let none = Credentials::None;
    let form = get_as(&app, &none, "/complain/testshire").await.expect(200);
    for text in ["Who can complain", "advocate", "What happens next"] {
        assert!(html(&form).contains(text), "the form says {text}");
    }
    let young = get_as(&app, &none, "/complain/testshire/young-people")
        .await
        .expect(200);
    assert!(html(&young).contains("You will not get into trouble for complaining"));

    let refused = app
        .form_as(
            &none,
            "/complain/testshire",
            &[("contact_email", "not an email")],
        )
        .await
        .expect(422);
    let page = html(&refused);
    assert!(page.contains("There is a problem"));
    for (field, message) in [
        ("complainant_role", "Select who you are"),
        (
            "contact_email",
            "Enter an email address in the correct format",
        ),
        ("summary", "Enter what your complaint is about"),
    ] {
        assert!(
            page.contains(&format!("<a href=\"#{field}\">{message}")),
            "{field}: {message}"
        );
    }
    assert!(
        page.contains("value=\"not an email\""),
        "what was typed is kept"
    );
    assert_eq!(
        app.store
            .list_cases(
                &Access::System,
                &Default::default(),
                redress_web::Clock::system().today()
            )
            .await
            .unwrap()
            .0
            .len(),
        0
    );

    let sent = app
        .form_as(
            &none,
            "/complain/testshire",
            &[
                ("complainant_name", "Sam Parent"),
                ("complainant_role", "parent"),
                ("contact_email", "sam@example.org"),
                ("summary", "No reply to my letters"),
                ("child_name", "Jo"),
                ("advocate", "yes"),
            ],
        )
        .await
        .expect(200);
    let page = html(&sent);
    let reference = page
        .split("<strong>")
        .nth(1)
        .unwrap()
        .split("</strong>")
        .next()
        .unwrap();
    assert!(reference.starts_with("TCC-"), "{page}");
    assert!(page.contains("respond by"));
    let filter = redress_store::CaseFilter {
        reference: Some(reference.into()),
        ..Default::default()
    };
    let (found, _) = app
        .store
        .list_cases(
            &Access::System,
            &filter,
            redress_web::Clock::system().today(),
        )
        .await
        .unwrap();
    let case = app
        .store
        .case(&Access::System, found[0].id)
        .await
        .unwrap()
        .case;
    assert_eq!(case.personal().complainant_name, "Sam Parent");
    assert!(case.personal().summary.contains("About: Jo"));
    assert!(case.advocacy_offered() && case.advocacy_taken_up());
    assert_eq!(case.channel().as_str(), "web");

    let young = app
        .form_as(
            &none,
            "/complain/testshire/young-people",
            &[
                ("summary", "Nobody listens"),
                ("contact_phone", "07700 900982"),
            ],
        )
        .await
        .expect(200);
    assert!(html(&young).contains("We have got your message"));
    let (all, _) = app
        .store
        .list_cases(
            &Access::System,
            &Default::default(),
            redress_web::Clock::system().today(),
        )
        .await
        .unwrap();
    let latest = app
        .store
        .case(&Access::System, all.last().unwrap().id)
        .await
        .unwrap()
        .case;
    assert!(latest.child_complained());
    assert_eq!(latest.complainant_role().as_str(), "child");
    let events = app
        .store
        .events(&Access::System, all.last().unwrap().id)
        .await
        .unwrap();
    assert_eq!(events[0].actor, "public form");
}

async fn the_public_forms_keep_spam_out(db: &TestDatabase) {
    let store = redress_store::Store::connect(&db.url).await.unwrap();
    let app = App::start(db).await;
    app.seed().await;
    let strict = App {
        router: redress_web::router_with(
            store.clone(),
            AuthSettings {
                public_submissions_per_hour: 2,
                ..AuthSettings::default()
            },
        ),
        accounts: redress_accounts::Accounts::new(store.clone()),
        store: store.clone(),
        credentials: std::sync::Mutex::new(Credentials::None),
    };
    let none = Credentials::None;
    let fields = [
        ("complainant_role", "parent"),
        ("contact_email", "a@example.org"),
        ("summary", "Real complaint"),
    ];
    // The hidden field only robots fill in: thanked, nothing kept.
    let mut with_trap = fields.to_vec();
    with_trap.push(("website", "http://spam.example"));
    let trapped = strict
        .form_as(&none, "/complain/testshire", &with_trap)
        .await
        .expect(200);
    assert!(html(&trapped).contains("Complaint sent"));
    assert!(!html(&trapped).contains("TCC-"), "no reference for a robot");
    let count = || async {
        store
            .list_cases(
                &Access::System,
                &Default::default(),
                redress_web::Clock::system().today(),
            )
            .await
            .unwrap()
            .0
            .len()
    };
    assert_eq!(count().await, 0);
    strict
        .form_as(&none, "/complain/testshire", &fields)
        .await
        .expect(200);
    let limited = strict
        .form_as(&none, "/complain/testshire", &fields)
        .await
        .expect(429);
    assert!(html(&limited).contains("Too many forms"));
    assert_eq!(count().await, 1, "the limit keeps the third out");
    store.close().await;
}

async fn attachments_are_checked_by_content(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = app
        .new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id();
    let session = app.session_for("officer@testshire.test").await;
    let Credentials::Session { cookie, csrf } = &session else {
        unreachable!()
    };
    let upload = |name: &str, bytes: Vec<u8>, token: &str| {
        let boundary = "XyZ";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        Request::builder()
            .method("POST")
            .uri(format!("/cases/{id}/attachments"))
            .header(header::COOKIE, cookie.as_str())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap()
    };
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    app.send(upload("letter.pdf", pdf.clone(), "wrong"))
        .await
        .expect(403);
    let stored = app
        .send(upload("../../letter.pdf", pdf.clone(), csrf))
        .await
        .expect(303);
    assert_eq!(location(&stored), format!("/cases/{id}?done=attachment"));
    let script = app
        .send(upload("report.pdf", b"#!/bin/sh\necho hi\n".to_vec(), csrf))
        .await
        .expect(422);
    assert!(html(&script).contains("is not a PDF, Word document, PNG or JPEG"));
    let files = app.store.attachments(&Access::System, id).await.unwrap();
    assert_eq!(files.len(), 1, "the refused file was not kept");
    assert_eq!(files[0].name, "letter.pdf", "no path in the name");
    assert_eq!(files[0].content_type, "application/pdf");
    assert_eq!(files[0].sha256.len(), 64);
    let download = get_as(
        &app,
        &session,
        &format!("/cases/{id}/attachments/{}", files[0].id),
    )
    .await
    .expect(200);
    assert_eq!(download.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(download.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    // Someone who cannot see the case cannot fetch its files.
    app.add_user(
        "viewer@testshire.test",
        Some("testshire"),
        Some(Role::Viewer),
        &[],
        false,
    )
    .await;
    let viewer = app.session_for("viewer@testshire.test").await;
    get_as(
        &app,
        &viewer,
        &format!("/cases/{id}/attachments/{}", files[0].id),
    )
    .await
    .expect(404);
    // A tampered file is refused rather than served.
    db.execute_directly("UPDATE case_attachments SET sha256 = 'x'")
        .await
        .unwrap();
    assert!(app
        .store
        .attachment(&Access::System, id, files[0].id)
        .await
        .is_err());
}

async fn compliments_and_the_tracker(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let none = Credentials::None;
    let empty = app
        .form_as(&none, "/compliment/testshire", &[("summary", " ")])
        .await
        .expect(422);
    assert!(html(&empty).contains("Enter your compliment"));
    app.form_as(
        &none,
        "/compliment/testshire",
        &[
            ("summary", "The social worker was brilliant"),
            ("team", "Access & Assessment Team"),
            ("consent", "yes"),
        ],
    )
    .await
    .expect(200);
    let session = app.session_for("officer@testshire.test").await;
    app.form_as(
        &session,
        "/compliments",
        &[
            ("_csrf", &csrf_of(&session)),
            ("received_on", "2024-06-01"),
            ("summary", "Thank you card"),
        ],
    )
    .await
    .expect(303);
    let log = get_as(&app, &session, "/compliments").await.expect(200);
    assert!(
        html(&log).contains("The social worker was brilliant")
            && html(&log).contains("Thank you card")
    );
    let stored = app.store.compliments("testshire").await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored
        .iter()
        .any(|c| c.consent_to_publish && c.team.as_deref() == Some("Access & Assessment Team")));

    let id = app
        .new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id();
    app.transition(id, 1, json!({"transition": "add_action", "kind": "learning", "description": "Train staff on contact letters", "owner_team": "Access & Assessment Team", "due_on": "2024-06-30"}))
        .await
        .expect(200);
    let tracker = get_as(&app, &session, "/actions").await.expect(200);
    assert!(html(&tracker).contains("Train staff on contact letters"));
    assert!(
        html(&tracker).contains("Overdue"),
        "a past due date is flagged"
    );
}

async fn administration_and_reports(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    app.add_user(
        "admin@testshire.test",
        Some("testshire"),
        Some(Role::Admin),
        &[],
        false,
    )
    .await;
    let admin = app.session_for("admin@testshire.test").await;
    let token = csrf_of(&admin);
    let page = get_as(&app, &admin, "/admin").await.expect(200);
    assert!(
        html(&page).contains("Children's social care statutory complaints procedure")
            || html(&page).contains("Stage 1")
    );

    let added = app
        .form_as(
            &admin,
            "/admin/testshire/users",
            &[
                ("_csrf", &token),
                ("user-email", "new.io@testshire.test"),
                ("user-role", "investigator"),
            ],
        )
        .await
        .expect(200);
    assert!(html(&added).contains("One-time password"));
    let manager_without_team = app
        .form_as(
            &admin,
            "/admin/testshire/users",
            &[
                ("_csrf", &token),
                ("user-email", "m@testshire.test"),
                ("user-role", "team_manager"),
            ],
        )
        .await
        .expect(422);
    assert!(html(&manager_without_team).contains("A team manager needs at least one team"));
    app.form_as(
        &admin,
        "/admin/testshire/teams",
        &[("_csrf", &token), ("team-name", "Virtual School")],
    )
    .await
    .expect(303);
    assert!(app
        .store
        .names("testshire", true)
        .await
        .unwrap()
        .contains(&"Virtual School".to_string()));
    app.form_as(
        &admin,
        "/admin/testshire/closures",
        &[
            ("_csrf", &token),
            ("closure-date", "2026-12-29"),
            ("closure-label", "Council closure"),
        ],
    )
    .await
    .expect(303);
    let organisation = app.store.organisation("testshire").await.unwrap();
    assert_eq!(organisation.closures.len(), 1);
    assert!(!organisation
        .calendar
        .is_working_day("2026-12-29".parse().unwrap())
        .unwrap());
    let again = app
        .form_as(
            &admin,
            "/admin/testshire/closures",
            &[
                ("_csrf", &token),
                ("closure-date", "2026-12-29"),
                ("closure-label", "Again"),
            ],
        )
        .await
        .expect(422);
    assert!(html(&again).contains("already a closure day"));
    // The officer may not administer.
    let officer = app.session_for("officer@testshire.test").await;
    app.form_as(
        &officer,
        "/admin/testshire/teams",
        &[("_csrf", &csrf_of(&officer)), ("team-name", "Sneaky")],
    )
    .await
    .expect(403);

    // Reports: the narrative is saved from the form, and the report downloads.
    app.form_as(
        &officer,
        "/reports/narrative",
        &[
            ("_csrf", &csrf_of(&officer)),
            ("organisation", "testshire"),
            ("year", "2024"),
            ("section-learning", "We learned to write sooner."),
        ],
    )
    .await
    .expect(303);
    assert_eq!(
        app.store.narratives("testshire", 2024).await.unwrap()["learning"],
        "We learned to write sooner."
    );
    let csv = get_as(
        &app,
        &officer,
        "/reports/download?organisation=testshire&year=2024&quarter=&format=csv",
    )
    .await
    .expect(200);
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    get_as(
        &app,
        &officer,
        "/reports/download?organisation=elsewhere&year=2024&format=csv",
    )
    .await
    .expect(404);
}

async fn the_dashboard_counts_every_open_case(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    // More open cases than the dashboard lists (25): the counts must still cover them all.
    for _ in 0..30 {
        app.at_stage1("statutory", "2024-05-01").await;
    }
    for _ in 0..2 {
        app.new_case("statutory", "2024-05-01").await.expect(201);
    }
    let session = app.session_for("officer@testshire.test").await;
    let page = get_as(&app, &session, "/").await.expect(200);
    let text = html(&page);
    // The two never opened are overdue too: Stage 1 runs from receipt (reg. 14).
    assert!(
        text.contains(r#"<span class="redress-count redress-overdue">32</span> overdue"#),
        "{text}"
    );
    let stage_row = |label: &str| {
        let start = text.find(&format!(">{label}</th>")).expect(label);
        let cells: Vec<&str> = text[start..]
            .split("</tr>")
            .next()
            .unwrap()
            .split("govuk-table__cell--numeric\">")
            .skip(1)
            .map(|c| c.split('<').next().unwrap())
            .collect();
        cells.join(",")
    };
    assert_eq!(
        stage_row("Stage 1"),
        "30,,0,0",
        "open, overdue (in a span), today, week"
    );
    assert!(text.contains(r#"<span class="redress-overdue">30</span>"#));
    assert_eq!(stage_row("Received, not yet at a stage"), "2,,0,0");
    assert!(text.contains(r#"<span class="redress-overdue">2</span>"#));
    let listed = text
        .split("Your open cases, soonest due first")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .unwrap();
    assert_eq!(
        listed.matches("href=\"/cases/").count(),
        25,
        "the list itself is one page"
    );
}

on_both_backends!(the_case_list_names_a_filter_it_cannot_read);

// Issue 23 item 19: `status=zzz` showed every case, as though no filter were set.
async fn the_case_list_names_a_filter_it_cannot_read(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let created = app.new_case("statutory", "2024-01-08").await.expect(201);
    let reference = created.body["reference"].as_str().unwrap().to_string();
    let officer = app.session_for("officer@testshire.test").await;
    let all = get_as(&app, &officer, "/cases").await.expect(200);
    assert!(html(&all).contains(&reference));
    for (query, filter) in [
        ("status=zzz", "status"),
        ("stage=9", "stage"),
        ("sort=zzz", "sort"),
        ("due=zzz", "due"),
        ("page=abc", "page"),
    ] {
        let page = get_as(&app, &officer, &format!("/cases?{query}"))
            .await
            .expect(400);
        let page = html(&page);
        assert!(page.contains("govuk-error-summary"), "{query}: {page}");
        assert!(page.contains(&format!("href=\"#{filter}\"")), "{query}");
        assert!(!page.contains(&reference), "{query} listed the cases");
    }
    let read = get_as(&app, &officer, "/cases?status=received&stage=&sort=oldest")
        .await
        .expect(200);
    assert!(html(&read).contains(&reference));
}
