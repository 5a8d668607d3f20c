//! A subject access bundle (UK GDPR Art. 15) for one person, as a ZIP: `subject-access.json`
//! with everything found, `cases/<reference>.pdf` with each case's record and timeline for a
//! person to read, `files/<reference>/<name>` with each case's files (its letters among them)
//! and `messages/<id>.txt` with the mail sent to the person.
//!
//! The PDFs mark other people's personal data for redaction rather than leave it out: every
//! personal value the search term does not match, and the names of the officers and
//! independent people appointed, read `[REDACT: what it is] value`, so the officer releasing
//! the bundle sees both. Free text that may name anyone (the summary, the outcome wanted,
//! reasons, notes) reads `[REVIEW ...] text`.

use chrono::{DateTime, NaiveDate, Utc};
use redress_report::render::{case_record_pdf, CaseRecordDocument, RecordSection};
use redress_store::{
    Access, AttachmentInfo, CaseRecord, EventRecord, Organisation, Store, StoreError,
    SubjectMatches, SubjectMessage,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::Write;

mod marking;
use marking::{label, Marker};

/// The name of the JSON file in every bundle.
pub const JSON_NAME: &str = "subject-access.json";

/// What an export asks for.
pub struct Request<'a> {
    /// The search term, as the officer gave it.
    pub term: &'a str,
    /// Who exports, as the audit log names them.
    pub actor: &'a str,
    /// Only these of the cases found; all of them when `None`.
    pub chosen: Option<&'a [i64]>,
    pub today: NaiveDate,
}

/// A bundle made: the ZIP, the references of the cases in it and how many files it holds.
pub struct Bundle {
    pub zip: Vec<u8>,
    pub references: Vec<String>,
    pub files: usize,
}

/// One case of the bundle, as read.
struct CaseBundle {
    record: CaseRecord,
    events: Vec<EventRecord>,
    files: Vec<(AttachmentInfo, Vec<u8>)>,
    matched: Vec<&'static str>,
    /// The case's name in the ZIP, unique in it.
    folder: String,
}

/// Reads every chosen case found (with `Access::System`: the caller has checked the
/// permission to handle personal data), then lays out the PDFs and the ZIP off the async
/// workers. `case_json` renders a case as the API shows it, for `subject-access.json`.
pub async fn bundle(
    store: &Store,
    organisation: &Organisation,
    request: &Request<'_>,
    matches: SubjectMatches,
    case_json: &(dyn Fn(&CaseRecord) -> Value + Sync),
) -> Result<Bundle, StoreError> {
    let chosen = |id: i64| request.chosen.is_none_or(|ids| ids.contains(&id));
    let mut cases = Vec::new();
    for found in matches.cases.iter().filter(|c| chosen(c.id)) {
        let file = store.case_file(&Access::System, found.id).await?;
        let mut files = Vec::new();
        for info in &file.attachments {
            let (info, content) = store.attachment(&Access::System, found.id, info.id).await?;
            files.push((info, content));
        }
        cases.push(CaseBundle {
            folder: String::new(),
            record: file.record,
            events: file.events,
            files,
            matched: found.matched.clone(),
        });
    }
    // Two references can make one name (`DUP/2026` and `DUP-2026`): each gets its own.
    let mut folders = BTreeSet::new();
    for case in &mut cases {
        case.folder = unique(&mut folders, reference_name(case.record.case.reference()));
    }
    // Mail about a case left out stays out too; mail to the person about no case stays in.
    let case_ids: BTreeSet<i64> = cases.iter().map(|c| c.record.id).collect();
    let messages: Vec<SubjectMessage> = matches
        .messages
        .into_iter()
        .filter(|m| m.case_id.is_none_or(|id| case_ids.contains(&id)))
        .collect();
    let views: Vec<Value> = cases.iter().map(|c| case_json(&c.record)).collect();
    let json = bundle_json(
        store.clock().now(),
        organisation,
        request,
        &cases,
        views,
        &messages,
        &matches.compliments,
    );
    let council = organisation.name.clone();
    let term = request.term.to_string();
    let actor = request.actor.to_string();
    let today = request.today;
    tokio::task::spawn_blocking(move || {
        write_zip(&council, &term, &actor, today, &cases, &messages, &json)
    })
    .await
    .map_err(|e| StoreError::Internal(format!("the subject access bundle stopped: {e}")))?
}

/// The file name of a case's reference: no `/` in it.
fn reference_name(reference: &str) -> String {
    safe_name(&reference.replace('/', "-"))
}

/// A name that is one plain path segment in the ZIP.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

/// `name`, or, when `seen` has it already (ignoring case, as some file systems do), `name (2)`,
/// `name (3)`, ...: never a name already given.
fn unique(seen: &mut BTreeSet<String>, name: String) -> String {
    let mut candidate = name.clone();
    let mut n = 1;
    while !seen.insert(candidate.to_lowercase()) {
        n += 1;
        candidate = match name.rsplit_once('.') {
            Some((stem, extension)) if !stem.is_empty() => format!("{stem} ({n}).{extension}"),
            _ => format!("{name} ({n})"),
        };
    }
    candidate
}

/// The names of a case's files in the ZIP, each once.
fn file_names(folder: &str, files: &[(AttachmentInfo, Vec<u8>)]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    files
        .iter()
        .map(|(info, _)| {
            let name = unique(&mut seen, safe_name(&info.name));
            format!("files/{folder}/{name}")
        })
        .collect()
}

fn message_json(m: &SubjectMessage) -> Value {
    json!({
        "id": m.id,
        "case_id": m.case_id,
        "kind": m.kind,
        "recipient": m.recipient,
        "subject": m.subject,
        "body": m.body,
        "status": m.status,
        "created_at": m.created_at,
        "file": format!("messages/{}.txt", m.id),
    })
}

fn bundle_json(
    exported_at: DateTime<Utc>,
    organisation: &Organisation,
    request: &Request<'_>,
    cases: &[CaseBundle],
    views: Vec<Value>,
    messages: &[SubjectMessage],
    compliments: &[redress_store::SubjectCompliment],
) -> Value {
    // The same marks as the PDF's (issue 23: the JSON repeated the record unmarked).
    let marker = Marker::new(request.term);
    let cases: Vec<Value> = cases
        .iter()
        .zip(views)
        .map(|(c, mut record)| {
            let names = file_names(&c.folder, &c.files);
            marker.mark_json(&mut record, "");
            let mut timeline = serde_json::to_value(&c.events).unwrap_or(Value::Null);
            for event in timeline.as_array_mut().into_iter().flatten() {
                marker.mark_json(&mut event["before"], "");
                marker.mark_json(&mut event["after"], "");
            }
            json!({
                "reference": c.record.case.reference(),
                "matched": c.matched,
                "record": record,
                "timeline": timeline,
                "attachments": c.files.iter().zip(names).map(|((info, _), file)| json!({
                    "id": info.id,
                    "name": info.name,
                    "content_type": info.content_type,
                    "size": info.size,
                    "sha256": info.sha256,
                    "added_by": info.added_by,
                    "added_at": info.added_at,
                    "file": file,
                })).collect::<Vec<_>>(),
                "record_pdf": format!("cases/{}.pdf", c.folder),
                "messages": messages
                    .iter()
                    .filter(|m| m.case_id == Some(c.record.id))
                    .map(message_json)
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "search": {
            "term": request.term.trim(),
            "organisation": organisation.slug,
            "organisation_name": organisation.name,
            "exported_at": exported_at,
            "exported_by": request.actor,
        },
        "cases": cases,
        "messages": messages
            .iter()
            .filter(|m| m.case_id.is_none())
            .map(message_json)
            .collect::<Vec<_>>(),
        "compliments": compliments.iter().map(|c| json!({
            "id": c.id,
            "received_on": c.received_on,
            "team": c.team,
            "summary": c.summary,
        })).collect::<Vec<_>>(),
    })
}

fn zip_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(format!(
        "the subject access bundle could not be written: {e}"
    ))
}

fn write_zip(
    council: &str,
    term: &str,
    actor: &str,
    today: NaiveDate,
    cases: &[CaseBundle],
    messages: &[SubjectMessage],
    json: &Value,
) -> Result<Bundle, StoreError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut files = 0;
    let mut add = |zip: &mut zip::ZipWriter<_>, name: &str, content: &[u8]| {
        files += 1;
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(content).map_err(zip_error)
    };
    let text = serde_json::to_vec_pretty(json).map_err(zip_error)?;
    add(&mut zip, JSON_NAME, &text)?;
    let mut references = Vec::new();
    for case in cases {
        let reference = &case.record.case.reference();
        references.push(reference.to_string());
        let (intro, sections) = case_sections(case, term, actor, today);
        let title = format!("Case record {reference}");
        let pdf = case_record_pdf(&CaseRecordDocument {
            council,
            title: &title,
            intro: &intro,
            sections: &sections,
        })
        .map_err(|e| StoreError::Internal(format!("a case record could not be laid out: {e}")))?;
        add(&mut zip, &format!("cases/{}.pdf", case.folder), &pdf)?;
        for ((_, content), name) in case.files.iter().zip(file_names(&case.folder, &case.files)) {
            add(&mut zip, &name, content)?;
        }
    }
    for m in messages {
        add(
            &mut zip,
            &format!("messages/{}.txt", m.id),
            message_text(m).as_bytes(),
        )?;
    }
    let zip = zip.finish().map_err(zip_error)?.into_inner();
    Ok(Bundle {
        zip,
        references,
        files,
    })
}

fn message_text(m: &SubjectMessage) -> String {
    format!(
        "To: {}\nSubject: {}\nKind: {}\nQueued: {}\nStatus: {}\n\n{}\n",
        m.recipient,
        m.subject,
        m.kind,
        m.created_at.format("%-d %B %Y %H:%M UTC"),
        m.status,
        m.body
    )
}

fn when(at: DateTime<Utc>) -> String {
    at.format("%-d %B %Y %H:%M UTC").to_string()
}

/// The PDF's opening paragraphs and sections for one case.
fn case_sections(
    case: &CaseBundle,
    term: &str,
    actor: &str,
    today: NaiveDate,
) -> (Vec<String>, Vec<RecordSection>) {
    let marker = Marker::new(term);
    let matched: Vec<String> = case.matched.iter().map(|m| label(m)).collect();
    let intro = vec![
        format!(
            "Prepared on {} by {actor} for a subject access request (UK GDPR Article 15). The search matched this case by: {}.",
            today.format("%-d %B %Y"),
            if matched.is_empty() { "none".into() } else { matched.join(", ") },
        ),
        "Values marked [REDACT: ...] are other people's personal data, or personal data the search did not match: check each and redact it before release. Text marked [REVIEW ...] may name other people: read it before release.".into(),
    ];
    let record = serde_json::to_value(&case.record.case).unwrap_or(Value::Null);
    let mut complaint = Vec::new();
    let mut sections = Vec::new();
    if let Value::Object(map) = &record {
        for (key, value) in map {
            if ["personal", "stages", "ombudsman", "actions"].contains(&key.as_str()) {
                continue;
            }
            marker.lines(value, key, &mut complaint);
        }
    }
    sections.push(RecordSection {
        heading: "The complaint".into(),
        items: complaint,
        ..Default::default()
    });
    let personal = marker.lines_of(&record["personal"]);
    sections.push(RecordSection {
        heading: "Personal details".into(),
        paragraphs: if personal.is_empty() {
            vec!["None recorded.".into()]
        } else {
            Vec::new()
        },
        items: personal,
    });
    for (key, heading, each) in [
        ("stages", "Stages", "Stage"),
        ("ombudsman", "Ombudsman", "Decision"),
        ("actions", "Actions and remedies", "Action"),
    ] {
        let items: Vec<String> = record[key]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, item)| format!("{each} {}: {}", i + 1, marker.lines_of(item).join("; ")))
            .collect();
        if !items.is_empty() {
            sections.push(RecordSection {
                heading: heading.into(),
                items,
                ..Default::default()
            });
        }
    }
    let timeline: Vec<String> = case
        .events
        .iter()
        .map(|e| {
            let mut line = format!(
                "{}: {}, by {}",
                when(e.occurred_at),
                e.kind.replace('_', " "),
                e.actor
            );
            if let Some(after) = &e.after {
                let details = marker.lines_of(after);
                if !details.is_empty() {
                    line.push_str(". ");
                    line.push_str(&details.join("; "));
                }
            }
            line
        })
        .collect();
    sections.push(RecordSection {
        heading: "Timeline".into(),
        paragraphs: if timeline.is_empty() {
            vec!["Nothing recorded.".into()]
        } else {
            Vec::new()
        },
        items: timeline,
    });
    let files: Vec<String> = case
        .files
        .iter()
        .map(|(info, _)| {
            format!(
                "{} ({}, {} bytes, added {} by {}; SHA-256 {})",
                info.name,
                info.content_type,
                info.size,
                when(info.added_at),
                info.added_by,
                info.sha256
            )
        })
        .collect();
    sections.push(RecordSection {
        heading: "Files (in the bundle's files folder)".into(),
        paragraphs: if files.is_empty() {
            vec!["None.".into()]
        } else {
            Vec::new()
        },
        items: files,
    });
    (intro, sections)
}

#[cfg(test)]
mod tests {
    use super::marking::{path_label, REVIEW};
    use super::*;

    fn all_text(sections: &[RecordSection]) -> String {
        sections
            .iter()
            .flat_map(|s| s.paragraphs.iter().chain(s.items.iter()))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn other_peoples_details_are_marked_and_the_persons_are_not() {
        let case: redress_core::Case = serde_json::from_value(json!({
            "reference": "WCC/2026/0001", "procedure": "statutory", "received_on": "2026-01-05",
            "channel": "phone", "complainant_role": "relative", "child_complained": false,
            "advocacy_offered": false, "advocacy_taken_up": false, "team": "Localities",
            "reason": "Disagreement with a decision", "status": "in_stage",
            "acknowledged_on": null, "resolved_on": null, "rejected_on": null,
            "rejected_reason": null, "withdrawn_on": null, "closed_on": null,
            "stages": [{"number": 1, "started_on": "2026-01-06", "late_request_reason": null,
                "extended_to": null, "extension_reason": null, "clock_stops": [],
                "responded_on": null, "outcome": null,
                "investigating_officer": "Ian Vestigator", "independent_person": "Sam Reid",
                "panel_on": null, "panel_report_on": null}],
            "ombudsman": [], "actions": [],
            "personal": {"complainant_name": "Graham Osei", "contact_email": "g@example.org",
                "contact_phone": "", "contact_address": "", "children": ["C-123"],
                "summary": "About my grandson", "outcome_wanted": ""},
        }))
        .unwrap();
        let now = Utc::now();
        let record = CaseRecord {
            id: 1,
            organisation: "westminster".into(),
            version: 1,
            created_at: now,
            updated_at: now,
            erased_on: None,
            case,
        };
        let bundle = CaseBundle {
            record,
            events: vec![EventRecord {
                id: 1,
                case_id: Some(1),
                actor: "officer@westminster.example".into(),
                occurred_at: now,
                kind: "created".into(),
                before: None,
                after: Some(json!({"personal": {"complainant_name": "Graham Osei",
                    "children": ["C-123", "graham osei junior"]}})),
            }],
            files: Vec::new(),
            matched: vec!["complainant_name"],
            folder: "WCC-2026-0001".into(),
        };
        let (intro, sections) =
            case_sections(&bundle, " graham OSEI ", "officer", now.date_naive());
        assert!(intro[0].contains("Complainant name"));
        let text = all_text(&sections);
        assert!(text.contains("Complainant name: Graham Osei"), "{text}");
        assert!(!text.contains("] Graham Osei"), "{text}");
        assert!(
            text.contains("[REDACT: child's identifier] C-123"),
            "{text}"
        );
        assert!(text.contains("Children: graham osei junior"), "{text}");
        assert!(text.contains("[REDACT: email not matched by the search] g@example.org"));
        assert!(text.contains("[REDACT: investigating officer's name] Ian Vestigator"));
        assert!(text.contains("[REDACT: independent person's name] Sam Reid"));
        assert!(
            text.contains(&format!("{REVIEW} About my grandson")),
            "{text}"
        );
        assert!(
            text.contains("Reason: Disagreement with a decision"),
            "{text}"
        );
        assert!(text.contains("Status: in stage"), "{text}");
        assert_eq!(
            path_label("sufficient_interest.reason"),
            "Sufficient interest reason"
        );
        assert_eq!(path_label("personal.contact_email"), "Contact email");
    }

    /// Issue 23: `DUP/2026` and `DUP-2026` made one name, and the export failed with 500.
    #[test]
    fn names_that_would_collide_are_made_unique() {
        let mut seen = BTreeSet::new();
        let names: Vec<String> = ["DUP/2026", "DUP-2026", "dup-2026", "DUP-2026 (2)"]
            .into_iter()
            .map(|r| unique(&mut seen, reference_name(r)))
            .collect();
        assert_eq!(
            names,
            [
                "DUP-2026",
                "DUP-2026 (2)",
                "dup-2026 (3)",
                "DUP-2026 (2) (2)"
            ]
        );
        let mut seen = BTreeSet::new();
        let files: Vec<String> = ["note.pdf", "Note.pdf", "note (2).pdf"]
            .into_iter()
            .map(|n| unique(&mut seen, n.to_string()))
            .collect();
        assert_eq!(files, ["note.pdf", "Note (2).pdf", "note (2) (2).pdf"]);
    }

    /// Issue 23: the bundle's JSON repeated the record without the PDF's redaction marks.
    #[test]
    fn the_json_carries_the_pdfs_marks() {
        let marker = Marker::new("Graham Osei");
        let mut record = json!({"reason": "Disagreement", "personal": {
            "complainant_name": "Graham Osei", "contact_email": "g@example.org",
            "children": ["C-123"], "summary": "About my grandson"},
            "stages": [{"investigating_officer": "Ian Vestigator"}]});
        marker.mark_json(&mut record, "");
        assert_eq!(record["personal"]["complainant_name"], "Graham Osei");
        assert_eq!(
            record["personal"]["contact_email"],
            "[REDACT: email not matched by the search] g@example.org"
        );
        assert_eq!(
            record["personal"]["children"][0],
            "[REDACT: child's identifier] C-123"
        );
        assert_eq!(
            record["personal"]["summary"],
            format!("{REVIEW} About my grandson")
        );
        assert_eq!(
            record["stages"][0]["investigating_officer"],
            "[REDACT: investigating officer's name] Ian Vestigator"
        );
        assert_eq!(record["reason"], "Disagreement");
    }

    #[test]
    fn names_in_the_zip_are_single_segments() {
        assert_eq!(reference_name("WCC/2026/0001"), "WCC-2026-0001");
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name(""), "file");
        assert_eq!(safe_name("..\u{0}"), "_");
    }
}
