//! Files on a case, and notes: what the case page uploads, lists, downloads and writes. The
//! store judges a file by its content and keeps the size limit; only those who see the case
//! reach its files.

use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use redress_store::attachments::MAX_ATTACHMENT_BYTES;
use redress_store::AttachmentInfo;
use serde::{Deserialize, Serialize};

/// A file on a case, without its content.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub case_id: i64,
    /// The name given, with the extension of what the file is.
    pub name: String,
    /// Judged by the content: application/pdf, a Word document, image/png or image/jpeg.
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

impl From<AttachmentInfo> for AttachmentView {
    fn from(info: AttachmentInfo) -> Self {
        AttachmentView {
            id: info.id,
            case_id: info.case_id,
            name: info.name,
            content_type: info.content_type,
            size: info.size,
            sha256: info.sha256,
            added_by: info.added_by,
            added_at: info.added_at,
        }
    }
}

/// The multipart form of an upload: one part named `file`, with its file name.
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// A PDF, Word document, PNG or JPEG of at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    pub text: String,
}

fn id_of(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::not_found(&format!("{what} {raw}")))
}

fn too_large() -> ApiError {
    ApiError::too_large(
        "file",
        format!(
            "the file must be {} MB or smaller",
            MAX_ATTACHMENT_BYTES / 1024 / 1024
        ),
    )
}

/// The `file` part of a multipart body: its name and bytes.
async fn file_part(request: Request, state: &AppState) -> Result<(String, Vec<u8>), ApiError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Send multipart/form-data",
            "send the file as the part `file` of a multipart/form-data body",
        ));
    }
    let unreadable = |detail: String| ApiError::invalid_body("file", detail);
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| unreadable(e.body_text()))?;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => return Err(unreadable(e.body_text())),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("file").to_string();
        let content = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                unreadable(e.body_text())
            }
        })?;
        return Ok((name, content.to_vec()));
    }
    Err(unreadable("no part named `file`".into()))
}

/// A stored file as a download: its detected type, and a name no header can be split on.
pub(crate) fn file_response(info: &AttachmentInfo, content: Vec<u8>) -> Response {
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&info.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    let safe_name: String = info
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{safe_name}\""))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    response
}

/// The files on a case.
#[utoipa::path(get, path = "/cases/{id}/attachments", tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = Vec<AttachmentView>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<AttachmentView>>, ApiError> {
    let files = state
        .store
        .attachments(&principal.access, id_of(&id, "case")?)
        .await?;
    Ok(Json(files.into_iter().map(Into::into).collect()))
}

/// Add a file to a case: multipart/form-data with the part `file`. It is judged by its
/// content (PDF, Word, PNG or JPEG), at most 10 MB, and saved under the extension of what it is.
#[utoipa::path(post, path = "/cases/{id}/attachments", tag = "cases",
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 201, body = AttachmentView, headers(("Location" = String))), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json", description = "The body is not multipart/form-data"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn upload(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let id = id_of(&id, "case")?;
    // The case is looked up first, so that another organisation's id is 404 whatever is sent.
    state.store.case(&principal.access, id).await?;
    let (name, content) = file_part(request, &state).await?;
    let info = state
        .store
        .add_attachment(&principal.access, id, &name, &content, &principal.actor)
        .await?;
    let location = format!("/api/v1/cases/{id}/attachments/{}", info.id);
    let mut response = (StatusCode::CREATED, Json(AttachmentView::from(info))).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// Download a file, as stored; its checksum is checked on the way out.
#[utoipa::path(get, path = "/cases/{id}/attachments/{attachment}", tag = "cases",
    params(("id" = i64, Path, description = "Case id"), ("attachment" = i64, Path, description = "Attachment id")),
    responses((status = 200, description = "The file; Content-Type is its detected type", headers(("Content-Disposition" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn download(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (info, content) = state
        .store
        .attachment(
            &principal.access,
            id_of(&id, "case")?,
            id_of(&attachment, "attachment")?,
        )
        .await?;
    Ok(file_response(&info, content))
}

/// Add a note to a case's timeline.
#[utoipa::path(post, path = "/cases/{id}/notes", tag = "cases", request_body = NoteInput,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_note(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NoteInput>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .add_note(
            &principal.access,
            id_of(&id, "case")?,
            &input.text,
            &principal.actor,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
