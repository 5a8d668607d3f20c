//! Personal access tokens for integrations: shown once, kept as a hash, revocable.

use super::views::{Role, TokenInfo};
use crate::auth::Via;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// The organisation (slug) the token acts in; it reaches nothing else.
    pub organisation: String,
    /// Your own role there, or viewer.
    pub role: Role,
    /// What the token is for, e.g. "Nightly export to the data warehouse".
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewToken {
    #[serde(flatten)]
    pub info: TokenInfo,
    /// The token. It is shown this once and kept only as a hash: store it now.
    pub token: String,
}

/// Your API tokens (never their secrets).
#[utoipa::path(get, path = "/tokens", tag = "session",
    responses((status = 200, body = Vec<TokenInfo>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    let tokens = state.accounts.tokens(principal.account.user_id).await?;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

/// Make an API token, sent as `Authorization: Bearer rdr_...`.
#[utoipa::path(post, path = "/tokens", tag = "session", request_body = TokenInput,
    responses((status = 201, body = NewToken), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<TokenInput>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    if matches!(principal.via, Via::Token { .. }) {
        return Err(ApiError::forbidden(
            "a token cannot make tokens: sign in to make one",
        ));
    }
    let (info, token) = state
        .accounts
        .create_token(
            &principal.account,
            &input.organisation,
            input.role.into(),
            &input.name,
            &principal.actor,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewToken {
            info: info.into(),
            token,
        }),
    ))
}

/// Revoke one of your tokens; it stops working at once. A token may revoke itself, or another
/// of its owner's tokens whose role ranks no higher than its own.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "session",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn revoke(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found(&format!("token {id}")))?;
    // A token manages itself, and otherwise only tokens whose role ranks no higher than its
    // own: a viewer token cannot end an officer's integration.
    if let Via::Token { id: own, role } = principal.via {
        if own != id {
            let target = state
                .accounts
                .tokens(principal.account.user_id)
                .await?
                .into_iter()
                .find(|t| t.id == id)
                .ok_or_else(|| ApiError::not_found(&format!("token {id}")))?;
            if target.role.rank() > role.rank() {
                state
                    .store
                    .log(
                        principal
                            .actor
                            .event("token_revoke_refused", state.clock().now())
                            .after(serde_json::json!({"token_id": id})),
                    )
                    .await?;
                return Err(ApiError::forbidden(format!(
                    "a {role} token cannot revoke a {} token: sign in, or use a token of that role",
                    target.role
                )));
            }
        }
    }
    state
        .accounts
        .revoke_token(principal.account.user_id, id, &principal.actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
