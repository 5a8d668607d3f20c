use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use redress_core::{FinancialYear, Quarter};
use redress_report::render::{render, Format};
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
    report_response(
        &state,
        &principal.access,
        &slug,
        year,
        query.quarter.map(Quarter::number),
        query.team.as_deref(),
        query.format.unwrap_or(Format::Json),
    )
    .await
}

/// A report as a download (or JSON), for the API and the reports page alike.
pub(crate) async fn report_response(
    state: &AppState,
    access: &redress_store::Access,
    slug: &str,
    year: i32,
    quarter: Option<u8>,
    team: Option<&str>,
    format: Format,
) -> Result<Response, ApiError> {
    state
        .store
        .authorise(access, slug, Permission::ViewReports)
        .await?;
    let period = match quarter {
        None => Period::financial_year(year),
        Some(q) => Period::quarter(year, q).map_err(|e| ApiError::invalid("quarter", e))?,
    };
    let report = redress_report::build(&state.store, slug, &period, team).await?;
    let bytes = tokio::task::spawn_blocking(move || render(&report, format))
        .await
        .map_err(|e| {
            crate::telemetry::log_error("the report renderer stopped", &e);
            ApiError::internal()
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "the report could not be rendered");
            ApiError::internal()
        })?;
    let filename = format!(
        "{slug}-{}.{}",
        period.label.replace(['/', ' '], "-"),
        format.extension()
    );
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if format == Format::Html {
        // The report is one self-contained file with its styles inline; it runs no script.
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
            ),
        );
    }
    if format.is_binary() {
        let disposition = format!("attachment; filename=\"{filename}\"");
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        );
    }
    Ok(response)
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
        .set_narrative(&slug, year, &section, &input.body, &principal.actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
