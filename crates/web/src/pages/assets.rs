//! GOV.UK Frontend and Redress's own styles and script, served from the binary: no CDN, no
//! files to deploy. `scripts/vendor_govuk.sh` refreshes the GOV.UK files from npm.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

const FILES: [(&str, &str, &[u8]); 6] = [
    (
        "govuk/govuk-frontend.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/govuk/govuk-frontend.min.css"),
    ),
    (
        "govuk/govuk-frontend.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/govuk/govuk-frontend.min.js"),
    ),
    (
        "govuk/images/favicon.ico",
        "image/x-icon",
        include_bytes!("../../assets/govuk/images/favicon.ico"),
    ),
    (
        "govuk/images/favicon.svg",
        "image/svg+xml",
        include_bytes!("../../assets/govuk/images/favicon.svg"),
    ),
    (
        "redress/redress.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/redress/redress.css"),
    ),
    (
        "redress/redress.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/redress/redress.js"),
    ),
];

pub async fn serve(Path(path): Path<String>) -> Response {
    let Some((_, content_type, bytes)) = FILES.iter().find(|(name, _, _)| *name == path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The files change only with the binary; a day's caching spares every page load.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}
