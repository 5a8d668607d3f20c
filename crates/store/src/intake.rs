//! Mail to the complaints mailbox, filed exactly once: a new message becomes a draft case, a
//! reply joins its case's timeline, and an automatic message is recorded and left. The
//! message's Message-ID is claimed in the same transaction as what it makes, so a message
//! delivered twice, or read again after a crash, makes nothing new.

use crate::backends::{postgres, sqlite};
use crate::records::Actor;
use crate::*;
use chrono::{DateTime, Utc};

/// Where a message was read from: an IMAP mailbox, its UIDVALIDITY and the message's UID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxPlace {
    pub mailbox: String,
    pub uid_validity: u32,
    pub uid: u32,
}

/// A message as the store records it: its identity and arrival.
#[derive(Debug, Clone)]
pub struct InboundMessage {
    pub message_id: String,
    pub place: Option<MailboxPlace>,
    pub received_at: DateTime<Utc>,
}

/// A message that could not be filed, and why. Its content is not kept: it waits in the
/// mailbox's Failed folder.
#[derive(Debug, Clone)]
pub struct InboundFailure {
    pub message_id: Option<String>,
    pub place: Option<MailboxPlace>,
    pub reason: String,
    pub failed_at: DateTime<Utc>,
}

/// A file a message brought, checked as any file on a case is when it is filed.
#[derive(Debug, Clone)]
pub struct MailFile {
    pub name: String,
    pub content: Vec<u8>,
}

/// What to do with a message, as the intake decided.
#[derive(Debug)]
pub enum Filing {
    /// A new draft case, with the message on its timeline.
    Draft {
        case: Box<Case>,
        correspondence: serde_json::Value,
        files: Vec<MailFile>,
    },
    /// A reply to the case `case_id`.
    Reply {
        case_id: i64,
        correspondence: serde_json::Value,
        files: Vec<MailFile>,
    },
    /// An autoreply, a bounce or a list message: recorded, with no case and no reply.
    Ignored { reason: String },
}

/// How a message was filed: now, or earlier when it came before.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InboundRecord {
    pub message_id: String,
    /// `draft`, `reply`, `ignored`, or `failed` (not filed: it waits in the Failed folder).
    pub disposition: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailbox: Option<String>,
    pub received_at: DateTime<Utc>,
}

/// The outcome of filing: what the message became, and whether it was already filed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Filed {
    #[serde(flatten)]
    pub record: InboundRecord,
    /// True when the organisation already had this message: nothing new was made.
    pub duplicate: bool,
}

impl Filing {
    fn disposition(&self) -> &'static str {
        match self {
            Filing::Draft { .. } => "draft",
            Filing::Reply { .. } => "reply",
            Filing::Ignored { .. } => "ignored",
        }
    }
}

impl Store {
    /// The organisation, if `access` may hand it mail.
    pub async fn mail_organisation(
        &self,
        access: &Access,
        slug: &str,
    ) -> Result<Arc<Organisation>, StoreError> {
        self.authorise(access, slug, Permission::FileInboundMail)
            .await
    }

    /// The mail domains of the organisation's complaints officers, lower case: mail from
    /// them is the council's own.
    pub async fn staff_mail_domains(
        &self,
        organisation: &Organisation,
    ) -> Result<Vec<String>, StoreError> {
        let officers = read!(self, |conn, ops| ops::complaints_officers(
            conn,
            organisation.id
        )
        .await?);
        let mut domains: Vec<String> = officers
            .iter()
            .filter_map(|o| o.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()))
            .collect();
        domains.sort();
        domains.dedup();
        Ok(domains)
    }

    /// How the organisation filed a message, if it has it.
    pub async fn inbound_record(
        &self,
        organisation: &Organisation,
        message_id: &str,
    ) -> Result<Option<InboundRecord>, StoreError> {
        Ok(read!(self, |conn, ops| ops::inbound_record(
            conn,
            organisation.id,
            message_id
        )
        .await?))
    }

    /// The organisation's last `limit` messages, newest first, for its administrators.
    pub async fn inbound_records(
        &self,
        access: &Access,
        slug: &str,
        limit: i64,
    ) -> Result<Vec<InboundRecord>, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        let (mut records, failures) = read!(self, |conn, ops| (
            ops::inbound_records(conn, organisation.id, limit).await?,
            ops::inbound_failures(conn, organisation.id, limit).await?
        ));
        records.extend(failures);
        records.sort_by_key(|r| std::cmp::Reverse(r.received_at));
        records.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(records)
    }

    /// Records that a message of `organisation` could not be filed, and why.
    pub async fn record_inbound_failure(
        &self,
        organisation: &Organisation,
        failure: &InboundFailure,
    ) -> Result<(), StoreError> {
        write!(self, |conn, ops| ops::insert_inbound_failure(
            conn,
            organisation.id,
            failure
        )
        .await?);
        Ok(())
    }

    /// The case of `organisation` a reply belongs to, by the messages it answers, else by the
    /// reference in its subject.
    pub async fn case_replied_to(
        &self,
        organisation: &Organisation,
        answers: &[String],
        reference: Option<&str>,
    ) -> Result<Option<i64>, StoreError> {
        Ok(read!(self, |conn, ops| ops::case_replied_to(
            conn,
            organisation.id,
            answers,
            reference
        )
        .await?))
    }

    /// Files a message once. Its files are checked first: one that is too large refuses the
    /// whole message, naming it, and nothing is recorded. A second filing of the same
    /// Message-ID changes nothing and answers how it was filed the first time.
    pub async fn file_inbound(
        &self,
        organisation: Arc<Organisation>,
        message: &InboundMessage,
        filing: Filing,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<Filed, StoreError> {
        let now = self.now();
        let disposition = filing.disposition();
        let reason = match &filing {
            Filing::Ignored { reason } => Some(reason.clone()),
            _ => None,
        };
        let (files, not_kept) = match &filing {
            Filing::Draft { files, .. } | Filing::Reply { files, .. } => {
                checked_files(files, actor, now)?
            }
            Filing::Ignored { .. } => (Vec::new(), Vec::new()),
        };
        let due_on = match &filing {
            Filing::Draft { case, .. } => {
                let procedure = organisation.procedure(case.procedure())?;
                organisation.due_on(case, procedure, today)?
            }
            _ => None,
        };
        let written = write!(self, |conn, ops| {
            let claimed = ops::claim_inbound(
                conn,
                organisation.id,
                message,
                disposition,
                reason.as_deref(),
            )
            .await?;
            if let Some(inbound_id) = claimed {
                let case_id = match filing {
                    Filing::Draft {
                        case,
                        correspondence,
                        ..
                    } => {
                        let mut job = group_commit::NewCaseJob {
                            organisation: organisation.clone(),
                            case: *case,
                            numbered: true,
                            due_on,
                            actor: actor.clone(),
                            at: now,
                            today,
                            // Nothing is sent until an officer accepts the draft.
                            mail: None,
                        };
                        let case_id =
                            ops::insert_new_case(conn, &self.inner.master, &mut job).await?;
                        Some((case_id, correspondence))
                    }
                    Filing::Reply {
                        case_id,
                        mut correspondence,
                        ..
                    } => {
                        let replied = ops::load_case(conn, case_id, &access::CaseScope::Everything)
                            .await?
                            .ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))?;
                        let finished = replied.case.status().is_final();
                        if finished {
                            correspondence["case_was"] = replied.case.status().as_str().into();
                        }
                        let officers = ops::complaints_officers(conn, organisation.id).await?;
                        let notices = crate::outbox::reply_notices(
                            &organisation,
                            &replied.case,
                            case_id,
                            &officers,
                        );
                        ops::insert_messages(conn, &notices, now).await?;
                        Some((case_id, correspondence))
                    }
                    Filing::Ignored { .. } => None,
                };
                if let Some((case_id, mut correspondence)) = case_id {
                    ops::set_inbound_case(conn, inbound_id, case_id).await?;
                    let mut kept = Vec::new();
                    for (mut info, content) in files {
                        info.case_id = case_id;
                        ops::insert_attachment(conn, &info, &content).await?;
                        kept.push(info.name);
                    }
                    correspondence["files"] = serde_json::json!(kept);
                    if !not_kept.is_empty() {
                        correspondence["not_kept"] = serde_json::json!(not_kept);
                    }
                    let event = actor
                        .event("correspondence", now)
                        .about_case(organisation.id, case_id)
                        .after(correspondence);
                    ops::log_case_event(conn, &self.inner.master, event).await?;
                }
                Some(())
            } else {
                None
            }
        });
        let record = read!(self, |conn, ops| ops::inbound_record(
            conn,
            organisation.id,
            &message.message_id
        )
        .await?)
        .ok_or_else(|| StoreError::NotFound(format!("message {}", message.message_id)))?;
        Ok(Filed {
            record,
            duplicate: written.is_none(),
        })
    }
}

/// The files a case may keep, checked as an upload is: a file over the size limit refuses
/// the message (it names the file); a file of a type no case holds is left out and named, so
/// the officer can ask for it another way.
#[allow(clippy::type_complexity)]
fn checked_files(
    files: &[MailFile],
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(Vec<(AttachmentInfo, Vec<u8>)>, Vec<String>), StoreError> {
    let (mut kept, mut not_kept) = (Vec::new(), Vec::new());
    for file in files {
        if file.content.len() > crate::attachments::MAX_ATTACHMENT_BYTES {
            return Err(StoreError::invalid(
                "message",
                format!(
                    "the attachment {} is {} MB, more than the {} MB a case's file may be",
                    file.name,
                    file.content.len() / 1024 / 1024,
                    crate::attachments::MAX_ATTACHMENT_BYTES / 1024 / 1024
                ),
            ));
        }
        match crate::attachments::prepared(0, &file.name, &file.content, actor, now) {
            Ok(info) => kept.push((info, file.content.clone())),
            Err(refused) => not_kept.push(refused.to_string()),
        }
    }
    Ok((kept, not_kept))
}
