//! Letters through the API on both backends: templates checked before they are saved, and
//! letters kept on the case as PDF and Word that say where the complainant can go next.

mod common;

use common::{App, Credentials};
use redress_store::Access;
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::{json, Value};

on_both_backends!(
    templates_are_checked_before_they_are_saved,
    a_template_that_grows_without_end_is_refused_and_never_run,
    an_acknowledgement_letter_acknowledges_the_case,
    a_stage_one_response_gives_the_stage_two_window,
    a_stage_three_response_gives_the_ombudsman,
    a_letter_on_a_case_out_of_reach_is_not_found,
    letters_through_the_pages,
);

/// The text of a stored file: pdftotext for a PDF, the document XML of a Word file, with
/// whitespace made single spaces so that a wrapped line still matches.
async fn text_of(app: &App, case: i64, attachment: &Value) -> String {
    let id = attachment["id"].as_i64().unwrap();
    let (info, content) = app
        .store
        .attachment(&Access::System, case, id)
        .await
        .unwrap();
    // Both backends' tests run at once and may number their files alike.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("redress-letter-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(&info.name);
    std::fs::write(&file, &content).unwrap();
    let output = if info.name.ends_with(".pdf") {
        std::process::Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .unwrap()
    } else {
        std::process::Command::new("unzip")
            .arg("-p")
            .arg(&file)
            .arg("word/document.xml")
            .output()
            .unwrap()
    };
    std::fs::remove_dir_all(&dir).ok();
    assert!(output.status.success(), "{}", info.name);
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn letter_path(id: i64) -> String {
    format!("/api/v1/cases/{id}/letters")
}

async fn templates_are_checked_before_they_are_saved(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let path = "/api/v1/organisations/testshire/letter-templates/withdrawal";
    app.get(path)
        .await
        .refused(403, None, "only an administrator");
    app.sign_in_as("operator@redress.test").await;
    let builtin = app.get(path).await.expect(200);
    assert_eq!(builtin.body["custom"], false);
    assert!(builtin.body["placeholders"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "signposting"));
    app.put(
        path,
        json!({"body": "Dear {{ complainant_name }},\n\nClosed.\n{{ foo }}"}),
    )
    .await
    .refused(422, Some("body"), "line 4: unknown placeholder 'foo'");
    app.put(
        "/api/v1/organisations/testshire/letter-templates/stage-1-response",
        json!({"body": "Dear {{ complainant_name }}, no way on."}),
    )
    .await
    .refused(422, Some("body"), "signposting");
    app.put(
        "/api/v1/organisations/testshire/letter-templates/memo",
        json!({"body": "x"}),
    )
    .await
    .refused(422, Some("kind"), "is not one of");
    let saved = app
        .put(
            path,
            json!({"body": "Your complaint {{ reference }} is closed. {{ council }}"}),
        )
        .await
        .expect(200);
    assert_eq!(saved.body["custom"], true);
    app.sign_in_as("officer@testshire.test").await;
    let id = app
        .new_case("statutory", "2024-01-08")
        .await
        .expect(201)
        .id();
    let preview = app
        .post(
            &format!("{}?preview=true", letter_path(id)),
            json!({"kind": "withdrawal"}),
        )
        .await
        .expect(200);
    let body = preview.body["body"].as_str().unwrap();
    assert!(body.starts_with("Your complaint TCC-"), "{body}");
    assert!(
        body.ends_with("is closed. Testshire County Council"),
        "{body}"
    );
    assert_eq!(preview.body["attachments"], json!([]));
}

/// A template built to exhaust memory: each `replace("", x)` puts `x` between every
/// character, so the letter grows as a power of the number of filters. The condition is false
/// for sample values, so only a check of the template itself (not a trial render) finds it.
const MEMORY_BOMB: &str = "{% if council != \"[council]\" %}{{ council|replace(\"\", council)|replace(\"\", council)|replace(\"\", council)|replace(\"\", council)|replace(\"\", council)|replace(\"\", council) }}{% endif %}{{ signposting }}";

async fn a_template_that_grows_without_end_is_refused_and_never_run(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    app.sign_in_as("operator@redress.test").await;
    let path = "/api/v1/organisations/testshire/letter-templates/stage-1-response";
    app.put(path, json!({ "body": MEMORY_BOMB })).await.refused(
        422,
        Some("body"),
        "line 1: the filter 'replace' is not allowed",
    );
    let doubling = "{% set a = council ~ council %}{% set a = a ~ a %}{{ a }}{{ signposting }}";
    app.put(path, json!({ "body": doubling })).await.refused(
        422,
        Some("body"),
        "{% set %} is not allowed",
    );
    let hidden = "{% if false %}{{ signposting }}{% endif %}";
    app.put(path, json!({ "body": hidden })).await.refused(
        422,
        Some("body"),
        "outside any {% if %}",
    );
    // A template saved before these rules (written straight to the store) is refused when a
    // letter is made from it, and the server goes on serving.
    app.store
        .set_letter_template(
            &redress_store::Access::System,
            "testshire",
            "stage-1-response",
            MEMORY_BOMB,
            &redress_store::Actor::system("an older release"),
        )
        .await
        .unwrap();
    app.sign_in_as("officer@testshire.test").await;
    let id = app
        .new_case("statutory", "2024-01-08")
        .await
        .expect(201)
        .id();
    app.post(
        &format!("{}?preview=true", letter_path(id)),
        json!({"kind": "stage-1-response"}),
    )
    .await
    .refused(422, Some("kind"), "the filter 'replace' is not allowed");
    app.get("/healthz").await.expect(200);
    app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
}

async fn an_acknowledgement_letter_acknowledges_the_case(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = app
        .new_case("statutory", "2024-01-08")
        .await
        .expect(201)
        .id();
    let sent = app
        .post(&letter_path(id), json!({"kind": "acknowledgement"}))
        .await
        .expect(201);
    let files = sent.body["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["content_type"], "application/pdf");
    assert!(sent.body["body"].as_str().unwrap().contains("advocate"));
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(case.body["status"], "acknowledged");
    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    let letter = events.body["items"]
        .as_array()
        .or(events.body.as_array())
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "letter_sent")
        .cloned()
        .expect("a letter_sent event");
    assert_eq!(letter["after"]["kind"], "acknowledgement");
    // A second acknowledgement is still a letter, the case already acknowledged.
    app.post(&letter_path(id), json!({"kind": "acknowledgement"}))
        .await
        .expect(201);
    let text = text_of(&app, id, &files[0]).await;
    assert!(text.contains("Testshire County Council"), "{text}");
}

async fn a_stage_one_response_gives_the_stage_two_window(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let (id, _) = app.at_stage1("statutory", "2024-01-08").await;
    let sent = app
        .post(&letter_path(id), json!({"kind": "stage-1-response"}))
        .await
        .expect(201);
    let window = "go to Stage 2 (Investigation). Please tell us within 20 working days";
    assert!(sent.body["body"].as_str().unwrap().contains(window));
    let files = sent.body["attachments"].as_array().unwrap();
    let pdf = text_of(&app, id, &files[0]).await;
    assert!(pdf.contains(window), "PDF: {pdf}");
    let docx = text_of(&app, id, &files[1]).await;
    assert!(docx.contains("within 20 working days"), "DOCX: {docx}");
}

async fn a_stage_three_response_gives_the_ombudsman(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let (id, _) = app.at_stage1("statutory", "2024-01-08").await;
    let sent = app
        .post(&letter_path(id), json!({"kind": "stage-3-response"}))
        .await
        .expect(201);
    let files = sent.body["attachments"].as_array().unwrap();
    let pdf = text_of(&app, id, &files[0]).await;
    for needle in [
        "Local Government and Social Care Ombudsman",
        "PO Box 4771, Coventry, CV4 0EH",
        "0300 061 0614",
        "www.lgo.org.uk",
    ] {
        assert!(pdf.contains(needle), "{needle} in {pdf}");
    }
    // The corporate procedure has two stages: there is no Stage 3 to respond to.
    let (corporate, _) = app.at_stage1("corporate", "2024-01-08").await;
    app.post(&letter_path(corporate), json!({"kind": "stage-3-response"}))
        .await
        .refused(422, Some("kind"), "has no Stage 3");
    app.post(
        &letter_path(corporate),
        json!({"kind": "withdrawal", "body": "   "}),
    )
    .await
    .refused(422, Some("body"), "must have text");
}

async fn a_letter_on_a_case_out_of_reach_is_not_found(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    app.post(&letter_path(999_999), json!({"kind": "withdrawal"}))
        .await
        .expect(404);
    app.post(&letter_path(1), json!({"kind": "nonsense"}))
        .await
        .expect(422);
}

async fn letters_through_the_pages(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let (id, _) = app.at_stage1("statutory", "2024-01-08").await;
    let officer = app.session_for("officer@testshire.test").await;
    let Credentials::Session { csrf, .. } = &officer else {
        panic!("a session")
    };
    let case = app
        .call_as(&officer, "GET", &format!("/cases/{id}"), None, None)
        .await
        .expect(200);
    assert!(case.body.as_str().unwrap().contains("Write letter"));
    let form = app
        .call_as(
            &officer,
            "GET",
            &format!("/cases/{id}/letter?kind=stage-1-response"),
            None,
            None,
        )
        .await
        .expect(200);
    let html = form.body.as_str().unwrap();
    assert!(html.contains("within 20 working days"), "{html}");
    let path = format!("/cases/{id}/letter");
    app.form_as(
        &officer,
        &path,
        &[("_csrf", csrf), ("kind", "withdrawal"), ("body", " ")],
    )
    .await
    .expect(422);
    let sent = app
        .form_as(
            &officer,
            &path,
            &[
                ("_csrf", csrf),
                ("kind", "withdrawal"),
                ("body", "Dear Sam,\n\nClosed."),
            ],
        )
        .await
        .expect(303);
    assert_eq!(sent.headers["location"], format!("/cases/{id}?done=letter"));
    let case = app
        .call_as(
            &officer,
            "GET",
            &format!("/cases/{id}?done=letter"),
            None,
            None,
        )
        .await
        .expect(200);
    let html = case.body.as_str().unwrap();
    assert!(html.contains("Letter kept on the case"), "{html}");
    assert!(html.contains("Withdrawal confirmation, dated"), "{html}");
    let files = app
        .get(&format!("/api/v1/cases/{id}/attachments"))
        .await
        .expect(200);
    assert_eq!(files.body.as_array().unwrap().len(), 2);
    // The administrator's template page refuses an unknown placeholder, naming the line.
    let admin = app.session_for("operator@redress.test").await;
    let Credentials::Session { csrf, .. } = &admin else {
        panic!("a session")
    };
    let refused = app
        .form_as(
            &admin,
            "/admin/testshire/letters/withdrawal",
            &[("_csrf", csrf), ("body", "Hello\n{{ foo }}")],
        )
        .await
        .expect(422);
    assert!(refused
        .body
        .as_str()
        .unwrap()
        .contains("Line 2: unknown placeholder"));
    app.form_as(
        &admin,
        "/admin/testshire/letters/withdrawal",
        &[("_csrf", csrf), ("body", "Closed: {{ reference }}")],
    )
    .await
    .expect(303);
}
