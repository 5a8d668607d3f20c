//! Sessions (expiry, rotation, sign-out), CSRF, sign-in throttling, API tokens, one-time
//! passwords, the audit of reads, and the security headers, through the router.

mod common;

use axum::http::header;
use common::{App, Credentials, PASSWORD};
use redress_store::{Actor, Role};
use redress_testkit::{on_both_backends, TestDatabase};
use redress_web::AuthSettings;
use serde_json::json;

on_both_backends!(
    sessions_end_when_idle_when_old_and_at_sign_out,
    the_session_id_changes_at_sign_in,
    changes_without_the_csrf_token_are_refused,
    failed_sign_ins_slow_down_and_are_audited,
    tokens_are_hashed_scoped_and_revocable,
    a_one_time_password_must_be_changed_first,
    reads_of_a_case_are_audited,
    a_disabled_user_is_shut_out,
    every_response_carries_the_security_headers,
    a_user_in_two_organisations_has_each_role_apart,
);

/// The stored key of a session: the hash of the id in its cookie.
fn stored_key(credentials: &Credentials) -> String {
    let cookie = cookie_of(credentials);
    redress_accounts::secrets::digest(cookie.trim_start_matches("redress_session="))
}

fn cookie_of(credentials: &Credentials) -> String {
    match credentials {
        Credentials::Session { cookie, .. } => cookie.clone(),
        other => panic!("not a session: {other:?}"),
    }
}

/// A token of the officer's, made through the API, and the reply that made it.
async fn officer_token(app: &App, name: &str) -> (Credentials, common::Reply) {
    let made = app
        .post(
            "/api/v1/tokens",
            json!({"organisation": "testshire", "role": "complaints_officer", "name": name}),
        )
        .await
        .expect(201);
    let token = made.body["token"].as_str().unwrap().to_string();
    (Credentials::Token(token), made)
}

/// A testshire case the officer can see; returns its id.
async fn a_case(app: &App) -> i64 {
    app.new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id()
}

async fn sessions_end_when_idle_when_old_and_at_sign_out(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;

    // Idle: last used two hours ago, longer than the 30 minutes allowed.
    let idle = app.session_for("officer@testshire.test").await;
    app.call_as(&idle, "GET", "/api/v1/session", None, None)
        .await
        .expect(200);
    db.execute_directly(&format!(
        "UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00+00:00' WHERE id_hash = '{}'",
        stored_key(&idle)
    ))
    .await
    .unwrap();
    // That edit went behind the server's back, as another server's would: it is seen once the
    // server stops trusting its recent check, which the test does not wait for.
    app.accounts.forget_cached_sign_ins();
    app.call_as(&idle, "GET", "/api/v1/cases", None, None)
        .await
        .refused(401, None, "the session has ended");
    let left = db
        .texts_directly("SELECT id_hash FROM sessions")
        .await
        .unwrap();
    assert!(
        !left.contains(&stored_key(&idle)),
        "an expired session is deleted"
    );
    assert!(!left.is_empty(), "other sessions live on");

    // Absolute: in use a moment ago, but past its lifetime.
    let old = app.session_for("officer@testshire.test").await;
    db.execute_directly(&format!(
        "UPDATE sessions SET expires_at = '2020-01-01T00:00:00+00:00' WHERE id_hash = '{}'",
        stored_key(&old)
    ))
    .await
    .unwrap();
    app.call_as(&old, "GET", "/api/v1/session", None, None)
        .await
        .refused(401, None, "the session has ended");

    // Signing out ends the session on the server and clears the cookie.
    let live = app.session_for("officer@testshire.test").await;
    let out = app
        .call_as(&live, "DELETE", "/api/v1/session", None, None)
        .await
        .expect(204);
    let cleared = out.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cleared.starts_with("redress_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    app.call_as(&live, "GET", "/api/v1/session", None, None)
        .await
        .expect(401);

    // The cookie is HttpOnly and SameSite, and Secure behind TLS.
    let reply = app
        .call_as(
            &Credentials::None,
            "POST",
            "/api/v1/session",
            Some(json!({"email": "officer@testshire.test", "password": PASSWORD})),
            None,
        )
        .await
        .expect(200);
    let set = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(
        !set.contains("Secure"),
        "plain HTTP gets no Secure flag: {set}"
    );
    let tls = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-proto", "https")
        .body(axum::body::Body::from(
            json!({"email": "officer@testshire.test", "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), tls)
        .await
        .unwrap();
    let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.contains("Secure"),
        "behind TLS the cookie is Secure: {set}"
    );
}

async fn the_session_id_changes_at_sign_in(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let first = app.session_for("officer@testshire.test").await;
    let Credentials::Session { cookie, .. } = &first else {
        unreachable!()
    };
    // Signing in again from the same browser (sending the old cookie) gives a new id, and the
    // old one stops working: a session fixed before sign-in is useless.
    let again = app
        .call_as(
            &first,
            "POST",
            "/api/v1/session",
            Some(json!({"email": "officer@testshire.test", "password": PASSWORD})),
            None,
        )
        .await
        .expect(200);
    let second = again.session();
    assert_ne!(&cookie_of(&second), cookie, "the id changed");
    app.call_as(&first, "GET", "/api/v1/session", None, None)
        .await
        .expect(401);
    app.call_as(&second, "GET", "/api/v1/session", None, None)
        .await
        .expect(200);
    // Only a hash of the id is stored.
    let raw = cookie_of(&second)
        .trim_start_matches("redress_session=")
        .to_string();
    let stored = db
        .texts_directly("SELECT id_hash FROM sessions")
        .await
        .unwrap();
    assert!(!stored.contains(&raw), "the raw id is not stored");
    assert!(stored.contains(&redress_accounts::secrets::digest(&raw)));
}

async fn changes_without_the_csrf_token_are_refused(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = a_case(&app).await;
    let session = app.session_for("officer@testshire.test").await;
    let cookie = cookie_of(&session);
    let patch = json!({"advocacy_offered": true});
    for csrf in [None, Some("not-the-token")] {
        let mut request = axum::http::Request::builder()
            .method("PATCH")
            .uri(format!("/api/v1/cases/{id}"))
            .header(header::COOKIE, &cookie)
            .header(header::IF_MATCH, "\"1\"")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        let response = tower::ServiceExt::oneshot(
            app.router.clone(),
            request
                .body(axum::body::Body::from(patch.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(response.status().as_u16(), 403, "csrf {csrf:?}");
    }
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(case.etag(), 1, "nothing changed");
    assert_eq!(case.body["advocacy_offered"], false);
    // With the session's token the same change goes through.
    app.call_as(
        &session,
        "PATCH",
        &format!("/api/v1/cases/{id}"),
        Some(patch),
        Some(1),
    )
    .await
    .expect(200);
}

async fn failed_sign_ins_slow_down_and_are_audited(db: &TestDatabase) {
    let store = redress_store::Store::connect(&db.url).await.unwrap();
    let settings = AuthSettings {
        trusted_proxies: redress_web::auth::TrustedProxies::Hops(1),
        ..AuthSettings::default()
    };
    let router = redress_web::router_with(store.clone(), settings);
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
    let attempt = |email: &'static str, password: &'static str, address: &'static str| {
        let router = router.clone();
        async move {
            let request = axum::http::Request::builder()
                .method("POST")
                .uri("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-forwarded-for", address)
                .body(axum::body::Body::from(
                    json!({"email": email, "password": password}).to_string(),
                ))
                .unwrap();
            tower::ServiceExt::oneshot(router, request).await.unwrap()
        }
    };
    // Per account: five wrong passwords are answered 401; then even the right one waits.
    for _ in 0..5 {
        let response = attempt("officer@testshire.test", "wrong password!", "10.0.0.1").await;
        assert_eq!(response.status().as_u16(), 401);
    }
    let refused = attempt("officer@testshire.test", PASSWORD, "10.0.0.2").await;
    assert_eq!(refused.status().as_u16(), 429, "the account is slowed down");
    let wait: u64 = refused.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=2).contains(&wait),
        "the first wait is a second: {wait}"
    );
    // Others are not held up by it.
    assert_eq!(
        attempt("admin@testshire.test", PASSWORD, "10.0.0.2")
            .await
            .status()
            .as_u16(),
        200
    );
    // The wait passes on the store's clock: no test sleeps to let time go by.
    let later = store.clock().now() + chrono::Duration::milliseconds(wait as i64 * 1000 + 200);
    store.set_clock(redress_calendar::Clock::fixed(later));
    assert_eq!(
        attempt("officer@testshire.test", PASSWORD, "10.0.0.2")
            .await
            .status()
            .as_u16(),
        200,
        "after the wait the right password works"
    );

    // Per address: twenty failures against different accounts hold up the address.
    let names: Vec<&'static str> = (0..20)
        .map(|i| &*Box::leak(format!("nobody{i}@testshire.test").into_boxed_str()))
        .collect();
    for name in &names {
        assert_eq!(
            attempt(name, "guess guess guess", "10.9.9.9")
                .await
                .status()
                .as_u16(),
            401
        );
    }
    assert_eq!(
        attempt("admin@testshire.test", PASSWORD, "10.9.9.9")
            .await
            .status()
            .as_u16(),
        429,
        "the address is slowed down"
    );

    // The failures are in the audit log, with the address, for the organisation's admin.
    app.sign_in_as("admin@testshire.test").await;
    let audit = app
        .get("/api/v1/audit?organisation=testshire&user=officer@testshire.test&limit=50")
        .await
        .expect(200);
    let kinds: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "sign_in_failed").count(),
        5,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"sign_in_throttled"), "{kinds:?}");
    let failure = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "sign_in_failed")
        .unwrap();
    assert_eq!(failure["address"], "10.0.0.1");
    assert_eq!(failure["actor"], "officer@testshire.test");
    let all = db
        .texts_directly("SELECT actor FROM events WHERE kind = 'sign_in_failed'")
        .await
        .unwrap();
    assert_eq!(all.len(), 25, "every failure is recorded");
    store.close().await;
}

async fn tokens_are_hashed_scoped_and_revocable(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = a_case(&app).await;
    let (bearer, made) = officer_token(&app, "warehouse export").await;
    let Credentials::Token(token) = bearer.clone() else {
        unreachable!()
    };
    assert!(token.starts_with("rdr_"));
    app.call_as(&bearer, "GET", &format!("/api/v1/cases/{id}"), None, None)
        .await
        .expect(200);
    // Changes with a token need no CSRF token: nothing sends it on its own.
    app.call_as(
        &bearer,
        "PATCH",
        &format!("/api/v1/cases/{id}"),
        Some(json!({"advocacy_offered": true})),
        Some(1),
    )
    .await
    .expect(200);
    // Kept as a hash; the list never shows the secret.
    let stored = db
        .texts_directly("SELECT token_hash FROM api_tokens")
        .await
        .unwrap();
    assert_eq!(stored, vec![redress_accounts::secrets::digest(&token)]);
    let listed = app.get("/api/v1/tokens").await.expect(200);
    assert_eq!(listed.body[0]["name"], "warehouse export");
    assert!(!listed.body.to_string().contains(&token));
    // A token cannot make tokens, and a viewer token reads no cases.
    app.call_as(
        &bearer,
        "POST",
        "/api/v1/tokens",
        Some(json!({"organisation": "testshire", "role": "viewer", "name": "more"})),
        None,
    )
    .await
    .refused(403, None, "a token cannot make tokens");
    let viewer = app
        .post(
            "/api/v1/tokens",
            json!({"organisation": "testshire", "role": "viewer", "name": "dashboard"}),
        )
        .await
        .expect(201);
    let viewer = Credentials::Token(viewer.body["token"].as_str().unwrap().into());
    app.call_as(&viewer, "GET", &format!("/api/v1/cases/{id}"), None, None)
        .await
        .expect(404);
    app.call_as(
        &viewer,
        "GET",
        "/api/v1/organisations/testshire/reports/2024",
        None,
        None,
    )
    .await
    .expect(200);
    // A role the user does not hold is refused.
    app.post(
        "/api/v1/tokens",
        json!({"organisation": "testshire", "role": "admin", "name": "escalate"}),
    )
    .await
    .refused(
        422,
        Some("role"),
        "your own role (complaints_officer) or viewer",
    );
    // Revoked: it stops working at once.
    let token_id = made.body["id"].as_i64().unwrap();
    app.call("DELETE", &format!("/api/v1/tokens/{token_id}"), None, None)
        .await
        .expect(204);
    app.call_as(&bearer, "GET", &format!("/api/v1/cases/{id}"), None, None)
        .await
        .refused(401, None, "revoked");
    let listed = app.get("/api/v1/tokens").await.expect(200);
    assert!(listed.body[0]["revoked_at"].is_string());
    // Garbage and wrongly shaped headers get 401 too.
    for value in ["Bearer rdr_nothing", "Bearer ", "Basic abc"] {
        let request = axum::http::Request::builder()
            .uri("/api/v1/cases")
            .header(header::AUTHORIZATION, value)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401, "{value}");
    }
}

async fn a_one_time_password_must_be_changed_first(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let added = app
        .accounts
        .add_user(
            &redress_accounts::NewUser {
                email: "New.Starter@Testshire.test".into(),
                organisation: Some("testshire".into()),
                role: Some(Role::ComplaintsOfficer),
                ..Default::default()
            },
            &Actor::system("test"),
        )
        .await
        .unwrap();
    assert_eq!(added.email, "new.starter@testshire.test");
    let one_time = added.one_time_password.expect("a one-time password");
    let reply = app
        .call_as(
            &Credentials::None,
            "POST",
            "/api/v1/session",
            Some(json!({"email": "new.starter@testshire.test", "password": one_time})),
            None,
        )
        .await
        .expect(200);
    assert_eq!(reply.body["must_change_password"], true);
    let session = reply.session();
    app.call_as(&session, "GET", "/api/v1/cases", None, None)
        .await
        .refused(403, None, "one-time password");
    app.call_as(
        &session,
        "PUT",
        "/api/v1/session/password",
        Some(json!({"current_password": one_time, "new_password": "short"})),
        None,
    )
    .await
    .refused(422, Some("new_password"), "at least 12 characters");
    app.call_as(
        &session,
        "PUT",
        "/api/v1/session/password",
        Some(json!({"current_password": "wrong wrong wrong", "new_password": "my own long passphrase"})),
        None,
    )
    .await
    .refused(422, Some("current_password"), "is not right");
    app.call_as(
        &session,
        "PUT",
        "/api/v1/session/password",
        Some(json!({"current_password": one_time, "new_password": "my own long passphrase"})),
        None,
    )
    .await
    .expect(204);
    app.call_as(&session, "GET", "/api/v1/cases", None, None)
        .await
        .expect(200);
    let stored = db
        .texts_directly(
            "SELECT password_hash FROM users WHERE email = 'new.starter@testshire.test'",
        )
        .await
        .unwrap();
    assert!(stored[0].starts_with("$argon2id$"), "argon2id at rest");
}

async fn reads_of_a_case_are_audited(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = a_case(&app).await;
    let other = a_case(&app).await;
    app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    app.get(&format!("/api/v1/cases/{other}")).await.expect(200);
    // A refused read is not a read.
    app.get("/api/v1/cases/999999").await.expect(404);

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
        .get(&format!("/api/v1/audit?organisation=testshire&case={id}"))
        .await
        .expect(200);
    let items = audit.body["items"].as_array().unwrap();
    let views: Vec<_> = items.iter().filter(|e| e["kind"] == "viewed").collect();
    assert_eq!(views.len(), 2, "{items:#?}");
    assert_eq!(views[0]["user"], "officer@testshire.test");
    assert_eq!(views[0]["case_id"], id);
    assert!(views[0]["case_reference"]
        .as_str()
        .unwrap()
        .starts_with("TCC-"));
    assert!(
        items.iter().any(|e| e["kind"] == "received"),
        "changes are there too"
    );

    // Filters: by user, and by period.
    let by_admin = app
        .get("/api/v1/audit?organisation=testshire&user=admin@testshire.test")
        .await
        .expect(200);
    assert!(by_admin.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["user"] == "admin@testshire.test"));
    let long_ago = app
        .get("/api/v1/audit?organisation=testshire&from=2001-01-01&to=2001-12-31")
        .await
        .expect(200);
    assert_eq!(long_ago.body["items"].as_array().unwrap().len(), 0);
    let today = chrono::Utc::now().date_naive();
    let page = app
        .get(&format!(
            "/api/v1/audit?organisation=testshire&from={today}&to={today}&limit=2"
        ))
        .await
        .expect(200);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    let cursor = page.body["next_cursor"].as_i64().expect("more pages");
    let next = app
        .get(&format!(
            "/api/v1/audit?organisation=testshire&limit=2&cursor={cursor}"
        ))
        .await
        .expect(200);
    assert!(next.body["items"][0]["id"].as_i64().unwrap() < cursor);

    // The CSV export holds the same entries.
    let csv = app
        .get(&format!(
            "/api/v1/audit?organisation=testshire&case={id}&format=csv"
        ))
        .await
        .expect(200);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let text = csv.body.as_str().unwrap();
    assert!(text.starts_with("id,occurred_at,kind,actor,user,case_id,case_reference"));
    assert_eq!(text.lines().filter(|l| l.contains(",viewed,")).count(), 2);

    // A log longer than the CSV's page of 5,000 comes whole, streamed page after page.
    db.execute_directly(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12001)
         INSERT INTO events (organisation_id, actor, occurred_at, kind)
         SELECT o.id, 'bulk@testshire.test', '2024-01-01 09:00:00+00:00', 'bulk_entry'
         FROM organisations o, n WHERE o.slug = 'testshire'",
    )
    .await
    .unwrap();
    let all = app
        .get("/api/v1/audit?organisation=testshire&format=csv")
        .await
        .expect(200);
    let text = all.body.as_str().unwrap();
    assert_eq!(
        text.lines().filter(|l| l.contains(",bulk_entry,")).count(),
        12001
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("id,occurred_at"))
            .count(),
        1,
        "one header line"
    );

    // The case's own history shows changes, not reads.
    let events = app.get(&format!("/api/v1/cases/{id}/events")).await;
    let events = events.body.as_array().cloned().unwrap_or_default();
    assert!(events.iter().all(|e| e["kind"] != "viewed"));

    // Nothing in the API changes or deletes an audit entry.
    for method in ["PUT", "PATCH", "DELETE", "POST"] {
        let reply = app
            .call(method, "/api/v1/audit?organisation=testshire", None, None)
            .await;
        assert_eq!(reply.status.as_u16(), 405, "{method} /audit");
    }
}

async fn a_disabled_user_is_shut_out(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = a_case(&app).await;
    let (bearer, _) = officer_token(&app, "x").await;
    let session = app.session_for("officer@testshire.test").await;
    // Both work first, so the server has checked (and briefly remembers) them.
    app.call_as(&session, "GET", &format!("/api/v1/cases/{id}"), None, None)
        .await
        .expect(200);
    app.call_as(&bearer, "GET", &format!("/api/v1/cases/{id}"), None, None)
        .await
        .expect(200);
    app.accounts
        .disable_user("officer@testshire.test", &Actor::system("test"))
        .await
        .unwrap();
    app.call_as(&session, "GET", &format!("/api/v1/cases/{id}"), None, None)
        .await
        .expect(401);
    app.call_as(&bearer, "GET", &format!("/api/v1/cases/{id}"), None, None)
        .await
        .expect(401);
    app.call_as(
        &Credentials::None,
        "POST",
        "/api/v1/session",
        Some(json!({"email": "officer@testshire.test", "password": PASSWORD})),
        None,
    )
    .await
    .refused(401, None, "not right");
}

async fn every_response_carries_the_security_headers(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let id = a_case(&app).await;
    let replies = [
        app.get(&format!("/api/v1/cases/{id}")).await.expect(200),
        app.get("/api/v1/cases/999999").await.expect(404),
        app.call_as(&Credentials::None, "GET", "/api/v1/cases", None, None)
            .await
            .expect(401),
        app.get("/api/v1/openapi.json").await.expect(200),
        app.get("/api/v1/docs").await.expect(200),
        app.get("/api/v1/nothing-here").await.expect(404),
        app.get("/api/v1/organisations/testshire/reports/2024?format=html")
            .await
            .expect(200),
    ];
    for reply in replies {
        let headers = &reply.headers;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let script = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src") || d.starts_with("default-src"))
            .unwrap();
        assert!(
            !csp.contains("script-src 'unsafe-inline'") && !script.contains("unsafe"),
            "{csp}"
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    }
}

async fn a_user_in_two_organisations_has_each_role_apart(db: &TestDatabase) {
    let app = App::start(db).await;
    app.post(
        "/api/v1/organisations",
        json!({"slug": "otherton", "name": "Otherton Council", "reference_prefix": "OTC"}),
    )
    .await
    .expect(201);
    app.seed().await;
    let here = a_case(&app).await;
    app.add_user(
        "officer@otherton.test",
        Some("otherton"),
        Some(Role::ComplaintsOfficer),
        &[],
        false,
    )
    .await;
    app.sign_in_as("officer@otherton.test").await;
    let there = app
        .post(
            "/api/v1/cases",
            json!({"organisation": "otherton", "procedure": "statutory", "received_on": "2024-05-01",
                   "channel": "web", "complainant_role": "parent"}),
        )
        .await
        .expect(201)
        .id();
    // The testshire officer is also a viewer in otherton.
    app.add_user(
        "officer@testshire.test",
        Some("otherton"),
        Some(Role::Viewer),
        &[],
        false,
    )
    .await;
    app.sign_in_as("officer@testshire.test").await;
    let mine = app.get("/api/v1/organisations").await.expect(200);
    let slugs: Vec<&str> = mine
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["otherton", "testshire"]);
    app.get(&format!("/api/v1/cases/{here}")).await.expect(200);
    app.get(&format!("/api/v1/cases/{there}")).await.expect(404);
    let listed = app.get("/api/v1/cases").await.expect(200);
    let ids: Vec<i64> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        [here],
        "only the organisation where they are an officer"
    );
    app.get("/api/v1/organisations/otherton/reports/2024")
        .await
        .expect(200);
    app.get("/api/v1/cases?organisation=otherton")
        .await
        .expect(403);
    // A token for otherton reaches otherton only, as a viewer.
    let token = app
        .post(
            "/api/v1/tokens",
            json!({"organisation": "otherton", "role": "viewer", "name": "o"}),
        )
        .await
        .expect(201);
    let bearer = Credentials::Token(token.body["token"].as_str().unwrap().into());
    app.call_as(&bearer, "GET", &format!("/api/v1/cases/{here}"), None, None)
        .await
        .expect(404);
    app.call_as(
        &bearer,
        "GET",
        "/api/v1/organisations/testshire/reports/2024",
        None,
        None,
    )
    .await
    .expect(404);
}

on_both_backends!(a_password_change_ends_the_other_sessions_and_tokens);

/// Issue 23: a password change left the account's other sessions and tokens working, so
/// whoever had learnt the old password kept their way in.
async fn a_password_change_ends_the_other_sessions_and_tokens(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let (token, _) = officer_token(&app, "nightly export").await;
    let elsewhere = app.session_for("officer@testshire.test").await;
    let here = app.session_for("officer@testshire.test").await;
    for credentials in [&token, &elsewhere, &here] {
        app.call_as(credentials, "GET", "/api/v1/cases", None, None)
            .await
            .expect(200);
    }
    app.call_as(
        &here,
        "PUT",
        "/api/v1/session/password",
        Some(json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"})),
        None,
    )
    .await
    .expect(204);
    app.call_as(&here, "GET", "/api/v1/cases", None, None)
        .await
        .expect(200);
    app.call_as(&elsewhere, "GET", "/api/v1/cases", None, None)
        .await
        .expect(401);
    app.call_as(&token, "GET", "/api/v1/cases", None, None)
        .await
        .expect(401);
}
