//! The retention schedule is the council's decision: through the API and the pages, on both
//! backends, nothing is erased by it until an administrator records the approval, after a dry
//! run whose count they must confirm; and it can be switched off again.

mod common;

use common::{App, Credentials};
use redress_store::{Actor, Role};
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;

const PREVIEW: &str = "/api/v1/organisations/testshire/retention/preview";
const APPROVAL: &str = "/api/v1/organisations/testshire/retention/approval";

fn csrf_of(credentials: &Credentials) -> String {
    match credentials {
        Credentials::Session { csrf, .. } => csrf.clone(),
        other => panic!("not a session: {other:?}"),
    }
}

/// Two compliments long past the default two years, and one of this year.
async fn old_compliments(app: &App) {
    let this_year = chrono::Utc::now().date_naive().to_string();
    for on in ["2015-06-01", "2016-03-01", this_year.as_str()] {
        app.post(
            "/api/v1/organisations/testshire/compliments",
            json!({"received_on": on, "summary": "Zebedee Quixotic was so kind to us"}),
        )
        .await
        .expect(201);
    }
}

async fn add_admin(app: &App) {
    app.add_user(
        "admin@testshire.test",
        Some("testshire"),
        Some(Role::Admin),
        &[],
        false,
    )
    .await;
}

async fn erased_by_the_daily_run(app: &App) -> usize {
    let today = chrono::Utc::now().date_naive();
    let run = app
        .store
        .run_retention(today, false, &Actor::system("retention schedule"))
        .await
        .unwrap();
    run.erased.len()
}

on_both_backends!(
    the_schedule_erases_nothing_until_the_council_approves_it,
    the_pages_show_the_dry_run_and_switch_the_schedule,
);

async fn the_schedule_erases_nothing_until_the_council_approves_it(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    old_compliments(&app).await;
    assert_eq!(
        erased_by_the_daily_run(&app).await,
        0,
        "the schedule is off"
    );
    // Only an administrator sees the dry run and switches the schedule on.
    app.get(PREVIEW).await.expect(403);
    add_admin(&app).await;
    app.sign_in_as("admin@testshire.test").await;
    let preview = app.get(PREVIEW).await.expect(200);
    assert_eq!(preview.body["switched_on"], false);
    assert_eq!(preview.body["total"], 2);
    assert_eq!(
        preview.body["lines"],
        json!([
            {"year": 2015, "applies_to": "compliments", "records": 1},
            {"year": 2016, "applies_to": "compliments", "records": 1},
        ])
    );
    let approve = |date: &str, by: &str, count: usize| json!({"approved_on": date, "approved_by": by, "confirm_erasures": count});
    app.put(APPROVAL, approve("2999-01-01", "IG Board", 2))
        .await
        .refused(422, Some("approved_on"), "today or earlier");
    app.put(APPROVAL, approve("2026-01-05", "  ", 2))
        .await
        .refused(422, Some("approved_by"), "must not be empty");
    app.put(APPROVAL, approve("2026-01-05", "IG Board", 5))
        .await
        .refused(
            422,
            Some("confirm_erasures"),
            "finds 2 records to erase, not 5",
        );
    app.put(
        APPROVAL,
        json!({"approved_on": "2026-01-05", "approved_by": "IG Board", "confirm_erasures": 2, "force": true}),
    )
    .await
    .expect(422);
    assert_eq!(
        erased_by_the_daily_run(&app).await,
        0,
        "refusals change nothing"
    );

    let approved = app
        .put(
            APPROVAL,
            approve("2026-01-05", "Information Governance Board", 2),
        )
        .await
        .expect(200);
    assert_eq!(approved.body["approved_by"], "Information Governance Board");
    assert_eq!(approved.body["recorded_by"], "admin@testshire.test");
    let preview = app.get(PREVIEW).await.expect(200);
    assert_eq!(preview.body["switched_on"], true);
    assert_eq!(preview.body["approval"]["approved_on"], "2026-01-05");
    assert_eq!(erased_by_the_daily_run(&app).await, 2);
    assert_eq!(app.get(PREVIEW).await.expect(200).body["total"], 0);

    // Switched off, it erases nothing more.
    app.call("DELETE", APPROVAL, None, None).await.expect(204);
    assert_eq!(
        app.get(PREVIEW).await.expect(200).body["switched_on"],
        false
    );
    app.sign_in_as("officer@testshire.test").await;
    app.post(
        "/api/v1/organisations/testshire/compliments",
        json!({"received_on": "2014-01-01", "summary": "Thank you"}),
    )
    .await
    .expect(201);
    assert_eq!(erased_by_the_daily_run(&app).await, 0);
}

async fn the_pages_show_the_dry_run_and_switch_the_schedule(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    old_compliments(&app).await;
    add_admin(&app).await;
    let admin = app.session_for("admin@testshire.test").await;
    let csrf = csrf_of(&admin);
    let path = "/admin/testshire/retention/approval";
    let page = app
        .call_as(&admin, "GET", path, None, None)
        .await
        .expect(200);
    let text = page.body.as_str().unwrap();
    assert!(text.contains("The schedule is off"), "{text}");
    assert!(
        text.contains("<strong>2</strong> records would be erased"),
        "{text}"
    );
    let wrong = app
        .form_as(
            &admin,
            path,
            &[
                ("_csrf", &csrf),
                ("approved-on", "2026-01-05"),
                ("approved-by", "IG Board"),
                ("confirm-erasures", "7"),
            ],
        )
        .await
        .expect(422);
    let text = wrong.body.as_str().unwrap();
    assert!(text.contains("govuk-error-summary"), "{text}");
    assert!(text.contains("href=\"#confirm-erasures\""), "{text}");
    assert_eq!(erased_by_the_daily_run(&app).await, 0);
    app.form_as(
        &admin,
        path,
        &[
            ("_csrf", &csrf),
            ("approved-on", "2026-01-05"),
            ("approved-by", "IG Board"),
            ("confirm-erasures", "2"),
        ],
    )
    .await
    .expect(303);
    let page = app
        .call_as(&admin, "GET", path, None, None)
        .await
        .expect(200);
    let text = page.body.as_str().unwrap();
    assert!(text.contains("approved by IG Board"), "{text}");
    app.form_as(
        &admin,
        "/admin/testshire/retention/off",
        &[("_csrf", &csrf)],
    )
    .await
    .expect(303);
    let page = app
        .call_as(&admin, "GET", path, None, None)
        .await
        .expect(200);
    assert!(page.body.as_str().unwrap().contains("The schedule is off"));
}
