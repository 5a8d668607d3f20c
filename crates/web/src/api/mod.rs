//! `/api/v1`: every route is registered with its OpenAPI description in one place, so the
//! document cannot drift from the router.

mod cases;
mod organisations;
mod reports;

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
    )
)]
struct ApiDoc;

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
            .routes(routes!(reports::set_narrative)),
    )
}

/// Today in the council's terms (the server's local date).
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
