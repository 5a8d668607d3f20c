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
mod errors;
mod extract;
mod filters;
mod format;
mod language;
mod layout;
mod letters;
mod outbox;
mod posted_step;
mod public;
mod reports;
mod retention;
mod sign_in;
mod single_sign_on;
mod subject_access;
mod templates;
mod tracker;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, MethodRouter};
use axum::Router;

pub(crate) use api_docs::api_docs;
pub(crate) use errors::{FieldError, PageError};
pub(crate) use extract::{Fields, FormBody, Staff, StaffForm, StaffUpload, MAX_UPLOAD_BODY};
pub(crate) use format::{capitalise, days_text, long_date, words};
pub(crate) use layout::Choice;
pub use public::{decode_public_complaint, PublicFormLimit};
pub(crate) use templates::render;

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
    add("/sign-in/oidc", &["GET"], get(single_sign_on::start));
    add(
        "/sign-in/oidc/callback",
        &["GET"],
        get(single_sign_on::callback),
    );
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
    add(
        "/cases/{id}/letter",
        &["GET", "POST"],
        get(letters::write).post(letters::send),
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
        "/admin/{slug}/sign-in-policy",
        &["POST"],
        post(admin::set_sign_in_policy),
    );
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
        "/admin/{slug}/retention",
        &["POST"],
        post(admin::set_retention),
    );
    add(
        "/admin/{slug}/retention/approval",
        &["GET", "POST"],
        get(retention::show).post(retention::approve),
    );
    add(
        "/admin/{slug}/retention/off",
        &["POST"],
        post(retention::switch_off),
    );
    add(
        "/admin/{slug}/calendar",
        &["POST"],
        post(admin::upload_calendar).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
    );
    add(
        "/admin/{slug}/letters/{kind}",
        &["GET", "POST"],
        get(letters::template).post(letters::save),
    );
    add("/admin/{slug}/outbox", &["GET"], get(outbox::show));
    add(
        "/admin/{slug}/outbox/{id}/resend",
        &["POST"],
        post(outbox::resend),
    );
    add(
        "/organisations/{slug}/subject-access",
        &["GET"],
        get(subject_access::show),
    );
    add(
        "/organisations/{slug}/subject-access/cases/{id}/{step}",
        &["POST"],
        post(subject_access::act),
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
