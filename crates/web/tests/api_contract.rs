//! The OpenAPI document matches the routes, the docs page is served without a CDN, and the
//! audit log cannot be edited.

mod common;

use common::App;
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;

on_both_backends!(openapi_matches_the_routes, audit_events_cannot_be_changed);

async fn openapi_matches_the_routes(db: &TestDatabase) {
    let app = App::start(db).await;
    let doc = app.get("/api/v1/openapi.json").await.expect(200);
    let paths = doc.body["paths"].as_object().expect("paths");
    let mut documented = Vec::new();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    documented.sort();
    let expected = [
        "GET /api/v1/cases",
        "GET /api/v1/cases/{id}",
        "GET /api/v1/cases/{id}/events",
        "GET /api/v1/organisations",
        "GET /api/v1/organisations/{slug}/procedures",
        "PATCH /api/v1/cases/{id}",
        "POST /api/v1/cases",
        "POST /api/v1/cases/{id}/transitions",
        "POST /api/v1/organisations",
        "POST /api/v1/organisations/{slug}/reasons",
        "POST /api/v1/organisations/{slug}/teams",
    ];
    assert_eq!(documented, expected);
    // Every documented operation reaches a handler: an unrouted request would get an empty
    // 404 or a 405, never a problem+json body from the handler.
    for operation in &documented {
        let (method, path) = operation.split_once(' ').unwrap();
        let concrete = path.replace("{id}", "424242").replace("{slug}", "nowhere");
        let body = (method != "GET").then(|| json!({}));
        let reply = app.call(method, &concrete, body, Some(1)).await;
        assert_ne!(reply.status.as_u16(), 405, "{operation} is not routed");
        if reply.status.as_u16() == 404 {
            assert!(
                reply.body["detail"].is_string(),
                "{operation} is not routed: {:?}",
                reply.body
            );
        }
    }
    let unrouted = app.get("/api/v1/nothing-here").await;
    assert_eq!(unrouted.status.as_u16(), 404);
    assert!(unrouted.body.is_null());

    let docs = app.get("/api/v1/docs/").await.expect(200);
    let html = docs.body.as_str().unwrap();
    assert!(html.contains("swagger-ui"), "docs page is Swagger UI");
    assert!(
        !html.contains("https://"),
        "docs page loads nothing from a CDN"
    );
}

async fn audit_events_cannot_be_changed(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let created = app.new_case("statutory", "2024-01-08").await.expect(201);
    let path = format!("/api/v1/cases/{}/events", created.id());
    let before = app.get(&path).await.expect(200).body;
    // No route writes to events.
    for method in ["PUT", "PATCH", "DELETE", "POST"] {
        let reply = app
            .call(method, &path, Some(json!({"kind": "forged"})), Some(1))
            .await;
        assert_eq!(
            reply.status.as_u16(),
            405,
            "{method} on events must not be allowed"
        );
    }
    // And the database itself refuses, whatever connects to it.
    let update = db
        .execute_directly("UPDATE events SET actor = 'someone else'")
        .await;
    assert!(update
        .unwrap_err()
        .contains("audit events cannot be changed"));
    let delete = db.execute_directly("DELETE FROM events").await;
    assert!(delete.unwrap_err().contains("audit events cannot be"));
    assert_eq!(app.get(&path).await.body, before);
}
