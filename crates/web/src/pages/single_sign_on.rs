//! "Sign in with your council account": the browser is sent to the council's identity
//! provider and comes back to `/sign-in/oidc/callback`, where the provider's answer is checked
//! (by `redress_accounts::oidc`) and a Redress session is opened, exactly as after a password.

use super::{render, PageError};
use crate::auth::{self, ClientAddress};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_accounts::ProviderSignIn;
use std::collections::HashMap;

/// A page saying why no one was signed in, and how to start again.
fn refused(status: StatusCode, heading: &str, lines: Vec<String>) -> Result<Response, PageError> {
    let common = context! { service_name => "Redress", home => "/" };
    let own = context! {
        heading,
        lines,
        link => context! { href => "/sign-in", label => "Back to sign in" },
    };
    Ok((status, render("message.html", common, own)?).into_response())
}

/// Sends the browser to the provider, remembering the sign-in for its return.
pub async fn start(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let Some(provider) = state.auth.oidc.clone() else {
        return Err(PageError::NotFound);
    };
    let next = query.get("next").map(String::as_str).unwrap_or("/");
    let (url, pending) = provider.start(super::sign_in::safe_next(next));
    state
        .accounts
        .remember_oidc_login(&pending, state.clock().now())
        .await?;
    Ok(Redirect::to(&url).into_response())
}

/// The provider's answer: checked, matched to a user, and a session opened; or refused, with
/// no session.
pub async fn callback(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let Some(provider) = state.auth.oidc.clone() else {
        return Err(PageError::NotFound);
    };
    let now = state.clock().now();
    if let Some(error) = query.get("error") {
        let why = query.get("error_description").unwrap_or(error);
        return refused(
            StatusCode::UNAUTHORIZED,
            "You were not signed in",
            vec![format!("Your council's sign-in service said: {why}")],
        );
    }
    let (Some(code), Some(state_param)) = (query.get("code"), query.get("state")) else {
        return refused(
            StatusCode::BAD_REQUEST,
            "You were not signed in",
            vec![
                "The answer from your council's sign-in service was incomplete. Start again."
                    .into(),
            ],
        );
    };
    let Some(pending) = state.accounts.take_oidc_login(state_param, now).await? else {
        return refused(
            StatusCode::BAD_REQUEST,
            "This sign-in has already been used or has expired",
            vec!["Each sign-in works once, for ten minutes. Start again.".into()],
        );
    };
    let person = match provider.finish(code, &pending, now).await {
        Ok(person) => person,
        Err(e) => {
            tracing::warn!(error = %e, "a sign-in through the identity provider was refused");
            return refused(
                StatusCode::UNAUTHORIZED,
                "You were not signed in",
                vec![
                    "Your council's sign-in could not be confirmed. Start again; if it happens again, tell your IT service desk.".into(),
                ],
            );
        }
    };
    let user_id = match state
        .accounts
        .sign_in_with_provider(&person, &address, now)
        .await?
    {
        ProviderSignIn::Accepted { user_id } => user_id,
        ProviderSignIn::Refused { who } => {
            return refused(
                StatusCode::FORBIDDEN,
                "You do not have a Redress account",
                vec![
                    format!("Your council account ({who}) is not set up in Redress, or has been switched off."),
                    "Ask your organisation's Redress administrator (usually the complaints manager) to add you. They add staff on the Administration page.".into(),
                ],
            );
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
        Redirect::to(super::sign_in::safe_next(&pending.next)),
    )
        .into_response())
}
