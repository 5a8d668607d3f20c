use super::views::{CaseRecord, CaseSummary, EventRecord};
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use redress_core::{CaseId, CaseUpdate, NewCase, Status, Transition};
use redress_store::{CaseFilter, Organisation, Permission};
use serde::{Deserialize, Serialize};

/// A case as the API shows it: the record, its version (also the ETag) and its deadlines.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    #[serde(flatten)]
    pub record: CaseRecord,
    pub deadline: Option<redress_core::DeadlineInForce>,
    /// Why the deadline in force cannot be worked out, when it cannot (the calendar does not
    /// reach it): shown rather than left blank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline_error: Option<String>,
    pub timeliness: Vec<redress_core::StageTimeliness>,
    /// Every step, and whether the case allows it now; when not, why. The pages offer exactly
    /// the allowed ones.
    pub steps: Vec<redress_core::Step>,
}

/// The body of `POST /cases`: documents the schema; `create` reads it in two parts so that an
/// error inside the case names its own field.
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CreateCase {
    /// The organisation's slug.
    pub organisation: String,
    #[schema(inline)]
    pub case: NewCase,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Organisation slug.
    pub organisation: Option<String>,
    /// Procedure name, e.g. statutory.
    pub procedure: Option<String>,
    /// Current stage number.
    pub stage: Option<i64>,
    pub status: Option<Status>,
    /// Team name.
    pub team: Option<String>,
    /// Open cases due on or before this date.
    pub due_before: Option<NaiveDate>,
    /// Open cases due within this many working days from today (needs `organisation`).
    pub due_within_working_days: Option<u32>,
    /// Open cases past their due date.
    pub overdue: Option<bool>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Text to find in summaries.
    pub q: Option<String>,
    /// One case by its reference.
    pub reference: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

pub(crate) fn view(
    record: redress_store::CaseRecord,
    organisation: &Organisation,
    today: chrono::NaiveDate,
) -> CaseView {
    let procedure = organisation.procedure(record.case.procedure()).ok();
    // Core works out what the page shows too, each stage under the definition it ran under.
    let (deadline, deadline_error) = match record.case.deadline_in_force(organisation, today) {
        Ok(deadline) => (deadline, None),
        Err(e) => (None, Some(e.to_string())),
    };
    let timeliness = record.case.timeliness(organisation);
    let steps = procedure
        .map(|p| {
            record
                .case
                .available_transitions(&organisation.rules(p, today))
        })
        .unwrap_or_default();
    CaseView {
        record: record.into(),
        deadline,
        deadline_error,
        timeliness,
        steps,
    }
}

pub(super) fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).expect("digits are a valid header")
}

/// The version named in If-Match: `"3"`, `W/"3"` or `3`.
pub(super) fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    optional_if_match(headers)?.ok_or_else(ApiError::precondition_required)
}

/// The version an If-Match header names, if one was sent.
pub(super) fn optional_if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .map(Some)
        .ok_or_else(|| ApiError::invalid("If-Match", "must be the ETag read, e.g. \"3\""))
}

pub(super) async fn respond(
    state: &AppState,
    record: redress_store::CaseRecord,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let organisation = state.store.organisation_of(&record).await?;
    let version = record.version;
    let id = record.id;
    let mut response = (
        status,
        Json(view(record, &organisation, state.clock().today())),
    )
        .into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    if status == StatusCode::CREATED {
        let location = HeaderValue::from_str(&format!("/api/v1/cases/{id}")).expect("ascii");
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

pub(super) fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<CaseId>()
        .map(CaseId::get)
        .map_err(|_| ApiError::not_found(&format!("case {raw}")))
}

/// List cases, filtered, a page at a time.
#[utoipa::path(get, path = "/cases", tag = "cases", params(ListQuery),
    responses((status = 200, body = CasePage), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<CasePage>, ApiError> {
    let Query(query) = query?;
    let today = state.clock().today();
    let mut due_before = query.due_before;
    if let Some(days) = query.due_within_working_days {
        let slug = query.organisation.as_deref().ok_or_else(|| {
            ApiError::invalid(
                "organisation",
                "due_within_working_days needs an organisation, whose calendar counts the days",
            )
        })?;
        let organisation = state
            .store
            .authorise(&principal.access, slug, Permission::ReadCases)
            .await?;
        let limit = organisation
            .calendar
            .add_working_days(today, days)
            .map_err(|e| ApiError::invalid("due_within_working_days", e.to_string()))?;
        due_before = Some(due_before.map_or(limit, |d| d.min(limit)));
    }
    let after = match &query.cursor {
        None => None,
        Some(c) => Some(
            c.parse()
                .map_err(|_| ApiError::invalid("cursor", "not a cursor from a previous page"))?,
        ),
    };
    let filter = CaseFilter {
        organisation: query.organisation,
        procedure: query.procedure,
        stage: query.stage,
        status: query.status,
        team: query.team,
        due_before,
        overdue: query.overdue,
        received_from: query.received_from,
        received_to: query.received_to,
        q: query.q,
        reference: query.reference,
        after,
        limit: query.limit,
        ..CaseFilter::default()
    };
    let (items, next) = state
        .store
        .list_cases(&principal.access, &filter, today)
        .await?;
    Ok(Json(CasePage {
        items: items.into_iter().map(Into::into).collect(),
        next_cursor: next.map(|n| n.to_string()),
    }))
}

/// Record a new complaint. The reference is generated unless given.
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = CreateCase,
    responses((status = 201, body = CaseView, headers(("ETag" = String), ("Location" = String))), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(mut body): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    // Read `organisation` apart, so errors inside the case name their own field.
    let organisation = body
        .as_object_mut()
        .and_then(|o| o.remove("organisation"))
        .ok_or_else(|| ApiError::invalid_body("organisation", "missing field `organisation`"))?;
    let organisation: String = crate::json::from_value(organisation)
        .map_err(|_| ApiError::invalid_body("organisation", "must be an organisation's slug"))?;
    let case: NewCase = crate::json::from_value(body)?;
    let record = state
        .store
        .create_case(
            &principal.access,
            &organisation,
            case,
            &principal.actor,
            state.clock().today(),
        )
        .await?;
    respond(&state, record, StatusCode::CREATED).await
}

/// Read a case, with its deadlines. The ETag is its version.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseView, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = state.store.case(&principal.access, id_of(&id)?).await?;
    state.store.record_view(&principal.actor, &record).await?;
    respond(&state, record, StatusCode::OK).await
}

/// Change a case's recorded facts. Needs If-Match; a stale version gets 409.
#[utoipa::path(patch, path = "/cases/{id}", tag = "cases", request_body = CaseUpdate,
    params(("id" = i64, Path, description = "Case id"), ("If-Match" = String, Header, description = "The ETag read")),
    responses((status = 200, body = CaseView, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CaseUpdate>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let version = if_match(&headers)?;
    let update = body;
    let record = state
        .store
        .update_case(
            &principal.access,
            id,
            version,
            &update,
            &principal.actor,
            state.clock().today(),
        )
        .await?;
    respond(&state, record, StatusCode::OK).await
}

/// Move a case through its lifecycle (acknowledge, respond, escalate, extend, ...). Needs
/// If-Match; a stale version gets 409, and a step not allowed now gets 409 with the reason.
#[utoipa::path(post, path = "/cases/{id}/transitions", tag = "cases", request_body = Transition,
    params(("id" = i64, Path, description = "Case id"), ("If-Match" = String, Header, description = "The ETag read")),
    responses((status = 200, body = CaseView, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")))]
pub async fn transition(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Transition>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let version = if_match(&headers)?;
    let transition = body;
    let record = state
        .store
        .transition(
            &principal.access,
            id,
            version,
            &transition,
            &principal.actor,
            state.clock().today(),
        )
        .await?;
    respond(&state, record, StatusCode::OK).await
}

/// The audit log of a case, oldest first. Nothing can change or delete an event.
#[utoipa::path(get, path = "/cases/{id}/events", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = Vec<EventRecord>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn events(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<EventRecord>>, ApiError> {
    let events = state.store.events(&principal.access, id_of(&id)?).await?;
    Ok(Json(events.into_iter().map(Into::into).collect()))
}
