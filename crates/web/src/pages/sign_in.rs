//! Signing in and out of the web app, and choosing a password after a one-time one.

use super::{render, FieldError, Fields, FormBody, PageError, Staff, StaffForm};
use crate::auth::{self, ClientAddress, Via};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_accounts::SignIn;
use redress_store::StoreError;
use std::collections::HashMap;

fn public_common() -> minijinja::Value {
    context! { service_name => "Redress", home => "/" }
}

/// Where to go after signing in: only a path on this site. It starts with one `/` not
/// followed by `/` or `\\` (which browsers read as another host), holds no control character,
/// whitespace or backslash (browsers drop a tab, so `/\t/evil.example` is `//evil.example`),
/// and parses as a relative reference with no scheme or host. Anything else is `/`.
pub(crate) fn safe_next(next: &str) -> &str {
    let bytes = next.as_bytes();
    let safe = next.len() <= 2048
        && bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && next
            .parse::<axum::http::Uri>()
            .is_ok_and(|uri| uri.scheme().is_none() && uri.authority().is_none());
    if safe {
        next
    } else {
        "/"
    }
}

/// A path as the value of a query string's `next`.
fn query_value(path: &str) -> String {
    serde_urlencoded::to_string([("next", path)])
        .map(|pair| pair.trim_start_matches("next=").to_string())
        .unwrap_or_default()
}

/// A sign-in posted from another site (login CSRF) is refused: by `Sec-Fetch-Site` where the
/// browser sends it, and by `Origin` where that names another host.
fn cross_site(headers: &HeaderMap) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let foreign_origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|origin| {
            let origin_host = origin
                .split_once("://")
                .map_or(origin, |(_, rest)| rest)
                .trim_end_matches('/');
            // "null" is what a browser sends under our own `Referrer-Policy: no-referrer`, and
            // also what a sandboxed frame on any site sends: it is believed only when the
            // browser says the post is same-origin (issue 23: login CSRF on browsers without
            // Fetch Metadata).
            match origin {
                "null" => fetch_site != Some("same-origin"),
                _ => host.is_none_or(|host| !origin_host.eq_ignore_ascii_case(host)),
            }
        });
    fetch_site == Some("cross-site") || foreign_origin
}

pub async fn form(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let next = query.get("next").map(String::as_str).unwrap_or("/");
    Ok(render(
        "sign_in.html",
        public_common(),
        context! {
            next => safe_next(next), next_query => query_value(safe_next(next)), email => "",
            sso => state.auth.oidc.is_some(),
        },
    )?
    .into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    FormBody(body): FormBody,
) -> Result<Response, PageError> {
    if cross_site(&headers) {
        return Err(PageError::Forbidden(
            "sign in from Redress's own sign-in page".into(),
        ));
    }
    let pairs: Vec<(String, String)> =
        super::extract::without_nul(serde_urlencoded::from_bytes(&body).unwrap_or_default());
    let fields = Fields(pairs.into_iter().collect());
    let email = fields.text("email");
    let next = fields.text("next");
    let again = |errors: Vec<FieldError>, throttled: Option<String>, status: StatusCode| {
        render(
            "sign_in.html",
            public_common(),
            context! {
                errors, throttled, email => email.clone(), next => safe_next(&next),
                next_query => query_value(safe_next(&next)), sso => state.auth.oidc.is_some(),
            },
        )
        .map(|html| (status, html).into_response())
    };
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(FieldError::new("email", "Enter your email address"));
    }
    if fields.text("password").is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    }
    if !errors.is_empty() {
        return again(errors, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let now = state.clock().now();
    let outcome = state
        .accounts
        .sign_in(
            &email,
            fields
                .0
                .get("password")
                .map(String::as_str)
                .unwrap_or_default(),
            &address,
            now,
        )
        .await?;
    let user_id = match outcome {
        SignIn::Accepted { user_id } => user_id,
        SignIn::Refused => {
            return again(
                vec![FieldError::new(
                    "email",
                    "Enter a correct email address and password",
                )],
                None,
                StatusCode::UNAUTHORIZED,
            )
        }
        SignIn::PasswordsOff => {
            return again(
                vec![FieldError::new(
                    "password",
                    "Your organisation signs in with your council account: use the button above",
                )],
                None,
                StatusCode::FORBIDDEN,
            )
        }
        SignIn::Throttled { retry_after } => {
            return again(
                Vec::new(),
                Some(format!(
                    "There have been too many failed attempts to sign in. Wait {retry_after} seconds and try again."
                )),
                StatusCode::TOO_MANY_REQUESTS,
            )
        }
    };
    let previous = auth::session_id(&headers);
    let session = state
        .accounts
        .open_session(user_id, previous.as_deref(), state.auth.lifetime, now)
        .await?;
    let cookie = auth::session_cookie(Some(&session.id), &headers, &state.auth);
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(safe_next(&next)),
    )
        .into_response())
}

pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: StaffForm,
) -> Result<Response, PageError> {
    let principal = &form.staff.principal;
    if let Via::Session { id, .. } = &principal.via {
        state.accounts.close_session(id, &principal.actor).await?;
    }
    let cookie = auth::session_cookie(None, &headers, &state.auth);
    // With the council's identity provider, its session ends too (RP-initiated logout),
    // where it offers that; it sends the browser back to the sign-in page.
    let after = state.auth.oidc.as_ref().and_then(|provider| {
        let back = provider
            .settings()
            .redirect_url
            .trim_end_matches("/oidc/callback")
            .to_string();
        provider.sign_out_url(&back)
    });
    let Some(provider_sign_out) = after else {
        return Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/sign-in")).into_response());
    };
    // A page that moves on to the provider, not a redirect: the pages' form-action policy
    // stops a form's redirect to another site.
    let common = context! { service_name => "Redress", home => "/", refresh_to => provider_sign_out.clone() };
    let own = context! {
        heading => "You have signed out of Redress",
        lines => vec!["Now signing you out of your council account."],
        link => context! { href => provider_sign_out, label => "Continue" },
    };
    Ok((
        [(header::SET_COOKIE, cookie)],
        render("message.html", common, own)?,
    )
        .into_response())
}

pub async fn password_form(staff: Staff) -> Result<Response, PageError> {
    Ok(render("change_password.html", staff.common(), context! {})?.into_response())
}

pub async fn change_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    form: StaffForm,
) -> Result<Response, PageError> {
    let staff = &form.staff;
    let session = match &staff.principal.via {
        crate::auth::Via::Session { id, .. } => id.as_str(),
        crate::auth::Via::Token { .. } => "",
    };
    let result = state
        .accounts
        .change_password(
            staff.principal.account.user_id,
            session,
            form.fields
                .0
                .get("current_password")
                .map(String::as_str)
                .unwrap_or_default(),
            form.fields
                .0
                .get("new_password")
                .map(String::as_str)
                .unwrap_or_default(),
            &staff.principal.actor,
            &address,
        )
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/").into_response()),
        Err(StoreError::Invalid { field, message }) => {
            let message = match field.as_str() {
                "current_password" => "The one-time password is not right".to_string(),
                _ => format!("Your new password {message}"),
            };
            let errors = vec![FieldError::new(&field, message)];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render("change_password.html", staff.common(), context! { errors })?,
            )
                .into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;
    use proptest::prelude::*;

    /// What a browser does with a Location: drops tabs and newlines, reads `\\` as `/`.
    fn as_browser_reads(location: &str) -> String {
        location
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .map(|c| if c == '\\' { '/' } else { c })
            .collect()
    }

    fn same_site(location: &str) -> bool {
        let read = as_browser_reads(location);
        read.starts_with('/') && !read.starts_with("//")
    }

    #[test]
    fn the_attacks_found_go_home() {
        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\nfoo",
            " /cases",
            "",
        ] {
            assert_eq!(safe_next(hostile), "/", "{hostile:?}");
        }
        assert_eq!(
            safe_next("/cases?status=open&page=2"),
            "/cases?status=open&page=2"
        );
        assert_eq!(safe_next("/cases/12"), "/cases/12");
    }

    proptest! {
        #[test]
        fn every_answer_is_a_path_on_this_site(
            next in prop_oneof![
                "\\PC*",
                "/[/\\\\\t\n\r :@%a-z.]{0,30}",
                "[a-z]{1,8}:[/]{0,3}[a-z.]{1,20}",
            ]
        ) {
            let answer = safe_next(&next);
            prop_assert!(same_site(answer), "{next:?} led to {answer:?}");
            prop_assert!(axum::http::HeaderValue::from_str(answer).is_ok());
        }
    }
}
