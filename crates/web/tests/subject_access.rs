//! Subject access (UK GDPR Art. 15) through the API, on both backends: the demo's live cases
//! are loaded through the API as `redress demo` loads them through the store, then the bundle
//! for the complainant Graham Osei holds his case, its letters and files and his mail, and no
//! one else's; each search and export is audited without the term; other roles are refused.

mod common;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use common::{App, Credentials};
use http_body_util::BodyExt;
use redress_store::Role;
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use tower::ServiceExt;

on_both_backends!(the_bundle_holds_one_persons_data_and_is_audited);

const LIVE_CASES: &str = include_str!("../../../demo/westminster/live-cases.json");
const TERM: &str = "Graham Osei";
/// A file the store accepts (judged by its content: a PDF).
const PDF: &[u8] = b"%PDF-1.7\n% a note from the family\n";

/// Replaces every "@+N" string with the date N days after `received_on`, as the demo does.
fn resolve_dates(value: &mut Value, received_on: chrono::NaiveDate) {
    match value {
        Value::String(text) => {
            if let Some(days) = text.strip_prefix("@+").and_then(|n| n.parse::<u64>().ok()) {
                *text = (received_on + chrono::Days::new(days)).to_string();
            }
        }
        Value::Object(map) => map.values_mut().for_each(|v| resolve_dates(v, received_on)),
        Value::Array(items) => items.iter_mut().for_each(|v| resolve_dates(v, received_on)),
        _ => {}
    }
}

/// The demo organisation and its live cases, made through the API by its complaints officer.
/// Graham Osei's case is given a contact email and a child's identifier, and another case a
/// child's identifier, so that mail goes to him and the bundle has details to mark.
/// Answers each case's (id, reference, complainant's name).
async fn load_demo(app: &App) -> Vec<(i64, String, String)> {
    app.post(
        "/api/v1/organisations",
        json!({"slug": "westminster", "name": "City of Westminster, Children's Services",
               "reference_prefix": "WCC"}),
    )
    .await
    .expect(201);
    let live: Vec<Value> = serde_json::from_str(LIVE_CASES).unwrap();
    let mut teams = BTreeSet::new();
    let mut reasons = BTreeSet::new();
    for entry in &live {
        teams.insert(entry["case"]["team"].as_str().unwrap().to_string());
        reasons.insert(entry["case"]["reason"].as_str().unwrap().to_string());
    }
    for team in &teams {
        app.post(
            "/api/v1/organisations/westminster/teams",
            json!({"name": team}),
        )
        .await
        .expect(204);
    }
    for reason in &reasons {
        app.post(
            "/api/v1/organisations/westminster/reasons",
            json!({"name": reason}),
        )
        .await
        .expect(204);
    }
    let version = app.store.organisation("westminster").await.unwrap().version;
    app.call(
        "PUT",
        "/api/v1/organisations/westminster/procedures",
        Some(json!({"procedures": ["statutory", "corporate"]})),
        Some(version),
    )
    .await
    .expect(200);
    for role in Role::ALL {
        app.add_user(
            &format!("{role}@westminster.example"),
            Some("westminster"),
            Some(role),
            if role == Role::TeamManager {
                &["Localities"]
            } else {
                &[]
            },
            false,
        )
        .await;
    }
    app.sign_in_as("complaints_officer@westminster.example")
        .await;
    let today = redress_web::Clock::system().today();
    let mut made = Vec::new();
    for entry in live {
        let received_on = today - chrono::Days::new(entry["received_days_ago"].as_u64().unwrap());
        let mut case = entry["case"].clone();
        case["organisation"] = "westminster".into();
        case["received_on"] = received_on.to_string().into();
        let name = case["personal"]["complainant_name"]
            .as_str()
            .unwrap()
            .to_string();
        if name == TERM {
            case["personal"]["contact_email"] = "graham.osei@example.org".into();
            case["personal"]["children"] = json!(["WCC-CHILD-7781"]);
        }
        if name == "Priya Shah" {
            case["personal"]["children"] = json!(["WCC-CHILD-1200"]);
        }
        let created = app.post("/api/v1/cases", case).await.expect(201);
        let id = created.id();
        let reference = created.body["reference"].as_str().unwrap().to_string();
        let mut version = created.etag();
        for step in entry["steps"].as_array().unwrap() {
            let mut transition = step["transition"].clone();
            resolve_dates(&mut transition, received_on);
            version = app.step(id, version, transition).await;
        }
        made.push((id, reference, name));
    }
    made
}

struct Download {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

async fn download(app: &App, credentials: &Credentials, path: &str) -> Download {
    let mut request = Request::get(path);
    if let Credentials::Session { cookie, .. } = credentials {
        request = request.header(header::COOKIE, cookie);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Download {
        status,
        headers,
        bytes,
    }
}

/// Every file of a ZIP, by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        files.insert(name, content);
    }
    files
}

/// The `after` JSON of each audit event of this kind.
async fn events_of(db: &TestDatabase, kind: &str) -> Vec<String> {
    db.texts_directly(&format!(
        "SELECT after_json FROM events WHERE kind = '{kind}' ORDER BY id"
    ))
    .await
    .unwrap()
}

fn query(term: &str) -> String {
    serde_urlencoded::to_string([("q", term)]).unwrap()
}

async fn the_bundle_holds_one_persons_data_and_is_audited(db: &TestDatabase) {
    let app = App::start(db).await;
    let cases = load_demo(&app).await;
    let (graham, graham_reference, _) = cases
        .iter()
        .find(|(_, _, name)| name == TERM)
        .cloned()
        .unwrap();
    let others: Vec<&String> = cases
        .iter()
        .filter(|(id, _, _)| *id != graham)
        .map(|(_, reference, _)| reference)
        .collect();
    assert_eq!(others.len(), 6);
    // A letter on his case, and a file from the family; and one on someone else's.
    let letter = app
        .post(
            &format!("/api/v1/cases/{graham}/letters"),
            json!({"kind": "acknowledgement", "send_by_email": true}),
        )
        .await
        .expect(201);
    let letter_files: Vec<String> = letter.body["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(letter_files.len(), 2, "the letter as PDF and Word");
    app.upload(
        &format!("/api/v1/cases/{graham}/attachments"),
        "family-note.pdf",
        PDF,
    )
    .await
    .expect(201);
    app.upload(
        &format!("/api/v1/cases/{}/attachments", cases[0].0),
        "someone-else.pdf",
        PDF,
    )
    .await
    .expect(201);

    // Subject access is information governance's work (UK GDPR Art. 15; docs/security.md).
    let governance = app
        .session_for("information_governance@westminster.example")
        .await;
    let base = "/api/v1/organisations/westminster/subject-access";

    // The search finds his case, and only his.
    let found = app
        .call_as(
            &governance,
            "GET",
            &format!("{base}?{}", query(TERM)),
            None,
            None,
        )
        .await
        .expect(200);
    let found_cases = found.body["cases"].as_array().unwrap();
    assert_eq!(found_cases.len(), 1, "{:#}", found.body);
    assert_eq!(found_cases[0]["id"], graham);
    assert_eq!(found_cases[0]["reference"], graham_reference.as_str());
    assert_eq!(found_cases[0]["matched"], json!(["complainant_name"]));
    let searches = events_of(db, "subject_access_search").await;
    assert_eq!(searches.len(), 1, "one search, one event");
    assert!(
        !searches[0].to_lowercase().contains("graham") && !searches[0].contains("Osei"),
        "the search's event holds no term: {}",
        searches[0]
    );
    assert!(events_of(db, "subject_access_export").await.is_empty());

    // The bundle.
    let bundle = download(&app, &governance, &format!("{base}/bundle?{}", query(TERM))).await;
    assert_eq!(
        bundle.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bundle.bytes)
    );
    assert_eq!(bundle.headers[header::CONTENT_TYPE], "application/zip");
    let disposition = bundle.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"subject-access-westminster-")
            && disposition.ends_with(".zip\""),
        "{disposition}"
    );
    let files = unzip(&bundle.bytes);
    let names: Vec<&String> = files.keys().collect();
    let folder = graham_reference.replace('/', "-");
    let json_text = String::from_utf8(files["subject-access.json"].clone()).unwrap();
    let bundle_json: Value = serde_json::from_str(&json_text).expect("the JSON parses");
    for other in &others {
        assert!(
            !json_text.contains(other.as_str()),
            "{other} is someone else's case: {json_text}"
        );
        let other = other.replace('/', "-");
        assert!(
            names.iter().all(|n| !n.contains(&other)),
            "{other} in {names:?}"
        );
    }
    assert!(!json_text.contains("someone-else.pdf"));
    assert!(!json_text.contains("WCC-CHILD-1200"));
    assert_eq!(bundle_json["search"]["term"], TERM);
    assert_eq!(
        bundle_json["search"]["exported_by"],
        "information_governance@westminster.example"
    );
    let in_bundle = bundle_json["cases"].as_array().unwrap();
    assert_eq!(in_bundle.len(), 1);
    assert_eq!(in_bundle[0]["reference"], graham_reference.as_str());
    assert_eq!(in_bundle[0]["record"]["id"], graham);
    assert_eq!(in_bundle[0]["record"]["personal"]["complainant_name"], TERM);
    assert!(
        in_bundle[0]["timeline"].as_array().unwrap().len() >= 4,
        "created, acknowledged, sufficient interest, stage 1, the letter: {:#}",
        in_bundle[0]["timeline"]
    );
    let attachments = in_bundle[0]["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 3, "{attachments:#?}");
    for attachment in attachments {
        assert_eq!(attachment["sha256"].as_str().unwrap().len(), 64);
        let file = attachment["file"].as_str().unwrap();
        assert!(files.contains_key(file), "{file} in {names:?}");
        assert_eq!(
            files[file].len() as i64,
            attachment["size"].as_i64().unwrap()
        );
    }
    for name in letter_files
        .iter()
        .chain(["family-note.pdf".to_string()].iter())
    {
        let path = format!("files/{folder}/{name}");
        assert!(files.contains_key(&path), "{path} in {names:?}");
    }
    assert_eq!(files[&format!("files/{folder}/family-note.pdf")], PDF);
    let pdf = &files[&format!("cases/{folder}.pdf")];
    assert!(pdf.starts_with(b"%PDF"), "the case record is a PDF");
    // His mail: the letter, sent by email.
    let messages = in_bundle[0]["messages"].as_array().unwrap();
    assert!(!messages.is_empty(), "{:#}", in_bundle[0]);
    for message in messages {
        assert_eq!(message["recipient"], "graham.osei@example.org");
        let text = &files[message["file"].as_str().unwrap()];
        assert!(String::from_utf8_lossy(text).contains("To: graham.osei@example.org"));
    }
    let pdfs = names.iter().filter(|n| n.starts_with("cases/")).count();
    assert_eq!(pdfs, 1, "{names:?}");
    assert!(names.iter().all(|n| n.as_str() == "subject-access.json"
        || n.starts_with("cases/")
        || n.starts_with(&format!("files/{folder}/"))
        || n.starts_with("messages/")));

    // The export left one event of its own (and no search event), without the term.
    let exports = events_of(db, "subject_access_export").await;
    assert_eq!(exports.len(), 1, "one export, one event");
    assert!(
        !exports[0].to_lowercase().contains("graham") && !exports[0].contains("Osei"),
        "{}",
        exports[0]
    );
    let export: Value = serde_json::from_str(&exports[0]).unwrap();
    assert_eq!(export["cases"], json!([graham_reference]));
    assert_eq!(export["files"].as_u64().unwrap() as usize, files.len());
    assert_eq!(events_of(db, "subject_access_search").await.len(), 1);

    // Limited to a chosen case: it must be one the search finds.
    let chosen = download(
        &app,
        &governance,
        &format!("{base}/bundle?{}&case={graham}", query(TERM)),
    )
    .await;
    assert_eq!(chosen.status, StatusCode::OK);
    app.call_as(
        &governance,
        "GET",
        &format!("{base}/bundle?{}&case={}", query(TERM), cases[0].0),
        None,
        None,
    )
    .await
    .refused(422, Some("case"), "not the id of a case this search finds");
    app.call_as(
        &governance,
        "GET",
        &format!("{base}/bundle?{}&case=zzz", query(TERM)),
        None,
        None,
    )
    .await
    .refused(422, Some("case"), "");
    app.call_as(&governance, "GET", &format!("{base}?q=Gr"), None, None)
        .await
        .refused(422, Some("q"), "at least 3 letters or digits");
    app.call_as(&governance, "GET", &format!("{base}?q=Gr%01ah"), None, None)
        .await
        .refused(422, Some("q"), "control characters");
    app.call_as(&governance, "GET", &format!("{base}?q=Gr%00ah"), None, None)
        .await
        .refused(400, Some("query"), "NUL");
    app.call_as(&governance, "GET", &format!("{base}/bundle"), None, None)
        .await
        .refused(422, Some("q"), "at least 3 letters or digits");
    app.call_as(
        &governance,
        "GET",
        &format!("{base}?q=Graham&who=me"),
        None,
        None,
    )
    .await
    .refused(400, Some("who"), "unknown parameter");

    // No other role may: not an administrator (issue 23: `q=.co` found unrelated cases),
    // nor a complaints officer, a team manager, an investigator or a viewer.
    for role in [
        "admin",
        "complaints_officer",
        "team_manager",
        "investigator",
        "viewer",
    ] {
        let session = app
            .session_for(&format!("{role}@westminster.example"))
            .await;
        for path in [
            format!("{base}?{}", query(TERM)),
            format!("{base}/bundle?{}", query(TERM)),
        ] {
            app.call_as(&session, "GET", &path, None, None)
                .await
                .refused(403, None, "");
        }
    }
    app.call_as(
        &Credentials::None,
        "GET",
        &format!("{base}?{}", query(TERM)),
        None,
        None,
    )
    .await
    .expect(401);
    assert_eq!(events_of(db, "subject_access_export").await.len(), 2);

    // The page: the search, his case (not linked: information governance reads no case
    // pages), and the export button.
    let page = download(
        &app,
        &governance,
        &format!("/organisations/westminster/subject-access?{}", query(TERM)),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8(page.bytes)
        .unwrap()
        .replace("&#x2f;", "/");
    assert!(html.contains(graham_reference.as_str()), "{html}");
    assert!(
        !html.contains(&format!("href=\"/cases/{graham}\"")),
        "{html}"
    );
    assert!(html.contains("Export bundle"));
    assert!(html.contains("action=\"/api/v1/organisations/westminster/subject-access/bundle\""));
    for other in &others {
        assert!(!html.contains(other.as_str()), "{other} on the page");
    }
    let short = download(
        &app,
        &governance,
        "/organisations/westminster/subject-access?q=G",
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8(short.bytes)
        .unwrap()
        .contains("href=\"#q\""));
    let manager = app.session_for("team_manager@westminster.example").await;
    let refused = download(&app, &manager, "/organisations/westminster/subject-access").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // The menu offers it to those who may use it.
    let dashboard = download(&app, &governance, "/").await;
    let dashboard = String::from_utf8(dashboard.bytes)
        .unwrap()
        .replace("&#x2f;", "/");
    assert!(
        dashboard.contains("href=\"/organisations/westminster/subject-access\""),
        "{dashboard}"
    );
    let dashboard = download(&app, &manager, "/").await;
    let dashboard = String::from_utf8(dashboard.bytes).unwrap();
    assert!(!dashboard.contains("subject-access"), "{dashboard}");
}

on_both_backends!(colliding_names_and_the_jsons_marks);

/// Issue 23: references `DUP/2026` and `DUP-2026` made one file name and the export failed
/// with 500; and the bundle's JSON repeated the record without the PDF's redaction marks.
async fn colliding_names_and_the_jsons_marks(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    for reference in ["DUP/2026", "DUP-2026"] {
        let created = app
            .post(
                "/api/v1/cases",
                json!({
                    "organisation": "testshire", "reference": reference,
                    "procedure": "statutory", "received_on": "2026-01-05", "channel": "email",
                    "complainant_role": "parent",
                    "personal": {"complainant_name": "Zebedee Quince",
                        "contact_email": "zq@example.org"}
                }),
            )
            .await
            .expect(201);
        app.upload(
            &format!("/api/v1/cases/{}/attachments", created.id()),
            "note.pdf",
            PDF,
        )
        .await
        .expect(201);
    }
    let governance = app.governance().await;
    let path = format!(
        "/api/v1/organisations/testshire/subject-access/bundle?{}",
        query("Zebedee Quince")
    );
    let bundle = download(&app, &governance, &path).await;
    assert_eq!(
        bundle.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bundle.bytes)
    );
    let files = unzip(&bundle.bytes);
    let pdfs = files.keys().filter(|n| n.starts_with("cases/")).count();
    let notes = files
        .keys()
        .filter(|n| n.ends_with(".pdf") && n.starts_with("files/"))
        .count();
    assert_eq!((pdfs, notes), (2, 2), "{:?}", files.keys());
    let bundle_json: Value = serde_json::from_slice(&files["subject-access.json"]).unwrap();
    for case in bundle_json["cases"].as_array().unwrap() {
        let personal = &case["record"]["personal"];
        assert_eq!(personal["complainant_name"], "Zebedee Quince");
        assert_eq!(
            personal["contact_email"],
            "[REDACT: email not matched by the search] zq@example.org"
        );
        assert!(files.contains_key(case["record_pdf"].as_str().unwrap()));
    }
}
