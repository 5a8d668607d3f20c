//! What the store hands out: a case with its identity and version, list rows, audit events.

use chrono::{DateTime, NaiveDate, Utc};
use redress_core::{Case, Status};
use serde::{Deserialize, Serialize};

/// A stored case: the domain record plus its id, organisation and version (the ETag).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseRecord {
    pub id: i64,
    pub organisation: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the case's personal data was erased (retention, or on request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erased_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub case: Case,
}

/// One row of a case list: enough to show and sort, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    pub id: i64,
    pub organisation: String,
    pub reference: String,
    pub procedure: String,
    pub received_on: NaiveDate,
    pub status: Status,
    pub current_stage: Option<i64>,
    pub team: Option<String>,
    pub reason: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub version: i64,
    /// A child complained and was not offered an advocate (Children Act 1989 s26A).
    pub advocacy_missing: bool,
}

/// Filters for the case list. Every field narrows; `after` is the cursor (a case id).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseFilter {
    pub organisation: Option<String>,
    pub procedure: Option<String>,
    pub stage: Option<i64>,
    pub status: Option<Status>,
    pub team: Option<String>,
    /// Open cases due on or before this date.
    pub due_before: Option<NaiveDate>,
    /// Open cases whose due date has passed.
    pub overdue: Option<bool>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Words to find in the summary (case-insensitive).
    pub q: Option<String>,
    /// One reference, exactly.
    pub reference: Option<String>,
    /// Only cases the council is working on: received, acknowledged, or in a stage. (A case
    /// answered at a stage waits on the complainant, who may never come back: at a million
    /// cases those are most of them, and no deadline of the council's runs on them.)
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub order: CaseOrder,
    /// Cases to skip, for pages in an order other than the default (which pages by `after`).
    pub offset: Option<i64>,
    pub after: Option<i64>,
    pub limit: Option<i64>,
}

/// The order of a case list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseOrder {
    /// Oldest first (by id): the order the cursor pages in.
    #[default]
    Oldest,
    Newest,
    /// Nearest due date first; cases with none last.
    DueSoonest,
}

/// A change to a case, for the dashboard's recent activity.
#[derive(Debug, Clone, Serialize)]
pub struct RecentChange {
    pub case_id: i64,
    pub reference: String,
    pub actor: String,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
}

/// A file on a case, without its content.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentInfo {
    pub id: i64,
    pub case_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// Who did something, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's email, with the token's name when one was used; or what the operator gave.
    pub label: String,
    pub user_id: Option<i64>,
    /// The network address the request came from.
    pub address: Option<String>,
}

impl Actor {
    /// The operator at the command line, or a job.
    pub fn system(label: &str) -> Actor {
        Actor {
            label: label.to_string(),
            user_id: None,
            address: None,
        }
    }

    pub fn event(&self, kind: &str, occurred_at: DateTime<Utc>) -> NewEvent {
        NewEvent {
            organisation_id: None,
            case_id: None,
            actor: self.label.clone(),
            user_id: self.user_id,
            address: self.address.clone(),
            occurred_at,
            kind: kind.to_string(),
            before: None,
            after: None,
            sealed: None,
        }
    }
}

/// An audit event about to be written.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub organisation_id: Option<i64>,
    pub case_id: Option<i64>,
    pub actor: String,
    pub user_id: Option<i64>,
    pub address: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// The personal values taken out of `before` and `after`, sealed with the case's key.
    pub sealed: Option<String>,
}

impl NewEvent {
    pub fn in_organisation(mut self, organisation_id: i64) -> Self {
        self.organisation_id = Some(organisation_id);
        self
    }

    pub fn about_case(mut self, organisation_id: i64, case_id: i64) -> Self {
        self.organisation_id = Some(organisation_id);
        self.case_id = Some(case_id);
        self
    }

    pub fn before(mut self, before: serde_json::Value) -> Self {
        self.before = Some(before);
        self
    }

    pub fn after(mut self, after: serde_json::Value) -> Self {
        self.after = Some(after);
        self
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    pub id: i64,
    pub case_id: Option<i64>,
    pub actor: String,
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    /// The changed fields as they were.
    pub before: Option<serde_json::Value>,
    /// The changed fields as they became.
    pub after: Option<serde_json::Value>,
}

/// A compliment as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliment {
    pub received_on: NaiveDate,
    pub team: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub consent_to_publish: bool,
    /// The text the council approved for publication (with the person's consent), kept apart
    /// from the summary: the summary is erased whole on schedule, this is what reports quote.
    #[serde(default)]
    pub published_quotation: Option<String>,
}

/// A compliment with its id, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedCompliment {
    pub id: i64,
    pub logged_at: DateTime<Utc>,
    pub compliment: Compliment,
}

/// Where an import row came from, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCase {
    pub line: u64,
    pub case: Case,
}

/// Who imported cases, from where, and when: each imported case's event says so.
pub(crate) struct ImportEvent<'a> {
    pub actor: &'a str,
    /// The file's name as a JSON string, as every event writes it.
    pub source_json: String,
    pub now: DateTime<Utc>,
}

/// Denormalised facts the list filters on; recomputed on every save.
#[derive(Debug, Clone, Copy)]
pub struct CaseIndex {
    pub team_id: Option<i64>,
    pub reason_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
}

/// A case as read from its tables, before its organisation is attached.
pub struct LoadedCase {
    pub id: i64,
    pub organisation_id: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub erased_on: Option<NaiveDate>,
    pub case: Case,
}

/// A case with everything its page shows: the timeline (reads left out) and the files.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub record: CaseRecord,
    pub events: Vec<EventRecord>,
    pub attachments: Vec<AttachmentInfo>,
}

/// Open cases at one stage (0: received or acknowledged, not yet at a stage), and how many of
/// those in the stage are overdue, due today and due within the next five working days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenCaseCount {
    pub stage: i64,
    pub open: i64,
    pub overdue: i64,
    pub due_today: i64,
    pub due_this_week: i64,
}

/// A case kept past its retention schedule until the hold is lifted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalHold {
    /// Why: litigation, an open ombudsman investigation, a police inquiry.
    pub reason: String,
    pub placed_by: String,
    pub placed_at: DateTime<Utc>,
}

/// A file deleted by an erasure, recorded without its name (a name can itself be personal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasedFile {
    pub id: i64,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub added_at: DateTime<Utc>,
}

/// One erasure as recorded: what, when, under which rule and by whom; no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    #[serde(skip)]
    pub organisation_id: i64,
    pub case_id: Option<i64>,
    pub compliment_id: Option<i64>,
    /// The case's reference.
    pub reference: Option<String>,
    pub erased_on: NaiveDate,
    /// The schedule line applied ("statutory: 6 years after the case was concluded"), or
    /// "on request" (the reason given is sealed in the erasure's event and erased with the
    /// case).
    pub rule: String,
    pub files: Vec<ErasedFile>,
    pub actor: String,
}
