//! What goes wrong on a page: a field's error beside the field, or a page saying what happened
//! with the right status. Errors are classified from the store's own, as the API classifies
//! them, never re-read from an HTTP status.

use super::{capitalise, render, words};
use crate::report_input::ReportError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use redress_store::StoreError;
use serde::Serialize;

/// A field's error, shown in the summary at the top and beside the field.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// What goes wrong on a page, shown as a page rather than problem+json.
#[derive(Debug)]
pub(crate) enum PageError {
    /// A value from the request is wrong: 400 or 422, naming the field.
    Invalid {
        status: StatusCode,
        field: String,
        message: String,
    },
    NotFound,
    Forbidden(String),
    /// The record changed meanwhile, or the step is not allowed now.
    Conflict(String),
    /// Too large, too many, or a precondition the request did not meet: shown as said.
    Refused {
        status: StatusCode,
        message: String,
    },
    Internal(String),
}

impl PageError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        PageError::Invalid {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// The store's errors, classified once with the API's (`crate::error::classify`).
impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        use crate::error::StoreFault;
        match crate::error::classify(e) {
            StoreFault::NotFound(_) => PageError::NotFound,
            StoreFault::Forbidden(why) | StoreFault::Unauthenticated(why) => {
                PageError::Forbidden(why)
            }
            StoreFault::Stale { message, .. } => PageError::Conflict(message),
            StoreFault::NotAllowed(reason) => PageError::Conflict(reason),
            StoreFault::Duplicate { message, .. } => PageError::Conflict(message),
            StoreFault::Invalid { field, message } => PageError::Invalid {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                field,
                message,
            },
            StoreFault::Throttled { message, .. } => PageError::Refused {
                status: StatusCode::TOO_MANY_REQUESTS,
                message,
            },
            StoreFault::Busy { message, .. } => PageError::Refused {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message,
            },
            StoreFault::Internal => {
                PageError::Internal("the request could not be completed".into())
            }
        }
    }
}

impl From<redress_app::letters::LetterError> for PageError {
    fn from(e: redress_app::letters::LetterError) -> Self {
        use redress_app::letters::LetterError;
        match e {
            LetterError::Store(e) => e.into(),
            LetterError::Render(e) => PageError::Internal(e.to_string()),
        }
    }
}

impl From<ReportError> for PageError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Store(e) => e.into(),
            ReportError::Timeliness(e) => PageError::invalid("case", e.to_string()),
            ReportError::Render => PageError::Internal(e.to_string()),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, line) = match self {
            PageError::Invalid {
                status,
                field,
                message,
            } => (
                status,
                "There is a problem",
                format!("{}: {}", words(&field), message),
            ),
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "If you typed the web address, check it is correct. A case you do not have access to is not shown.".to_string(),
            ),
            PageError::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                "You cannot do that",
                format!("{}. Ask your Redress administrator if you need to.", capitalise(&why)),
            ),
            PageError::Conflict(why) => (
                StatusCode::CONFLICT,
                "That could not be done",
                format!("{}. Go back, reload the page and try again.", capitalise(&why)),
            ),
            PageError::Refused { status, message } => {
                (status, "There is a problem", capitalise(&message))
            }
            PageError::Internal(detail) => {
                tracing::error!(%detail, "page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "Nothing was changed. Try again later.".to_string(),
                )
            }
        };
        let common = context! { service_name => "Redress", home => "/" };
        let own = context! { heading, lines => vec![line], link => context!{ href => "/", label => "Go to the start" } };
        match render("message.html", common, own) {
            Ok(html) => (status, html).into_response(),
            Err(_) => (status, heading).into_response(),
        }
    }
}
