//! Request logs name the method and path, never the query string, which can hold a search
//! for a child's name.

mod common;

use common::App;
use redress_testkit::TestDatabase;
use std::io::Write;
use std::sync::{Arc, Mutex};

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
async fn logs_hold_no_personal_data() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .init();
    let db = TestDatabase::sqlite();
    let app = App::start(&db).await;
    app.seed().await;
    app.get("/api/v1/cases?q=Bartholomew%20Quince&organisation=testshire")
        .await
        .expect(200);
    app.post(
        "/api/v1/cases",
        serde_json::json!({
            "organisation": "testshire", "procedure": "statutory", "received_on": "2024-05-01",
            "channel": "web", "complainant_role": "parent",
            "personal": {"complainant_name": "Bartholomew Quince", "contact_email": "bq@example.org"}
        }),
    )
    .await
    .expect(201);
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("/api/v1/cases"),
        "requests are logged: {text}"
    );
    assert!(
        !text.contains("Bartholomew"),
        "no names in the logs:\n{text}"
    );
    assert!(!text.contains("bq@example.org"), "no emails in the logs");
    assert!(!text.contains(common::PASSWORD), "no passwords in the logs");
}
