//! One error type for the web layer, mapped to RFC 9457 problem+json in one place.

use crate::report_input::ReportError;
use axum::extract::rejection::QueryRejection;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use redress_core::CaseError;
use redress_store::{ImportRefused, StoreError};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request field at fault, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    detail: String,
    field: Option<String>,
    /// Seconds, for a 429 or a 503.
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            kind,
            title,
            detail: detail.into(),
            field: None,
            retry_after: None,
        }
    }

    /// Names the request field at fault.
    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The request field at fault, where there is one.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// What went wrong, in words for the person who sent the request.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// A genuine fault of the server (already logged by whoever made it).
    pub fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong",
            "the request could not be completed; nothing was changed",
        )
    }

    pub fn unauthenticated(detail: &str) -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Sign in or send an API token",
            detail,
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your role does not allow this",
            detail,
        )
    }

    pub fn csrf() -> Self {
        ApiError {
            field: Some(crate::auth::CSRF_HEADER.into()),
            ..ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "The request's CSRF token is missing or wrong",
                "a change made with a session cookie must carry the session's CSRF token \
                 (X-CSRF-Token header, or the form's hidden field): reload the page and try again",
            )
        }
    }

    pub fn password_change_required() -> Self {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "password-change-required",
            "Change your password first",
            "you signed in with a one-time password: set your own with PUT /api/v1/session/password",
        )
    }

    pub fn throttled(retry_after: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                "Too many failed password checks",
                format!("too many failed password checks for this account or from this address: try again in {retry_after} seconds"),
            )
        }
    }

    /// 503: too many writes are waiting; the client may retry after `retry_after` seconds.
    pub fn busy(retry_after: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "The server is busy",
                format!(
                    "too many changes are waiting to be saved: try again in {retry_after} seconds"
                ),
            )
        }
    }

    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        ApiError {
            field: Some(field.to_string()),
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "A value is not valid",
                detail,
            )
        }
    }

    pub fn invalid_body(field: &str, detail: impl Into<String>) -> Self {
        ApiError {
            field: Some(field.to_string()),
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-body",
                "The request body is not valid",
                detail,
            )
        }
    }

    /// A query string that is not what the operation takes, naming the parameter.
    pub fn bad_query(field: &str, detail: impl Into<String>) -> Self {
        ApiError {
            field: Some(field.to_string()),
            ..ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid-query",
                "The query string is not valid",
                detail,
            )
        }
    }

    pub fn too_large(field: &str, detail: impl Into<String>) -> Self {
        ApiError {
            field: Some(field.to_string()),
            ..ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "The request is too large",
                detail,
            )
        }
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            format!("{what} not found"),
        )
    }

    pub fn precondition_required() -> Self {
        ApiError {
            field: Some("If-Match".into()),
            ..ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "if-match-required",
                "If-Match is required",
                "send the case's ETag in If-Match so that a concurrent change is never overwritten",
            )
        }
    }
}

/// A store error as a person meets it: the one classification the API and the pages share.
pub(crate) enum StoreFault {
    NotFound(String),
    Forbidden(String),
    Unauthenticated(String),
    /// Too many failed password checks (429), or too many writes waiting (503).
    Throttled {
        retry_after: u64,
        message: String,
    },
    Busy {
        retry_after: u64,
        message: String,
    },
    /// Someone else changed the case or the settings since they were read (If-Match).
    Stale {
        title: &'static str,
        message: String,
    },
    NotAllowed(String),
    Invalid {
        field: String,
        message: String,
    },
    Duplicate {
        field: String,
        message: String,
    },
    /// Our side failed: logged here, and shown to no one.
    Internal,
}

/// Classifies a store error once, for the API and the pages alike.
pub(crate) fn classify(err: StoreError) -> StoreFault {
    match err {
        StoreError::NotFound(what) => StoreFault::NotFound(what),
        StoreError::Forbidden(why) => StoreFault::Forbidden(why),
        StoreError::Unauthenticated(why) => StoreFault::Unauthenticated(why),
        StoreError::Throttled { retry_after } => StoreFault::Throttled {
            retry_after,
            message: err.to_string(),
        },
        StoreError::Busy { retry_after } => StoreFault::Busy {
            retry_after,
            message: err.to_string(),
        },
        StoreError::Conflict { .. } => StoreFault::Stale {
            title: "The case has changed",
            message: err.to_string(),
        },
        StoreError::SettingsChanged { .. } => StoreFault::Stale {
            title: "The organisation's settings have changed",
            message: err.to_string(),
        },
        StoreError::Case(CaseError::NotAllowed(reason)) => StoreFault::NotAllowed(reason),
        StoreError::Invalid { field, message }
        | StoreError::Case(CaseError::Invalid { field, message }) => {
            StoreFault::Invalid { field, message }
        }
        StoreError::Duplicate { field, message } => StoreFault::Duplicate { field, message },
        // Listed, not matched by `_`, so a new kind of error is a decision, not a 500.
        other @ (StoreError::UnsupportedUrl(_)
        | StoreError::Corrupt(_)
        | StoreError::Internal(_)
        | StoreError::Database(_)
        | StoreError::Migrate(_)) => {
            crate::telemetry::log_error("store failure", &other);
            StoreFault::Internal
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match classify(err) {
            StoreFault::NotFound(what) => ApiError::not_found(&what),
            StoreFault::Forbidden(why) => ApiError::forbidden(why),
            StoreFault::Unauthenticated(why) => ApiError::unauthenticated(&why),
            StoreFault::Throttled { retry_after, .. } => ApiError::throttled(retry_after),
            StoreFault::Busy { retry_after, .. } => ApiError::busy(retry_after),
            StoreFault::Stale { title, message } => ApiError {
                field: Some("If-Match".into()),
                ..ApiError::new(StatusCode::CONFLICT, "conflict", title, message)
            },
            StoreFault::NotAllowed(reason) => ApiError::new(
                StatusCode::CONFLICT,
                "transition-not-allowed",
                "That step is not allowed now",
                reason,
            ),
            StoreFault::Invalid { field, message } => ApiError::invalid(&field, message),
            StoreFault::Duplicate { field, message } => ApiError {
                field: Some(field),
                ..ApiError::new(
                    StatusCode::CONFLICT,
                    "duplicate",
                    "That value is already taken",
                    message,
                )
            },
            StoreFault::Internal => ApiError::internal(),
        }
    }
}

impl From<redress_app::letters::LetterError> for ApiError {
    fn from(e: redress_app::letters::LetterError) -> Self {
        use redress_app::letters::LetterError;
        match e {
            LetterError::Store(e) => e.into(),
            LetterError::Render(e) => {
                tracing::error!(error = %e, "a letter could not be rendered");
                ApiError::internal()
            }
        }
    }
}

impl From<ReportError> for ApiError {
    fn from(err: ReportError) -> Self {
        match err {
            ReportError::Store(e) => e.into(),
            ReportError::Timeliness(e) => ApiError::invalid("case", e.to_string()),
            ReportError::Render => ApiError::internal(),
        }
    }
}

impl From<ImportRefused> for ApiError {
    fn from(err: ImportRefused) -> Self {
        match err {
            ImportRefused::Store(e) => e.into(),
            ImportRefused::Rows(refusals) => {
                let mut faults: Vec<String> = refusals
                    .rows
                    .iter()
                    .map(|(line, column, message)| format!("line {line}, {column}: {message}"))
                    .collect();
                if refusals.more > 0 {
                    faults.push(format!("and {} more", refusals.more));
                }
                ApiError::invalid("rows", faults.join("; "))
            }
        }
    }
}

/// serde's messages for a query string name the field ("overdue: provided string was not
/// `true` or `false`"); pull it out so the problem names it.
fn field_of(message: &str) -> Option<String> {
    if let Some(rest) = message.split("missing field `").nth(1) {
        return rest.split('`').next().map(str::to_string);
    }
    let (path, _) = message.split_once(": ")?;
    let path = path.trim();
    (!path.is_empty() && !path.contains(' ') && path != ".").then(|| path.to_string())
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        let detail = rejection.body_text();
        let inner = detail
            .split_once("Failed to deserialize query string: ")
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_else(|| detail.clone());
        ApiError {
            field: field_of(&inner).or(Some("query".into())),
            ..ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid-query",
                "The query string is not valid",
                inner,
            )
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: format!("urn:redress:problem:{}", self.kind),
            title: self.title.to_string(),
            status: self.status.as_u16(),
            detail: self.detail,
            field: self.field,
        };
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            serde_json::to_string(&body).unwrap_or_default(),
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
