use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{report_file, report_input, AppState, Principal};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use redress_core::{FinancialYear, Quarter};
use redress_report::render::Format;
use redress_report::{Period, NARRATIVE_SECTIONS};
use redress_store::Permission;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// json (default), html, pdf, docx, csv or xlsx.
    pub format: Option<Format>,
    /// 1 to 4 for a quarter (1 is April to June); the whole year without it.
    #[param(value_type = Option<u8>, minimum = 1, maximum = 4)]
    pub quarter: Option<Quarter>,
    /// One team's report.
    pub team: Option<String>,
    /// One of the organisation's procedures: the report of its scheme alone (e.g.
    /// `adult-social-care` for reg. 18's adult social care report).
    pub procedure: Option<String>,
    /// The population the council serves, for the SPSO's complaints per 1,000 (indicator 4).
    #[param(minimum = 1)]
    pub population: Option<u64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NarrativeInput {
    /// Markdown: paragraphs and "- " lists.
    pub body: String,
}

pub(crate) fn year_of(raw: &str) -> Result<i32, ApiError> {
    FinancialYear::parse(raw)
        .map(FinancialYear::first_year)
        .map_err(|e| ApiError::invalid("year", e))
}

/// The annual (or quarterly, or team) report, in any format.
#[utoipa::path(get, path = "/organisations/{slug}/reports/{year}", tag = "reports", params(
        ("slug" = String, Path, description = "Organisation slug"),
        ("year" = i32, Path, minimum = 2000, maximum = 2100, description = "First year of the financial year: 2020 is 2020/21"),
        ReportQuery),
    responses((status = 200, description = "The report in the format asked for"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn report(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, year)): Path<(String, String)>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let year = year_of(&year)?;
    state
        .store
        .authorise(&principal.access, &slug, Permission::ViewReports)
        .await?;
    let period = match query.quarter {
        None => Period::financial_year(year),
        Some(q) => {
            Period::quarter(year, q.number()).map_err(|e| ApiError::invalid("quarter", e))?
        }
    };
    let period = period.judged_as_of(state.clock().today());
    let report = report_input::report_for(
        &state.store,
        &slug,
        &period,
        query.team.as_deref(),
        query.procedure.as_deref(),
    )
    .await?;
    let report = report_input::with_population(report, query.population)?;
    Ok(report_file::respond(report, query.format.unwrap_or(Format::Json)).await?)
}

/// The narrative sections of a year's report.
#[utoipa::path(get, path = "/organisations/{slug}/narratives/{year}", tag = "reports",
    params(("slug" = String, Path, description = "Organisation slug"), ("year" = i32, Path, minimum = 2000, maximum = 2100, description = "First year of the financial year")),
    responses((status = 200, body = BTreeMap<String, String>), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn narratives(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, year)): Path<(String, String)>,
) -> Result<Json<BTreeMap<String, String>>, ApiError> {
    state
        .store
        .authorise(&principal.access, &slug, Permission::ViewReports)
        .await?;
    Ok(Json(state.store.narratives(&slug, year_of(&year)?).await?))
}

/// Set one narrative section (learning, priorities, case summaries, ...).
#[utoipa::path(put, path = "/organisations/{slug}/narratives/{year}/{section}", tag = "reports", request_body = NarrativeInput,
    params(("slug" = String, Path, description = "Organisation slug"), ("year" = i32, Path, minimum = 2000, maximum = 2100, description = "First year of the financial year"), ("section" = String, Path, description = "Section name")),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_narrative(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, year, section)): Path<(String, String, String)>,
    ApiJson(input): ApiJson<NarrativeInput>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .authorise(&principal.access, &slug, Permission::EditNarrative)
        .await?;
    let year = year_of(&year)?;
    if !NARRATIVE_SECTIONS.contains(&section.as_str()) {
        return Err(ApiError::invalid(
            "section",
            format!(
                "'{section}' is not one of {}",
                NARRATIVE_SECTIONS.join(", ")
            ),
        ));
    }
    state
        .store
        .set_narrative(
            &principal.access,
            &slug,
            year,
            &section,
            &input.body,
            &principal.actor,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
