//! How an organisation's staff sign in: passwords on or off (with break-glass accounts), and
//! the identity provider's groups that give roles. For its administrators.

use super::views::Role;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::Json;
use redress_accounts::SignInPolicy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn yes() -> bool {
    true
}

/// The organisation's sign-in policy.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInPolicyView {
    /// Whether staff may sign in with a Redress password (default true). Off, only the
    /// break-glass accounts may; everyone else signs in with the council account.
    #[serde(default = "yes")]
    pub password_sign_in: bool,
    /// Accounts that may use a password when passwords are off (for when the identity
    /// provider is down). At least one is wise.
    #[serde(default)]
    pub break_glass: Vec<String>,
    /// The identity provider's group, as its roles claim carries it (Entra ID: the group's
    /// object id), and the role it gives here. Applied at each sign-in through the provider:
    /// a person in none of these groups loses their role here.
    #[serde(default)]
    pub group_roles: BTreeMap<String, Role>,
}

impl From<SignInPolicy> for SignInPolicyView {
    fn from(policy: SignInPolicy) -> Self {
        SignInPolicyView {
            password_sign_in: policy.password_sign_in,
            break_glass: policy.break_glass,
            group_roles: policy
                .group_roles
                .into_iter()
                .map(|(g, r)| (g, r.into()))
                .collect(),
        }
    }
}

/// The organisation's sign-in policy.
#[utoipa::path(get, path = "/organisations/{slug}/sign-in-policy", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = SignInPolicyView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<SignInPolicyView>, ApiError> {
    let policy = state
        .accounts
        .sign_in_policy(&principal.access, &slug)
        .await?;
    Ok(Json(policy.into()))
}

/// Set the organisation's sign-in policy; the change is in the audit log.
#[utoipa::path(put, path = "/organisations/{slug}/sign-in-policy", tag = "organisations", request_body = SignInPolicyView,
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = SignInPolicyView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<SignInPolicyView>,
) -> Result<Json<SignInPolicyView>, ApiError> {
    let policy = SignInPolicy {
        password_sign_in: input.password_sign_in,
        break_glass: input.break_glass,
        group_roles: input
            .group_roles
            .into_iter()
            .map(|(g, r)| (g, r.into()))
            .collect(),
    };
    let saved = state
        .accounts
        .set_sign_in_policy(&principal.access, &slug, policy, &principal.actor)
        .await?;
    Ok(Json(saved.into()))
}
