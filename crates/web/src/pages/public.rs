//! The public complaint form (with a version written for children and young people) and the
//! compliment form. No sign-in. Spam is kept out by a hidden honeypot field and a limit on
//! submissions per address; no third-party service is involved. Each page is in English or
//! Welsh, as `language` chooses.

use super::language::{ChosenLanguage, Language, PublicText};
use super::{render, FieldError, Fields, FormBody, PageError};
use crate::auth::ClientAddress;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use minijinja::{context, Value};
use redress_core::{Channel, ComplainantRole, NewCase, PersonalDetails, ProcedureKind};
use redress_store::{Access, Actor, Compliment, Organisation};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How many public submissions may be made an hour: from one address; and, since a sender
/// can have many addresses, giving one email address (each complaint queues an
/// acknowledgement to it: issue 23 found the form used as a mail relay) and to one
/// organisation (ten times the address's limit).
pub struct PublicFormLimit {
    per_address: KeyedLimit,
    per_email: KeyedLimit,
    per_organisation: KeyedLimit,
}

/// A limit per key, whose memory is bounded: keys with nothing left to remember are pruned
/// every [`PRUNE_EVERY`] checks, and when [`MAX_KEYS`] are held after pruning a new key is
/// refused (the form pauses rather than the server running out of memory).
struct KeyedLimit {
    limiter: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
}

const PRUNE_EVERY: u64 = 1024;
const MAX_KEYS: usize = 100_000;

impl KeyedLimit {
    fn per_hour(limit: u32) -> Self {
        let limit = NonZeroU32::new(limit.max(1)).expect("at least one");
        KeyedLimit {
            limiter: RateLimiter::keyed(Quota::per_hour(limit)),
            checks: AtomicU64::new(0),
        }
    }

    fn allows(&self, key: &str) -> bool {
        let checks = self.checks.fetch_add(1, Ordering::Relaxed);
        if checks.is_multiple_of(PRUNE_EVERY) || self.limiter.len() >= MAX_KEYS {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter.len() < MAX_KEYS && self.limiter.check_key(&key.to_string()).is_ok()
    }
}

impl PublicFormLimit {
    pub fn per_hour(limit: u32) -> Arc<Self> {
        Arc::new(PublicFormLimit {
            per_address: KeyedLimit::per_hour(limit),
            per_email: KeyedLimit::per_hour(limit),
            per_organisation: KeyedLimit::per_hour(limit.saturating_mul(10)),
        })
    }

    fn allows(&self, address: &str) -> bool {
        self.per_address.allows(address)
    }

    /// A well-formed submission to `slug`, with `email` (possibly empty) given for replies.
    fn allows_submission(&self, slug: &str, email: &str) -> bool {
        let email = email.trim().to_lowercase();
        (email.is_empty() || self.per_email.allows(&email)) && self.per_organisation.allows(slug)
    }
}

/// The values every public page takes, in `language` (the request's choice, or the posted
/// form's).
fn common(
    organisation: Option<&Organisation>,
    chosen: &ChosenLanguage,
    language: Language,
) -> Value {
    context! {
        service_name => "Redress",
        home => "/",
        organisation_name => organisation.map(|o| o.name.clone()),
        ..chosen.context(language)
    }
}

/// 20000 as "20,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The date a complaint should have its response by, as core counts it on the calendar its
/// procedure uses; for a robot (nothing kept), as for a statutory complaint received today.
fn respond_by(
    organisation: &Organisation,
    case: Option<&redress_core::Case>,
    today: chrono::NaiveDate,
    language: Language,
) -> String {
    let robot;
    let case = match case {
        Some(case) => case,
        None => {
            robot = redress_core::Case::received(
                String::new(),
                organisation
                    .public_form_procedure()
                    .map_or("statutory".into(), |p| p.name.clone()),
                today,
                Channel::Web,
                ComplainantRole::Other,
            );
            &robot
        }
    };
    organisation
        .procedure(case.procedure())
        .ok()
        .and_then(|p| {
            case.respond_by(p, organisation.calendar_for(p), today)
                .ok()
                .flatten()
        })
        .map(|date| language.long_date(date))
        .unwrap_or_default()
}

/// With one organisation, go straight to its form; with several, let the visitor choose.
async fn choose(
    state: &AppState,
    path: &str,
    heading_id: &str,
    chosen: &ChosenLanguage,
) -> Result<Response, PageError> {
    let organisations = state.store.organisations().await?;
    if let [only] = organisations.as_slice() {
        let to_form = Redirect::to(&format!("{path}/{}", only.slug)).into_response();
        return Ok(chosen.remember(to_form));
    }
    let language = chosen.language;
    let links: Vec<Value> = organisations
        .iter()
        .map(|o| context! { href => format!("{path}/{}", o.slug), label => o.name.clone() })
        .collect();
    let own = context! {
        heading => language.text(heading_id),
        lines => vec![language.text("choose-council")],
        links,
    };
    let page = render("message.html", common(None, chosen, language), own)?;
    Ok(chosen.remember(page.into_response()))
}

pub async fn choose_for_complaint(
    State(state): State<AppState>,
    chosen: ChosenLanguage,
) -> Result<Response, PageError> {
    choose(&state, "/complain", "choose-complaint-heading", &chosen).await
}

pub async fn choose_for_compliment(
    State(state): State<AppState>,
    chosen: ChosenLanguage,
) -> Result<Response, PageError> {
    choose(&state, "/compliment", "choose-compliment-heading", &chosen).await
}

fn roles(language: Language) -> Vec<super::Choice> {
    let offered = [
        ComplainantRole::Child,
        ComplainantRole::Parent,
        ComplainantRole::Carer,
        ComplainantRole::FosterCarer,
        ComplainantRole::SpecialGuardian,
        ComplainantRole::CareLeaver,
        ComplainantRole::Relative,
        ComplainantRole::Advocate,
        ComplainantRole::Other,
    ];
    // Each label is the catalogue's "role-" message: care_leaver reads role-care-leaver.
    offered
        .iter()
        .map(|role| {
            let code = role.as_str();
            let label = language.text(&format!("role-{}", code.replace('_', "-")));
            super::Choice::new(code, label)
        })
        .collect()
}

/// Where a public page is shown, and in which language.
struct PublicPage<'a> {
    slug: &'a str,
    chosen: &'a ChosenLanguage,
    language: Language,
}

async fn complaint_page(
    state: &AppState,
    page: &PublicPage<'_>,
    young: bool,
    fields: &Fields,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let (slug, language) = (page.slug, page.language);
    let organisation = state.store.organisation(slug).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let procedure = organisation.public_form_procedure();
    let own = context! {
        slug, young, errors,
        form => fields.to_value(),
        roles => roles(language),
        respond_by => respond_by(&organisation, None, state.clock().today(), language),
        form_text => form_text(procedure),
        // England's adult procedure is for adults alone; every other scheme covers children.
        for_children => procedure.is_none_or(|p| p.kind() != ProcedureKind::AdultSocialCare),
        acknowledge_within => procedure.and_then(|p| p.stage(1)).and_then(|s| s.acknowledge_within),
        ombudsman => ombudsman_name(&organisation, language),
    };
    let common = common(Some(&organisation), page.chosen, language);
    let response = (status, render("complain.html", common, own)?).into_response();
    Ok(page.chosen.remember(response))
}

/// The catalogue messages the form opens with, by the procedure its complaints are recorded
/// under: England's children's procedure has its own (who may complain under s26(3)); the
/// others name their service and the complainant in general.
fn form_text(procedure: Option<&redress_core::Procedure>) -> Value {
    let general = |title: &str| {
        context! {
            children => false,
            title, intro => "complain-intro-general",
            who => ["complain-who-person", "complain-who-relative", "complain-who-representative"],
        }
    };
    match procedure.map(|p| p.kind()) {
        None | Some(ProcedureKind::Statutory) => context! {
            children => true,
            title => "complain-title", intro => "complain-intro",
            who => ["complain-who-child", "complain-who-family", "complain-who-behalf"],
        },
        Some(ProcedureKind::WalesSocialServices) => general("complain-title-social-services"),
        Some(ProcedureKind::ModelComplaintsHandling) => general("complain-title-social-work"),
        Some(ProcedureKind::AdultSocialCare | ProcedureKind::HealthAndSocialCare) => {
            general("complain-title-social-care")
        }
        Some(ProcedureKind::Corporate | ProcedureKind::ComplaintHandlingCode) => {
            general("complain-title-council")
        }
    }
}

/// The organisation's ombudsman by name, in the page's language.
fn ombudsman_name(organisation: &Organisation, language: Language) -> &'static str {
    let ombudsman = organisation.nation.ombudsman();
    match language {
        Language::Cy => ombudsman.name_cy,
        Language::En => ombudsman.name,
    }
}

async fn empty_complaint_form(
    state: &AppState,
    slug: &str,
    young: bool,
    chosen: &ChosenLanguage,
) -> Result<Response, PageError> {
    let page = PublicPage {
        slug,
        chosen,
        language: chosen.language,
    };
    complaint_page(state, &page, young, &Fields::default(), Vec::new()).await
}

pub async fn complaint_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    chosen: ChosenLanguage,
) -> Result<Response, PageError> {
    empty_complaint_form(&state, &slug, false, &chosen).await
}

pub async fn young_complaint_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    chosen: ChosenLanguage,
) -> Result<Response, PageError> {
    empty_complaint_form(&state, &slug, true, &chosen).await
}

fn looks_like_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !text.contains(' ')
    })
}

/// Checks the form in the GOV.UK way: every fault, each naming its field, in `language`.
fn complaint_errors(fields: &Fields, young: bool, language: Language) -> Vec<FieldError> {
    let text = |id: &str| language.text(id);
    let mut errors = Vec::new();
    if !young && fields.text("complainant_role").is_empty() {
        errors.push(FieldError::new("complainant_role", text("error-role")));
    }
    let email = fields.text("contact_email");
    let (phone, address) = (fields.text("contact_phone"), fields.text("contact_address"));
    if email.is_empty() && phone.is_empty() && address.is_empty() {
        errors.push(FieldError::new(
            "contact_email",
            text(if young {
                "error-contact-young"
            } else {
                "error-contact"
            }),
        ));
    } else if !email.is_empty() && !looks_like_email(&email) {
        errors.push(FieldError::new("contact_email", text("error-email-format")));
    }
    if !phone.is_empty()
        && !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-".contains(c))
    {
        errors.push(FieldError::new("contact_phone", text("error-phone-format")));
    }
    if fields.text("summary").is_empty() {
        errors.push(FieldError::new(
            "summary",
            text(if young {
                "error-summary-young"
            } else {
                "error-summary"
            }),
        ));
    }
    use redress_core::limits::{ADDRESS, EMAIL, LONG_TEXT, NAME, PHONE};
    for (field, max) in [
        ("complainant_name", NAME),
        ("child_name", NAME),
        ("contact_email", EMAIL),
        ("contact_phone", PHONE),
        ("contact_address", ADDRESS),
        ("summary", LONG_TEXT),
        ("outcome_wanted", LONG_TEXT),
    ] {
        if fields.text(field).chars().count() > max && !errors.iter().any(|e| e.field == field) {
            let id = format!("too-long-{}", field.replace('_', "-"));
            let message = language.text_with(&id, &[("max", &thousands(max))]);
            errors.push(FieldError::new(field, message));
        }
    }
    errors
}

/// A posted form's fields, without NUL characters; anything unreadable reads as no fields.
fn posted_fields(body: &[u8]) -> Fields {
    let pairs: Vec<(String, String)> =
        super::extract::without_nul(serde_urlencoded::from_bytes(body).unwrap_or_default());
    Fields(pairs.into_iter().collect())
}

/// The language a posted form was shown in: its hidden `lang` field, else `fallback` (the
/// request's choice). The field is only read here; it is no part of the case.
fn posted_language(fields: &Fields, fallback: Language) -> Language {
    Language::from_tag(&fields.text("lang")).unwrap_or(fallback)
}

/// A posted complaint form, read: its fields, the language it was shown in, and the case to
/// record, None for a robot (the honeypot was filled in), or every fault.
struct DecodedComplaint {
    fields: Fields,
    language: Language,
    case: Result<Option<NewCase>, Vec<FieldError>>,
}

/// Reads a posted complaint form, its faults in the form's language (else `fallback`). Never
/// panics, whatever the bytes (it is fuzzed).
fn decode(
    body: &[u8],
    young: bool,
    today: chrono::NaiveDate,
    fallback: Language,
) -> DecodedComplaint {
    let fields = posted_fields(body);
    let language = posted_language(&fields, fallback);
    let case = decode_case(&fields, young, today, language);
    DecodedComplaint {
        fields,
        language,
        case,
    }
}

fn decode_case(
    fields: &Fields,
    young: bool,
    today: chrono::NaiveDate,
    language: Language,
) -> Result<Option<NewCase>, Vec<FieldError>> {
    if !fields.text("website").is_empty() {
        return Ok(None);
    }
    let errors = complaint_errors(fields, young, language);
    if !errors.is_empty() {
        return Err(errors);
    }
    let role = if young {
        ComplainantRole::Child
    } else {
        ComplainantRole::parse(&fields.text("complainant_role")).unwrap_or(ComplainantRole::Other)
    };
    let mut summary = fields.text("summary");
    if let Some(child) = fields.optional("child_name") {
        summary = format!("{summary}\n\nAbout: {child}");
    }
    let case = NewCase {
        reference: None,
        procedure: "statutory".into(),
        received_on: today,
        channel: Channel::Web,
        complainant_role: role,
        child_complained: matches!(role, ComplainantRole::Child | ComplainantRole::CareLeaver),
        advocacy_offered: true,
        advocacy_taken_up: fields.ticked("advocate"),
        team: None,
        reason: None,
        matter_arose_on: None,
        personal: PersonalDetails {
            complainant_name: fields.text("complainant_name"),
            contact_email: fields.text("contact_email"),
            contact_phone: fields.text("contact_phone"),
            contact_address: fields.text("contact_address"),
            children: Vec::new(),
            summary,
            outcome_wanted: fields.text("outcome_wanted"),
        },
        // Written to in the language of the form they used.
        language,
    };
    Ok(Some(case))
}

/// The public complaint form's decoder, for fuzzing: the case, None for a robot, or each fault
/// as "field: message".
pub fn decode_public_complaint(
    body: &[u8],
    young: bool,
    today: chrono::NaiveDate,
) -> Result<Option<NewCase>, Vec<String>> {
    decode(body, young, today, Language::En)
        .case
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect()
        })
}

async fn submit(
    state: &AppState,
    slug: &str,
    young: bool,
    address: &str,
    body: &[u8],
    chosen: &ChosenLanguage,
) -> Result<Response, PageError> {
    let organisation = state.store.organisation(slug).await?;
    let today = state.clock().today();
    let decoded = decode(body, young, today, chosen.language);
    let language = decoded.language;
    let common = || common(Some(&organisation), chosen, language);
    let too_many = || -> Result<Response, PageError> {
        let own = context! {
            heading => language.text("too-many-heading"),
            lines => vec![language.text("too-many-complaints")],
        };
        Ok((
            StatusCode::TOO_MANY_REQUESTS,
            render("message.html", common(), own)?,
        )
            .into_response())
    };
    if !state.public_limit.allows(address) {
        return too_many();
    }
    let case = match decoded.case {
        // A robot fills in every field, including the one people cannot see: thank it, keep
        // nothing.
        Ok(None) => {
            let own =
                context! { young, respond_by => respond_by(&organisation, None, today, language) };
            return Ok(render("complain_done.html", common(), own)?.into_response());
        }
        Err(errors) => {
            let page = PublicPage {
                slug,
                chosen,
                language,
            };
            return complaint_page(state, &page, young, &decoded.fields, errors).await;
        }
        Ok(Some(case)) => case,
    };
    let mut case = case;
    if let Some(procedure) = organisation.public_form_procedure() {
        case.procedure = procedure.name.clone();
    }
    if !state
        .public_limit
        .allows_submission(slug, &case.personal.contact_email)
    {
        return too_many();
    }
    let actor = Actor {
        label: "public form".into(),
        user_id: None,
        address: Some(address.to_string()),
    };
    // Committed (and on disk) before the reference is shown.
    let record = state
        .store
        .create_case(&Access::System, slug, case, &actor, today)
        .await?;
    let own = context! {
        young,
        reference => record.case.reference(),
        respond_by => respond_by(&organisation, Some(&record.case), today, language),
        acknowledge_within => organisation
            .procedure(record.case.procedure())
            .ok()
            .and_then(|p| p.stage(1))
            .and_then(|s| s.acknowledge_within),
        ombudsman => ombudsman_name(&organisation, language),
        advocate => record.case.advocacy_taken_up(),
    };
    let done = render("complain_done.html", common(), own)?.into_response();
    Ok(chosen.remember(done))
}

pub async fn submit_complaint(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientAddress(address): ClientAddress,
    chosen: ChosenLanguage,
    FormBody(body): FormBody,
) -> Result<Response, PageError> {
    submit(&state, &slug, false, &address, &body, &chosen).await
}

pub async fn submit_young_complaint(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientAddress(address): ClientAddress,
    chosen: ChosenLanguage,
    FormBody(body): FormBody,
) -> Result<Response, PageError> {
    submit(&state, &slug, true, &address, &body, &chosen).await
}

async fn compliment_page(
    state: &AppState,
    page: &PublicPage<'_>,
    fields: &Fields,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let slug = page.slug;
    let organisation = state.store.organisation(slug).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let own = context! {
        slug, errors,
        form => fields.to_value(),
        teams => super::Choice::same(&state.store.names(slug, true).await?),
    };
    let common = common(Some(&organisation), page.chosen, page.language);
    let response = (status, render("compliment.html", common, own)?).into_response();
    Ok(page.chosen.remember(response))
}

pub async fn compliment_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    chosen: ChosenLanguage,
) -> Result<Response, PageError> {
    let page = PublicPage {
        slug: &slug,
        chosen: &chosen,
        language: chosen.language,
    };
    compliment_page(&state, &page, &Fields::default(), Vec::new()).await
}

pub async fn submit_compliment(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientAddress(address): ClientAddress,
    chosen: ChosenLanguage,
    FormBody(body): FormBody,
) -> Result<Response, PageError> {
    let organisation = state.store.organisation(&slug).await?;
    let fields = posted_fields(&body);
    let language = posted_language(&fields, chosen.language);
    let page = PublicPage {
        slug: &slug,
        chosen: &chosen,
        language,
    };
    let thanks = || -> Result<Response, PageError> {
        Ok(render(
            "complain_done.html",
            common(Some(&organisation), &chosen, language),
            context! { compliment => true },
        )?
        .into_response())
    };
    if !state.public_limit.allows(&address) {
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            language.text("too-many-from-address"),
        )
            .into_response());
    }
    if !fields.text("website").is_empty() {
        return thanks();
    }
    let limit = redress_core::limits::LONG_TEXT;
    let error = if fields.text("summary").is_empty() {
        Some(language.text("error-compliment"))
    } else if fields.text("summary").chars().count() > limit {
        Some(language.text_with("too-long-compliment", &[("max", &thousands(limit))]))
    } else {
        None
    };
    if let Some(message) = error {
        let errors = vec![FieldError::new("summary", message)];
        return compliment_page(&state, &page, &fields, errors).await;
    }
    if !state.public_limit.allows_submission(&slug, "") {
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            language.text("too-many-compliments"),
        )
            .into_response());
    }
    let compliment = Compliment {
        received_on: state.clock().today(),
        team: fields.optional("team"),
        summary: fields.text("summary"),
        consent_to_publish: fields.ticked("consent"),
        published_quotation: None,
    };
    let actor = Actor {
        label: "public form".into(),
        user_id: None,
        address: Some(address),
    };
    match state.store.add_compliment(&slug, compliment, &actor).await {
        Ok(()) => thanks(),
        // The store's own words, in English: a team that is not the council's, say.
        Err(redress_store::StoreError::Invalid { field, message }) => {
            let errors = vec![FieldError::new(&field, super::capitalise(&message))];
            compliment_page(&state, &page, &fields, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
