//! The read path's limit on this machine: an axum handler returning a small JSON body, on the
//! same runtime and allocator as `redress serve`, with no database. `benches/limits.sh` drives
//! it beside the real server. Usage: limit_hello 127.0.0.1:8099

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use axum::routing::get;
use axum::{Json, Router};

#[tokio::main]
async fn main() {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8099".into());
    let app = Router::new().route(
        "/api/v1/cases/{id}",
        get(
            |axum::extract::Path(id): axum::extract::Path<i64>| async move {
                Json(serde_json::json!({"id": id, "reference": "HELLO-1", "status": "in_stage"}))
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .expect("the address is free");
    axum::serve(listener, app).await.expect("serves");
}
