//! Letters: a council's templates (administrators), and letters written on a case, kept as
//! PDF and Word attachments with "letter_sent" on the timeline.

use super::attachments::AttachmentView;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::letters::{
    letter_text, save_template, send_letter, template_of, LetterKind, PLACEHOLDERS,
};
use crate::{AppState, Principal};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use redress_core::Language;
use redress_store::Permission;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlaceholderView {
    pub name: String,
    pub description: String,
}

/// A kind of letter's template as the organisation uses it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LetterTemplateView {
    pub kind: LetterKind,
    pub language: Language,
    /// Markdown with `{{ placeholders }}`.
    pub body: String,
    /// Whether this is the organisation's own wording rather than the built-in one.
    pub custom: bool,
    /// Every placeholder a template may use.
    pub placeholders: Vec<PlaceholderView>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterTemplateInput {
    /// Markdown with `{{ placeholders }}`; a response must contain `{{ signposting }}`.
    pub body: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterInput {
    pub kind: LetterKind,
    /// The letter's final Markdown; absent, the template filled from the case.
    pub body: Option<String>,
    /// Also email it to the complainant's contact address, the PDF attached (through the
    /// outbox, in the same transaction).
    #[serde(default)]
    pub send_by_email: bool,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LetterQuery {
    /// Return the filled Markdown and keep nothing.
    pub preview: Option<bool>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TemplateQuery {
    /// The template's language: en (default) or cy, for the letters of complainants who chose
    /// Welsh.
    #[param(value_type = Option<String>)]
    pub lang: Option<Language>,
}

/// A letter written on a case: its files, or only its text on a preview.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LetterView {
    pub kind: LetterKind,
    pub date: NaiveDate,
    /// The letter as Markdown.
    pub body: String,
    /// Its PDF and Word files on the case; empty on a preview.
    pub attachments: Vec<AttachmentView>,
}

fn kind_of(raw: &str) -> Result<LetterKind, ApiError> {
    LetterKind::parse(raw).map_err(|e| ApiError::invalid("kind", e))
}

async fn template_view(
    state: &AppState,
    slug: &str,
    kind: LetterKind,
    language: Language,
) -> Result<LetterTemplateView, ApiError> {
    let (body, custom) = template_of(&state.store, slug, kind, language).await?;
    Ok(LetterTemplateView {
        kind,
        language,
        body,
        custom,
        placeholders: PLACEHOLDERS
            .iter()
            .map(|(name, description)| PlaceholderView {
                name: name.to_string(),
                description: description.to_string(),
            })
            .collect(),
    })
}

/// A kind of letter's template: the organisation's own wording, or the built-in one.
#[utoipa::path(get, path = "/organisations/{slug}/letter-templates/{kind}", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug"), ("kind" = LetterKind, Path, description = "Kind of letter"), TemplateQuery),
    responses((status = 200, body = LetterTemplateView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn template(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, kind)): Path<(String, String)>,
    query: Result<Query<TemplateQuery>, QueryRejection>,
) -> Result<Json<LetterTemplateView>, ApiError> {
    let Query(query) = query?;
    state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    let kind = kind_of(&kind)?;
    let language = query.lang.unwrap_or_default();
    Ok(Json(template_view(&state, &slug, kind, language).await?))
}

/// Set the organisation's wording of a kind of letter.
#[utoipa::path(put, path = "/organisations/{slug}/letter-templates/{kind}", tag = "organisations", request_body = LetterTemplateInput,
    params(("slug" = String, Path, description = "Organisation slug"), ("kind" = LetterKind, Path, description = "Kind of letter"), TemplateQuery),
    responses((status = 200, body = LetterTemplateView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_template(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, kind)): Path<(String, String)>,
    query: Result<Query<TemplateQuery>, QueryRejection>,
    ApiJson(input): ApiJson<LetterTemplateInput>,
) -> Result<Json<LetterTemplateView>, ApiError> {
    let Query(query) = query?;
    state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    let kind = kind_of(&kind)?;
    let language = query.lang.unwrap_or_default();
    save_template(
        &state.store,
        &principal.access,
        &slug,
        (kind, language),
        &input.body,
        &principal.actor,
    )
    .await?;
    Ok(Json(template_view(&state, &slug, kind, language).await?))
}

/// Write a letter on a case: PDF and Word in the council's name, kept as attachments, with
/// "letter_sent" on the timeline. With `preview=true`, only the filled Markdown.
#[utoipa::path(post, path = "/cases/{id}/letters", tag = "cases", request_body = LetterInput,
    params(("id" = i64, Path, description = "Case id"), LetterQuery),
    responses((status = 201, body = LetterView), (status = 200, body = LetterView, description = "The preview"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    query: Result<Query<LetterQuery>, QueryRejection>,
    ApiJson(input): ApiJson<LetterInput>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found(&format!("case {id}")))?;
    let body = letter_text(
        &state.store,
        &state.clock(),
        &principal.access,
        id,
        input.kind,
        input.body,
    )
    .await?;
    let date = state.clock().today();
    if query.preview == Some(true) {
        let view = LetterView {
            kind: input.kind,
            date,
            body,
            attachments: Vec::new(),
        };
        return Ok((StatusCode::OK, Json(view)).into_response());
    }
    let attachments = send_letter(
        &state.store,
        &state.clock(),
        &principal.access,
        &principal.actor,
        id,
        input.kind,
        &body,
        input.send_by_email,
    )
    .await?
    .into_iter()
    .map(Into::into)
    .collect();
    let view = LetterView {
        kind: input.kind,
        date,
        body,
        attachments,
    };
    Ok((StatusCode::CREATED, Json(view)).into_response())
}
