//! Every route the router answers, walked from its own table (`redress_web::route_table`), with
//! out-of-range, wrong-type and unknown values in each path, query, form and JSON parameter.
//! No answer may be a 5xx, and every 400 or 422 must name the field at fault. A route added to
//! the router without an entry here fails the test.

mod common;

use axum::body::Body;
use axum::http::{header, Request};
use common::{App, Credentials};
use redress_store::Role;
use redress_testkit::TestDatabase;
use serde_json::{json, Value};

/// Values no parameter should choke on.
fn hostile_texts() -> Vec<String> {
    vec![
        String::new(),
        "-1".into(),
        "0".into(),
        "99999999999999999999".into(),
        "300000".into(),
        "zzz".into(),
        "2020-02-30".into(),
        "\u{0}".into(),
        "../../etc/passwd".into(),
        "<script>alert(1)</script>".into(),
        "x".repeat(5000),
    ]
}

fn hostile_json() -> Vec<Value> {
    vec![
        Value::Null,
        json!(-1),
        json!(1e300),
        json!(99999999999999999999u128 as f64),
        json!("zzz"),
        json!("2020-02-30"),
        json!([]),
        json!({}),
        json!(true),
        json!("x".repeat(5000)),
    ]
}

/// Where a route's parameters go, beyond those in its path.
enum Params {
    /// Query parameters of a page, each with a good value sent while another is varied.
    Query(&'static [(&'static str, &'static str)]),
    /// Form fields of a page's form, likewise (the CSRF token is added).
    Form(&'static [(&'static str, &'static str)]),
    /// An API operation: its query parameters and JSON body come from the OpenAPI document.
    Api,
    /// A multipart upload.
    Upload,
    /// A raw email message (the mail gate).
    RawMail,
}

/// Messages a mail server might hand in: empty, not mail, broken MIME, unknown charsets, NUL
/// bytes, a huge header, deep nesting. None may cause a 5xx; a refusal names `message`.
fn hostile_messages() -> Vec<Vec<u8>> {
    let mut nested = String::from("From: a@example.org\r\nMessage-ID: <nest@x>\r\n");
    for depth in 0..200 {
        nested.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{depth}\"\r\n\r\n--b{depth}\r\n"
        ));
    }
    nested.push_str("\r\ninnermost\r\n");
    let mut messages: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"garbage with no header".to_vec(),
        b"From: <>\r\n\r\nno address".to_vec(),
        b"From: a@example.org\0\r\nSubject: \0\0\r\n\r\n\0body\0".to_vec(),
        b"From: a@example.org\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x!!!not base64".to_vec(),
        b"From: a@example.org\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n\xff\xfe\xc3\x28 bytes".to_vec(),
        b"From: a@example.org\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@example.org\r\nContent-Type: message/rfc822\r\n\r\n".to_vec(),
        nested.into_bytes(),
    ];
    let mut huge = b"From: a@example.org\r\nSubject: ".to_vec();
    huge.extend(std::iter::repeat_n(b'x', 1024 * 1024));
    huge.extend_from_slice(b"\r\n\r\nbody");
    messages.push(huge);
    messages
}

/// Every route, by method and template: how to reach it with real ids, and what it takes.
fn entry(method: &str, template: &str) -> Option<Params> {
    use Params::*;
    Some(match (method, template) {
        ("GET", "/") => Query(&[]),
        ("GET", "/sign-in") => Query(&[("next", "")]),
        ("POST", "/sign-in") => Form(&[
            ("email", "officer@testshire.test"),
            ("password", "a long test passphrase"),
            ("next", ""),
        ]),
        ("POST", "/sign-out") => Form(&[]),
        ("GET", "/sign-in/oidc") => Query(&[("next", "")]),
        ("GET", "/sign-in/oidc/callback") => Query(&[
            ("code", "c"),
            ("state", "s"),
            ("error", ""),
            ("error_description", ""),
        ]),
        ("GET", "/password") => Query(&[]),
        ("POST", "/password") => Form(&[("current_password", ""), ("new_password", "")]),
        ("GET", "/cases") => Query(&[
            ("q", ""),
            ("reference", ""),
            ("status", ""),
            ("stage", ""),
            ("team", ""),
            ("due", ""),
            ("sort", ""),
            ("page", ""),
        ]),
        ("GET", "/cases/new") => Query(&[]),
        ("POST", "/cases/new") => Form(&[
            ("organisation", "testshire"),
            ("procedure", "statutory"),
            ("received_on", "2024-05-02"),
            ("matter_arose_on", ""),
            ("channel", "email"),
            ("complainant_role", "parent"),
            ("team", ""),
            ("reason", ""),
            ("complainant_name", ""),
            ("contact_email", ""),
            ("contact_phone", ""),
            ("contact_address", ""),
            ("children", ""),
            ("summary", "A complaint"),
            ("outcome_wanted", ""),
            ("child_complained", ""),
            ("advocacy_offered", ""),
        ]),
        ("GET", "/cases/{id}") => Query(&[("done", "")]),
        ("POST", "/cases/{id}/actions/{action}") => Form(&[
            ("version", ""),
            ("on", ""),
            ("reason", ""),
            ("outcome", ""),
            ("days", ""),
            ("to", ""),
            ("members", ""),
            ("chair", ""),
            ("investigating_officer", ""),
            ("independent_person", ""),
            ("decision", ""),
            ("note-text", ""),
        ]),
        ("POST", "/cases/{id}/attachments") => Upload,
        ("GET", "/cases/{id}/attachments/{attachment}") => Query(&[]),
        ("GET", "/cases/{id}/letter") => Query(&[("kind", "")]),
        ("POST", "/cases/{id}/letter") => Form(&[("kind", "withdrawal"), ("body", "")]),
        ("GET", "/admin/{slug}/letters/{kind}") => Query(&[]),
        ("POST", "/admin/{slug}/letters/{kind}") => Form(&[("body", "")]),
        ("GET", "/actions") => Query(&[("done", "")]),
        ("GET", "/compliments") => Query(&[]),
        ("POST", "/compliments") => Form(&[
            ("organisation", "testshire"),
            ("received_on", "2024-05-02"),
            ("team", ""),
            ("summary", "A complaint"),
            ("consent", ""),
            ("published_quotation", ""),
        ]),
        ("GET", "/reports") => Query(&[("organisation", "testshire"), ("year", "2024")]),
        ("GET", "/reports/download") => Query(&[
            ("organisation", "testshire"),
            ("year", "2024"),
            ("quarter", ""),
            ("format", "json"),
        ]),
        ("POST", "/reports/narrative") => Form(&[
            ("organisation", "testshire"),
            ("year", "2024"),
            ("section-learning", "Text"),
        ]),
        ("GET", "/admin") => Query(&[("organisation", "testshire")]),
        ("POST", "/admin/{slug}/users") => Form(&[
            ("user-email", "new@testshire.test"),
            ("user-role", "viewer"),
            ("user-team", ""),
        ]),
        ("POST", "/admin/{slug}/users/remove") => Form(&[("email", "officer@testshire.test")]),
        ("POST", "/admin/{slug}/teams") => Form(&[("team-name", "Team X")]),
        ("POST", "/admin/{slug}/procedures") => Form(&[
            ("procedure-statutory", "yes"),
            ("procedure-corporate", "yes"),
            ("procedure-lgsco-code", ""),
        ]),
        ("POST", "/admin/{slug}/reasons") => Form(&[("reason-name", "Reason X")]),
        ("POST", "/admin/{slug}/sign-in-policy") => Form(&[
            ("passwords", "yes"),
            ("break-glass", ""),
            ("group-roles", ""),
        ]),
        ("POST", "/admin/{slug}/retention") => Form(&[
            ("retention-statutory", "6"),
            ("retention-corporate", "6"),
            ("retention-compliments", "2"),
        ]),
        ("GET", "/admin/{slug}/retention/approval") => Query(&[]),
        ("POST", "/admin/{slug}/retention/approval") => Form(&[
            ("approved-on", "2026-01-05"),
            ("approved-by", "IG Board"),
            ("confirm-erasures", "0"),
        ]),
        ("POST", "/admin/{slug}/retention/off") => Form(&[]),
        ("POST", "/admin/{slug}/closures") => {
            Form(&[("closure-date", "2024-12-27"), ("closure-label", "Closed")])
        }
        ("POST", "/admin/{slug}/calendar") => Upload,
        ("GET", "/admin/{slug}/outbox") => Query(&[]),
        ("POST", "/admin/{slug}/outbox/{id}/resend") => Form(&[]),
        ("GET", "/organisations/{slug}/subject-access") => Query(&[("q", "")]),
        ("POST", "/organisations/{slug}/subject-access/cases/{id}/{step}") => {
            Form(&[("q", "Pat"), ("case-1-legal_hold-reason", "")])
        }
        ("GET", "/complain") => Query(&[]),
        ("GET", "/complain/{slug}") | ("GET", "/complain/{slug}/young-people") => Query(&[]),
        ("POST", "/complain/{slug}") | ("POST", "/complain/{slug}/young-people") => Form(&[
            ("complainant_name", ""),
            ("complainant_role", "parent"),
            ("child_name", ""),
            ("contact_email", ""),
            ("contact_phone", ""),
            ("contact_address", ""),
            ("summary", "A complaint"),
            ("outcome_wanted", ""),
            ("team", ""),
            ("advocate", ""),
            ("consent", ""),
        ]),
        ("GET", "/compliment") => Query(&[]),
        ("GET", "/compliment/{slug}") => Query(&[]),
        ("POST", "/compliment/{slug}") => {
            Form(&[("summary", "A complaint"), ("team", ""), ("consent", "")])
        }
        ("GET", "/assets/{*path}") => Query(&[]),
        ("GET", "/healthz")
        | ("GET", "/readyz")
        | ("GET", "/api/v1/openapi.json")
        | ("GET", "/api/v1/docs") => Query(&[]),
        ("POST", "/api/v1/cases/{id}/attachments") => Upload,
        ("POST", "/api/v1/organisations/{slug}/inbound") => RawMail,
        (_, path) if path.starts_with("/api/v1/") => Api,
        _ => return None,
    })
}

/// Values for each path parameter: real ones first, then hostile ones.
fn path_values(name: &str, case_id: i64) -> Vec<String> {
    let real = match name {
        "id" => case_id.to_string(),
        "slug" => "testshire".into(),
        "year" => "2024".into(),
        "section" => "learning".into(),
        "action" => "acknowledge".into(),
        "attachment" => "1".into(),
        "email" => "nobody@testshire.test".into(),
        "*path" => "redress/redress.css".into(),
        "kind" => "withdrawal".into(),
        "step" => "legal_hold".into(),
        _ => "1".into(),
    };
    let mut values = vec![real];
    values.extend(
        [
            "zzz",
            "-1",
            "0",
            "99999999999999999999",
            "300000",
            "%00",
            "..%2F..%2Fetc%2Fpasswd",
        ]
        .map(String::from),
    );
    if name == "action" {
        values.extend(
            [
                "resolve",
                "reject",
                "open_stage1",
                "respond",
                "escalate",
                "extend",
                "stop_clock",
                "restart_clock",
                "appoint_investigator",
                "record_panel",
                "withdraw",
                "close",
                "record_ombudsman_decision",
                "complete_remedy",
                "add_action",
                "complete_action",
                "note",
                "update_details",
            ]
            .map(String::from),
        );
    }
    values
}

/// The template with each `{name}` replaced, one parameter varied at a time.
fn paths(template: &str, case_id: i64) -> Vec<String> {
    let names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split('}').next())
        .collect();
    let fill = |varied: Option<(&str, &str)>| {
        let mut path = template.to_string();
        for name in &names {
            let value = match varied {
                Some((n, v)) if n == *name => v.to_string(),
                _ => path_values(name, case_id)[0].clone(),
            };
            path = path.replace(&format!("{{{name}}}"), &value);
        }
        path
    };
    let mut out = vec![fill(None)];
    for name in &names {
        for value in path_values(name, case_id).iter().skip(1) {
            out.push(fill(Some((name, value))));
        }
    }
    out
}

/// The good values, with `name` set to `value` instead.
fn with(params: &[(&str, &str)], name: &str, value: String) -> Vec<(String, String)> {
    params
        .iter()
        .filter(|(n, good)| *n != name && !good.is_empty())
        .map(|(n, good)| (n.to_string(), good.to_string()))
        .chain(std::iter::once((name.to_string(), value)))
        .collect()
}

fn encode(pairs: &[(String, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

struct Walk<'a> {
    app: &'a App,
    openapi: Value,
    answers: usize,
}

impl Walk<'_> {
    /// Sends a request and checks the answer.
    async fn check(&mut self, request: Request<Body>, what: &str, field: &str) {
        self.check_any(request, what, &[field]).await
    }

    /// Sends a request and checks the answer; a refusal must name one of `fields`.
    async fn check_any(&mut self, request: Request<Body>, what: &str, fields: &[&str]) {
        let reply = self.app.send(request).await;
        self.answers += 1;
        let status = reply.status.as_u16();
        assert!(status < 500, "{what} answered {status}: {:#}", reply.body);
        if matches!(status, 400 | 422) {
            match &reply.body {
                Value::Object(problem) => assert!(
                    problem
                        .get("field")
                        .and_then(Value::as_str)
                        .is_some_and(|f| !f.is_empty()),
                    "{what} answered {status} without naming the field: {problem:?}"
                ),
                Value::String(page) => {
                    let page = page.to_lowercase();
                    // The GOV.UK error summary links each error to its field.
                    let summary =
                        page.contains("govuk-error-summary__list") && page.contains("<a href=\"#");
                    let named = summary
                        || fields.iter().any(|field| {
                            let label = field.replace(['_', '-'], " ").to_lowercase();
                            page.contains(&field.to_lowercase()) || page.contains(&label)
                        });
                    assert!(
                        named,
                        "{what} answered {status} without naming any of {fields:?}: {}",
                        &page[..page.len().min(2000)]
                    );
                }
                other => panic!("{what} answered {status} with no body naming the field: {other}"),
            }
        }
    }

    fn request(
        credentials: &Credentials,
        method: &str,
        uri: &str,
        content_type: Option<&str>,
        body: String,
    ) -> Request<Body> {
        let mut builder = Request::builder().method(method).uri(uri);
        match credentials {
            Credentials::Session { cookie, csrf } => {
                builder = builder
                    .header(header::COOKIE, cookie)
                    .header("x-csrf-token", csrf);
            }
            Credentials::Token(token) => {
                builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            Credentials::None => {}
        }
        if method != "GET" {
            builder = builder.header(header::IF_MATCH, "\"1\"");
        }
        if let Some(kind) = content_type {
            builder = builder.header(header::CONTENT_TYPE, kind);
        }
        builder.body(Body::from(body)).unwrap()
    }

    async fn route(
        &mut self,
        credentials: &Credentials,
        method: &str,
        template: &str,
        params: &Params,
        case_id: i64,
    ) {
        let csrf = match credentials {
            Credentials::Session { csrf, .. } => csrf.clone(),
            _ => String::new(),
        };
        for path in paths(template, case_id) {
            let what = format!("{method} {path}");
            match params {
                Params::Query(params) => {
                    let names: Vec<&str> = params.iter().map(|(n, _)| *n).collect();
                    let request = Self::request(credentials, method, &path, None, String::new());
                    self.check_any(request, &what, &[&["path"], names.as_slice()].concat()).await;
                    for (name, _) in *params {
                        for value in hostile_texts() {
                            let uri = format!("{path}?{}", encode(&with(params, name, value)));
                            let request = Self::request(credentials, method, &uri, None, String::new());
                            self.check(request, &format!("{what} ?{name}"), name).await;
                        }
                    }
                }
                Params::Form(params) => {
                    let names: Vec<&str> = params.iter().map(|(n, _)| *n).collect();
                    let form = "application/x-www-form-urlencoded";
                    let base = vec![("_csrf".to_string(), csrf.clone())];
                    let request = Self::request(credentials, method, &path, Some(form), encode(&base));
                    self.check_any(request, &what, &[&["path"], names.as_slice()].concat()).await;
                    for (name, _) in *params {
                        for value in hostile_texts() {
                            // A case action's fields are named "{action}-{field}".
                            let action = path.rsplit('/').next().unwrap_or_default();
                            let key = if template.contains("{action}") {
                                format!("{action}-{name}")
                            } else {
                                name.to_string()
                            };
                            {
                                let mut fields = base.clone();
                                fields.extend(with(params, name, value.clone()));
                                fields.retain(|(k, _)| k != name || key == *name);
                                fields.push((key.clone(), value.clone()));
                                fields.dedup();
                                let request = Self::request(credentials, method, &path, Some(form), encode(&fields));
                                self.check(request, &format!("{what} {key}={value:.20}"), name).await;
                            }
                        }
                    }
                }
                Params::Upload => {
                    for (kind, body) in [
                        ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\nzzz\r\n--x--\r\n".to_string()),
                        ("multipart/form-data; boundary=x", "garbage".to_string()),
                        ("multipart/form-data", String::new()),
                        ("application/x-www-form-urlencoded", "file=zzz".to_string()),
                    ] {
                        let body = body.replace("--x\r\n", &format!("--x\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--x\r\n"));
                        let request = Self::request(credentials, method, &path, Some(kind), body);
                        self.check(request, &format!("{what} ({kind})"), "file").await;
                    }
                }
                Params::RawMail => {
                    for message in hostile_messages() {
                        let mut builder = Request::builder()
                            .method(method)
                            .uri(&path)
                            .header(header::CONTENT_TYPE, "message/rfc822");
                        if let Credentials::Token(token) = credentials {
                            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
                        }
                        let request = builder.body(Body::from(message)).unwrap();
                        self.check(request, &format!("{what} (a hostile message)"), "message").await;
                    }
                }
                Params::Api => {
                    let real_ids = path == paths(template, case_id)[0];
                    self.api(credentials, method, template, &path, real_ids).await
                }
            }
        }
    }

    /// Issue 23 item 19: a misspelt field was dropped and the request succeeded without it.
    /// Every JSON body refuses a field it does not know, naming it.
    async fn unknown_field(
        &mut self,
        credentials: &Credentials,
        method: &str,
        template: &str,
        path: &str,
    ) {
        let body = match template {
            // The gov.uk bank holidays file: a foreign format, whose other keys are gov.uk's.
            t if t.ends_with("/organisations/{slug}/calendar") => return,
            // The organisation is taken from the body first.
            t if t.ends_with("/cases") => json!({"organisation": "testshire", "zz_unknown": 1}),
            // The tag is read first.
            t if t.ends_with("/cases/{id}/transitions") => {
                json!({"transition": "acknowledge", "zz_unknown": 1})
            }
            _ => json!({"zz_unknown": 1}),
        };
        let request = Self::request(
            credentials,
            method,
            path,
            Some("application/json"),
            body.to_string(),
        );
        let reply = self.app.send(request).await;
        self.answers += 1;
        if reply.status.as_u16() == 401 {
            return;
        }
        assert_eq!(
            reply.status.as_u16(),
            422,
            "{method} {path} with an unknown field: {:#}",
            reply.body
        );
        assert_eq!(
            reply.body["field"], "zz_unknown",
            "{method} {path}: {:#}",
            reply.body
        );
    }

    async fn api(
        &mut self,
        credentials: &Credentials,
        method: &str,
        template: &str,
        path: &str,
        real_ids: bool,
    ) {
        let operation = self.openapi["paths"][template][method.to_lowercase()].clone();
        let what = format!("{method} {path}");
        let json = Some("application/json");
        let request = Self::request(credentials, method, path, json, "{}".into());
        self.check(request, &what, "body").await;
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] != "query" {
                continue;
            }
            let name = parameter["name"].as_str().unwrap_or_default();
            for value in hostile_texts() {
                let uri = format!("{path}?{}", encode(&[(name.to_string(), value)]));
                let request = Self::request(credentials, method, &uri, json, "{}".into());
                self.check(request, &format!("{what} ?{name}"), name).await;
            }
        }
        let schema = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .and_then(|r| r.rsplit('/').next())
            .map(|name| self.openapi["components"]["schemas"][name].clone());
        let Some(schema) = schema else { return };
        for bad in ["not json", "[]", "{\"a\":", "null"] {
            let request = Self::request(credentials, method, path, json, bad.into());
            self.check(request, &format!("{what} body {bad}"), "body")
                .await;
        }
        // With the real ids only: a hostile id is refused before the body is read.
        if real_ids {
            self.unknown_field(credentials, method, template, path)
                .await;
        }
        let names: Vec<String> = schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        for name in names {
            for value in hostile_json() {
                let body = json!({ name.clone(): value }).to_string();
                let request = Self::request(credentials, method, path, json, body);
                self.check(request, &format!("{what} {name}"), &name).await;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_answers_5xx_to_hostile_input_and_errors_name_their_field() {
    let db = TestDatabase::sqlite();
    let app = App::start(&db).await;
    app.seed().await;
    let (case_id, _) = app.at_stage1("statutory", "2024-05-01").await;
    app.add_user(
        "admin@testshire.test",
        Some("testshire"),
        Some(Role::Admin),
        &[],
        false,
    )
    .await;
    let officer = app.session_for("officer@testshire.test").await;
    let admin = app.session_for("admin@testshire.test").await;
    // The council's mail server, as its administrator set it up.
    let gate = app
        .call_as(
            &admin,
            "POST",
            "/api/v1/tokens",
            Some(serde_json::json!({"organisation": "testshire", "role": "mail_gate", "name": "mail server"})),
            None,
        )
        .await
        .expect(201);
    let gate = Credentials::Token(gate.body["token"].as_str().unwrap().to_string());
    let openapi = app.get("/api/v1/openapi.json").await.expect(200).body;

    let table = redress_web::route_table();
    let missing: Vec<String> = table
        .iter()
        .filter(|r| entry(r.method, &r.path).is_none())
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        missing.is_empty(),
        "routes with no entry in this test: {missing:?}"
    );
    assert!(
        table.len() > 50,
        "the table holds every route: {}",
        table.len()
    );

    let mut walk = Walk {
        app: &app,
        openapi,
        answers: 0,
    };
    for route in &table {
        let params = entry(route.method, &route.path).unwrap();
        // Signing out or changing the password would end the sessions the walk uses.
        let identities: &[&Credentials] = match route.path.as_str() {
            "/sign-out" | "/password" | "/api/v1/session" | "/api/v1/session/password" => {
                &[&Credentials::None]
            }
            "/api/v1/organisations/{slug}/inbound" => &[&gate, &admin],
            path if path.starts_with("/admin") || path.starts_with("/api/v1/organisations") => {
                &[&admin, &officer]
            }
            _ => &[&officer, &Credentials::None],
        };
        for credentials in identities {
            walk.route(credentials, route.method, &route.path, &params, case_id)
                .await;
        }
    }
    assert!(
        walk.answers > 3000,
        "the walk sent {} requests",
        walk.answers
    );
    eprintln!(
        "hostile walk: {} routes, {} requests, none 5xx",
        table.len(),
        walk.answers
    );
}

/// The cases the attacker found: each answers 422 naming its field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_downloads_refuse_bad_values_naming_the_field() {
    let db = TestDatabase::sqlite();
    let app = App::start(&db).await;
    app.seed().await;
    let Credentials::Session { cookie, .. } = app.session_for("officer@testshire.test").await
    else {
        unreachable!()
    };
    for (query, field) in [
        ("year=2020&quarter=5&format=html", "Quarter"),
        ("year=300000&format=html", "Year"),
        ("year=2020&format=zzz", "Format"),
    ] {
        let request = Request::get(format!("/reports/download?organisation=testshire&{query}"))
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status.as_u16(), 422, "{query}");
        let page = reply.body.as_str().unwrap();
        assert!(page.contains("There is a problem"), "{page}");
        assert!(page.contains(field), "{query} names {field}: {page}");
    }
}
