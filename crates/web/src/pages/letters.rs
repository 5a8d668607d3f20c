//! Letters on the pages: writing one on a case (the template filled from the case, edited,
//! then kept as PDF and Word), and an administrator's editing of the council's templates.

use super::admin::may_administer;
use super::{capitalise, render, FieldError, PageError, Staff, StaffForm};
use crate::letters::{
    letter_text, save_template, send_letter, template_of, LetterKind, PLACEHOLDERS,
};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_store::StoreError;
use std::collections::HashMap;

fn case_id(raw: &str) -> Result<i64, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

fn kind_of(raw: &str) -> Result<LetterKind, PageError> {
    LetterKind::parse(raw).map_err(|e| PageError::invalid("kind", capitalise(&e)))
}

/// A kind in the path names a page: one that is not there is not found.
fn page_kind(raw: &str) -> Result<LetterKind, PageError> {
    LetterKind::parse(raw).map_err(|_| PageError::NotFound)
}

struct Form<'a> {
    heading: String,
    caption: String,
    back: String,
    action: String,
    /// Where the kind of letter is chosen (the case's letter only).
    choose: Option<String>,
    kind: LetterKind,
    body: &'a str,
    body_label: &'a str,
    hint: &'a str,
    submit: &'a str,
    notice: Option<&'a str>,
}

fn show(staff: &Staff, form: Form, errors: Vec<FieldError>) -> Result<Response, PageError> {
    let kinds: Vec<_> = LetterKind::ALL
        .iter()
        .map(|k| context! { value => k.slug(), label => k.label() })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = render(
        "letter.html",
        staff.common(),
        context! {
            heading => form.heading, caption => form.caption, back => form.back,
            action => form.action, choose => form.choose, kinds, kind => form.kind.slug(),
            body => form.body, body_label => form.body_label, hint => form.hint,
            submit => form.submit, notice => form.notice, errors, placeholders => PLACEHOLDERS,
        },
    )?;
    Ok((status, html).into_response())
}

fn case_form<'a>(id: i64, reference: &str, kind: LetterKind, body: &'a str) -> Form<'a> {
    Form {
        heading: format!("Write a letter: {}", kind.label().to_lowercase()),
        caption: reference.to_string(),
        back: format!("/cases/{id}"),
        action: format!("/cases/{id}/letter"),
        choose: Some(format!("/cases/{id}/letter")),
        kind,
        body,
        body_label: "Letter",
        hint: "Markdown: a blank line between paragraphs, a line starting with - for a list. It is kept on the case as PDF and Word.",
        submit: "Send letter",
        notice: None,
    }
}

/// The letter of a kind, filled from the case, ready to edit.
pub async fn write(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id = case_id(&id)?;
    let kind = match query.get("kind").filter(|k| !k.is_empty()) {
        Some(kind) => kind_of(kind)?,
        None => LetterKind::Acknowledgement,
    };
    let record = state.store.case(&staff.principal.access, id).await?;
    let body = letter_text(
        &state.store,
        &state.clock(),
        &staff.principal.access,
        id,
        kind,
        None,
    )
    .await?;
    show(
        &staff,
        case_form(id, record.case.reference(), kind, &body),
        Vec::new(),
    )
}

/// Keeps the letter on the case, then back to the case.
pub async fn send(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    let id = case_id(&id)?;
    let kind = kind_of(&fields.text("kind"))?;
    let body = fields.0.get("body").cloned().unwrap_or_default();
    let checked = letter_text(
        &state.store,
        &state.clock(),
        &staff.principal.access,
        id,
        kind,
        Some(body.clone()),
    )
    .await;
    let result = match checked {
        Ok(text) => send_letter(
            &state.store,
            &state.clock(),
            &staff.principal.access,
            &staff.principal.actor,
            id,
            kind,
            &text,
            fields.ticked("send_by_email"),
        )
        .await
        .map(|_| ()),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}?done=letter")).into_response()),
        Err(crate::letters::LetterError::Store(StoreError::Invalid { field, message })) => {
            let record = state.store.case(&staff.principal.access, id).await?;
            let errors = vec![FieldError::new(&field, capitalise(&message))];
            show(
                &staff,
                case_form(id, record.case.reference(), kind, &body),
                errors,
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn template_form<'a>(
    slug: &str,
    kind: LetterKind,
    body: &'a str,
    notice: Option<&'a str>,
) -> Form<'a> {
    Form {
        heading: format!("Letter template: {}", kind.label().to_lowercase()),
        caption: slug.to_string(),
        back: format!("/admin?organisation={slug}"),
        action: format!("/admin/{slug}/letters/{}", kind.slug()),
        choose: None,
        kind,
        body,
        body_label: "Template",
        hint: if kind.response_to().is_some() {
            "Markdown with placeholders. A response must contain {{ signposting }}: the next stage and its time limit, or the Ombudsman."
        } else {
            "Markdown with placeholders."
        },
        submit: "Save template",
        notice,
    }
}

/// The council's template of a kind, to edit.
pub async fn template(
    State(state): State<AppState>,
    staff: Staff,
    Path((slug, kind)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    may_administer(&state, &staff, &slug).await?;
    let kind = page_kind(&kind)?;
    let (body, _) = template_of(&state.store, &slug, kind, redress_core::Language::En).await?;
    let notice = query.contains_key("saved").then_some("Template saved");
    show(
        &staff,
        template_form(&slug, kind, &body, notice),
        Vec::new(),
    )
}

pub async fn save(
    State(state): State<AppState>,
    Path((slug, kind)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    may_administer(&state, &staff, &slug).await?;
    let kind = page_kind(&kind)?;
    let body = fields.0.get("body").cloned().unwrap_or_default();
    match save_template(
        &state.store,
        &staff.principal.access,
        &slug,
        (kind, redress_core::Language::En),
        &body,
        &staff.principal.actor,
    )
    .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/admin/{slug}/letters/{}?saved", kind.slug())).into_response(),
        ),
        Err(StoreError::Invalid { field, message }) => {
            let errors = vec![FieldError::new(&field, capitalise(&message))];
            show(&staff, template_form(&slug, kind, &body, None), errors)
        }
        Err(e) => Err(e.into()),
    }
}
