//! The staff web app and the public forms: server-rendered GOV.UK pages that work without
//! JavaScript. Staff pages sign in with the same sessions as the API; every form carries the
//! session's CSRF token in a hidden field.

mod admin;
mod api_docs;
mod assets;
mod case_actions;
mod case_list;
mod case_page;
mod compliments;
mod dashboard;
mod public;
mod reports;
mod sign_in;
mod tracker;

use crate::auth::{session_principal, Principal, Via};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use minijinja::{context, Environment, Value};
use redress_store::{secrets, Permission, Role, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

pub(crate) use api_docs::api_docs;
pub use public::{decode_public_complaint, PublicFormLimit};

/// The pages' routes, and the table of (method, path) they were built from.
pub fn routes() -> (Router<AppState>, Vec<(&'static str, &'static str)>) {
    let mut table = Vec::new();
    let mut router = Router::new();
    let mut add = |path: &'static str, methods: &[&'static str], route: MethodRouter<AppState>| {
        table.extend(methods.iter().map(|m| (*m, path)));
        router = std::mem::take(&mut router).route(path, route);
    };
    add("/", &["GET"], get(dashboard::show));
    add(
        "/sign-in",
        &["GET", "POST"],
        get(sign_in::form).post(sign_in::submit),
    );
    add("/sign-out", &["POST"], post(sign_in::sign_out));
    add(
        "/password",
        &["GET", "POST"],
        get(sign_in::password_form).post(sign_in::change_password),
    );
    add("/cases", &["GET"], get(case_list::show));
    add(
        "/cases/new",
        &["GET", "POST"],
        get(case_list::new_form).post(case_list::create),
    );
    add("/cases/{id}", &["GET"], get(case_page::show));
    add(
        "/cases/{id}/actions/{action}",
        &["POST"],
        post(case_page::act),
    );
    add(
        "/cases/{id}/attachments",
        &["POST"],
        post(case_page::upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
    );
    add(
        "/cases/{id}/attachments/{attachment}",
        &["GET"],
        get(case_page::download),
    );
    add("/actions", &["GET"], get(tracker::show));
    add(
        "/compliments",
        &["GET", "POST"],
        get(compliments::show).post(compliments::log),
    );
    add("/reports", &["GET"], get(reports::show));
    add("/reports/download", &["GET"], get(reports::download));
    add(
        "/reports/narrative",
        &["POST"],
        post(reports::save_narrative),
    );
    add("/admin", &["GET"], get(admin::show));
    add("/admin/{slug}/users", &["POST"], post(admin::add_user));
    add(
        "/admin/{slug}/users/remove",
        &["POST"],
        post(admin::remove_user),
    );
    add("/admin/{slug}/teams", &["POST"], post(admin::add_team));
    add("/admin/{slug}/reasons", &["POST"], post(admin::add_reason));
    add(
        "/admin/{slug}/closures",
        &["POST"],
        post(admin::add_closure),
    );
    add(
        "/admin/{slug}/procedures",
        &["POST"],
        post(admin::set_procedures),
    );
    add(
        "/admin/{slug}/calendar",
        &["POST"],
        post(admin::upload_calendar).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
    );
    add("/complain", &["GET"], get(public::choose_for_complaint));
    add(
        "/complain/{slug}",
        &["GET", "POST"],
        get(public::complaint_form).post(public::submit_complaint),
    );
    add(
        "/complain/{slug}/young-people",
        &["GET", "POST"],
        get(public::young_complaint_form).post(public::submit_young_complaint),
    );
    add("/compliment", &["GET"], get(public::choose_for_compliment));
    add(
        "/compliment/{slug}",
        &["GET", "POST"],
        get(public::compliment_form).post(public::submit_compliment),
    );
    add("/assets/{*path}", &["GET"], get(assets::serve));
    (router, table)
}

/// The templates, parsed once.
fn templates() -> &'static Environment<'static> {
    static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        macro_rules! add {
            ($($name:literal),+ $(,)?) => {
                $(env.add_template($name, include_str!(concat!("../../templates/", $name)))
                    .expect(concat!("template ", $name, " parses"));)+
            };
        }
        add!(
            "base.html",
            "macros.html",
            "sign_in.html",
            "change_password.html",
            "dashboard.html",
            "case_table.html",
            "cases.html",
            "new_case.html",
            "case.html",
            "complain.html",
            "complain_done.html",
            "compliment.html",
            "compliments.html",
            "actions.html",
            "reports.html",
            "admin.html",
            "message.html",
            "api_docs.html",
        );
        env
    })
}

/// Renders a template with the page's own values over the common ones.
pub(crate) fn render(name: &str, common: Value, own: Value) -> Result<Html<String>, PageError> {
    let template = templates()
        .get_template(name)
        .map_err(|e| PageError::Internal(e.to_string()))?;
    template
        .render(context! { ..own, ..common })
        .map(Html)
        .map_err(|e| PageError::Internal(format!("{e:#}")))
}

/// A field's error, shown in the summary at the top and beside the field.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// What goes wrong on a page, shown as a page rather than problem+json. The classification
/// is the API's (`ApiError`, made once from the store's errors); a page only renders it.
#[derive(Debug)]
pub(crate) enum PageError {
    /// A value from the request is wrong: 400 or 422, naming the field.
    Invalid {
        status: StatusCode,
        field: String,
        message: String,
    },
    NotFound,
    Forbidden(String),
    /// The record changed meanwhile, or the step is not allowed now.
    Conflict(String),
    /// Too large, too many, or a precondition the request did not meet: shown as said.
    Refused {
        status: StatusCode,
        message: String,
    },
    Internal(String),
}

impl PageError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        PageError::Invalid {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        let status = e.status();
        let message = e.detail().to_string();
        match status.as_u16() {
            400 | 422 => PageError::Invalid {
                status,
                field: e.field().unwrap_or("request").to_string(),
                message,
            },
            401 | 403 => PageError::Forbidden(message),
            404 => PageError::NotFound,
            409 | 412 | 428 => PageError::Conflict(message),
            500..=599 => PageError::Internal(message),
            _ => PageError::Refused { status, message },
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, line) = match self {
            PageError::Invalid {
                status,
                field,
                message,
            } => (
                status,
                "There is a problem",
                format!("{}: {}", words(&field), message),
            ),
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "If you typed the web address, check it is correct. A case you do not have access to is not shown.".to_string(),
            ),
            PageError::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                "You cannot do that",
                format!("{}. Ask your Redress administrator if you need to.", capitalise(&why)),
            ),
            PageError::Conflict(why) => (
                StatusCode::CONFLICT,
                "That could not be done",
                format!("{}. Go back, reload the page and try again.", capitalise(&why)),
            ),
            PageError::Refused { status, message } => {
                (status, "There is a problem", capitalise(&message))
            }
            PageError::Internal(detail) => {
                tracing::error!(%detail, "page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "Nothing was changed. Try again later.".to_string(),
                )
            }
        };
        let common = context! { service_name => "Redress", home => "/" };
        let own = context! { heading, lines => vec![line], link => context!{ href => "/", label => "Go to the start" } };
        match render("message.html", common, own) {
            Ok(html) => (status, html).into_response(),
            Err(_) => (status, heading).into_response(),
        }
    }
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A signed-in member of staff on a page. Without a session the browser is sent to sign in;
/// with a one-time password still in use, to choose a password.
pub(crate) struct Staff {
    pub principal: Principal,
    pub csrf: String,
    pub path: String,
}

/// Sends the browser to sign in, then back to where it was going.
fn to_sign_in(parts: &Parts) -> Response {
    let next = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let target = format!(
        "/sign-in?next={}",
        serde_urlencoded::to_string([("", next)])
            .unwrap_or_default()
            .trim_start_matches('=')
    );
    Redirect::to(&target).into_response()
}

async fn staff_of(parts: &Parts, state: &AppState) -> Result<Staff, Response> {
    let principal = session_principal(parts, state)
        .await
        .map_err(|_| to_sign_in(parts))?;
    let path = parts.uri.path().to_string();
    if principal.account.must_change_password && path != "/password" {
        return Err(Redirect::to("/password").into_response());
    }
    let csrf = match &principal.via {
        Via::Session { csrf_token, .. } => csrf_token.clone(),
        Via::Token { .. } => String::new(),
    };
    Ok(Staff {
        principal,
        csrf,
        path,
    })
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            // A change must come through StaffForm, which checks the CSRF token.
            return Err(StatusCode::METHOD_NOT_ALLOWED.into_response());
        }
        staff_of(parts, state).await
    }
}

/// The fields of a posted form.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fields(pub HashMap<String, String>);

impl Fields {
    /// The trimmed value, or "" when absent.
    pub fn text(&self, name: &str) -> String {
        self.0
            .get(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    }

    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }

    pub fn ticked(&self, name: &str) -> bool {
        self.0.get(name).is_some_and(|v| v == "yes")
    }

    pub fn to_value(&self) -> Value {
        Value::from_serialize(&self.0)
    }
}

/// A form posted by a signed-in member of staff, with its CSRF token checked: the only way a
/// staff page can change anything.
pub(crate) struct StaffForm {
    pub staff: Staff,
    pub fields: Fields,
}

/// Refuses a change whose CSRF token is not the session's.
fn check_csrf(staff: &Staff, sent: &str) -> Result<(), PageError> {
    if staff.csrf.is_empty() || !secrets::same_secret(sent, &staff.csrf) {
        return Err(PageError::Forbidden(
            "the form had expired or did not come from Redress: go back, reload the page and try again".into(),
        ));
    }
    Ok(())
}

impl FromRequest<AppState> for StaffForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let staff = staff_of(&parts, state).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BODY)
            .await
            .map_err(|_| form_too_large().into_response())?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            PageError::invalid("form", format!("the form could not be read: {e}")).into_response()
        })?;
        let fields = Fields(pairs.into_iter().collect());
        check_csrf(&staff, &fields.text("_csrf")).map_err(IntoResponse::into_response)?;
        Ok(StaffForm { staff, fields })
    }
}

/// The most a posted form (not an upload) may hold: every text field at its limit, and more.
pub(crate) const MAX_FORM_BODY: usize = 1024 * 1024;

fn form_too_large() -> PageError {
    PageError::Refused {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: "the form is too large to send: shorten the longest answers and try again".into(),
    }
}

/// A posted form's body, at most `MAX_FORM_BODY`; a larger one is refused with a page that
/// says so, never a blank answer.
pub(crate) struct FormBody(pub bytes::Bytes);

impl<S: Send + Sync> FromRequest<S> for FormBody {
    type Rejection = Response;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Response> {
        axum::body::to_bytes(request.into_body(), MAX_FORM_BODY)
            .await
            .map(FormBody)
            .map_err(|_| form_too_large().into_response())
    }
}

/// A file upload by a signed-in member of staff. The CSRF token is a field of the multipart
/// body, ahead of the file, never the URL (where it would reach logs and history).
pub(crate) struct StaffUpload {
    pub staff: Staff,
    pub name: String,
    pub content: Vec<u8>,
}

/// The most an upload's body may hold: the largest file, and room for the form around it.
pub(crate) const MAX_UPLOAD_BODY: usize =
    redress_store::attachments::MAX_ATTACHMENT_BYTES + 64 * 1024;

fn too_large() -> PageError {
    PageError::Refused {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!(
            "the file is too large: it must be {} MB or smaller",
            redress_store::attachments::MAX_ATTACHMENT_BYTES / 1024 / 1024
        ),
    }
}

impl FromRequest<AppState> for StaffUpload {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let staff = staff_of(&parts, state).await?;
        let request = Request::from_parts(parts, body);
        let fail = |e: PageError| e.into_response();
        let mut multipart = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|e| fail(PageError::invalid("file", e.body_text())))?;
        let (mut csrf, mut file) = (String::new(), None);
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(fail(too_large()))
                }
                Err(e) => return Err(fail(PageError::invalid("file", e.body_text()))),
            };
            match field.name() {
                Some("_csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("file") => {
                    let name = field.file_name().unwrap_or("file").to_string();
                    let content = field.bytes().await.map_err(|e| {
                        fail(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                            too_large()
                        } else {
                            PageError::invalid("file", e.body_text())
                        })
                    })?;
                    file = Some((name, content.to_vec()));
                }
                _ => {}
            }
        }
        check_csrf(&staff, &csrf).map_err(fail)?;
        let (name, content) = file.unwrap_or_default();
        Ok(StaffUpload {
            staff,
            name,
            content,
        })
    }
}

/// One link in the staff menu.
#[derive(Serialize)]
struct NavItem {
    href: &'static str,
    label: &'static str,
    current: bool,
}

impl Staff {
    /// Whether any of the user's roles allows this.
    pub fn may(&self, permission: Permission) -> bool {
        self.principal
            .account
            .memberships
            .iter()
            .any(|m| m.role.allows(permission))
    }

    /// The slugs of the organisations where the user may do this.
    pub fn organisations_where(&self, permission: Permission) -> Vec<String> {
        self.principal
            .account
            .memberships
            .iter()
            .filter(|m| m.role.allows(permission))
            .map(|m| m.organisation.clone())
            .collect()
    }

    /// The organisations where the user may do this, as options named in full.
    pub fn organisation_choices(&self, permission: Permission) -> Vec<Choice> {
        self.principal
            .account
            .memberships
            .iter()
            .filter(|m| m.role.allows(permission))
            .map(|m| Choice::new(m.organisation.clone(), m.organisation_name.clone()))
            .collect()
    }

    /// Values every staff page shows: who is signed in, the menu, the CSRF token.
    pub fn common(&self) -> Value {
        let account = &self.principal.account;
        let mut navigation = vec![("/", "Dashboard")];
        if self.may(Permission::ReadCases) {
            navigation.push(("/cases", "Cases"));
            navigation.push(("/actions", "Actions"));
        }
        if self.may(Permission::ReadCases) || self.may(Permission::ManageOrganisation) {
            navigation.push(("/compliments", "Compliments"));
        }
        navigation.push(("/reports", "Reports"));
        if self.may(Permission::ManageOrganisation) || account.system_admin {
            navigation.push(("/admin", "Admin"));
        }
        let navigation: Vec<NavItem> = navigation
            .into_iter()
            .map(|(href, label)| NavItem {
                href,
                label,
                current: if href == "/" {
                    self.path == "/"
                } else {
                    self.path.starts_with(href)
                },
            })
            .collect();
        let organisation_name = match account.memberships.as_slice() {
            [only] => only.organisation_name.clone(),
            _ => String::new(),
        };
        context! {
            service_name => "Redress",
            home => "/",
            account => Value::from_serialize(account.as_ref()),
            csrf => self.csrf.clone(),
            navigation => Value::from_serialize(&navigation),
            organisation_name,
        }
    }

    /// A short description of the user's roles, for the dashboard.
    pub fn role_summary(&self) -> String {
        let account = &self.principal.account;
        let mut parts: Vec<String> = account
            .memberships
            .iter()
            .map(|m| {
                let role = match m.role {
                    Role::Admin => "administrator",
                    Role::ComplaintsOfficer => "complaints officer",
                    Role::TeamManager => "team manager",
                    Role::Investigator => "investigator",
                    Role::Viewer => "viewer",
                };
                if m.teams.is_empty() {
                    format!("{role} at {}", m.organisation)
                } else {
                    format!("{role} at {} ({})", m.organisation, m.teams.join(", "))
                }
            })
            .collect();
        if account.system_admin {
            parts.insert(0, "system administrator".into());
        }
        parts.join("; ")
    }
}

/// A select's option.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }

    /// Options whose value is also their label.
    pub fn same(values: &[String]) -> Vec<Choice> {
        values
            .iter()
            .map(|v| Choice::new(v.clone(), v.clone()))
            .collect()
    }
}

/// "snake_case" as words with a capital: "not_upheld" reads "Not upheld".
pub(crate) fn words(code: &str) -> String {
    capitalise(&code.replace('_', " "))
}

/// "Wednesday 25 November 2026".
pub(crate) fn long_date(date: chrono::NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

/// "3 working days left", "due today", "2 working days overdue".
pub(crate) fn days_text(days_left: i64) -> String {
    match days_left {
        0 => "due today".into(),
        1 => "1 working day left".into(),
        n if n > 1 => format!("{n} working days left"),
        -1 => "1 working day overdue".into(),
        n => format!("{} working days overdue", -n),
    }
}
