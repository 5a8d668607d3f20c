//! The whole app through its router, on a fresh database.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use redress_accounts::{Accounts, NewUser};
use redress_store::{Actor, Role, Store};
use redress_testkit::TestDatabase;
use serde_json::{json, Value};
use std::sync::Mutex;
use tower::ServiceExt;

/// Every test user's password.
pub const PASSWORD: &str = "a long test passphrase";

/// How a request proves who sends it.
#[derive(Debug, Clone)]
pub enum Credentials {
    None,
    Session { cookie: String, csrf: String },
    Token(String),
}

pub struct App {
    pub router: Router,
    pub store: Store,
    /// The router's own accounts, so that what a test does to them is what the app sees.
    pub accounts: Accounts,
    /// Sent with every request made through `call`.
    pub credentials: Mutex<Credentials>,
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn etag(&self) -> i64 {
        self.headers
            .get(header::ETAG)
            .expect("an ETag")
            .to_str()
            .unwrap()
            .trim_matches('"')
            .parse()
            .unwrap()
    }

    pub fn id(&self) -> i64 {
        self.body["id"].as_i64().expect("an id")
    }

    /// The session a successful sign-in reply opened: its cookie and CSRF token.
    pub fn session(&self) -> Credentials {
        let cookie = self
            .headers
            .get(header::SET_COOKIE)
            .expect("a session cookie")
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        Credentials::Session {
            cookie,
            csrf: self.body["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    /// Asserts the status, printing the body when it is wrong.
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected reply: {:#}",
            self.body
        );
        self
    }

    /// Asserts a problem+json refusal naming `field` (or none) with `detail` containing text.
    pub fn refused(self, status: u16, field: Option<&str>, detail: &str) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected reply: {:#}",
            self.body
        );
        assert_eq!(
            self.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/problem+json"
        );
        assert_eq!(
            self.body["field"].as_str(),
            field,
            "field of {:#}",
            self.body
        );
        let text = self.body["detail"].as_str().unwrap_or_default();
        assert!(text.contains(detail), "expected {detail:?} in {text:?}");
        self
    }
}

/// Adds what proves who sends a request: the session's cookie and CSRF token, or a bearer token.
fn with_credentials(
    request: axum::http::request::Builder,
    credentials: &Credentials,
) -> axum::http::request::Builder {
    match credentials {
        Credentials::None => request,
        Credentials::Session { cookie, csrf } => request
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", csrf),
        Credentials::Token(token) => {
            request.header(header::AUTHORIZATION, format!("Bearer {token}"))
        }
    }
}

impl App {
    /// The app, signed in as a system administrator (who can set up organisations).
    pub async fn start(db: &TestDatabase) -> App {
        let app = App::restart(db).await;
        app.add_user("operator@redress.test", None, None, &[], true)
            .await;
        app.sign_in_as("operator@redress.test").await;
        app
    }

    /// The app on a database another app made, as after a restart (migrations and start-up
    /// work run again), signed in as nobody yet.
    pub async fn restart(db: &TestDatabase) -> App {
        App::on_store(Store::connect(&db.url).await.expect("store opens"))
    }

    /// The app on `store`, signed in as nobody yet.
    pub fn on_store(store: Store) -> App {
        App::on_store_with(store, redress_web::AuthSettings::default())
    }

    /// The app on `store` with these sign-in settings, signed in as nobody yet.
    pub fn on_store_with(store: Store, auth: redress_web::AuthSettings) -> App {
        let accounts = Accounts::new(store.clone());
        App {
            router: redress_web::router_for(
                accounts.clone(),
                auth,
                redress_calendar::Clock::system(),
            ),
            accounts,
            store,
            credentials: Mutex::new(Credentials::None),
        }
    }

    /// A failed message in the organisation's outbox, for resending; answers its id.
    pub async fn failed_message(&self, db: &TestDatabase, slug: &str) -> i64 {
        let organisation = self.store.organisation(slug).await.unwrap();
        self.store
            .queue(&[redress_store::NewMessage {
                organisation_id: organisation.id,
                kind: redress_core::MessageKind::Digest,
                recipient: Some("someone@testshire.test".into()),
                subject: "Digest".into(),
                body: "Due this week".into(),
                case_id: None,
                dedupe_key: None,
                attachment_id: None,
            }])
            .await
            .unwrap();
        db.execute_directly("UPDATE outbox SET status = 'failed' WHERE status = 'queued'")
            .await
            .unwrap();
        let outbox = self
            .store
            .outbox(&redress_store::Access::System, slug)
            .await
            .unwrap();
        outbox[0].id
    }

    /// Adds a user with the test password, straight through the store.
    pub async fn add_user(
        &self,
        email: &str,
        organisation: Option<&str>,
        role: Option<Role>,
        teams: &[&str],
        system_admin: bool,
    ) {
        let new = NewUser {
            email: email.into(),
            display_name: None,
            organisation: organisation.map(Into::into),
            role,
            teams: teams.iter().map(|t| t.to_string()).collect(),
            password: Some(PASSWORD.into()),
            system_admin,
        };
        self.accounts
            .add_user(&new, &Actor::system("test"))
            .await
            .expect("user added");
    }

    /// Signs in through the API; returns the session's credentials without using them.
    pub async fn session_for(&self, email: &str) -> Credentials {
        let reply = self
            .call_as(
                &Credentials::None,
                "POST",
                "/api/v1/session",
                Some(json!({"email": email, "password": PASSWORD})),
                None,
            )
            .await
            .expect(200);
        reply.session()
    }

    /// Testshire's information governance officer (`governance@testshire.test`), added if need
    /// be; answers their credentials without using them.
    pub async fn governance(&self) -> Credentials {
        let email = "governance@testshire.test";
        if self
            .accounts
            .account_by_email(email)
            .await
            .ok()
            .flatten()
            .is_none()
        {
            self.add_user(
                email,
                Some("testshire"),
                Some(Role::InformationGovernance),
                &[],
                false,
            )
            .await;
        }
        self.session_for(email).await
    }

    /// Signs in and makes every later `call` as that user.
    pub async fn sign_in_as(&self, email: &str) {
        let credentials = self.session_for(email).await;
        *self.credentials.lock().unwrap() = credentials;
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        if_match: Option<i64>,
    ) -> Reply {
        let credentials = self.credentials.lock().unwrap().clone();
        self.call_as(&credentials, method, path, body, if_match)
            .await
    }

    pub async fn call_as(
        &self,
        credentials: &Credentials,
        method: &str,
        path: &str,
        body: Option<Value>,
        if_match: Option<i64>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        request = with_credentials(request, credentials);
        if let Some(version) = if_match {
            request = request.header(header::IF_MATCH, format!("\"{version}\""));
        }
        let request = match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Posts a form (application/x-www-form-urlencoded) as a browser would.
    pub async fn form_as(
        &self,
        credentials: &Credentials,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let mut request = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Credentials::Session { cookie, .. } = credentials {
            request = request.header(header::COOKIE, cookie);
        }
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Uploads a file through the API as multipart/form-data, the part named `file`.
    pub async fn upload_as(
        &self,
        credentials: &Credentials,
        path: &str,
        name: &str,
        content: &[u8],
    ) -> Reply {
        let mut request = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ");
        request = with_credentials(request, credentials);
        let mut body = format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n--XyZ--\r\n");
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Sends `body` as it is, of `content_type`.
    pub async fn raw_as(
        &self,
        credentials: &Credentials,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type);
        let request = with_credentials(request, credentials);
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Uploads a file as the signed-in user.
    pub async fn upload(&self, path: &str, name: &str, content: &[u8]) -> Reply {
        let credentials = self.credentials.lock().unwrap().clone();
        self.upload_as(&credentials, path, name, content).await
    }

    /// Sends a request as it is.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call("GET", path, None, None).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.call("PUT", path, Some(body), None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call("POST", path, Some(body), None).await
    }

    pub async fn transition(&self, id: i64, version: i64, body: Value) -> Reply {
        self.call(
            "POST",
            &format!("/api/v1/cases/{id}/transitions"),
            Some(body),
            Some(version),
        )
        .await
    }

    /// Applies a transition that must succeed; returns the new version.
    pub async fn step(&self, id: i64, version: i64, body: Value) -> i64 {
        self.transition(id, version, body).await.expect(200).etag()
    }

    /// An organisation `testshire` with two teams and two reasons, set up by the operator;
    /// then signs in as its complaints officer, `officer@testshire.test`.
    pub async fn seed(&self) {
        self.post(
            "/api/v1/organisations",
            json!({"slug": "testshire", "name": "Testshire County Council", "reference_prefix": "TCC"}),
        )
        .await
        .expect(201);
        for team in ["Access & Assessment Team", "Fostering and Adoption Team"] {
            self.post(
                "/api/v1/organisations/testshire/teams",
                json!({"name": team}),
            )
            .await
            .expect(204);
        }
        for reason in ["Failure or refusal to provide a service", "Communication"] {
            self.post(
                "/api/v1/organisations/testshire/reasons",
                json!({"name": reason}),
            )
            .await
            .expect(204);
        }
        self.add_user(
            "officer@testshire.test",
            Some("testshire"),
            Some(Role::ComplaintsOfficer),
            &[],
            false,
        )
        .await;
        self.sign_in_as("officer@testshire.test").await;
    }

    pub async fn new_case(&self, procedure: &str, received_on: &str) -> Reply {
        self.post(
            "/api/v1/cases",
            json!({
                "organisation": "testshire",
                "procedure": procedure,
                "received_on": received_on,
                "channel": "email",
                "complainant_role": "parent",
                "team": "Access & Assessment Team",
                "reason": "Communication",
                "personal": {"summary": "Late reply to a letter about contact arrangements"}
            }),
        )
        .await
    }

    /// A case acknowledged and at Stage 1; returns (id, version).
    pub async fn at_stage1(&self, procedure: &str, received_on: &str) -> (i64, i64) {
        let created = self.new_case(procedure, received_on).await.expect(201);
        let id = created.id();
        let v = self
            .step(
                id,
                created.etag(),
                json!({"transition": "acknowledge", "on": received_on}),
            )
            .await;
        let v = self.step(id, v, json!({"transition": "open_stage1"})).await;
        (id, v)
    }
}
