//! The HTTP face of Redress: the staff web app and public forms (`pages`), the JSON API under
//! `/api/v1` with its OpenAPI document and reference page, and the operational endpoints
//! `/healthz` and `/readyz`.

pub mod api;
pub mod auth;
mod error;
mod json;
// The use cases live in `redress_app`; the server reaches them by these names.
pub use redress_app::{letters, mail, report_input, subject_access};
mod nul_guard;
mod operations;
mod pages;
mod proxy;
mod report_file;
pub mod security_headers;
pub mod telemetry;

pub use auth::{AuthSettings, Principal};
pub use error::ApiError;
pub use pages::decode_public_complaint;
pub use redress_calendar::Clock;

use axum::Router;
use redress_accounts::Accounts;
use redress_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Users, sessions and tokens, over the same store.
    pub accounts: Accounts,
    pub auth: AuthSettings,
    /// Whether a mail server is configured (the outbox says why mail waits when not).
    pub mail_configured: bool,
    pub(crate) public_limit: Arc<pages::PublicFormLimit>,
    /// The OpenAPI document, built once from the router.
    pub(crate) openapi: Arc<utoipa::openapi::OpenApi>,
}

impl AppState {
    /// The one clock, the store's: what a handler dates and judges by is what the store
    /// records by, and a test that moves it moves both.
    pub fn clock(&self) -> Clock {
        self.store.clock()
    }
}

/// One route of the application: its method and its path template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteEntry {
    pub method: &'static str,
    pub path: String,
}

/// The whole application with the default session settings.
pub fn router(store: Store) -> Router {
    router_with(store, AuthSettings::default())
}

/// The whole application on the system clock.
pub fn router_with(store: Store, auth: AuthSettings) -> Router {
    router_with_clock(store, auth, Clock::system())
}

/// The whole application as a router, for serving and for tests.
pub fn router_with_clock(store: Store, auth: AuthSettings, clock: Clock) -> Router {
    router_for(Accounts::new(store), auth, clock)
}

/// The application over `accounts` (and its store), for a caller that keeps the same accounts
/// to act on directly, such as a test forgetting checked sign-ins.
pub fn router_for(accounts: Accounts, auth: AuthSettings, clock: Clock) -> Router {
    router_for_mail(accounts, auth, clock, false)
}

/// The application, saying whether a mail server is configured.
pub fn router_for_mail(
    accounts: Accounts,
    auth: AuthSettings,
    clock: Clock,
    mail_configured: bool,
) -> Router {
    let store = accounts.store().clone();
    // One clock: what the store records and judges by is the app's "now".
    store.set_clock(clock.clone());
    let (api, openapi) = api_parts();
    let (pages, _) = pages::routes();
    let app = Router::new()
        .merge(api)
        .merge(pages)
        .merge(operations::routes())
        .with_state(AppState {
            public_limit: pages::PublicFormLimit::per_hour(auth.public_submissions_per_hour),
            accounts,
            store,
            auth,
            mail_configured,
            openapi: Arc::new(openapi),
        })
        .layer(axum::middleware::from_fn(nul_guard::refuse_nul_in_address));
    telemetry::apply(security_headers::apply(app))
}

fn api_parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (api, mut openapi) = api::routes().split_for_parts();
    utoipa::Modify::modify(&api::CommonResponses, &mut openapi);
    (api, openapi)
}

/// Every route the application answers, read from the same tables the router is built from:
/// the pages' table, the OpenAPI document's paths, and the operational routes.
pub fn route_table() -> Vec<RouteEntry> {
    let (_, openapi) = api_parts();
    let (_, pages) = pages::routes();
    let mut table: Vec<RouteEntry> = pages
        .into_iter()
        .chain(operations::TABLE.iter().copied())
        .map(|(method, path)| RouteEntry {
            method,
            path: path.to_string(),
        })
        .collect();
    for (path, item) in &openapi.paths.paths {
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (method, present) in methods {
            if present {
                table.push(RouteEntry {
                    method,
                    path: path.clone(),
                });
            }
        }
    }
    table.sort();
    table
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_parts().1
}

/// Serves until Ctrl-C or SIGTERM, then stops taking connections, lets the requests in flight
/// finish (each new complaint waits for its group commit), and returns.
/// With a mailer, a worker sends the outbox alongside; without one, mail waits in it.
pub async fn serve(
    store: Store,
    auth: AuthSettings,
    address: SocketAddr,
    mailer: Option<mail::Mailer>,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(address).await?;
    let configured = mailer.is_some();
    let worker = mailer.map(|m| tokio::spawn(m.run(store.clone())));
    let retention = tokio::spawn(redress_app::retention::run_daily(store.clone()));
    let app = router_for_mail(Accounts::new(store), auth, Clock::system(), configured);
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    // A message being sent is abandoned here; it stays claimed and is never sent twice.
    if let Some(worker) = worker {
        worker.abort();
    }
    retention.abort();
    served
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
    tracing::info!("shutting down: finishing the requests in flight");
}
