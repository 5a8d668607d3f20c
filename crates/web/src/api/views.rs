//! The API's own types for what the store hands out, converted field by field, so the store's
//! records can change without changing the published document (and need no OpenAPI schema).
//! Names and descriptions are those the document has always had.

use chrono::{DateTime, NaiveDate, Utc};
use redress_accounts as accounts;
use redress_core::{Case, Status};
use redress_store as store;
use serde::{Deserialize, Serialize};

/// A stored case: the domain record plus its id, organisation and version (the ETag).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseRecord {
    pub id: i64,
    pub organisation: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the case's personal data was erased (by the retention schedule or on request);
    /// its personal details read empty from then on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erased_on: Option<chrono::NaiveDate>,
    #[serde(flatten)]
    pub case: Case,
}

impl From<store::CaseRecord> for CaseRecord {
    fn from(r: store::CaseRecord) -> Self {
        CaseRecord {
            id: r.id,
            organisation: r.organisation,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            erased_on: r.erased_on,
            case: r.case,
        }
    }
}

/// One row of a case list: enough to show and sort, no personal data.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<store::CaseSummary> for CaseSummary {
    fn from(s: store::CaseSummary) -> Self {
        CaseSummary {
            id: s.id,
            organisation: s.organisation,
            reference: s.reference,
            procedure: s.procedure,
            received_on: s.received_on,
            status: s.status,
            current_stage: s.current_stage,
            team: s.team,
            reason: s.reason,
            due_on: s.due_on,
            version: s.version,
            advocacy_missing: s.advocacy_missing,
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventRecord {
    pub id: i64,
    pub case_id: Option<i64>,
    pub actor: String,
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    /// The changed fields as they were.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The changed fields as they became.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<store::EventRecord> for EventRecord {
    fn from(e: store::EventRecord) -> Self {
        EventRecord {
            id: e.id,
            case_id: e.case_id,
            actor: e.actor,
            occurred_at: e.occurred_at,
            kind: e.kind,
            before: e.before,
            after: e.after,
        }
    }
}

/// A user's role in one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Organisation settings and users; no cases.
    Admin,
    /// Every case of the organisation.
    ComplaintsOfficer,
    /// The cases of their teams.
    TeamManager,
    /// Only the cases they are appointed to.
    Investigator,
    /// Reports and dashboards, with no personal data.
    Viewer,
    /// Subject access, rectification, erasure on request and legal holds; no case lists.
    InformationGovernance,
    /// The council's mail server: hands in mail to the complaints mailbox, and reads nothing.
    MailGate,
}

impl From<store::Role> for Role {
    fn from(role: store::Role) -> Self {
        match role {
            store::Role::Admin => Role::Admin,
            store::Role::ComplaintsOfficer => Role::ComplaintsOfficer,
            store::Role::TeamManager => Role::TeamManager,
            store::Role::Investigator => Role::Investigator,
            store::Role::Viewer => Role::Viewer,
            store::Role::InformationGovernance => Role::InformationGovernance,
            store::Role::MailGate => Role::MailGate,
        }
    }
}

impl From<Role> for store::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Admin => store::Role::Admin,
            Role::ComplaintsOfficer => store::Role::ComplaintsOfficer,
            Role::TeamManager => store::Role::TeamManager,
            Role::Investigator => store::Role::Investigator,
            Role::Viewer => store::Role::Viewer,
            Role::InformationGovernance => store::Role::InformationGovernance,
            Role::MailGate => store::Role::MailGate,
        }
    }
}

/// A user's place in one organisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Membership {
    /// The organisation's slug.
    pub organisation: String,
    pub organisation_name: String,
    pub role: Role,
    /// Team names (a team manager sees these teams' cases).
    pub teams: Vec<String>,
}

impl From<store::Membership> for Membership {
    fn from(m: store::Membership) -> Self {
        Membership {
            organisation: m.organisation,
            organisation_name: m.organisation_name,
            role: m.role.into(),
            teams: m.teams,
        }
    }
}

/// A signed-in user, as a session or a token presents them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Account {
    pub email: String,
    pub display_name: String,
    /// May create organisations and manage any organisation's users; sees no cases by it.
    pub system_admin: bool,
    /// Signed in with a one-time password: nothing else is allowed until it is changed.
    pub must_change_password: bool,
    pub memberships: Vec<Membership>,
}

impl From<store::Account> for Account {
    fn from(a: store::Account) -> Self {
        Account {
            email: a.email,
            display_name: a.display_name,
            system_admin: a.system_admin,
            must_change_password: a.must_change_password,
            memberships: a.memberships.into_iter().map(Into::into).collect(),
        }
    }
}

/// What adding a user did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AddedUser {
    pub email: String,
    /// True when the account was made now; false when an existing user got a membership.
    pub created: bool,
    /// The one-time password, shown once, when one was made.
    pub one_time_password: Option<String>,
}

impl From<accounts::AddedUser> for AddedUser {
    fn from(a: accounts::AddedUser) -> Self {
        AddedUser {
            email: a.email,
            created: a.created,
            one_time_password: a.one_time_password,
        }
    }
}

/// One user as an administrator sees them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserSummary {
    pub email: String,
    pub display_name: String,
    pub disabled: bool,
    pub system_admin: bool,
    pub memberships: Vec<Membership>,
}

impl From<accounts::UserSummary> for UserSummary {
    fn from(u: accounts::UserSummary) -> Self {
        UserSummary {
            email: u.email,
            display_name: u.display_name,
            disabled: u.disabled,
            system_admin: u.system_admin,
            memberships: u.memberships.into_iter().map(Into::into).collect(),
        }
    }
}

/// An API token as its owner sees it (never the secret, after creation).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<accounts::TokenInfo> for TokenInfo {
    fn from(t: accounts::TokenInfo) -> Self {
        TokenInfo {
            id: t.id,
            name: t.name,
            organisation: t.organisation,
            role: t.role.into(),
            created_at: t.created_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// One entry of the audit log: a change, a read of a case, a sign-in, a token, a user.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub actor: String,
    /// The signed-in user's email, when a user acted.
    pub user: Option<String>,
    pub case_id: Option<i64>,
    pub case_reference: Option<String>,
    pub address: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<accounts::AuditEntry> for AuditEntry {
    fn from(e: accounts::AuditEntry) -> Self {
        AuditEntry {
            id: e.id,
            occurred_at: e.occurred_at,
            kind: e.kind,
            actor: e.actor,
            user: e.user,
            case_id: e.case_id,
            case_reference: e.case_reference,
            address: e.address,
            before: e.before,
            after: e.after,
        }
    }
}

/// A case a subject access search found, and which of its personal fields hold the term.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubjectCase {
    pub id: i64,
    pub reference: String,
    pub received_on: NaiveDate,
    pub status: Status,
    /// The case's version: the If-Match of a rectification.
    pub version: i64,
    /// `complainant_name`, `contact_email`, `contact_phone`, `children`.
    pub matched: Vec<String>,
}

/// A compliment whose text holds the term.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubjectCompliment {
    pub id: i64,
    pub received_on: NaiveDate,
    pub team: Option<String>,
    pub summary: String,
}

/// A message sent (or waiting to go) to the person: an acknowledgement or a letter.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubjectMessage {
    pub id: i64,
    pub case_id: Option<i64>,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `queued`, `sending`, `sent`, `failed` or `not_sent`.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// Everything a subject access search found for one person (at most 500 cases, 500
/// compliments and 1,000 messages).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubjectMatches {
    pub cases: Vec<SubjectCase>,
    pub compliments: Vec<SubjectCompliment>,
    pub messages: Vec<SubjectMessage>,
}

impl From<store::SubjectMatches> for SubjectMatches {
    fn from(m: store::SubjectMatches) -> Self {
        SubjectMatches {
            cases: m
                .cases
                .into_iter()
                .map(|c| SubjectCase {
                    id: c.id,
                    reference: c.reference,
                    received_on: c.received_on,
                    status: c.status,
                    version: c.version,
                    matched: c.matched.iter().map(|f| f.to_string()).collect(),
                })
                .collect(),
            compliments: m
                .compliments
                .into_iter()
                .map(|c| SubjectCompliment {
                    id: c.id,
                    received_on: c.received_on,
                    team: c.team,
                    summary: c.summary,
                })
                .collect(),
            messages: m
                .messages
                .into_iter()
                .map(|m| SubjectMessage {
                    id: m.id,
                    case_id: m.case_id,
                    kind: m.kind,
                    recipient: m.recipient,
                    subject: m.subject,
                    body: m.body,
                    status: m.status,
                    created_at: m.created_at,
                })
                .collect(),
        }
    }
}
