//! What an operator and an integrator reach without signing in: liveness and readiness checks
//! for a load balancer, and the API's OpenAPI document with its reference page.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

/// The routes this module serves, as (method, path): the router is built from the same list.
pub(crate) const TABLE: [(&str, &str); 4] = [
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/docs"),
];

pub(crate) fn routes() -> Router<AppState> {
    let [health, ready, openapi, docs] = TABLE.map(|(_, path)| path);
    Router::new()
        .route(health, get(healthz))
        .route(ready, get(readyz))
        .route(openapi, get(openapi_json))
        .route(docs, get(crate::pages::api_docs))
}

/// The process is alive and answering.
async fn healthz() -> &'static str {
    "ok\n"
}

/// The database answers and its schema is up to date: the server can take work.
async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ready().await {
        Ok(()) => "ready\n".into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "not ready");
            let mut response = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not-ready",
                "Not ready",
                "the database does not answer, or its schema is not up to date",
            )
            .into_response();
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            response
        }
    }
}

async fn openapi_json(State(state): State<AppState>) -> Json<utoipa::openapi::OpenApi> {
    Json(state.openapi.as_ref().clone())
}
