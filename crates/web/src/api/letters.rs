//! Letters: a council's templates (administrators), and letters written on a case, kept as
//! PDF and Word attachments with "letter_sent" on the timeline.

use super::attachments::AttachmentView;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::letters::{self, LetterKind, PLACEHOLDERS};
use crate::{AppState, Principal};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use redress_core::{StepName, Transition};
use redress_report::render::{letter_docx, letter_pdf, Letter};
use redress_store::{Actor, Permission};
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
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LetterQuery {
    /// Return the filled Markdown and keep nothing.
    pub preview: Option<bool>,
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

/// The organisation's template of a kind, or the built-in one.
pub(crate) async fn template_of(
    state: &AppState,
    slug: &str,
    kind: LetterKind,
) -> Result<(String, bool), ApiError> {
    Ok(
        match state.store.letter_template(slug, kind.slug()).await? {
            Some(body) => (body, true),
            None => (kind.builtin().to_string(), false),
        },
    )
}

async fn template_view(
    state: &AppState,
    slug: &str,
    kind: LetterKind,
) -> Result<LetterTemplateView, ApiError> {
    let (body, custom) = template_of(state, slug, kind).await?;
    Ok(LetterTemplateView {
        kind,
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
    params(("slug" = String, Path, description = "Organisation slug"), ("kind" = LetterKind, Path, description = "Kind of letter")),
    responses((status = 200, body = LetterTemplateView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn template(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, kind)): Path<(String, String)>,
) -> Result<Json<LetterTemplateView>, ApiError> {
    state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    let kind = kind_of(&kind)?;
    Ok(Json(template_view(&state, &slug, kind).await?))
}

/// Checks and saves a template (administrators); an unknown placeholder, or a response
/// without `{{ signposting }}`, is refused naming the line.
pub(crate) async fn save_template(
    state: &AppState,
    slug: &str,
    kind: LetterKind,
    body: &str,
    actor: &Actor,
) -> Result<(), ApiError> {
    letters::check(kind, body).map_err(|e| ApiError::invalid("body", e.0))?;
    state
        .store
        .set_letter_template(slug, kind.slug(), body, actor)
        .await?;
    Ok(())
}

/// Set the organisation's wording of a kind of letter.
#[utoipa::path(put, path = "/organisations/{slug}/letter-templates/{kind}", tag = "organisations", request_body = LetterTemplateInput,
    params(("slug" = String, Path, description = "Organisation slug"), ("kind" = LetterKind, Path, description = "Kind of letter")),
    responses((status = 200, body = LetterTemplateView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_template(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, kind)): Path<(String, String)>,
    ApiJson(input): ApiJson<LetterTemplateInput>,
) -> Result<Json<LetterTemplateView>, ApiError> {
    state
        .store
        .authorise(&principal.access, &slug, Permission::ManageOrganisation)
        .await?;
    let kind = kind_of(&kind)?;
    save_template(&state, &slug, kind, &input.body, &principal.actor).await?;
    Ok(Json(template_view(&state, &slug, kind).await?))
}

/// The letter's Markdown: the officer's, or the template filled from the case.
pub(crate) async fn letter_text(
    state: &AppState,
    principal: &Principal,
    case_id: i64,
    kind: LetterKind,
    body: Option<String>,
) -> Result<String, ApiError> {
    let record = state.store.case(&principal.access, case_id).await?;
    if let Some(body) = body {
        if body.trim().is_empty() || body.chars().count() > letters::MAX_TEMPLATE_CHARS {
            return Err(ApiError::invalid(
                "body",
                format!(
                    "the letter must have text, at most {} characters",
                    letters::MAX_TEMPLATE_CHARS
                ),
            ));
        }
        return Ok(body);
    }
    let organisation = state.store.organisation_of(&record).await?;
    let values = letters::values(kind, &record, &organisation, state.clock.today())?;
    let (template, _) = template_of(state, &record.organisation, kind).await?;
    letters::fill(&template, &values).map_err(|e| ApiError::invalid("kind", e.0))
}

/// Renders a letter, keeps it on the case and, for an acknowledgement the case allows,
/// acknowledges the complaint.
pub(crate) async fn send_letter(
    state: &AppState,
    principal: &Principal,
    case_id: i64,
    kind: LetterKind,
    body: &str,
) -> Result<Vec<AttachmentView>, ApiError> {
    let record = state.store.case(&principal.access, case_id).await?;
    let organisation = state.store.organisation_of(&record).await?;
    let today = state.clock.today();
    let title = format!("{} {}", kind.label(), record.case.reference);
    let letter = Letter {
        council: &organisation.name,
        title: &title,
        body,
    };
    let failed = |e: redress_report::render::RenderError| {
        tracing::error!(error = %e, "a letter could not be rendered");
        ApiError::internal()
    };
    let pdf = letter_pdf(&letter).map_err(failed)?;
    let docx = letter_docx(&letter).map_err(failed)?;
    if kind == LetterKind::Acknowledgement {
        let procedure = organisation.procedure(&record.case.procedure)?;
        let allowed = record
            .case
            .available_transitions(&organisation.rules(procedure, today))
            .iter()
            .any(|s| s.name == StepName::Acknowledge && s.allowed);
        if allowed {
            let step = Transition::Acknowledge { on: today };
            state
                .store
                .transition(
                    &principal.access,
                    case_id,
                    record.version,
                    &step,
                    &principal.actor,
                    today,
                )
                .await?;
        }
    }
    let stem = format!("{}-{}-{}", record.case.reference, kind.slug(), today);
    let files = [(format!("{stem}.pdf"), pdf), (format!("{stem}.docx"), docx)];
    let infos = state
        .store
        .add_letter(
            &principal.access,
            case_id,
            kind.slug(),
            today,
            &files,
            &principal.actor,
        )
        .await?;
    Ok(infos.into_iter().map(Into::into).collect())
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
    let body = letter_text(&state, &principal, id, input.kind, input.body).await?;
    let date = state.clock.today();
    if query.preview == Some(true) {
        let view = LetterView {
            kind: input.kind,
            date,
            body,
            attachments: Vec::new(),
        };
        return Ok((StatusCode::OK, Json(view)).into_response());
    }
    let attachments = send_letter(&state, &principal, id, input.kind, &body).await?;
    let view = LetterView {
        kind: input.kind,
        date,
        body,
        attachments,
    };
    Ok((StatusCode::CREATED, Json(view)).into_response())
}
