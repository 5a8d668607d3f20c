//! Signing in with the council account in Chromium, against a real OpenID Provider on
//! loopback (npm `oidc-provider`, its development login form): an officer signs in and uses
//! the case list; sign-out ends the session (and the provider's); an unknown person is refused;
//! a group gives a role and losing it takes the role away at the next sign-in; with passwords
//! turned off, a password is refused but the break-glass account still gets in.

use super::{between, Browser};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

/// One request to Redress, as its API takes it: (status, headers, body).
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (status, head.to_string(), body.to_string())
}

/// The administrator (a break-glass account) sets Westminster's sign-in policy through the API.
fn set_policy(port: u16, policy: &str) {
    let json = [("content-type", "application/json")];
    let (status, head, body) = http(
        port,
        "POST",
        "/api/v1/session",
        &json,
        r#"{"email":"admin@westminster.example","password":"westminster-demo"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let csrf = serde_json::from_str::<serde_json::Value>(&body).unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _, body) = http(
        port,
        "PUT",
        "/api/v1/organisations/westminster/sign-in-policy",
        &[
            ("content-type", "application/json"),
            ("cookie", &cookie),
            ("x-csrf-token", &csrf),
        ],
        policy,
    );
    assert_eq!(status, 200, "{body}");
}

/// Signs in at the provider's development login form as `email`, consenting if asked.
async fn provider_login(b: &Browser, email: &str) {
    b.open("/sign-in").await;
    b.click("#sign-in-oidc").await;
    b.wait_for("the provider's login form", |_, page| {
        page.contains("name=\"login\"")
    })
    .await;
    b.fill("input[name='login']", email).await;
    b.fill("input[name='password']", "any password").await;
    b.click("button[type='submit']").await;
    // The first sign-in asks for consent; later ones may not.
    for _ in 0..50 {
        let (url, page) = (b.url().await, b.source().await);
        if url.starts_with(&b.base) {
            return;
        }
        if page.contains("Authorize") || page.contains("Continue") {
            if let Ok(button) = b
                .client
                .find(fantoccini::Locator::Css(
                    "button[autofocus], button[type='submit']",
                ))
                .await
            {
                let _ = button.click().await;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!(
        "the provider never sent the browser back: {}",
        b.url().await
    );
}

async fn sign_out_everywhere(b: &Browser) {
    b.open("/").await;
    b.click("form[action='/sign-out'] button").await;
    // Redress's session ends, and the provider asks whether to sign out there too.
    b.wait_for("the provider's sign-out", |url, _| {
        url.contains("/session/end")
    })
    .await;
    b.click("button[value='yes'], button[autofocus]").await;
    b.wait_for("back at Redress", |url, _| url.contains("/sign-in"))
        .await;
}

/// Ends the provider's own session, as a person would at the provider.
async fn sign_out_at_provider(b: &Browser, provider: &str) {
    b.client
        .goto(&format!("{provider}/session/end"))
        .await
        .unwrap();
    b.click("button[value='yes'], button[autofocus]").await;
    b.wait_for("the provider's sign-out", |_, page| {
        page.to_lowercase().contains("sign-out")
    })
    .await;
}

pub async fn journeys(b: &Browser, port: u16, provider: &str, groups_file: &Path) {
    // The officer signs in with the council account and uses the case list.
    b.open("/sign-in").await;
    b.check_accessibility("the sign-in page with single sign-on")
        .await;
    b.screenshot("sign-in-single-sign-on").await;
    provider_login(b, "officer@westminster.example").await;
    b.wait_for("the dashboard", |_, page| page.contains("Dashboard"))
        .await;
    b.open("/cases").await;
    assert!(
        b.source().await.contains("govuk-table"),
        "the officer sees the case list"
    );
    // Signing out ends Redress's session and the provider's.
    sign_out_everywhere(b).await;
    b.open("/cases").await;
    b.wait_for("the sign-in page", |url, _| url.contains("/sign-in"))
        .await;

    // Someone the provider knows but Redress does not is refused.
    provider_login(b, "stranger@westminster.example").await;
    let page = b.source().await;
    assert!(
        page.contains("You do not have a Redress account"),
        "an unknown person is refused: {}",
        between(&page, "<main", "</main>")
    );
    b.check_accessibility("the refusal page").await;
    b.open("/cases").await;
    b.wait_for("the sign-in page", |url, _| url.contains("/sign-in"))
        .await;
    sign_out_at_provider(b, provider).await;

    // A group gives the viewer the complaints officer's role; out of the group, they lose it.
    set_policy(
        port,
        r#"{"group_roles": {"g-complaints": "complaints_officer"}}"#,
    );
    std::fs::write(
        groups_file,
        r#"{"viewer@westminster.example": ["g-complaints"]}"#,
    )
    .unwrap();
    provider_login(b, "viewer@westminster.example").await;
    b.open("/cases").await;
    assert!(
        b.source().await.contains("govuk-table"),
        "the group gave the case list"
    );
    sign_out_everywhere(b).await;
    std::fs::write(groups_file, r#"{"viewer@westminster.example": []}"#).unwrap();
    provider_login(b, "viewer@westminster.example").await;
    b.open("/cases").await;
    assert!(
        !b.source().await.contains("govuk-table"),
        "out of the group, the role is gone"
    );
    sign_out_everywhere(b).await;

    // Passwords off: the officer's password is refused; the break-glass administrator's is not.
    set_policy(
        port,
        r#"{"password_sign_in": false, "break_glass": ["admin@westminster.example"]}"#,
    );
    b.open("/sign-in").await;
    b.fill("#email", "officer@westminster.example").await;
    b.fill("#password", "westminster-demo").await;
    b.click("form[action='/sign-in'] button").await;
    b.wait_for("the refusal", |_, page| {
        page.contains("signs in with your council account")
    })
    .await;
    b.sign_in("admin@westminster.example", "westminster-demo")
        .await;
    assert!(b.source().await.contains("Dashboard"));
    b.open("/").await;
    b.click("form[action='/sign-out'] button").await;
}
