//! The public complaint form (with a version written for children and young people) and the
//! compliment form. No sign-in. Spam is kept out by a hidden honeypot field and a limit on
//! submissions per address; no third-party service is involved.

use super::case_list::choices;
use super::{long_date, render, FieldError, Fields, FormBody, PageError};
use crate::auth::ClientAddress;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use minijinja::{context, Value};
use redress_core::{Channel, ComplainantRole, NewCase, PersonalDetails};
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

fn common(organisation: Option<&Organisation>) -> Value {
    context! {
        service_name => "Redress",
        home => "/",
        organisation_name => organisation.map(|o| o.name.clone()),
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
) -> String {
    let robot;
    let case = match case {
        Some(case) => case,
        None => {
            robot = redress_core::Case::received(
                String::new(),
                "statutory".into(),
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
        .map(long_date)
        .unwrap_or_default()
}

/// With one organisation, go straight to its form; with several, let the visitor choose.
async fn choose(state: &AppState, path: &str, heading: &str) -> Result<Response, PageError> {
    let organisations = state.store.organisations().await?;
    if let [only] = organisations.as_slice() {
        return Ok(Redirect::to(&format!("{path}/{}", only.slug)).into_response());
    }
    let links: Vec<Value> = organisations
        .iter()
        .map(|o| context! { href => format!("{path}/{}", o.slug), label => o.name.clone() })
        .collect();
    let own = context! { heading, lines => vec!["Choose the council."], links };
    Ok(render("message.html", common(None), own)?.into_response())
}

pub async fn choose_for_complaint(State(state): State<AppState>) -> Result<Response, PageError> {
    choose(&state, "/complain", "Make a complaint").await
}

pub async fn choose_for_compliment(State(state): State<AppState>) -> Result<Response, PageError> {
    choose(&state, "/compliment", "Pay a compliment").await
}

fn roles() -> Vec<super::Choice> {
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
    let mut options = choices(&offered.map(|r| r.as_str()));
    for option in &mut options {
        option.label = match option.value.as_str() {
            "child" => "A child or young person".into(),
            "care_leaver" => "A young person who has left care".into(),
            "advocate" => "An advocate acting for a child".into(),
            "other" => "Someone else".into(),
            _ => option.label.clone(),
        };
    }
    options
}

async fn complaint_page(
    state: &AppState,
    slug: &str,
    young: bool,
    fields: &Fields,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let organisation = state.store.organisation(slug).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let own = context! {
        slug, young, errors,
        form => fields.to_value(),
        roles => roles(),
        respond_by => respond_by(&organisation, None, state.clock().today()),
    };
    Ok((
        status,
        render("complain.html", common(Some(&organisation)), own)?,
    )
        .into_response())
}

pub async fn complaint_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    complaint_page(&state, &slug, false, &Fields::default(), Vec::new()).await
}

pub async fn young_complaint_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    complaint_page(&state, &slug, true, &Fields::default(), Vec::new()).await
}

fn looks_like_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !text.contains(' ')
    })
}

/// Checks the form in the GOV.UK way: every fault, each naming its field.
fn complaint_errors(fields: &Fields, young: bool) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !young && fields.text("complainant_role").is_empty() {
        errors.push(FieldError::new("complainant_role", "Select who you are"));
    }
    let email = fields.text("contact_email");
    let (phone, address) = (fields.text("contact_phone"), fields.text("contact_address"));
    if email.is_empty() && phone.is_empty() && address.is_empty() {
        errors.push(FieldError::new(
            "contact_email",
            if young {
                "Enter a phone number or email address so we can get back to you"
            } else {
                "Enter an email address, phone number or postal address so we can reply"
            },
        ));
    } else if !email.is_empty() && !looks_like_email(&email) {
        errors.push(FieldError::new(
            "contact_email",
            "Enter an email address in the correct format, like name@example.com",
        ));
    }
    if !phone.is_empty()
        && !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-".contains(c))
    {
        errors.push(FieldError::new(
            "contact_phone",
            "Enter a phone number, like 01632 960 001 or 07700 900 982",
        ));
    }
    if fields.text("summary").is_empty() {
        errors.push(FieldError::new(
            "summary",
            if young {
                "Tell us what is wrong"
            } else {
                "Enter what your complaint is about"
            },
        ));
    }
    use redress_core::limits::{ADDRESS, EMAIL, LONG_TEXT, NAME, PHONE};
    for (field, max, label) in [
        ("complainant_name", NAME, "Your name"),
        ("child_name", NAME, "The child's name"),
        ("contact_email", EMAIL, "Your email address"),
        ("contact_phone", PHONE, "Your phone number"),
        ("contact_address", ADDRESS, "Your address"),
        ("summary", LONG_TEXT, "Your complaint"),
        ("outcome_wanted", LONG_TEXT, "What you would like to happen"),
    ] {
        if fields.text(field).chars().count() > max && !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError::new(
                field,
                format!("{label} must be {} characters or fewer", thousands(max)),
            ));
        }
    }
    errors
}

/// Reads a posted complaint form: the case to record, None for a robot (the honeypot was
/// filled in), or every fault. Never panics, whatever the bytes (it is fuzzed).
fn decode(
    body: &[u8],
    young: bool,
    today: chrono::NaiveDate,
) -> (Fields, Result<Option<NewCase>, Vec<FieldError>>) {
    let pairs: Vec<(String, String)> =
        super::extract::without_nul(serde_urlencoded::from_bytes(body).unwrap_or_default());
    let fields = Fields(pairs.into_iter().collect());
    if !fields.text("website").is_empty() {
        return (fields, Ok(None));
    }
    let errors = complaint_errors(&fields, young);
    if !errors.is_empty() {
        return (fields, Err(errors));
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
    };
    (fields, Ok(Some(case)))
}

/// The public complaint form's decoder, for fuzzing: the case, None for a robot, or each fault
/// as "field: message".
pub fn decode_public_complaint(
    body: &[u8],
    young: bool,
    today: chrono::NaiveDate,
) -> Result<Option<NewCase>, Vec<String>> {
    decode(body, young, today).1.map_err(|errors| {
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
) -> Result<Response, PageError> {
    let organisation = state.store.organisation(slug).await?;
    let too_many = || -> Result<Response, PageError> {
        let own = context! {
            heading => "Too many forms sent",
            lines => vec!["Too many forms have been sent in the last hour. Please try again later, or phone or write to the council."],
        };
        Ok((
            StatusCode::TOO_MANY_REQUESTS,
            render("message.html", common(Some(&organisation)), own)?,
        )
            .into_response())
    };
    if !state.public_limit.allows(address) {
        return too_many();
    }
    let (fields, decoded) = decode(body, young, state.clock().today());
    let case = match decoded {
        // A robot fills in every field, including the one people cannot see: thank it, keep
        // nothing.
        Ok(None) => {
            let own = context! { young, respond_by => respond_by(&organisation, None, state.clock().today()) };
            return Ok(
                render("complain_done.html", common(Some(&organisation)), own)?.into_response(),
            );
        }
        Err(errors) => return complaint_page(state, slug, young, &fields, errors).await,
        Ok(Some(case)) => case,
    };
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
        .create_case(&Access::System, slug, case, &actor, state.clock().today())
        .await?;
    let own = context! {
        young,
        reference => record.case.reference(),
        respond_by => respond_by(&organisation, Some(&record.case), state.clock().today()),
        advocate => record.case.advocacy_taken_up(),
    };
    Ok(render("complain_done.html", common(Some(&organisation)), own)?.into_response())
}

pub async fn submit_complaint(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientAddress(address): ClientAddress,
    FormBody(body): FormBody,
) -> Result<Response, PageError> {
    submit(&state, &slug, false, &address, &body).await
}

pub async fn submit_young_complaint(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientAddress(address): ClientAddress,
    FormBody(body): FormBody,
) -> Result<Response, PageError> {
    submit(&state, &slug, true, &address, &body).await
}

async fn compliment_page(
    state: &AppState,
    slug: &str,
    fields: &Fields,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
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
    Ok((
        status,
        render("compliment.html", common(Some(&organisation)), own)?,
    )
        .into_response())
}

pub async fn compliment_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    compliment_page(&state, &slug, &Fields::default(), Vec::new()).await
}

pub async fn submit_compliment(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientAddress(address): ClientAddress,
    FormBody(body): FormBody,
) -> Result<Response, PageError> {
    let organisation = state.store.organisation(&slug).await?;
    let pairs: Vec<(String, String)> =
        super::extract::without_nul(serde_urlencoded::from_bytes(&body).unwrap_or_default());
    let fields = Fields(pairs.into_iter().collect());
    let thanks = || -> Result<Response, PageError> {
        Ok(render(
            "complain_done.html",
            common(Some(&organisation)),
            context! { compliment => true },
        )?
        .into_response())
    };
    if !state.public_limit.allows(&address) {
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            "Too many forms sent from your connection: try again later",
        )
            .into_response());
    }
    if !fields.text("website").is_empty() {
        return thanks();
    }
    let limit = redress_core::limits::LONG_TEXT;
    let error = if fields.text("summary").is_empty() {
        Some("Enter your compliment".to_string())
    } else if fields.text("summary").chars().count() > limit {
        Some(format!(
            "Your compliment must be {} characters or fewer",
            thousands(limit)
        ))
    } else {
        None
    };
    if let Some(message) = error {
        let errors = vec![FieldError::new("summary", message)];
        return compliment_page(&state, &slug, &fields, errors).await;
    }
    if !state.public_limit.allows_submission(&slug, "") {
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            "Too many forms sent: try again later",
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
        Err(redress_store::StoreError::Invalid { field, message }) => {
            compliment_page(
                &state,
                &slug,
                &fields,
                vec![FieldError::new(&field, super::capitalise(&message))],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
