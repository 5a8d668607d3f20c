//! Subject access (UK GDPR Art. 15), for information governance: find one
//! person across the organisation's cases, compliments and mail, and export what was found as
//! a ZIP bundle. Each search and each export is audited with a keyed digest of the term, never
//! the term.

use super::views::SubjectMatches;
use crate::error::{ApiError, Problem};
use crate::subject_access::{bundle as make_bundle, Request};
use crate::{AppState, Principal};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The search's query string.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchQuery {
    /// A whole email address, a phone number, or part of a name or a child's identifier, with
    /// at least 3 letters or digits (`.co` is refused: it names no one).
    q: String,
}

/// The bundle's query string.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct BundleQuery {
    /// At least 3 characters of a name, email, phone number or child's identifier.
    q: String,
    /// Only these of the cases the search finds, by id (repeat the parameter); every case
    /// found without it. An id the search does not find is refused.
    case: Option<Vec<i64>>,
}

/// A query string read by hand, since `case` may be repeated.
pub(crate) struct SubjectQuery {
    pub q: String,
    /// As given: checked against the cases found once the caller may see them.
    pub cases: Vec<String>,
}

impl SubjectQuery {
    pub(crate) fn parse(raw: Option<&str>, with_cases: bool) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| ApiError::bad_query("query", e.to_string()))?;
        let mut q = None;
        let mut cases = Vec::new();
        for (name, value) in pairs {
            match name.as_str() {
                "q" if q.is_some() => {
                    return Err(ApiError::bad_query("q", "give the search term once"))
                }
                "q" => q = Some(value),
                "case" if with_cases => cases.push(value),
                _ => {
                    let known = if with_cases { "q and case" } else { "q" };
                    return Err(ApiError::bad_query(
                        &name,
                        format!("unknown parameter: this operation takes {known}"),
                    ));
                }
            }
        }
        Ok(SubjectQuery {
            q: q.unwrap_or_default(),
            cases,
        })
    }

    /// The chosen case ids, each one the search found; `None` for all of them.
    pub(crate) fn chosen(
        &self,
        matches: &redress_store::SubjectMatches,
    ) -> Result<Option<Vec<i64>>, ApiError> {
        if self.cases.is_empty() {
            return Ok(None);
        }
        let mut ids = Vec::new();
        for raw in &self.cases {
            let id = raw
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| matches.cases.iter().any(|c| c.id == *id))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "case",
                        format!("'{raw:.40}' is not the id of a case this search finds"),
                    )
                })?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(Some(ids))
    }
}

/// Find one person: the cases whose complainant's name, contact email or phone, or a child's
/// identifier holds the term; the compliments whose text holds it; and the acknowledgements
/// and letters sent to them. Audited (the term as a keyed digest).
#[utoipa::path(get, path = "/organisations/{slug}/subject-access", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug"), SearchQuery),
    responses((status = 200, body = SubjectMatches), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SubjectMatches>, ApiError> {
    let query = SubjectQuery::parse(raw.as_deref(), false)?;
    let matches = state
        .store
        .subject_search(&principal.access, &slug, &query.q, &principal.actor)
        .await?;
    Ok(Json(matches.into()))
}

/// The subject access bundle for one person, as a ZIP: `subject-access.json` (the search,
/// and each case's record, timeline, files' details and mail; the compliments), a PDF of each
/// case's record with other people's details marked for redaction, each case's files, and the
/// mail sent to the person. Audited as an export (the term as a keyed digest, the cases and
/// the number of files).
#[utoipa::path(get, path = "/organisations/{slug}/subject-access/bundle", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug"), BundleQuery),
    responses((status = 200, description = "The bundle, application/zip", headers(("Content-Disposition" = String))), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn bundle(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let query = SubjectQuery::parse(raw.as_deref(), true)?;
    export(&state, &principal, &slug, &query).await
}

/// Makes the bundle, logs the export, and answers the ZIP as a download: the API's and the
/// page's.
pub(crate) async fn export(
    state: &AppState,
    principal: &Principal,
    slug: &str,
    query: &SubjectQuery,
) -> Result<Response, ApiError> {
    let matches = state
        .store
        .subject_search_for_export(&principal.access, slug, &query.q)
        .await?;
    let chosen = query.chosen(&matches)?;
    let organisation = state.store.organisation(slug).await?;
    let today = state.clock().today();
    let request = Request {
        term: &query.q,
        actor: &principal.actor.label,
        chosen: chosen.as_deref(),
        today,
    };
    // Each case as the API shows it, in the bundle's JSON.
    let case_json = |record: &redress_store::CaseRecord| {
        serde_json::to_value(super::cases::view(record.clone(), &organisation, today))
            .unwrap_or(serde_json::Value::Null)
    };
    let made = make_bundle(&state.store, &organisation, &request, matches, &case_json).await?;
    state
        .store
        .log_subject_export(
            &principal.access,
            slug,
            &query.q,
            &made.references,
            made.files,
            &principal.actor,
        )
        .await?;
    let mut response = (StatusCode::OK, made.zip).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let filename = format!("subject-access-{}-{today}.zip", organisation.slug);
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    Ok(response)
}
