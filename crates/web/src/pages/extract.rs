//! What a page handler takes from a request: the signed-in member of staff, a posted form with
//! its CSRF token checked, a bounded form body, an upload.

use super::PageError;
use crate::auth::{session_principal, Principal, Via};
use crate::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::Value;
use redress_accounts::secrets;
use std::collections::HashMap;

/// A signed-in member of staff on a page. Without a session the browser is sent to sign in;
/// with a one-time password still in use, to choose a password.
pub(crate) struct Staff {
    pub principal: Principal,
    pub csrf: String,
    pub path: String,
}

/// Sends the browser to sign in, then back to where it was going.
fn to_sign_in(parts: &Parts) -> Response {
    let next = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let target = format!(
        "/sign-in?next={}",
        serde_urlencoded::to_string([("", next)])
            .unwrap_or_default()
            .trim_start_matches('=')
    );
    Redirect::to(&target).into_response()
}

async fn staff_of(parts: &Parts, state: &AppState) -> Result<Staff, Response> {
    let principal = session_principal(parts, state)
        .await
        .map_err(|_| to_sign_in(parts))?;
    let path = parts.uri.path().to_string();
    if principal.account.must_change_password && path != "/password" {
        return Err(Redirect::to("/password").into_response());
    }
    let csrf = match &principal.via {
        Via::Session { csrf_token, .. } => csrf_token.clone(),
        Via::Token { .. } => String::new(),
    };
    Ok(Staff {
        principal,
        csrf,
        path,
    })
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            // A change must come through StaffForm, which checks the CSRF token.
            return Err(StatusCode::METHOD_NOT_ALLOWED.into_response());
        }
        staff_of(parts, state).await
    }
}

/// The fields of a posted form.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fields(pub HashMap<String, String>);

impl Fields {
    /// The trimmed value, or "" when absent.
    pub fn text(&self, name: &str) -> String {
        self.0
            .get(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    }

    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }

    pub fn ticked(&self, name: &str) -> bool {
        self.0.get(name).is_some_and(|v| v == "yes")
    }

    pub fn to_value(&self) -> Value {
        Value::from_serialize(&self.0)
    }
}

/// A form posted by a signed-in member of staff, with its CSRF token checked: the only way a
/// staff page can change anything.
pub(crate) struct StaffForm {
    pub staff: Staff,
    pub fields: Fields,
}

/// Refuses a change whose CSRF token is not the session's.
fn check_csrf(staff: &Staff, sent: &str) -> Result<(), PageError> {
    if staff.csrf.is_empty() || !secrets::same_secret(sent, &staff.csrf) {
        return Err(PageError::Forbidden(
            "the form had expired or did not come from Redress: go back, reload the page and try again".into(),
        ));
    }
    Ok(())
}

impl FromRequest<AppState> for StaffForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let staff = staff_of(&parts, state).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BODY)
            .await
            .map_err(|_| form_too_large().into_response())?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            PageError::invalid("form", format!("the form could not be read: {e}")).into_response()
        })?;
        let fields = Fields(without_nul(pairs).into_iter().collect());
        check_csrf(&staff, &fields.text("_csrf")).map_err(IntoResponse::into_response)?;
        Ok(StaffForm { staff, fields })
    }
}

/// A posted form's fields without NUL characters: a browser cannot type one, and PostgreSQL
/// cannot store one.
pub(crate) fn without_nul(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.replace('\0', ""), v.replace('\0', "")))
        .collect()
}

/// The most a posted form (not an upload) may hold: every text field at its limit, and more.
pub(crate) const MAX_FORM_BODY: usize = 1024 * 1024;

fn form_too_large() -> PageError {
    PageError::Refused {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: "the form is too large to send: shorten the longest answers and try again".into(),
    }
}

/// A posted form's body, at most `MAX_FORM_BODY`; a larger one is refused with a page that
/// says so, never a blank answer.
pub(crate) struct FormBody(pub bytes::Bytes);

impl<S: Send + Sync> FromRequest<S> for FormBody {
    type Rejection = Response;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Response> {
        axum::body::to_bytes(request.into_body(), MAX_FORM_BODY)
            .await
            .map(FormBody)
            .map_err(|_| form_too_large().into_response())
    }
}

/// A file upload by a signed-in member of staff. The CSRF token is a field of the multipart
/// body, ahead of the file, never the URL (where it would reach logs and history).
pub(crate) struct StaffUpload {
    pub staff: Staff,
    pub name: String,
    pub content: Vec<u8>,
}

/// The most an upload's body may hold: the largest file, and room for the form around it.
pub(crate) const MAX_UPLOAD_BODY: usize =
    redress_store::attachments::MAX_ATTACHMENT_BYTES + 64 * 1024;

fn too_large() -> PageError {
    PageError::Refused {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!(
            "the file is too large: it must be {} MB or smaller",
            redress_store::attachments::MAX_ATTACHMENT_BYTES / 1024 / 1024
        ),
    }
}

impl FromRequest<AppState> for StaffUpload {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let staff = staff_of(&parts, state).await?;
        let request = Request::from_parts(parts, body);
        let fail = |e: PageError| e.into_response();
        let mut multipart = axum::extract::Multipart::from_request(request, state)
            .await
            .map_err(|e| fail(PageError::invalid("file", e.body_text())))?;
        let (mut csrf, mut file) = (String::new(), None);
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(fail(too_large()))
                }
                Err(e) => return Err(fail(PageError::invalid("file", e.body_text()))),
            };
            match field.name() {
                Some("_csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("file") => {
                    let name = field.file_name().unwrap_or("file").to_string();
                    let content = field.bytes().await.map_err(|e| {
                        fail(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                            too_large()
                        } else {
                            PageError::invalid("file", e.body_text())
                        })
                    })?;
                    file = Some((name, content.to_vec()));
                }
                _ => {}
            }
        }
        check_csrf(&staff, &csrf).map_err(fail)?;
        let (name, content) = file.unwrap_or_default();
        Ok(StaffUpload {
            staff,
            name,
            content,
        })
    }
}
