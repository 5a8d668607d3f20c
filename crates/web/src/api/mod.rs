//! `/api/v1`: every route is registered with its OpenAPI description in one place, so the
//! document cannot drift from the router.

mod audit;
mod cases;
mod organisations;
pub(crate) mod reports;
mod session;
mod tokens;
mod users;

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
        (name = "organisations", description = "Councils, their teams, reasons and procedures"),
        (name = "reports", description = "The annual and quarterly reports and their narrative sections"),
        (name = "session", description = "Signing in and out, and API tokens"),
        (name = "audit", description = "Who saw and changed what"),
    ),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("session" = []))
)]
struct ApiDoc;

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

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(
        "/api/v1",
        OpenApiRouter::new()
            .routes(routes!(cases::list, cases::create))
            .routes(routes!(cases::read, cases::update))
            .routes(routes!(cases::transition))
            .routes(routes!(cases::events))
            .routes(routes!(organisations::list, organisations::create))
            .routes(routes!(organisations::procedures))
            .routes(routes!(organisations::add_team))
            .routes(routes!(organisations::add_reason))
            .routes(routes!(reports::report))
            .routes(routes!(reports::narratives))
            .routes(routes!(reports::set_narrative))
            .routes(routes!(users::list, users::add))
            .routes(routes!(users::remove))
            .routes(routes!(
                session::sign_in,
                session::current,
                session::sign_out
            ))
            .routes(routes!(session::change_password))
            .routes(routes!(tokens::list, tokens::create))
            .routes(routes!(tokens::revoke))
            .routes(routes!(audit::list)),
    )
}

/// Today in the council's terms (the server's local date).
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
