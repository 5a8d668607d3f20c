//! `/api/v1`: every route is registered with its OpenAPI description in one place, so the
//! document cannot drift from the router.

mod actions;
pub(crate) mod attachments;
mod audit;
pub(crate) mod cases;
mod compliments;
mod data_protection;
mod inbound;
pub(crate) mod letters;
mod organisations;
pub(crate) mod outbox;
mod reminders;
pub(crate) mod reports;
mod retention;
mod session;
mod settings;
mod sign_in_policy;
pub(crate) mod subject_access;
mod tokens;
mod users;
pub mod views;

use crate::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Redress API",
        description = "Complaints about children's services: cases, their stages and deadlines, and the audit log. Updates need the case's ETag in If-Match; a stale one gets 409. Errors are RFC 9457 problem+json naming the field.",
    ),
    tags(
        (name = "cases", description = "Complaints and their lifecycle"),
        (name = "organisations", description = "Councils, their teams, reasons, procedures, calendars and users"),
        (name = "compliments", description = "Compliments logged by staff"),
        (name = "reports", description = "The annual and quarterly reports and their narrative sections"),
        (name = "session", description = "Signing in and out, and API tokens"),
        (name = "audit", description = "Who saw and changed what"),
        (name = "data protection", description = "Retention schedule, legal holds, erasure, rectification and subject access"),
    ),
    components(schemas(redress_report::render::Format)),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("session" = []))
)]
struct ApiDoc;

/// The answers every operation can give, written once (applied to the whole document, after
/// the routes have added their paths): 401 without a session or token (all but
/// signing in), 415 for a body that is not JSON, 400 for a query string that does not parse.
pub(crate) struct CommonResponses;

impl utoipa::Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ];
            for operation in operations.into_iter().flatten() {
                let open = operation
                    .security
                    .as_ref()
                    .is_some_and(|s| s.iter().all(|r| r == &Default::default()));
                let responses = &mut operation.responses.responses;
                if !open {
                    responses
                        .entry("401".into())
                        .or_insert_with(|| problem("No session or token, or it has ended").into());
                }
                if operation.request_body.is_some() {
                    responses
                        .entry("415".into())
                        .or_insert_with(|| problem("The body is not JSON").into());
                }
                let has_query = operation.parameters.as_ref().is_some_and(|ps| {
                    ps.iter()
                        .any(|p| matches!(p.parameter_in, ParameterIn::Query))
                });
                if has_query {
                    responses
                        .entry("400".into())
                        .or_insert_with(|| problem("The query string does not parse").into());
                }
            }
        }
    }
}

/// A bearer token, or the session cookie with X-CSRF-Token on every change.
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// Uploads may carry a whole file, more than the default body limit.
fn upload_limit(
    routes: utoipa_axum::router::UtoipaMethodRouter<AppState>,
) -> utoipa_axum::router::UtoipaMethodRouter<AppState> {
    let (schemas, paths, method_router) = routes;
    let limit = axum::extract::DefaultBodyLimit::max(crate::pages::MAX_UPLOAD_BODY);
    (schemas, paths, method_router.layer(limit))
}

/// A message handed in by the mail gate may carry several files, each up to the upload limit.
fn message_limit(
    routes: utoipa_axum::router::UtoipaMethodRouter<AppState>,
) -> utoipa_axum::router::UtoipaMethodRouter<AppState> {
    let (schemas, paths, method_router) = routes;
    let limit =
        axum::extract::DefaultBodyLimit::max(redress_app::intake::message::MAX_MESSAGE_BYTES);
    (schemas, paths, method_router.layer(limit))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(
        "/api/v1",
        OpenApiRouter::new()
            .routes(routes!(cases::list, cases::create))
            .routes(routes!(cases::read, cases::update))
            .routes(routes!(cases::transition))
            .routes(routes!(cases::events))
            .routes(upload_limit(routes!(
                attachments::list,
                attachments::upload
            )))
            .routes(routes!(attachments::download))
            .routes(routes!(attachments::add_note))
            .routes(routes!(letters::create))
            .routes(routes!(actions::tracker))
            .routes(routes!(compliments::list, compliments::create))
            .routes(routes!(compliments::read))
            .routes(routes!(compliments::set_quotation))
            .routes(routes!(settings::set_calendar))
            .routes(routes!(organisations::list, organisations::create))
            .routes(routes!(organisations::procedures, settings::set_procedures))
            .routes(routes!(settings::closures, settings::add_closure))
            .routes(routes!(settings::remove_closure))
            .routes(routes!(organisations::add_team))
            .routes(routes!(organisations::add_reason))
            .routes(message_limit(routes!(inbound::file, inbound::list)))
            .routes(routes!(letters::template, letters::set_template))
            .routes(routes!(reports::report))
            .routes(routes!(reports::narratives))
            .routes(routes!(reports::set_narrative))
            .routes(routes!(users::list, users::add))
            .routes(routes!(users::remove))
            .routes(routes!(users::set_teams))
            .routes(routes!(
                session::sign_in,
                session::current,
                session::sign_out
            ))
            .routes(routes!(session::change_password))
            .routes(routes!(tokens::list, tokens::create))
            .routes(routes!(tokens::revoke))
            .routes(routes!(audit::list))
            .routes(routes!(outbox::list))
            .routes(routes!(outbox::resend))
            .routes(routes!(reminders::get, reminders::set))
            .routes(routes!(sign_in_policy::get, sign_in_policy::set))
            .routes(routes!(
                data_protection::schedule,
                data_protection::set_schedule
            ))
            .routes(routes!(retention::preview))
            .routes(routes!(retention::approve, retention::switch_off))
            .routes(routes!(data_protection::erasures))
            .routes(routes!(
                data_protection::hold,
                data_protection::place_hold,
                data_protection::lift_hold
            ))
            .routes(routes!(data_protection::erase))
            .routes(routes!(data_protection::rectify))
            .routes(routes!(subject_access::search))
            .routes(routes!(subject_access::bundle)),
    )
}
