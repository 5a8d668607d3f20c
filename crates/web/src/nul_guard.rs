//! PostgreSQL cannot store the NUL character in text, and a NUL in a name or an address is
//! never meant: a request carrying one is refused here, naming where it was, before any
//! handler or query sees it (SQLite would store it; the two backends answer alike).

use crate::error::ApiError;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether percent-encoded text carries `%00`.
fn encodes_nul(text: &str) -> bool {
    text.contains("%00")
}

/// Refuses an address (path or query) that carries `%00` with 400.
pub async fn refuse_nul_in_address(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let place = if encodes_nul(uri.path()) {
        Some("path")
    } else if uri.query().is_some_and(encodes_nul) {
        Some("query")
    } else {
        None
    };
    match place {
        Some(place) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "nul-character",
            "The address holds a NUL character",
            format!("{place}: may not contain the NUL character (%00)"),
        )
        .with_field(place)
        .into_response(),
        None => next.run(request).await,
    }
}

/// The path (`personal.summary`, `rules[0].applies_to`) of the first string in `value` that
/// holds a NUL, key or value.
pub fn nul_path(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => s.contains('\0').then(String::new),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_path(v).map(|rest| format!("[{i}]{}", dotted(&rest)))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                return Some(k.replace('\0', "\\u0000"));
            }
            nul_path(v).map(|rest| format!("{k}{}", dotted(&rest)))
        }),
        _ => None,
    }
}

fn dotted(rest: &str) -> String {
    if rest.is_empty() || rest.starts_with('[') {
        rest.to_string()
    } else {
        format!(".{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_of_a_nul_is_named() {
        let value = serde_json::json!({"personal": {"children": ["a", "b\u{0}"]}, "x": 1});
        assert_eq!(nul_path(&value).as_deref(), Some("personal.children[1]"));
        assert_eq!(nul_path(&serde_json::json!({"a": "fine"})), None);
        assert_eq!(nul_path(&serde_json::json!("\u{0}")).as_deref(), Some(""));
    }
}
