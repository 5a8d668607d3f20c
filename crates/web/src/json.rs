//! A JSON body extractor whose errors name the field at fault (`remedies[0].due_on`), which
//! axum's own `Json` cannot do.

use crate::ApiError;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use bytes::Bytes;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Send JSON",
                "the body must be application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large(
                    "body",
                    "the body is larger than the 2 MB a request may carry",
                )
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "unreadable-body",
                    "The body could not be read",
                    e.body_text(),
                )
            }
        })?;
        // A NUL can only come as the escape \u0000: look further only when that is present.
        if bytes.windows(6).any(|w| w == b"\\u0000") {
            let value: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| ApiError::invalid_body("body", e.to_string()))?;
            if let Some(path) = crate::nul_guard::nul_path(&value) {
                let field = if path.is_empty() {
                    "body".to_string()
                } else {
                    path
                };
                return Err(ApiError::invalid_body(
                    &field,
                    "text may not contain the NUL character (\\u0000)",
                ));
            }
        }
        let deserializer = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(deserializer)
            .map(ApiJson)
            .map_err(problem)
    }
}

/// Reads a value already parsed as JSON, naming the field at fault the same way.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(problem)
}

fn problem<E: std::fmt::Display>(err: serde_path_to_error::Error<E>) -> ApiError {
    let path = err.path().to_string();
    let inner = err.into_inner().to_string();
    let field = if let Some(rest) = inner.split("missing field `").nth(1) {
        let name = rest.split('`').next().unwrap_or_default();
        if path == "." {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    } else if let (".", Some(rest)) = (path.as_str(), inner.split("unknown field `").nth(1)) {
        // Inside a tagged enum (a transition) serde gives no path: the message names it.
        rest.split('`').next().unwrap_or_default().to_string()
    } else if path == "." {
        "body".to_string()
    } else {
        path
    };
    ApiError::invalid_body(&field, inner)
}
