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
    // Found by schemathesis: answers given but not documented. Every operation but signing in
    // documents 401; every one with a body, 415; every one with a query string, 400.
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let name = format!("{} {path}", method.to_uppercase());
            if name != "POST /api/v1/session" {
                assert!(responses.contains_key("401"), "{name} documents 401");
            }
            if operation.get("requestBody").is_some() {
                assert!(responses.contains_key("415"), "{name} documents 415");
            }
            let has_query = operation["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
            if has_query {
                assert!(responses.contains_key("400"), "{name} documents 400");
            }
        }
    }
    assert!(
        doc.body["components"]["schemas"]["Format"].is_object(),
        "the report format's schema is in the document"
    );
    let expected = [
        "DELETE /api/v1/cases/{id}/legal-hold",
        "DELETE /api/v1/organisations/{slug}/closures/{date}",
        "DELETE /api/v1/organisations/{slug}/retention/approval",
        "DELETE /api/v1/organisations/{slug}/users/{email}",
        "DELETE /api/v1/session",
        "DELETE /api/v1/tokens/{id}",
        "GET /api/v1/actions",
        "GET /api/v1/audit",
        "GET /api/v1/cases",
        "GET /api/v1/cases/{id}",
        "GET /api/v1/cases/{id}/attachments",
        "GET /api/v1/cases/{id}/attachments/{attachment}",
        "GET /api/v1/cases/{id}/events",
        "GET /api/v1/cases/{id}/legal-hold",
        "GET /api/v1/organisations",
        "GET /api/v1/organisations/{slug}/closures",
        "GET /api/v1/organisations/{slug}/compliments",
        "GET /api/v1/organisations/{slug}/compliments/{compliment}",
        "GET /api/v1/organisations/{slug}/erasures",
        "GET /api/v1/organisations/{slug}/inbound",
        "GET /api/v1/organisations/{slug}/letter-templates/{kind}",
        "GET /api/v1/organisations/{slug}/narratives/{year}",
        "GET /api/v1/organisations/{slug}/outbox",
        "GET /api/v1/organisations/{slug}/procedures",
        "GET /api/v1/organisations/{slug}/reminders",
        "GET /api/v1/organisations/{slug}/reports/{year}",
        "GET /api/v1/organisations/{slug}/retention",
        "GET /api/v1/organisations/{slug}/retention/preview",
        "GET /api/v1/organisations/{slug}/sign-in-policy",
        "GET /api/v1/organisations/{slug}/subject-access",
        "GET /api/v1/organisations/{slug}/subject-access/bundle",
        "GET /api/v1/organisations/{slug}/users",
        "GET /api/v1/session",
        "GET /api/v1/tokens",
        "PATCH /api/v1/cases/{id}",
        "POST /api/v1/cases",
        "POST /api/v1/cases/{id}/attachments",
        "POST /api/v1/cases/{id}/erasure",
        "POST /api/v1/cases/{id}/letters",
        "POST /api/v1/cases/{id}/notes",
        "POST /api/v1/cases/{id}/rectification",
        "POST /api/v1/cases/{id}/transitions",
        "POST /api/v1/organisations",
        "POST /api/v1/organisations/{slug}/closures",
        "POST /api/v1/organisations/{slug}/compliments",
        "POST /api/v1/organisations/{slug}/inbound",
        "POST /api/v1/organisations/{slug}/outbox/{id}/resend",
        "POST /api/v1/organisations/{slug}/reasons",
        "POST /api/v1/organisations/{slug}/teams",
        "POST /api/v1/organisations/{slug}/users",
        "POST /api/v1/session",
        "POST /api/v1/tokens",
        "PUT /api/v1/cases/{id}/legal-hold",
        "PUT /api/v1/organisations/{slug}/calendar",
        "PUT /api/v1/organisations/{slug}/compliments/{compliment}/published-quotation",
        "PUT /api/v1/organisations/{slug}/letter-templates/{kind}",
        "PUT /api/v1/organisations/{slug}/narratives/{year}/{section}",
        "PUT /api/v1/organisations/{slug}/procedures",
        "PUT /api/v1/organisations/{slug}/reminders",
        "PUT /api/v1/organisations/{slug}/retention",
        "PUT /api/v1/organisations/{slug}/retention/approval",
        "PUT /api/v1/organisations/{slug}/sign-in-policy",
        "PUT /api/v1/organisations/{slug}/users/{email}/teams",
        "PUT /api/v1/session/password",
    ];
    assert_eq!(documented, expected);
    // Signing out would end the session the other checks use: do it last.
    documented.sort_by_key(|operation| operation == "DELETE /api/v1/session");
    // Every documented operation reaches a handler: an unrouted request would get an empty
    // 404 or a 405, never a problem+json body from the handler.
    for operation in &documented {
        let (method, path) = operation.split_once(' ').unwrap();
        let concrete = path
            .replace("{id}", "424242")
            .replace("{slug}", "nowhere")
            .replace("{year}", "2020")
            .replace("{section}", "learning")
            .replace("{email}", "nobody@example.org")
            .replace("{attachment}", "1")
            .replace("{compliment}", "1")
            .replace("{kind}", "withdrawal");
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

    let docs = app.get("/api/v1/docs").await.expect(200);
    let html = docs.body.as_str().unwrap();
    assert!(html.contains("Redress API reference"), "{html}");
    for path in paths.keys() {
        let escaped = path.replace('/', "&#x2f;");
        assert!(
            html.contains(&format!("<code>{escaped}</code>")),
            "the reference page lists {path}"
        );
    }
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
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

on_both_backends!(reports_and_narratives_through_the_api);

async fn reports_and_narratives_through_the_api(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let (id, v) = app.at_stage1("statutory", "2024-04-08").await;
    app.step(
        id,
        v,
        json!({"transition": "respond", "on": "2024-04-12", "outcome": "upheld"}),
    )
    .await;
    let path = "/api/v1/organisations/testshire/narratives/2024";
    app.call(
        "PUT",
        &format!("{path}/learning"),
        Some(json!({"body": "- Reply to letters sooner."})),
        None,
    )
    .await
    .expect(204);
    app.call(
        "PUT",
        &format!("{path}/gossip"),
        Some(json!({"body": "x"})),
        None,
    )
    .await
    .refused(422, Some("section"), "'gossip' is not one of");
    let narratives = app.get(path).await.expect(200);
    assert_eq!(narratives.body["learning"], "- Reply to letters sooner.");

    let report = app
        .get("/api/v1/organisations/testshire/reports/2024")
        .await
        .expect(200);
    assert_eq!(report.body["complaints"]["received"], 1);
    assert_eq!(report.body["stage1"]["within_timescale"], 1);
    assert_eq!(
        report.body["narrative"]["learning"],
        "- Reply to letters sooner."
    );
    let quarter = app.get("/api/v1/organisations/testshire/reports/2024?quarter=1&team=Access%20%26%20Assessment%20Team").await.expect(200);
    assert_eq!(quarter.body["period"]["label"], "2024/25 Q1");
    assert_eq!(quarter.body["team"], "Access & Assessment Team");
    let pdf = app
        .get("/api/v1/organisations/testshire/reports/2024?format=pdf")
        .await
        .expect(200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("testshire-2024-25.pdf"));
    app.get("/api/v1/organisations/testshire/reports/2024?format=odt")
        .await
        .refused(400, Some("format"), "");
    app.get("/api/v1/organisations/testshire/reports/2024?quarter=5")
        .await
        .refused(400, Some("quarter"), "quarter must be 1, 2, 3 or 4");
    app.get("/api/v1/organisations/testshire/reports/24")
        .await
        .refused(422, Some("year"), "not a financial year");
}
