//! The HTTP face of Redress. Today: the JSON API under `/api/v1`, its OpenAPI document at
//! `/api/v1/openapi.json` and a docs page at `/api/v1/docs` (served from the binary, no CDN).

pub mod api;
pub mod auth;
mod error;
mod json;
mod pages;
pub mod security_headers;

pub use auth::{AuthSettings, Principal};
pub use error::ApiError;
pub use pages::decode_public_complaint;

use axum::Router;
use redress_store::Store;
use std::net::SocketAddr;
use utoipa_swagger_ui::SwaggerUi;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub auth: AuthSettings,
    pub(crate) public_limit: std::sync::Arc<pages::PublicFormLimit>,
}

/// The whole application with the default session settings.
pub fn router(store: Store) -> Router {
    router_with(store, AuthSettings::default())
}

/// The whole application as a router, for serving and for tests.
pub fn router_with(store: Store, auth: AuthSettings) -> Router {
    let (api, mut openapi) = api::routes().split_for_parts();
    utoipa::Modify::modify(&api::CommonResponses, &mut openapi);
    let app = Router::new()
        .merge(SwaggerUi::new("/api/v1/docs").url("/api/v1/openapi.json", openapi))
        .merge(api)
        .merge(pages::routes())
        .with_state(AppState {
            public_limit: pages::PublicFormLimit::per_hour(auth.public_submissions_per_hour),
            store,
            auth,
        });
    // Spans name the path only: query strings can hold search text about a child.
    security_headers::apply(app).layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(
        |request: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        },
    ))
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(store: Store, auth: AuthSettings, address: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(address).await?;
    axum::serve(
        listener,
        router_with(store, auth).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
