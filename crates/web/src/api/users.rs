//! An organisation's users, for its administrators.

use super::views::{AddedUser, Membership, Role, UserSummary};
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use redress_accounts::NewUser;
use redress_store::Permission;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub email: String,
    pub display_name: Option<String>,
    pub role: Role,
    /// Team names; a team manager needs at least one.
    #[serde(default)]
    pub teams: Vec<String>,
}

/// The organisation's users and their roles.
#[utoipa::path(get, path = "/organisations/{slug}/users", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<UserSummary>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<Vec<UserSummary>>, ApiError> {
    state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    let users = state.accounts.users(Some(&slug)).await?;
    Ok(Json(users.into_iter().map(Into::into).collect()))
}

/// Add a user to the organisation (or give an existing user a role in it). A new user gets a
/// one-time password, shown once, which they must change at first sign-in.
#[utoipa::path(post, path = "/organisations/{slug}/users", tag = "organisations", request_body = UserInput,
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 201, body = AddedUser), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<UserInput>,
) -> Result<(StatusCode, Json<AddedUser>), ApiError> {
    state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    let new = NewUser {
        email: input.email,
        display_name: input.display_name,
        organisation: Some(slug),
        role: Some(input.role.into()),
        teams: input.teams,
        password: None,
        system_admin: false,
    };
    let added = state.accounts.add_user(&new, &principal.actor).await?;
    Ok((StatusCode::CREATED, Json(added.into())))
}

/// Take a user out of the organisation. Their account and other organisations are untouched.
#[utoipa::path(delete, path = "/organisations/{slug}/users/{email}", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug"), ("email" = String, Path, description = "The user's email")),
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn remove(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, email)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    state
        .accounts
        .remove_member(&slug, &email, &principal.actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamsInput {
    /// Team names of the organisation; a team manager needs at least one.
    pub teams: Vec<String>,
}

/// Set the teams of a member of the organisation, keeping their role (a team manager sees
/// their teams' cases). No one sets their own.
#[utoipa::path(put, path = "/organisations/{slug}/users/{email}/teams", tag = "organisations", request_body = TeamsInput,
    params(("slug" = String, Path, description = "Organisation slug"), ("email" = String, Path, description = "The user's email")),
    responses((status = 200, body = Membership), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_teams(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, email)): Path<(String, String)>,
    ApiJson(input): ApiJson<TeamsInput>,
) -> Result<Json<Membership>, ApiError> {
    let membership = state
        .accounts
        .set_member_teams(
            &principal.access,
            &slug,
            &email,
            &input.teams,
            &principal.actor,
        )
        .await?;
    Ok(Json(membership.into()))
}
