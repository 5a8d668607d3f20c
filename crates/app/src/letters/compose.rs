//! Writing a letter, shared by the API and the pages: the template in force, the letter's
//! text, and the letter rendered and kept on the case.

use super::{check, cleaned, fill, values, LetterKind, MAX_TEMPLATE_CHARS};
use redress_calendar::Clock;
use redress_core::{Email, Language, StepName};
use redress_report::render::{letter_docx, letter_pdf, Letter, RenderError};
use redress_store::{Access, Actor, AttachmentInfo, LetterEmail, Store, StoreError};

/// What can stop a letter: a wrong value or a refusal (the store's), or a failed layout.
#[derive(Debug)]
pub enum LetterError {
    Store(StoreError),
    Render(RenderError),
}

impl From<StoreError> for LetterError {
    fn from(e: StoreError) -> Self {
        LetterError::Store(e)
    }
}

/// Where a template of `kind` in `language` is kept: English under the kind's own name, so
/// that templates saved before languages existed stay English.
fn template_key(kind: LetterKind, language: Language) -> String {
    match language {
        Language::En => kind.slug().to_string(),
        Language::Cy => format!("{}.cy", kind.slug()),
    }
}

/// The organisation's template of a kind in `language`, or the built-in one; and whether it
/// is its own.
pub async fn template_of(
    store: &Store,
    slug: &str,
    kind: LetterKind,
    language: Language,
) -> Result<(String, bool), StoreError> {
    Ok(
        match store
            .letter_template(slug, &template_key(kind, language))
            .await?
        {
            Some(body) => (body, true),
            None => (kind.builtin_in(language).to_string(), false),
        },
    )
}

/// Checks and saves a template; the caller has checked the role. An unknown placeholder, or
/// a response without `{{ signposting }}`, is refused naming the line.
pub async fn save_template(
    store: &Store,
    access: &Access,
    slug: &str,
    (kind, language): (LetterKind, Language),
    body: &str,
    actor: &Actor,
) -> Result<(), StoreError> {
    check(kind, body).map_err(|e| StoreError::invalid("body", e.0))?;
    store
        .set_letter_template(access, slug, &template_key(kind, language), body, actor)
        .await
}

/// Writes a letter of kind `kind` (its slug) from the organisation's template and keeps it on
/// the case, as the API does: for the command line and the demo loader. Answers the files kept.
pub async fn write_letter(
    store: &Store,
    clock: &Clock,
    access: &Access,
    actor: &Actor,
    case_id: i64,
    kind: &str,
    by_email: bool,
) -> Result<Vec<AttachmentInfo>, String> {
    let kind = LetterKind::parse(kind)?;
    let body = letter_text(store, clock, access, case_id, kind, None)
        .await
        .map_err(|e| e.to_string())?;
    send_letter(store, clock, access, actor, case_id, kind, &body, by_email)
        .await
        .map_err(|e| match e {
            LetterError::Store(e) => e.to_string(),
            LetterError::Render(e) => e.to_string(),
        })
}

/// The letter's Markdown: the officer's own, or the template filled from the case.
pub async fn letter_text(
    store: &Store,
    clock: &Clock,
    access: &Access,
    case_id: i64,
    kind: LetterKind,
    body: Option<String>,
) -> Result<String, StoreError> {
    let record = store.case(access, case_id).await?;
    if let Some(body) = body {
        let body = cleaned(&body);
        if body.trim().is_empty() || body.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(StoreError::invalid(
                "body",
                format!("the letter must have text, at most {MAX_TEMPLATE_CHARS} characters"),
            ));
        }
        return Ok(body);
    }
    let organisation = store.organisation_of(&record).await?;
    let values = values(kind, &record, &organisation, clock.today())?;
    let (template, _) =
        template_of(store, &record.organisation, kind, record.case.language()).await?;
    fill(kind, &template, &values).map_err(|e| StoreError::invalid("kind", e.0))
}

/// Renders a letter in the council's name, keeps its PDF and Word files on the case with
/// "letter_sent" on the timeline and, for an acknowledgement the case allows, acknowledges.
#[allow(clippy::too_many_arguments)]
pub async fn send_letter(
    store: &Store,
    clock: &Clock,
    access: &Access,
    actor: &Actor,
    case_id: i64,
    kind: LetterKind,
    body: &str,
    by_email: bool,
) -> Result<Vec<AttachmentInfo>, LetterError> {
    let record = store.case(access, case_id).await?;
    let organisation = store.organisation_of(&record).await?;
    // By email: the PDF goes attached; the message itself says only that it is attached.
    let email = match by_email {
        false => None,
        true => {
            let to = Email::parse(&record.case.personal().contact_email).map_err(|_| {
                StoreError::invalid(
                    "send_by_email",
                    "the complainant gave no email address: send the letter by post",
                )
            })?;
            Some(LetterEmail {
                to: to.into(),
                subject: format!(
                    "{} about your complaint [{}]",
                    kind.label(),
                    record.case.reference()
                ),
                body: format!(
                    "Please find attached our letter about your complaint, reference {}.\n\n{}",
                    record.case.reference(),
                    organisation.name
                ),
            })
        }
    };
    let today = clock.today();
    let title = format!("{} {}", kind.label(), record.case.reference());
    // Typesetting takes a CPU for a while: off the async workers, so other requests go on.
    let (council, text) = (organisation.name.clone(), body.to_string());
    let (pdf, docx) = tokio::task::spawn_blocking(move || {
        let letter = Letter {
            council: &council,
            title: &title,
            body: &text,
        };
        Ok::<_, RenderError>((letter_pdf(&letter)?, letter_docx(&letter)?))
    })
    .await
    .map_err(|e| StoreError::Internal(format!("typesetting the letter stopped: {e}")))?
    .map_err(LetterError::Render)?;
    // An acknowledgement acknowledges the case where it may be (not twice, not once closed).
    let procedure = organisation.procedure(record.case.procedure())?;
    let acknowledge = (kind == LetterKind::Acknowledgement
        && record
            .case
            .available_transitions(&organisation.rules(procedure, today))
            .iter()
            .any(|s| s.name == StepName::Acknowledge && s.allowed))
    .then_some(record.version);
    let stem = format!("{}-{}-{}", record.case.reference(), kind.slug(), today);
    let files = [(format!("{stem}.pdf"), pdf), (format!("{stem}.docx"), docx)];
    Ok(store
        .add_letter(
            access,
            case_id,
            kind.slug(),
            today,
            &files,
            acknowledge,
            email.as_ref(),
            actor,
        )
        .await?)
}
