//! Data protection through the API: the retention schedule, erasures, legal holds, erasure
//! and rectification on request. The rules are core's and the store's; this only carries them.

use super::cases::{etag, id_of, if_match};
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use redress_core::retention::RetentionRule;
use redress_core::{PersonalDetails, PersonalPatch};
use serde::{Deserialize, Serialize};

/// The organisation's retention schedule: every procedure and `compliments`, with the years
/// personal data is kept (after a case is concluded; after a compliment is received).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionSchedule {
    #[schema(max_items = 50)]
    pub rules: Vec<RetentionRule>,
}

/// The organisation's retention schedule, with core's defaults where it has set none.
#[utoipa::path(get, path = "/organisations/{slug}/retention", tag = "data protection",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = RetentionSchedule), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn schedule(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<RetentionSchedule>, ApiError> {
    // Administrators (and system administrators, who may set it), complaints officers and
    // information governance.
    let store = &state.store;
    let access = &principal.access;
    if let Err(refused) = store
        .authorise(access, &slug, redress_store::Permission::ManageOrganisation)
        .await
    {
        store
            .authorise(access, &slug, redress_store::Permission::ReadRetention)
            .await
            .map_err(|_| refused)?;
    }
    let rules = state.store.retention_schedule(&slug).await?;
    Ok(Json(RetentionSchedule { rules }))
}

/// Set the retention schedule (administrators). Lines left out go back to the defaults.
#[utoipa::path(put, path = "/organisations/{slug}/retention", tag = "data protection", request_body = RetentionSchedule,
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = RetentionSchedule), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_schedule(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<RetentionSchedule>,
) -> Result<Json<RetentionSchedule>, ApiError> {
    let rules = state
        .store
        .set_retention_schedule(&principal.access, &slug, &input.rules, &principal.actor)
        .await?;
    Ok(Json(RetentionSchedule { rules }))
}

/// A file an erasure deleted (its name is not kept: a name can be personal).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErasedFileView {
    pub id: i64,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub added_at: DateTime<Utc>,
}

/// One erasure: what, when, under which rule, by whom. No personal data.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErasureView {
    pub case_id: Option<i64>,
    pub compliment_id: Option<i64>,
    pub reference: Option<String>,
    pub erased_on: NaiveDate,
    pub rule: String,
    pub files: Vec<ErasedFileView>,
    pub actor: String,
}

impl From<redress_store::Erasure> for ErasureView {
    fn from(e: redress_store::Erasure) -> Self {
        ErasureView {
            case_id: e.case_id,
            compliment_id: e.compliment_id,
            reference: e.reference,
            erased_on: e.erased_on,
            rule: e.rule,
            files: e
                .files
                .into_iter()
                .map(|f| ErasedFileView {
                    id: f.id,
                    content_type: f.content_type,
                    size: f.size,
                    sha256: f.sha256,
                    added_at: f.added_at,
                })
                .collect(),
            actor: e.actor,
        }
    }
}

/// The organisation's erasures, newest first (the latest 1,000).
#[utoipa::path(get, path = "/organisations/{slug}/erasures", tag = "data protection",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<ErasureView>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn erasures(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<Vec<ErasureView>>, ApiError> {
    let erasures = state.store.erasures(&principal.access, &slug).await?;
    Ok(Json(erasures.into_iter().map(Into::into).collect()))
}

/// A legal hold: the case's personal data is kept past its schedule until it is lifted.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LegalHoldView {
    pub reason: String,
    pub placed_by: String,
    pub placed_at: DateTime<Utc>,
}

/// Why a case is held, or why its personal data is erased early.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    #[schema(max_length = 1000)]
    pub reason: String,
}

/// The case's legal hold; 404 when none stands.
#[utoipa::path(get, path = "/cases/{id}/legal-hold", tag = "data protection",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = LegalHoldView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn hold(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<LegalHoldView>, ApiError> {
    let id = id_of(&id)?;
    let hold = state
        .store
        .legal_hold(&principal.access, id)
        .await?
        .ok_or_else(|| ApiError::not_found(&format!("legal hold on case {id}")))?;
    Ok(Json(LegalHoldView {
        reason: hold.reason,
        placed_by: hold.placed_by,
        placed_at: hold.placed_at,
    }))
}

/// Place (or replace) a legal hold: the retention schedule and erasure on request leave the
/// case alone until it is lifted. Refused (422 on `case`) once the case is erased.
#[utoipa::path(put, path = "/cases/{id}/legal-hold", tag = "data protection", request_body = Reason,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = LegalHoldView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn place_hold(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<Reason>,
) -> Result<Json<LegalHoldView>, ApiError> {
    let id = id_of(&id)?;
    let hold = state
        .store
        .place_legal_hold(&principal.access, id, &input.reason, &principal.actor)
        .await?;
    Ok(Json(LegalHoldView {
        reason: hold.reason,
        placed_by: hold.placed_by,
        placed_at: hold.placed_at,
    }))
}

/// Lift the case's legal hold.
#[utoipa::path(delete, path = "/cases/{id}/legal-hold", tag = "data protection",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn lift_hold(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&id)?;
    state
        .store
        .lift_legal_hold(&principal.access, id, &principal.actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Erase the case's personal data now, on the person's request (UK GDPR Art. 17), with the
/// reason. Refused (422 on `legal_hold`) while a legal hold stands. The reason is erased with
/// the case: the erasure record says only "on request" and who.
#[utoipa::path(post, path = "/cases/{id}/erasure", tag = "data protection", request_body = Reason,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 201, body = ErasureView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn erase(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<Reason>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let erasure = state
        .store
        .erase_on_request(
            &principal.access,
            id,
            &input.reason,
            &principal.actor,
            state.clock().today(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(ErasureView::from(erasure))).into_response())
}

/// Corrected personal details, and what was wrong. Only the fields sent change: a field left
/// out stays, `null` clears it (JSON merge patch, RFC 7396).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rectification {
    pub personal: PersonalPatch,
    #[schema(max_length = 1000)]
    pub reason: String,
}

/// A rectification's answer: the person's details as they now stand and the case's new
/// version, not the case. Information governance reads no cases, and reaches a person's
/// records through subject access; a complaints officer reads the case with `GET /cases/{id}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RectifiedView {
    pub id: i64,
    pub reference: String,
    /// The ETag of the next change.
    pub version: i64,
    pub personal: PersonalDetails,
}

/// Correct a person's details on a case (UK GDPR Art. 16), with the reason (information
/// governance and complaints officers). Needs If-Match: the version from the case, or from a
/// subject access search.
#[utoipa::path(post, path = "/cases/{id}/rectification", tag = "data protection", request_body = Rectification,
    params(("id" = i64, Path, description = "Case id"), ("If-Match" = String, Header, description = "The ETag read")),
    responses((status = 200, body = RectifiedView, headers(("ETag" = String))), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")))]
pub async fn rectify(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Rectification>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let version = if_match(&headers)?;
    let record = state
        .store
        .rectify(
            &principal.access,
            id,
            version,
            input.personal,
            &input.reason,
            &principal.actor,
            state.clock().today(),
        )
        .await?;
    let version = record.version;
    let view = RectifiedView {
        id: record.id,
        reference: record.case.reference().to_string(),
        version: record.version,
        personal: record.case.into_personal(),
    };
    let mut response = (StatusCode::OK, Json(view)).into_response();
    response
        .headers_mut()
        .insert(axum::http::header::ETAG, etag(version));
    Ok(response)
}
