use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use redress_calendar::Division;
use redress_core::{Nation, Ombudsman, Procedure};
use redress_store::{NewOrganisation, Organisation, Permission};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationView {
    pub slug: String,
    pub name: String,
    pub reference_prefix: String,
    pub division: String,
    /// england, wales, scotland or northern-ireland.
    pub nation: String,
    /// The ombudsman complainants go to after the organisation's last stage.
    pub ombudsman: Ombudsman,
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
    /// england-and-wales, scotland or northern-ireland; absent: the nation's.
    #[serde(default)]
    pub division: Option<String>,
    /// england, wales, scotland or northern-ireland. It sets the division, the ombudsman and
    /// the default procedures; absent: England (or the division's nation), with the
    /// statutory and corporate procedures.
    #[serde(default)]
    pub nation: Option<String>,
    /// Presets to run instead of the nation's defaults; one of another nation's law is
    /// refused, naming it.
    #[serde(default)]
    pub procedures: Option<Vec<String>>,
}

/// A procedure as an organisation runs it, with the ombudsman after its last stage.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProcedureView {
    #[serde(flatten)]
    pub procedure: Procedure,
    pub ombudsman: Ombudsman,
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
        nation: organisation.nation.as_str().to_string(),
        ombudsman: *organisation.nation.ombudsman(),
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
    let division: Option<Division> = input
        .division
        .as_deref()
        .map(|d| {
            d.parse()
                .map_err(|e: String| ApiError::invalid("division", e))
        })
        .transpose()?;
    let nation: Option<Nation> = input
        .nation
        .as_deref()
        .map(|n| {
            n.parse()
                .map_err(|e: String| ApiError::invalid("nation", e))
        })
        .transpose()?;
    let defaults = NewOrganisation::with_defaults(&input.slug);
    let (nation, default_procedures) = match (nation, division) {
        (Some(nation), _) => (nation, nation.default_procedures()),
        (None, Some(division)) => (Nation::of_division(division), defaults.procedures.clone()),
        (None, None) => (defaults.nation, defaults.procedures.clone()),
    };
    let procedures = match &input.procedures {
        None => default_procedures,
        Some(names) => names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                Procedure::preset(name).ok_or_else(|| {
                    ApiError::invalid(
                        &format!("procedures[{i}]"),
                        format!("'{name}' is not one of {}", Procedure::PRESETS.join(", ")),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    if procedures.is_empty() {
        return Err(ApiError::invalid(
            "procedures",
            "choose at least one procedure",
        ));
    }
    let new = NewOrganisation {
        slug: input.slug.clone(),
        name: input.name,
        reference_prefix: input.reference_prefix,
        division: division.unwrap_or(nation.division()),
        nation,
        procedures,
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

/// The procedures of an organisation, with every stage's timescales and the ombudsman after
/// the last stage.
#[utoipa::path(get, path = "/organisations/{slug}/procedures", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<ProcedureView>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn procedures(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<Vec<ProcedureView>>, ApiError> {
    let organisation = state
        .store
        .authorise(&principal.access, &slug, Permission::ViewReports)
        .await?;
    Ok(Json(procedure_views(&organisation)))
}

pub(crate) fn procedure_views(organisation: &Organisation) -> Vec<ProcedureView> {
    organisation
        .procedures
        .iter()
        .map(|procedure| ProcedureView {
            procedure: procedure.clone(),
            ombudsman: *organisation.nation.ombudsman(),
        })
        .collect()
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
