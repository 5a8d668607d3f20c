//! The server's own log subscriber (the one `redress serve` installs): one line per request
//! with its id, method, route template, status and latency; never a query string, a name, an
//! email or a password.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::App;
use redress_testkit::TestDatabase;
use redress_web::telemetry::{init_with_writer, LogFormat};
use std::io::Write;
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_lines_name_the_route_and_hold_no_personal_data() {
    let captured = Captured::default();
    let writer = captured.clone();
    init_with_writer(LogFormat::Text, "trace", move || writer.clone());
    let db = TestDatabase::sqlite();
    let app = App::start(&db).await;
    app.seed().await;
    app.get("/api/v1/cases?q=Bartholomew%20Quince&organisation=testshire")
        .await
        .expect(200);
    let id = app
        .post(
            "/api/v1/cases",
            serde_json::json!({
                "organisation": "testshire", "procedure": "statutory", "received_on": "2024-05-01",
                "channel": "web", "complainant_role": "parent",
                "personal": {"complainant_name": "Bartholomew Quince", "contact_email": "bq@example.org"}
            }),
        )
        .await
        .expect(201)
        .id();

    // A client's request id is kept and returned; a hostile one is replaced.
    let answer = app
        .router
        .clone()
        .oneshot(
            Request::get("/healthz")
                .header("x-request-id", "support-ticket-42")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(answer.headers()["x-request-id"], "support-ticket-42");
    let answer = app
        .router
        .clone()
        .oneshot(
            Request::get("/healthz")
                .header("x-request-id", "a b <script>")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let given = answer.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(given.len(), 22, "a new id replaces a hostile one: {given}");

    app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("route=/api/v1/cases/{id}") && l.contains("status=200"))
        .unwrap_or_else(|| panic!("a request line for the case's route template:\n{text}"));
    assert!(line.contains("method=GET"), "{line}");
    assert!(line.contains("latency_ms="), "{line}");
    assert!(line.contains("request_id="), "{line}");
    assert!(
        !line.contains(&format!("/api/v1/cases/{id} ")),
        "no raw path: {line}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("request_id=support-ticket-42") && l.contains("route=/healthz")),
        "the client's request id is logged:\n{text}"
    );
    assert!(text.contains("status=201"), "the creation is logged");
    assert!(
        !text.contains("Bartholomew"),
        "no names in the logs:\n{text}"
    );
    assert!(!text.contains("bq@example.org"), "no emails in the logs");
    assert!(!text.contains(common::PASSWORD), "no passwords in the logs");
}
