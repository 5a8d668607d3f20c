use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use redress_calendar::Division;
use redress_core::Procedure;
use redress_store::{NewOrganisation, Organisation, Permission};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationView {
    pub slug: String,
    pub name: String,
    pub reference_prefix: String,
    pub division: String,
    pub procedures: Vec<String>,
    pub teams: Vec<String>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    pub slug: String,
    pub name: String,
    pub reference_prefix: String,
    /// england-and-wales (default), scotland or northern-ireland.
    #[serde(default)]
    pub division: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameInput {
    pub name: String,
}

async fn view(state: &AppState, organisation: &Organisation) -> Result<OrganisationView, ApiError> {
    Ok(OrganisationView {
        slug: organisation.slug.clone(),
        name: organisation.name.clone(),
        reference_prefix: organisation.reference_prefix.clone(),
        division: organisation.division.to_string(),
        procedures: organisation
            .procedures
            .iter()
            .map(|p| p.name.clone())
            .collect(),
        teams: state.store.names(&organisation.slug, true).await?,
        reasons: state.store.names(&organisation.slug, false).await?,
    })
}

/// The organisations you belong to.
#[utoipa::path(get, path = "/organisations", tag = "organisations",
    responses((status = 200, body = Vec<OrganisationView>)))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<OrganisationView>>, ApiError> {
    let mut all = Vec::new();
    for organisation in state.store.organisations_for(&principal.access).await? {
        all.push(view(&state, &organisation).await?);
    }
    Ok(Json(all))
}

/// Create an organisation with the statutory and corporate procedures (system
/// administrators only).
#[utoipa::path(post, path = "/organisations", tag = "organisations", request_body = OrganisationInput,
    responses((status = 201, body = OrganisationView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(body): ApiJson<OrganisationInput>,
) -> Result<(StatusCode, Json<OrganisationView>), ApiError> {
    if !principal.account.system_admin {
        return Err(ApiError::forbidden(
            "only a system administrator may create an organisation",
        ));
    }
    let input = body;
    let division = match input.division.as_deref() {
        None => Division::EnglandAndWales,
        Some(d) => d
            .parse()
            .map_err(|e: String| ApiError::invalid("division", e))?,
    };
    let new = NewOrganisation {
        slug: input.slug.clone(),
        name: input.name,
        reference_prefix: input.reference_prefix,
        division,
        ..NewOrganisation::with_defaults(&input.slug)
    };
    let organisation = state
        .store
        .create_organisation(&new, &principal.actor)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, &organisation).await?),
    ))
}

/// The procedures of an organisation, with every stage's timescales.
#[utoipa::path(get, path = "/organisations/{slug}/procedures", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<Procedure>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn procedures(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<Vec<Procedure>>, ApiError> {
    let organisation = state
        .store
        .authorise(&principal.access, &slug, Permission::ViewReports)
        .await?;
    Ok(Json(organisation.procedures.clone()))
}

/// Add a team (does nothing if it exists).
#[utoipa::path(post, path = "/organisations/{slug}/teams", tag = "organisations", request_body = NameInput,
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_team(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NameInput>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    let input = body;
    state
        .store
        .add_team(&principal.access, &slug, &input.name, &principal.actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a complaint reason (does nothing if it exists).
#[utoipa::path(post, path = "/organisations/{slug}/reasons", tag = "organisations", request_body = NameInput,
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_reason(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NameInput>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    let input = body;
    state
        .store
        .add_reason(&principal.access, &slug, &input.name, &principal.actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
