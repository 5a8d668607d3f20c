//! A report rendered as an HTTP response: the same download from the API and the reports page.

use crate::report_input::ReportError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use redress_report::render::{render, Format};
use redress_report::Report;

/// The report in `format`, named for its organisation and period when it is a download.
pub async fn respond(report: Report, format: Format) -> Result<Response, ReportError> {
    let filename = format!(
        "{}-{}.{}",
        report.organisation.slug,
        report.period.label.replace(['/', ' '], "-"),
        format.extension()
    );
    // Rendering a PDF takes a while: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || render(&report, format))
        .await
        .map_err(|e| {
            crate::telemetry::log_error("the report renderer stopped", &e);
            ReportError::Render
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "the report could not be rendered");
            ReportError::Render
        })?;
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if format == Format::Html {
        // The report is one self-contained file with its styles inline; it runs no script.
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
            ),
        );
    }
    if format.is_binary() {
        let disposition = format!("attachment; filename=\"{filename}\"");
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        );
    }
    Ok(response)
}
