//! A NUL character anywhere in a request — the address, a JSON body, a form — is refused or
//! dropped, never a 500: PostgreSQL cannot store one (SQLite would), so both backends are tried.

mod common;

use common::App;
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;

on_both_backends!(a_nul_is_refused_naming_where_it_was);

async fn a_nul_is_refused_naming_where_it_was(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    app.sign_in_as("operator@redress.test").await;
    for path in [
        "/api/v1/organisations/testshire/users/%00",
        "/api/v1/organisations/%00/users",
        "/api/v1/cases?organisation=testshire&reference=%00",
    ] {
        let method = if path.contains("/users/") {
            "DELETE"
        } else {
            "GET"
        };
        let reply = app.call(method, path, None, None).await;
        assert_eq!(reply.status.as_u16(), 400, "{path}: {:#}", reply.body);
        assert!(
            reply.body["detail"].as_str().unwrap().contains("NUL"),
            "{path}"
        );
    }
    app.sign_in_as("officer@testshire.test").await;
    let reply = app
        .post(
            "/api/v1/cases",
            json!({
                "organisation": "testshire", "procedure": "statutory", "received_on": "2024-01-08",
                "channel": "email", "complainant_role": "parent",
                "personal": {"children": ["C-1", "C-2\u{0}"]},
            }),
        )
        .await;
    reply.refused(422, Some("personal.children[1]"), "NUL");
    let created = app.new_case("statutory", "2024-01-08").await.expect(201);
    app.post(
        &format!("/api/v1/cases/{}/notes", created.id()),
        json!({"text": "a\u{0}b"}),
    )
    .await
    .refused(422, Some("text"), "NUL");
    // A form drops it (a browser cannot type one) and the note is kept.
    let session = app.session_for("officer@testshire.test").await;
    let csrf = match &session {
        common::Credentials::Session { csrf, .. } => csrf.clone(),
        _ => unreachable!(),
    };
    let reply = app
        .form_as(
            &session,
            &format!("/cases/{}/actions/note", created.id()),
            &[("_csrf", &csrf), ("note-text", "rang\u{0} the family")],
        )
        .await;
    assert_eq!(reply.status.as_u16(), 303, "{:#}", reply.body);
    let events = app
        .get(&format!("/api/v1/cases/{}/events", created.id()))
        .await
        .expect(200);
    assert!(events.body.to_string().contains("rang the family"));
}
