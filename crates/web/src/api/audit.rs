//! The audit log for administrators: every change, every read of a case, every sign-in.

use super::views;
use crate::error::{ApiError, Problem};
use crate::{AppState, Principal};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use futures_util::StreamExt;
use redress_accounts::{AuditEntry, AuditFilter};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Organisation slug.
    pub organisation: String,
    /// One case's entries.
    pub case: Option<i64>,
    /// One user's entries, by email.
    pub user: Option<String>,
    /// From this day (UTC), inclusive.
    pub from: Option<NaiveDate>,
    /// To this day (UTC), inclusive.
    pub to: Option<NaiveDate>,
    /// json (default) or csv: every matching entry as one file.
    pub format: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<i64>,
    /// Page size, 1 to 5000 (default 100).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub items: Vec<views::AuditEntry>,
    pub next_cursor: Option<i64>,
}

const CSV_COLUMNS: [&str; 10] = [
    "id",
    "occurred_at",
    "kind",
    "actor",
    "user",
    "case_id",
    "case_reference",
    "address",
    "before",
    "after",
];

fn csv_row(entry: &AuditEntry) -> [String; 10] {
    let text =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    [
        entry.id.to_string(),
        entry.occurred_at.to_rfc3339(),
        entry.kind.clone(),
        entry.actor.clone(),
        entry.user.clone().unwrap_or_default(),
        entry.case_id.map(|c| c.to_string()).unwrap_or_default(),
        entry.case_reference.clone().unwrap_or_default(),
        entry.address.clone().unwrap_or_default(),
        text(&entry.before),
        text(&entry.after),
    ]
}

/// Entries read a time for the CSV.
const CSV_PAGE: i64 = 5000;

/// One page of the CSV, with the header line first when `header`. Writing to memory fails
/// only on our side: a 500, never the client's 422.
fn csv_page(header: bool, items: &[AuditEntry]) -> Result<Vec<u8>, ApiError> {
    let mut writer = redress_interchange::SafeCsv::new(Vec::new());
    let fault = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "writing the audit CSV");
        ApiError::internal()
    };
    if header {
        writer.write_record(CSV_COLUMNS).map_err(|e| fault(&e))?;
    }
    for entry in items {
        writer.write_record(csv_row(entry)).map_err(|e| fault(&e))?;
    }
    writer.into_inner().map_err(|e| fault(&e))
}

/// The organisation's audit log, newest first (administrators only). `format=csv` exports
/// every matching entry. Nothing can change or delete an entry.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let filter = AuditFilter {
        case_id: query.case,
        user: query.user.clone(),
        from: query.from,
        to: query.to,
        before: query.cursor,
        kind: None,
    };
    match query.format.as_deref().unwrap_or("json") {
        "json" => {
            let (items, next_cursor) = state
                .accounts
                .audit(
                    &principal.access,
                    &query.organisation,
                    &filter,
                    query.limit.unwrap_or(100),
                )
                .await?;
            Ok(Json(AuditPage {
                items: items.into_iter().map(Into::into).collect(),
                next_cursor,
            })
            .into_response())
        }
        "csv" => {
            // The first page is read before answering, so a refusal is still a proper error;
            // the rest is streamed a page at a time, never the whole log in memory.
            let first = state
                .accounts
                .audit(&principal.access, &query.organisation, &filter, CSV_PAGE)
                .await?;
            let head = csv_page(true, &first.0)?;
            let pages = futures_util::stream::unfold(
                (
                    first.1,
                    filter,
                    state,
                    principal,
                    query.organisation.clone(),
                ),
                |(cursor, mut filter, state, principal, organisation)| async move {
                    filter.before = Some(cursor?);
                    let page = state
                        .accounts
                        .audit(&principal.access, &organisation, &filter, CSV_PAGE)
                        .await
                        .map_err(|e| {
                            crate::telemetry::log_error("the audit CSV stopped", &e);
                            std::io::Error::other("the audit log could not be read")
                        })
                        .and_then(|(items, next)| {
                            let bytes = csv_page(false, &items).map_err(|_| {
                                std::io::Error::other("the CSV could not be written")
                            })?;
                            Ok((bytes, next))
                        });
                    Some(match page {
                        Ok((bytes, next)) => {
                            (Ok(bytes), (next, filter, state, principal, organisation))
                        }
                        Err(e) => (Err(e), (None, filter, state, principal, organisation)),
                    })
                },
            );
            let body = axum::body::Body::from_stream(
                futures_util::stream::once(async move { Ok::<_, std::io::Error>(head) })
                    .chain(pages),
            );
            let disposition = format!(
                "attachment; filename=\"audit-{}.csv\"",
                query
                    .organisation
                    .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
            );
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            );
            Ok(response)
        }
        other => Err(ApiError::invalid(
            "format",
            format!("'{other}' is not json or csv"),
        )),
    }
}
