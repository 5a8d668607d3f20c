//! Files on a case: checked by what they contain, not what they are called, kept with a
//! SHA-256 checksum, and only for those who can see the case.

use crate::access::Access;
use crate::backends::{postgres, sqlite};
use crate::records::{Actor, AttachmentInfo};
use crate::{Store, StoreError};
use sha2::{Digest, Sha256};

/// The largest file accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// A Word file whose parts would expand past this is refused: a small file that unpacks to
/// gigabytes (a "zip bomb") would exhaust whoever opens it.
pub const MAX_DOCX_UNPACKED_BYTES: u64 = 100 * 1024 * 1024;
/// Nor may a Word file hold more parts than this.
pub const MAX_DOCX_ENTRIES: usize = 10_000;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The kinds of file a case may hold, by content: (MIME type, what to call it, extensions).
const ACCEPTED: [(&str, &str, &[&str]); 4] = [
    ("application/pdf", "PDF", &["pdf"]),
    (DOCX, "Word document", &["docx"]),
    ("image/png", "PNG image", &["png"]),
    ("image/jpeg", "JPEG image", &["jpg", "jpeg"]),
];

/// Refuses a Word file whose ZIP directory declares too many parts or too many bytes unpacked.
fn check_docx(name: &str, content: &[u8]) -> Result<(), StoreError> {
    let refuse = |why: String| StoreError::invalid("file", format!("{name} is refused: {why}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(content))
        .map_err(|e| refuse(format!("it is not a readable Word file ({e})")))?;
    if archive.len() > MAX_DOCX_ENTRIES {
        return Err(refuse(format!(
            "it holds {} parts, more than the {MAX_DOCX_ENTRIES} allowed",
            archive.len()
        )));
    }
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| refuse(format!("it is not a readable Word file ({e})")))?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > MAX_DOCX_UNPACKED_BYTES {
        return Err(refuse(format!(
            "it would unpack to {} MB, more than the {} MB allowed",
            unpacked / 1024 / 1024,
            MAX_DOCX_UNPACKED_BYTES / 1024 / 1024
        )));
    }
    Ok(())
}

/// The file's name with the extension of its detected type: a PDF called `.html` is saved
/// as `.pdf`, so no browser opens it as a page.
pub fn named_for_type(name: &str, mime: &str) -> String {
    let extensions = ACCEPTED
        .iter()
        .find(|(m, _, _)| *m == mime)
        .map_or(&[][..], |(_, _, e)| *e);
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext.to_ascii_lowercase()),
        _ => (name, String::new()),
    };
    match extensions.first() {
        Some(_) if extensions.contains(&extension.as_str()) => name.to_string(),
        Some(wanted) => format!("{stem}.{wanted}"),
        None => name.to_string(),
    }
}

/// The MIME type of an accepted file, judged by its bytes, or why it is refused.
pub fn accepted_type(name: &str, content: &[u8]) -> Result<&'static str, StoreError> {
    if content.is_empty() {
        return Err(StoreError::invalid("file", "the file is empty"));
    }
    if content.len() > MAX_ATTACHMENT_BYTES {
        return Err(StoreError::invalid(
            "file",
            format!(
                "the file is larger than {} MB",
                MAX_ATTACHMENT_BYTES / 1024 / 1024
            ),
        ));
    }
    // Any ZIP (a Word file is one) is measured before anything looks inside it.
    if content.starts_with(b"PK\x03\x04") {
        check_docx(name, content)?;
    }
    let found = infer::get(content).map(|t| t.mime_type());
    ACCEPTED
        .iter()
        .find(|(mime, _, _)| Some(*mime) == found)
        .map(|(mime, _, _)| *mime)
        .ok_or_else(|| {
            StoreError::invalid(
                "file",
                format!(
                    "{name} is not a PDF, Word document, PNG or JPEG (judged by its content, not its name)"
                ),
            )
        })
}

/// What to call a stored type.
pub fn type_label(mime: &str) -> &'static str {
    ACCEPTED
        .iter()
        .find(|(m, _, _)| *m == mime)
        .map_or("file", |(_, label, _)| label)
}

/// A file's record before it is stored: its name made safe and given the extension of what
/// it is, its type judged by content, and its checksum.
pub(crate) fn prepared(
    case_id: i64,
    name: &str,
    content: &[u8],
    actor: &Actor,
    added_at: chrono::DateTime<chrono::Utc>,
) -> Result<AttachmentInfo, StoreError> {
    let name: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let name = if name.trim().is_empty() {
        "file".to_string()
    } else {
        name
    };
    let content_type = accepted_type(&name, content)?;
    Ok(AttachmentInfo {
        id: 0,
        case_id,
        name: named_for_type(&name, content_type),
        content_type: content_type.to_string(),
        size: content.len() as i64,
        sha256: Sha256::digest(content)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        added_by: actor.label.clone(),
        added_at,
    })
}

impl Store {
    /// Stores a file on a case the access reaches; the change is in the audit log.
    pub async fn add_attachment(
        &self,
        access: &Access,
        case_id: i64,
        name: &str,
        content: &[u8],
        actor: &Actor,
    ) -> Result<AttachmentInfo, StoreError> {
        let record = self.case(access, case_id).await?;
        let organisation = self.organisation(&record.organisation).await?;
        let mut info = prepared(case_id, name, content, actor, self.now())?;
        info.id = write!(self, |conn, ops| {
            let id = ops::insert_attachment(conn, &info, content).await?;
            let event = actor
                .event("attachment_added", info.added_at)
                .about_case(organisation.id, case_id)
                .after(serde_json::json!({
                    "name": info.name, "content_type": info.content_type,
                    "size": info.size, "sha256": info.sha256,
                }));
            ops::log_case_event(conn, &self.inner.master, event).await?;
            id
        });
        Ok(info)
    }

    pub async fn attachments(
        &self,
        access: &Access,
        case_id: i64,
    ) -> Result<Vec<AttachmentInfo>, StoreError> {
        self.case(access, case_id).await?;
        Ok(read!(self, |conn, ops| ops::attachments(conn, case_id).await?))
    }

    /// A file and its content; its checksum is checked on the way out.
    pub async fn attachment(
        &self,
        access: &Access,
        case_id: i64,
        id: i64,
    ) -> Result<(AttachmentInfo, Vec<u8>), StoreError> {
        self.case(access, case_id).await?;
        let (info, content) = read!(self, |conn, ops| ops::attachment(conn, case_id, id).await?)
            .ok_or_else(|| StoreError::NotFound(format!("attachment {id}")))?;
        let sum: String = Sha256::digest(&content)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if sum != info.sha256 {
            return Err(StoreError::Corrupt(format!(
                "attachment {id} does not match its checksum"
            )));
        }
        Ok((info, content))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_take_the_extension_of_what_the_file_is() {
        assert_eq!(
            named_for_type("letter.html", "application/pdf"),
            "letter.pdf"
        );
        assert_eq!(
            named_for_type("letter.PDF", "application/pdf"),
            "letter.PDF"
        );
        assert_eq!(named_for_type("photo.jpeg", "image/jpeg"), "photo.jpeg");
        assert_eq!(named_for_type("scan", "image/png"), "scan.png");
        assert_eq!(named_for_type(".html", "application/pdf"), ".html.pdf");
    }

    #[test]
    fn files_are_judged_by_content_not_name() {
        assert_eq!(
            accepted_type("letter.pdf", b"%PDF-1.7\n...").unwrap(),
            "application/pdf"
        );
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
        assert_eq!(accepted_type("photo.pdf", &png).unwrap(), "image/png");
        let script = b"#!/bin/sh\nrm -rf /\n";
        let refused = accepted_type("report.pdf", script).unwrap_err().to_string();
        assert!(refused.contains("not a PDF"), "{refused}");
        assert!(accepted_type("empty.pdf", b"").is_err());
    }
}
