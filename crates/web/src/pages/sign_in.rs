//! Signing in and out of the web app, and choosing a password after a one-time one.

use super::{render, FieldError, Fields, PageError, Staff, StaffForm};
use crate::auth::{self, ClientAddress, Via};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use minijinja::context;
use redress_store::{SignIn, StoreError};
use std::collections::HashMap;

fn public_common() -> minijinja::Value {
    context! { service_name => "Redress", home => "/" }
}

/// Where to go after signing in: only a path on this site.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

pub async fn form(Query(query): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let next = query.get("next").map(String::as_str).unwrap_or("/");
    Ok(render(
        "sign_in.html",
        public_common(),
        context! { next => safe_next(next), email => "" },
    )?
    .into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    // A sign-in form posted from another site (login CSRF) is refused.
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site")
    {
        return Err(PageError::Forbidden(
            "sign in from Redress's own sign-in page".into(),
        ));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let fields = Fields(pairs.into_iter().collect());
    let email = fields.text("email");
    let next = fields.text("next");
    let again = |errors: Vec<FieldError>, throttled: Option<String>, status: StatusCode| {
        render(
            "sign_in.html",
            public_common(),
            context! { errors, throttled, email => email.clone(), next => safe_next(&next) },
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
    let now = Utc::now();
    let outcome = state
        .store
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
        .store
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
        state.store.close_session(id, &principal.actor).await?;
    }
    let cookie = auth::session_cookie(None, &headers, &state.auth);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/sign-in")).into_response())
}

pub async fn password_form(staff: Staff) -> Result<Response, PageError> {
    Ok(render("change_password.html", staff.common(), context! {})?.into_response())
}

pub async fn change_password(
    State(state): State<AppState>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let staff = &form.staff;
    let result = state
        .store
        .change_password(
            staff.principal.account.user_id,
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
