//! Logs: one line per request (its id, method, route template, status and latency), errors
//! with their cause chain, and a last line of defence that turns a panic into a 500 answer
//! logged with the request's id. Query strings and bodies are never logged: they can name a
//! child.

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::any::Any;
use std::time::Instant;
use tower_http::catch_panic::CatchPanicLayer;
use tracing::Instrument;

/// The header that carries a request's id, in and out.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub use redress_app::logging::{init, init_with_writer, log_error, LogFormat, LOG_FILTER_VAR};

/// Marks a response made from a panic, so the request log can say so.
#[derive(Clone)]
struct Panicked(String);

/// The request logger around the panic catcher, around the application.
pub(crate) fn apply<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(log_request))
}

fn panic_response(payload: Box<dyn Any + Send + 'static>) -> Response {
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic with no message".into());
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(Panicked(message));
    response
}

/// A client's id is kept when it is short and plain; otherwise the request gets a new one.
fn request_id(request: &Request) -> String {
    request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| {
            (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        })
        .map(str::to_string)
        .unwrap_or_else(|| redress_accounts::secrets::random_secret()[..22].to_string())
}

async fn log_request(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(&request);
    if let Ok(value) = HeaderValue::from_str(&id) {
        request.headers_mut().insert(REQUEST_ID, value);
    }
    let method = request.method().clone();
    // The route template, never the raw path: paths hold case ids, queries hold names.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(no route)".into());
    let is_api = request.uri().path().starts_with("/api/");
    let span = tracing::info_span!("request", request_id = %id);
    let mut response = next.run(request).instrument(span.clone()).await;
    if let Some(Panicked(message)) = response.extensions().get::<Panicked>().cloned() {
        let _entered = span.enter();
        tracing::error!(panic = %message, %route, "the handler panicked; answered 500");
        response = panic_page(is_api);
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _entered = span.enter();
    if status >= 500 {
        tracing::error!(%method, %route, status, latency_ms, "request");
    } else {
        tracing::info!(%method, %route, status, latency_ms, "request");
    }
    response
}

/// A panic's answer: problem+json for the API, a page for people.
fn panic_page(is_api: bool) -> Response {
    if is_api {
        crate::ApiError::internal().into_response()
    } else {
        let mut response =
            crate::pages::PageError::Internal("a handler panicked".into()).into_response();
        response
            .headers_mut()
            .entry(header::CONTENT_TYPE)
            .or_insert(HeaderValue::from_static("text/html; charset=utf-8"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    fn panicking() -> Router {
        async fn boom() -> &'static str {
            panic!("a fault in a handler")
        }
        apply(
            Router::new()
                .route("/api/v1/boom", get(boom))
                .route("/boom", get(boom)),
        )
    }

    async fn get_path(router: Router, path: &str) -> Response {
        router
            .oneshot(
                Request::get(path)
                    .header("x-request-id", "panic-test")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_panic_answers_500_as_problem_json_for_the_api_and_a_page_for_people() {
        let router = panicking();
        let api = get_path(router.clone(), "/api/v1/boom").await;
        assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            api.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        assert_eq!(api.headers()[&REQUEST_ID], "panic-test");
        let page = get_path(router.clone(), "/boom").await;
        assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(page.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        // The router still answers after both panics.
        assert_eq!(get_path(router, "/boom").await.status(), 500);
    }
}
