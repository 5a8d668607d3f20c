//! Signing in and out with a password, and the session it opens.

use super::views::Account;
use crate::auth::{self, ClientAddress, PendingPrincipal, Via};
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use redress_accounts::SignIn;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInInput {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 12 characters.
    pub new_password: String,
}

/// The signed-in user and the token to send in X-CSRF-Token with every change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    #[serde(flatten)]
    pub account: Account,
    /// Send in the X-CSRF-Token header with every POST, PUT, PATCH and DELETE.
    pub csrf_token: Option<String>,
}

/// Sign in with an email and password. Sets the session cookie (a new id every time) and
/// returns the CSRF token. Repeated failures slow down, per account and per address.
#[utoipa::path(post, path = "/session", tag = "session", request_body = SignInInput, security(()),
    responses((status = 200, body = SessionView, headers(("Set-Cookie" = String))), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64)))))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SignInInput>,
) -> Result<Response, ApiError> {
    let now = state.clock().now();
    let user_id = match state
        .accounts
        .sign_in(&input.email, &input.password, &address, now)
        .await?
    {
        SignIn::Accepted { user_id } => user_id,
        SignIn::Refused => {
            return Err(ApiError::unauthenticated(
                "the email or password is not right",
            ))
        }
        SignIn::Throttled { retry_after } => return Err(ApiError::throttled(retry_after)),
        SignIn::PasswordsOff => {
            return Err(ApiError::forbidden(
                "your organisation signs in with the council account: use /sign-in/oidc",
            ))
        }
    };
    let previous = auth::session_id(&headers);
    let session = state
        .accounts
        .open_session(user_id, previous.as_deref(), state.auth.lifetime, now)
        .await?;
    let account = state
        .accounts
        .account(user_id)
        .await?
        .ok_or_else(|| ApiError::unauthenticated("the account is disabled"))?;
    let cookie = auth::session_cookie(Some(&session.id), &headers, &state.auth);
    let view = SessionView {
        account: account.into(),
        csrf_token: Some(session.csrf_token),
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(view)).into_response())
}

/// Who is signed in, with the session's CSRF token.
#[utoipa::path(get, path = "/session", tag = "session",
    responses((status = 200, body = SessionView), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn current(PendingPrincipal(principal): PendingPrincipal) -> Json<SessionView> {
    let csrf_token = match principal.via {
        Via::Session { csrf_token, .. } => Some(csrf_token),
        Via::Token { .. } => None,
    };
    Json(SessionView {
        account: (*principal.account).clone().into(),
        csrf_token,
    })
}

/// Sign out: the session ends on the server and the cookie is cleared.
#[utoipa::path(delete, path = "/session", tag = "session",
    responses((status = 204, headers(("Set-Cookie" = String))), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    PendingPrincipal(principal): PendingPrincipal,
) -> Result<Response, ApiError> {
    if let Via::Session { id, .. } = &principal.via {
        state.accounts.close_session(id, &principal.actor).await?;
    }
    let cookie = auth::session_cookie(None, &headers, &state.auth);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Change your own password (required after signing in with a one-time password). Needs a
/// signed-in session, not a token. Checks of the current password are throttled like sign-ins.
#[utoipa::path(put, path = "/session/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64)))))]
pub async fn change_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    PendingPrincipal(principal): PendingPrincipal,
    ApiJson(input): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    // A token is a credential for a machine: changing the password behind it needs the
    // person, signed in.
    let Via::Session { id: session, .. } = &principal.via else {
        return Err(ApiError::forbidden(
            "a token cannot change a password: sign in to change it",
        ));
    };
    state
        .accounts
        .change_password(
            principal.account.user_id,
            session,
            &input.current_password,
            &input.new_password,
            &principal.actor,
            &address,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
