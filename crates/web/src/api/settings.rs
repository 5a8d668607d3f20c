//! An organisation's settings that move deadlines: its closure days (counted only by the
//! procedures whose rules let them), its bank-holiday calendar and which procedures it runs.

use super::cases::optional_if_match;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use redress_calendar::Closure;
use redress_store::Permission;
use serde::{Deserialize, Serialize};

/// A day the council is closed.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureDay {
    pub date: NaiveDate,
    /// What the day is, e.g. "Council closure between Christmas and New Year".
    #[schema(max_length = 200)]
    pub label: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcedureChoice {
    /// Names from the presets: statutory, corporate, lgsco-code.
    pub procedures: Vec<String>,
}

fn view(closures: &[Closure]) -> Vec<ClosureDay> {
    closures
        .iter()
        .map(|c| ClosureDay {
            date: c.date,
            label: c.label.clone(),
        })
        .collect()
}

/// The organisation's closure days. They lengthen its own procedures' deadlines, never the
/// statutory procedure's (reg. 2).
#[utoipa::path(get, path = "/organisations/{slug}/closures", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<ClosureDay>, headers(("ETag" = String, description = "The settings' version, for If-Match"))), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn closures(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let organisation = state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    Ok(with_version(
        organisation.version,
        Json(view(&organisation.closures)),
    ))
}

/// A response carrying the organisation's settings version as its ETag.
fn with_version(version: i64, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// Add a closure day; open cases are re-dated.
#[utoipa::path(post, path = "/organisations/{slug}/closures", tag = "organisations", request_body = ClosureDay,
    params(("slug" = String, Path, description = "Organisation slug"), ("If-Match" = Option<String>, Header, description = "The ETag of the organisation's settings as read; a stale one gets 409")),
    responses((status = 201, body = Vec<ClosureDay>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_closure(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ClosureDay>,
) -> Result<Response, ApiError> {
    state
        .store
        .add_closure(
            &principal.access,
            &slug,
            optional_if_match(&headers)?,
            Closure {
                date: body.date,
                label: body.label,
            },
            &principal.actor,
            state.clock().today(),
        )
        .await?;
    let organisation = state.store.organisation(&slug).await?;
    Ok(with_version(
        organisation.version,
        (StatusCode::CREATED, Json(view(&organisation.closures))),
    ))
}

/// Remove a closure day; open cases are re-dated.
#[utoipa::path(delete, path = "/organisations/{slug}/closures/{date}", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug"), ("date" = NaiveDate, Path, description = "The closure day, YYYY-MM-DD"), ("If-Match" = Option<String>, Header, description = "The ETag of the organisation's settings as read; a stale one gets 409")),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn remove_closure(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, date)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let date = redress_calendar::parse_iso_date(&date)
        .map_err(|_| ApiError::not_found(&format!("closure day {date}")))?;
    state
        .store
        .remove_closure(
            &principal.access,
            &slug,
            optional_if_match(&headers)?,
            date,
            &principal.actor,
            state.clock().today(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Choose which procedures the organisation runs, from the presets. One that still has open
/// cases cannot be removed.
#[utoipa::path(put, path = "/organisations/{slug}/procedures", tag = "organisations", request_body = ProcedureChoice,
    params(("slug" = String, Path, description = "Organisation slug"), ("If-Match" = Option<String>, Header, description = "The ETag of the organisation's settings as read; a stale one gets 409")),
    responses((status = 200, body = Vec<super::organisations::ProcedureView>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_procedures(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ProcedureChoice>,
) -> Result<Json<Vec<super::organisations::ProcedureView>>, ApiError> {
    state
        .store
        .set_procedures(
            &principal.access,
            &slug,
            optional_if_match(&headers)?,
            &body.procedures,
            &principal.actor,
        )
        .await?;
    Ok(Json(super::organisations::procedure_views(
        &*state.store.organisation(&slug).await?,
    )))
}

/// The gov.uk bank-holidays.json file, as published at https://www.gov.uk/bank-holidays.json.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(value_type = Object)]
#[serde(transparent)]
pub struct BankHolidays(serde_json::Value);

/// The calendar deadlines are counted on.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarView {
    /// The bank-holiday division: england-and-wales, scotland or northern-ireland.
    pub division: String,
    /// The first and last dates the bank holidays are known for.
    pub known_from: NaiveDate,
    pub known_to: NaiveDate,
}

/// Replace the bank holidays with a newer gov.uk file (as the admin page uploads it); open
/// cases are re-dated.
#[utoipa::path(put, path = "/organisations/{slug}/calendar", tag = "organisations", request_body = BankHolidays,
    params(("slug" = String, Path, description = "Organisation slug"), ("If-Match" = Option<String>, Header, description = "The ETag of the organisation's settings as read; a stale one gets 409")),
    responses((status = 200, body = CalendarView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_calendar(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    headers: HeaderMap,
    ApiJson(BankHolidays(body)): ApiJson<BankHolidays>,
) -> Result<Json<CalendarView>, ApiError> {
    state
        .store
        .set_calendar(
            &principal.access,
            &slug,
            optional_if_match(&headers)?,
            &body.to_string(),
            &principal.actor,
            state.clock().today(),
        )
        .await
        .map_err(|e| match e {
            // The page's field is the file; here it is the body.
            redress_store::StoreError::Invalid { message, .. } => {
                ApiError::invalid_body("body", message)
            }
            other => other.into(),
        })?;
    let organisation = state.store.organisation(&slug).await?;
    let (known_from, known_to) = organisation.calendar.coverage();
    Ok(Json(CalendarView {
        division: organisation.division.to_string(),
        known_from,
        known_to,
    }))
}
