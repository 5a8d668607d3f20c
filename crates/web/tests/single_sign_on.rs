//! Signing in with the council's identity provider, at the protocol level: a provider of our
//! own on loopback (discovery, keys, a token endpoint) answers each sign-in with an ID token
//! made for the case in hand. A good token opens a Redress session; a tampered token, a wrong
//! audience, an expired token, a replayed `state`, a wrong `nonce`, an unverified email and an
//! unknown person are each refused, and no session is made.

mod common;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use common::{App, Credentials};
use openidconnect::core::{CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{JsonWebKeyId, PrivateSigningKey};
use redress_accounts::oidc::{MatchClaim, OidcProvider, OidcSettings};
use redress_store::Store;
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CLIENT_ID: &str = "redress-test";
const KEY: &str = include_str!("fixtures/oidc-test-signing-key.pem");

/// What the provider puts in the next ID token, and how it spoils it.
#[derive(Clone, Default)]
struct NextToken {
    claims: Value,
    tamper: bool,
}

#[derive(Clone)]
struct Provider {
    base: String,
    next: Arc<Mutex<NextToken>>,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn signing_key() -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(KEY, Some(JsonWebKeyId::new("test-key".into()))).unwrap()
}

/// An RS256 JWT of `claims`, signed with the test key; with `tamper`, its payload is changed
/// after signing.
fn id_token(claims: &Value, tamper: bool) -> String {
    let header = b64(br#"{"alg":"RS256","kid":"test-key","typ":"JWT"}"#);
    let payload = b64(claims.to_string().as_bytes());
    let signed = format!("{header}.{payload}");
    let signature = signing_key()
        .sign(
            &CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            signed.as_bytes(),
        )
        .unwrap();
    let payload = if tamper {
        let mut changed = claims.clone();
        changed["email"] = "admin@testshire.test".into();
        b64(changed.to_string().as_bytes())
    } else {
        payload
    };
    format!("{header}.{payload}.{}", b64(&signature))
}

async fn discovery(State(p): State<Provider>) -> Json<Value> {
    Json(json!({
        "issuer": p.base,
        "authorization_endpoint": format!("{}/authorize", p.base),
        "token_endpoint": format!("{}/token", p.base),
        "jwks_uri": format!("{}/jwks", p.base),
        "end_session_endpoint": format!("{}/logout", p.base),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks() -> Json<Value> {
    use openidconnect::core::CoreJsonWebKey;
    let key: CoreJsonWebKey = signing_key().as_verification_key();
    Json(json!({ "keys": [key] }))
}

async fn token(State(p): State<Provider>) -> Json<Value> {
    let next = p.next.lock().unwrap().clone();
    Json(json!({
        "access_token": "not-kept",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token(&next.claims, next.tamper),
    }))
}

async fn start_provider() -> Provider {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let provider = Provider {
        base: format!("http://{}", listener.local_addr().unwrap()),
        next: Arc::default(),
    };
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/token", post(token))
        .with_state(provider.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    provider
}

async fn app_with(db: &TestDatabase, provider: &Provider) -> App {
    let settings = OidcSettings {
        issuer: provider.base.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: Some("secret".into()),
        redirect_url: "http://127.0.0.1/sign-in/oidc/callback".into(),
        match_claim: MatchClaim::Email,
        roles_claim: Some("groups".into()),
        clock_skew: Duration::from_secs(120),
    };
    let oidc = OidcProvider::discover(settings).await.expect("discovery");
    let auth = redress_web::AuthSettings {
        oidc: Some(Arc::new(oidc)),
        ..Default::default()
    };
    let app = App::on_store_with(Store::connect(&db.url).await.unwrap(), auth);
    app.add_user("operator@redress.test", None, None, &[], true)
        .await;
    app.sign_in_as("operator@redress.test").await;
    app.seed().await;
    *app.credentials.lock().unwrap() = Credentials::None;
    app
}

/// Starts a sign-in: the redirect to the provider, and its `state` and `nonce`.
async fn begin(app: &App) -> (String, String) {
    let reply = app.get("/sign-in/oidc?next=/cases").await;
    assert_eq!(reply.status.as_u16(), 303, "{:?}", reply.body);
    let location = reply.headers["location"].to_str().unwrap().to_string();
    let url = url::Url::parse(&location).unwrap();
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| panic!("no {name} in {location}"))
    };
    assert_eq!(param("client_id"), CLIENT_ID);
    assert_eq!(param("code_challenge_method"), "S256");
    assert!(!param("code_challenge").is_empty());
    (param("state"), param("nonce"))
}

fn claims(provider: &Provider, nonce: &str, email: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "iss": provider.base, "aud": CLIENT_ID, "sub": format!("sub-{email}"),
        "email": email, "email_verified": true, "nonce": nonce,
        "iat": now, "exp": now + 300,
    })
}

async fn come_back(app: &App, state: &str) -> common::Reply {
    app.get(&format!(
        "/sign-in/oidc/callback?code=the-code&state={state}"
    ))
    .await
}

fn session_cookie(reply: &common::Reply) -> Option<String> {
    reply
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap().to_string())
        .filter(|v| !v.ends_with('='))
}

async fn refused(app: &App, provider: &Provider, change: impl FnOnce(&mut NextToken), status: u16) {
    let (state, nonce) = begin(app).await;
    let mut next = NextToken {
        claims: claims(provider, &nonce, "officer@testshire.test"),
        tamper: false,
    };
    change(&mut next);
    *provider.next.lock().unwrap() = next;
    let reply = come_back(app, &state).await;
    assert_eq!(reply.status.as_u16(), status, "{:?}", reply.body);
    assert!(session_cookie(&reply).is_none(), "no session is made");
}

on_both_backends!(a_council_account_signs_in_and_every_bad_answer_is_refused);
on_both_backends!(groups_give_roles_at_each_sign_in_and_losing_one_takes_the_role_away);
on_both_backends!(passwords_turned_off_admit_only_break_glass_accounts);

/// Signs in through the provider as `email` in `groups`; answers the session's credentials.
async fn sign_in_through_provider(
    app: &App,
    provider: &Provider,
    email: &str,
    groups: &[&str],
) -> Credentials {
    let (state, nonce) = begin(app).await;
    let mut token = claims(provider, &nonce, email);
    token["groups"] = json!(groups);
    *provider.next.lock().unwrap() = NextToken {
        claims: token,
        tamper: false,
    };
    let reply = come_back(app, &state).await;
    assert_eq!(reply.status.as_u16(), 303, "{:?}", reply.body);
    let cookie = session_cookie(&reply).expect("a session");
    // The CSRF token comes with the session, from the API.
    let request = axum::http::Request::get("/api/v1/session")
        .header("cookie", &cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let me = app.send(request).await;
    Credentials::Session {
        cookie,
        csrf: me.body["csrf_token"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    }
}

async fn admin(app: &App) -> Credentials {
    app.add_user(
        "admin@testshire.test",
        Some("testshire"),
        Some(redress_store::Role::Admin),
        &[],
        false,
    )
    .await;
    app.session_for("admin@testshire.test").await
}

async fn groups_give_roles_at_each_sign_in_and_losing_one_takes_the_role_away(db: &TestDatabase) {
    let provider = start_provider().await;
    let app = app_with(db, &provider).await;
    let admin = admin(&app).await;
    app.call_as(
        &admin,
        "PUT",
        "/api/v1/organisations/testshire/sign-in-policy",
        Some(
            json!({"group_roles": {"g-complaints": "complaints_officer", "g-all-staff": "viewer"}}),
        ),
        None,
    )
    .await
    .expect(200);
    // Someone with an account here, as a viewer for now.
    app.add_user(
        "newcomer@testshire.test",
        Some("testshire"),
        Some(redress_store::Role::Viewer),
        &[],
        false,
    )
    .await;

    let newcomer = sign_in_through_provider(
        &app,
        &provider,
        "newcomer@testshire.test",
        &["g-all-staff", "g-complaints"],
    )
    .await;
    app.call_as(
        &newcomer,
        "GET",
        "/api/v1/cases?organisation=testshire",
        None,
        None,
    )
    .await
    .expect(200);

    // Taken out of the complaints group at the provider: a viewer at the next sign-in.
    let newcomer =
        sign_in_through_provider(&app, &provider, "newcomer@testshire.test", &["g-all-staff"])
            .await;
    app.call_as(
        &newcomer,
        "GET",
        "/api/v1/cases?organisation=testshire",
        None,
        None,
    )
    .await
    .expect(403);
    app.call_as(
        &newcomer,
        "GET",
        "/api/v1/organisations/testshire/reports/2026?format=json",
        None,
        None,
    )
    .await
    .expect(200);
    // In none of the groups: no role here at all.
    let newcomer = sign_in_through_provider(&app, &provider, "newcomer@testshire.test", &[]).await;
    app.call_as(
        &newcomer,
        "GET",
        "/api/v1/organisations/testshire/reports/2026?format=json",
        None,
        None,
    )
    .await
    .expect(404);
    let changes = db
        .texts_directly(
            "SELECT kind FROM events WHERE actor = 'identity provider groups' ORDER BY id",
        )
        .await
        .unwrap();
    assert_eq!(
        changes,
        ["membership_set", "membership_set", "membership_removed"]
    );
}

async fn passwords_turned_off_admit_only_break_glass_accounts(db: &TestDatabase) {
    let provider = start_provider().await;
    let app = app_with(db, &provider).await;
    let admin = admin(&app).await;
    let policy = "/api/v1/organisations/testshire/sign-in-policy";
    app.call_as(
        &admin,
        "PUT",
        policy,
        Some(json!({"break_glass": ["not an address"]})),
        None,
    )
    .await
    .refused(422, Some("break_glass[0]"), "");
    app.call_as(
        &admin,
        "PUT",
        policy,
        Some(json!({"passwords": false})),
        None,
    )
    .await
    .refused(422, Some("passwords"), "");
    // The admin page's form: a line that is not `group = role` is refused, naming the line.
    let Credentials::Session { csrf, .. } = &admin else {
        unreachable!()
    };
    let form = "/admin/testshire/sign-in-policy";
    let refused = app
        .form_as(
            &admin,
            form,
            &[
                ("_csrf", csrf),
                ("passwords", "no"),
                ("break-glass", "Admin@Testshire.test"),
                ("group-roles", "g-1 = boss"),
            ],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    assert!(refused
        .body
        .as_str()
        .unwrap()
        .contains("Line 1 is not a group = role"));
    let saved = app
        .form_as(
            &admin,
            form,
            &[
                ("_csrf", csrf),
                ("passwords", "no"),
                ("break-glass", "Admin@Testshire.test"),
                ("group-roles", ""),
            ],
        )
        .await;
    assert_eq!(saved.status.as_u16(), 303, "{:?}", saved.body);
    let saved = app
        .call_as(&admin, "GET", policy, None, None)
        .await
        .expect(200);
    assert_eq!(saved.body["password_sign_in"], false);
    assert_eq!(saved.body["break_glass"], json!(["admin@testshire.test"]));

    // The officer's right password is refused, and they are told how to sign in.
    app.call_as(
        &Credentials::None,
        "POST",
        "/api/v1/session",
        Some(json!({"email": "officer@testshire.test", "password": common::PASSWORD})),
        None,
    )
    .await
    .refused(403, None, "council account");
    let page = app
        .form_as(
            &Credentials::None,
            "/sign-in",
            &[
                ("email", "officer@testshire.test"),
                ("password", common::PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(page.status.as_u16(), 403);
    assert!(page
        .body
        .as_str()
        .unwrap()
        .contains("signs in with your council account"));
    // The break-glass administrator still can, and the officer can through the provider.
    app.session_for("admin@testshire.test").await;
    sign_in_through_provider(&app, &provider, "officer@testshire.test", &[]).await;
}

async fn a_council_account_signs_in_and_every_bad_answer_is_refused(db: &TestDatabase) {
    let provider = start_provider().await;
    let app = app_with(db, &provider).await;
    let sessions_before = db
        .texts_directly("SELECT CAST(COUNT(*) AS TEXT) FROM sessions")
        .await
        .unwrap();

    // The sign-in page offers the council account first.
    let page = app.get("/sign-in").await;
    let html = page.body.as_str().unwrap_or_default();
    assert!(html.contains("Sign in with your council account"), "{html}");

    refused(&app, &provider, |n| n.tamper = true, 401).await;
    refused(
        &app,
        &provider,
        |n| n.claims["aud"] = "another-app".into(),
        401,
    )
    .await;
    refused(
        &app,
        &provider,
        |n| {
            let long_ago = chrono::Utc::now().timestamp() - 3600;
            n.claims["exp"] = long_ago.into();
            n.claims["iat"] = (long_ago - 300).into();
        },
        401,
    )
    .await;
    refused(
        &app,
        &provider,
        |n| n.claims["nonce"] = "not-the-nonce".into(),
        401,
    )
    .await;
    refused(
        &app,
        &provider,
        |n| n.claims["iss"] = "http://127.0.0.1:1".into(),
        401,
    )
    .await;
    // A provider that does not vouch for the address, or a person Redress does not know.
    refused(
        &app,
        &provider,
        |n| n.claims["email_verified"] = false.into(),
        403,
    )
    .await;
    refused(
        &app,
        &provider,
        |n| n.claims["email"] = "stranger@testshire.test".into(),
        403,
    )
    .await;
    let refusals = db
        .texts_directly("SELECT actor FROM events WHERE kind = 'sign_in_refused'")
        .await
        .unwrap();
    assert!(
        refusals.iter().any(|a| a == "stranger@testshire.test"),
        "the refusal is audited: {refusals:?}"
    );
    let sessions = db
        .texts_directly("SELECT CAST(COUNT(*) AS TEXT) FROM sessions")
        .await
        .unwrap();
    assert_eq!(sessions, sessions_before, "no refusal made a session");

    // A good answer opens a Redress session for the officer, and goes where they were going.
    let (state, nonce) = begin(&app).await;
    *provider.next.lock().unwrap() = NextToken {
        claims: claims(&provider, &nonce, "Officer@Testshire.test"),
        tamper: false,
    };
    let reply = come_back(&app, &state).await;
    assert_eq!(reply.status.as_u16(), 303, "{:?}", reply.body);
    assert_eq!(reply.headers["location"], "/cases");
    let cookie = session_cookie(&reply).expect("a session");
    let request = axum::http::Request::get("/api/v1/session")
        .header("cookie", &cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let me = app.send(request).await;
    assert_eq!(me.status.as_u16(), 200);
    assert_eq!(me.body["email"], "officer@testshire.test");

    // The same state again (a replayed answer) is refused.
    let replay = come_back(&app, &state).await;
    assert_eq!(replay.status.as_u16(), 400);
    assert!(session_cookie(&replay).is_none());
}
