use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;

/// Who is acting, for the audit log. Sign-in arrives in a later release and will replace this
/// extractor's body (session cookie or bearer token); handlers already take an `Actor`, so
/// nothing else changes. Until then it is the `X-Redress-Actor` header, or `api`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let name = parts
            .headers
            .get("x-redress-actor")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 200)
            .unwrap_or("api");
        Ok(Actor(name.to_string()))
    }
}
