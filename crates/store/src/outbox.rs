//! The outbox: mail written in the same transaction as the change that causes it, so a change
//! is never saved without its mail nor mail sent for a change rolled back. A sender (the web
//! crate's worker) claims messages, sends them and marks them here.
//!
//! Delivery is at most once. A message is claimed (`sending`) in a committed transaction
//! before the mail server is spoken to; if the process dies after the server accepted it and
//! before it is marked `sent`, it stays `sending` and the worker marks it `failed` with that
//! reason once no send could still be under way, for a person to check and resend, rather than sending it again unasked. Each
//! message carries one Message-ID from the moment it is queued, so a resent copy of a message
//! that did arrive is recognisably the same message.

use crate::backends::{postgres, sqlite};
use crate::organisation::Organisation;
use crate::{Access, Permission, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use redress_core::{Case, Email, Language, MessageKind, MessageStatus};
use serde::Serialize;

/// The most messages one outbox page lists.
pub const OUTBOX_PAGE: i64 = 200;

/// Why a message left `sending` by a stopped process is not sent again by itself.
pub const INTERRUPTED: &str =
    "the sender stopped while sending this message: it may have been delivered; check, then resend if not";

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub organisation_id: i64,
    pub kind: MessageKind,
    /// None: no one to send it to; it is kept as `not_sent` and listed.
    pub recipient: Option<String>,
    pub subject: String,
    pub body: String,
    pub case_id: Option<i64>,
    /// One message per key, ever: a reminder's stage, point and date.
    pub dedupe_key: Option<String>,
    /// A file of the case sent with it (a letter's PDF).
    pub attachment_id: Option<i64>,
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub organisation_id: i64,
    pub kind: MessageKind,
    pub recipient: Option<String>,
    pub subject: String,
    pub body: String,
    pub case_id: Option<i64>,
    pub status: MessageStatus,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    /// The mail server's last answer, or why it was not sent.
    pub last_reply: Option<String>,
    pub message_id: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// A file of the case sent with it (a letter's PDF).
    pub attachment_id: Option<i64>,
}

/// A Message-ID unique to this message: 128 random bits. It takes nothing of the message, so
/// it cannot confirm a guess at an erased message's recipient (issue 23; RFC 5322 §3.6.4 asks
/// only that it be unique).
pub(crate) fn message_id() -> String {
    use aes_gcm::aead::rand_core::RngCore;
    let mut bytes = [0u8; 16];
    aes_gcm::aead::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("<{hex}@redress>")
}

/// Takes the recipient's address out of a message shown to someone who may not read it.
/// The mail server's answer can quote the address, so it goes from that too.
fn withhold_recipient(message: &mut OutboxMessage) {
    if let Some(recipient) = message.recipient.take() {
        if let Some(reply) = &mut message.last_reply {
            *reply = reply.replace(&recipient, "[recipient withheld]");
        }
    }
}

/// "Friday 11 December 2026".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

/// The mail an appointment causes: a notice to each person newly named on a stage by an email
/// address (the Investigating Officer, the Independent Person, a panel member), linking to the
/// case and quoting nothing of it. A name that is not an address is not written to.
pub(crate) fn appointment_messages(
    organisation: &Organisation,
    before: &Case,
    after: &Case,
    case_id: i64,
) -> Vec<NewMessage> {
    let named = |case: &Case| -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for stage in case.stages() {
            let label = format!("Stage {}", stage.number);
            let people = stage
                .investigating_officer
                .iter()
                .map(|p| ("Investigating Officer", p))
                .chain(
                    stage
                        .independent_person
                        .iter()
                        .map(|p| ("Independent Person", p)),
                )
                .chain(
                    stage
                        .panel_members
                        .iter()
                        .map(|p| ("review panel member", p)),
                );
            for (role, person) in people {
                if let Ok(email) = Email::parse(person) {
                    out.push((label.clone(), role.to_string(), email.as_str().to_string()));
                }
            }
        }
        out
    };
    let already = named(before);
    named(after)
        .into_iter()
        .filter(|appointment| !already.contains(appointment))
        .map(|(stage, role, email)| NewMessage {
            organisation_id: organisation.id,
            kind: MessageKind::Appointment,
            recipient: Some(email),
            subject: format!("You are appointed on complaint [{}]", after.reference()),
            body: format!(
                "You have been appointed {role} at {stage} of complaint {} in {}.\n\nOpen it in Redress: /cases/{case_id}",
                after.reference(), organisation.name
            ),
            case_id: Some(case_id),
            dedupe_key: None,
            attachment_id: None,
        })
        .collect()
}

/// The mail a new complaint causes: the acknowledgement to the complainant (when they gave
/// an email address) and a notice to each complaints officer that links to the case and never
/// quotes it (mail leaves the council's systems; the complaint stays in Redress).
/// The complainant's acknowledgement by email, in the language they chose (the Welsh Language
/// Standards: correspondence in Welsh to those who ask for it). The Welsh is a first
/// translation for the council's translators to check.
fn acknowledgement_email(
    organisation: &Organisation,
    case: &Case,
    respond_by: Option<NaiveDate>,
) -> (String, String) {
    let (reference, council) = (case.reference(), &organisation.name);
    match case.language() {
        Language::En => {
            let when = respond_by.map_or(String::new(), |d| {
                format!(
                    "\n\nWe will respond by {}. If we need longer we will write to tell you why.",
                    long_date(d)
                )
            });
            (
                format!("Your complaint to {council} [{reference}]"),
                format!(
                    "Thank you for your complaint to {council}.\n\nYour reference is {reference}. Please quote it if you contact us about your complaint: a reply to this email reaches your case.{when}"
                ),
            )
        }
        Language::Cy => {
            let when = respond_by.map_or(String::new(), |d| {
                format!(
                    "\n\nByddwn yn ymateb erbyn {}. Os bydd angen mwy o amser arnom, byddwn yn ysgrifennu atoch i ddweud pam.",
                    Language::Cy.date(d)
                )
            });
            (
                format!("Eich cwyn i {council} [{reference}]"),
                format!(
                    "Diolch am eich cwyn i {council}.\n\nEich cyfeirnod yw {reference}. Nodwch ef os byddwch yn cysylltu â ni am eich cwyn: bydd ateb i'r e-bost hwn yn cyrraedd eich achos.{when}"
                ),
            )
        }
    }
}

pub(crate) fn new_case_messages(
    organisation: &Organisation,
    case: &Case,
    case_id: i64,
    respond_by: Option<NaiveDate>,
    officers: &[String],
) -> Vec<NewMessage> {
    let reference = &case.reference();
    let message =
        |kind: MessageKind, recipient: Option<String>, subject: String, body: String| NewMessage {
            organisation_id: organisation.id,
            kind,
            recipient,
            subject,
            body,
            case_id: Some(case_id),
            dedupe_key: None,
            attachment_id: None,
        };
    let by = respond_by.map(long_date);
    let mut out = Vec::new();
    if let Ok(email) = Email::parse(&case.personal().contact_email) {
        let (subject, body) = acknowledgement_email(organisation, case, respond_by);
        out.push(message(
            MessageKind::Acknowledgement,
            Some(email.as_str().to_string()),
            subject,
            body,
        ));
    }
    let due = by.map_or(String::new(), |d| format!(" It is due a response by {d}."));
    let notice = |recipient: Option<String>| {
        message(
            MessageKind::NewComplaint,
            recipient,
            format!("New complaint [{reference}]"),
            format!(
                "A new complaint, {reference}, was received on {} by {}.{due}\n\nOpen it in Redress: /cases/{case_id}",
                long_date(case.received_on()),
                case.channel().as_str()
            ),
        )
    };
    if officers.is_empty() {
        out.push(notice(None));
    }
    out.extend(officers.iter().map(|o| notice(Some(o.clone()))));
    out
}

/// The notice to the complaints officers that a reply arrived on a case by email. It links
/// to the case and never quotes the reply. A reply to a case that has ended does not reopen
/// it; the notice says so, for the officer to decide.
pub(crate) fn reply_notices(
    organisation: &Organisation,
    case: &Case,
    case_id: i64,
    officers: &[String],
) -> Vec<NewMessage> {
    let reference = case.reference();
    let ended = if case.status().is_final() {
        format!(
            " The case is {}: it has not been reopened.",
            case.status().as_str().replace('_', " ")
        )
    } else {
        String::new()
    };
    let notice = |recipient: Option<String>| {
        NewMessage {
        organisation_id: organisation.id,
        kind: MessageKind::Correspondence,
        recipient,
        subject: format!("Reply on complaint [{reference}]"),
        body: format!(
            "An email about complaint {reference} has arrived and is on its timeline.{ended}\n\nOpen it in Redress: /cases/{case_id}"
        ),
        case_id: Some(case_id),
        dedupe_key: None,
        attachment_id: None,
    }
    };
    if officers.is_empty() {
        return vec![notice(None)];
    }
    officers.iter().map(|o| notice(Some(o.clone()))).collect()
}

impl Store {
    /// An organisation's outbox, newest first, for its administrators and complaints
    /// officers; the recipients' addresses only for those who may read them (see
    /// [`Store::reads_recipients`]).
    pub async fn outbox(
        &self,
        access: &Access,
        slug: &str,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let organisation = self.outbox_organisation(access, slug).await?;
        let mut messages = read!(self, |conn, ops| ops::outbox(
            conn,
            organisation.id,
            OUTBOX_PAGE
        )
        .await?);
        if !self.reads_recipients(access, slug).await {
            messages.iter_mut().for_each(withhold_recipient);
        }
        Ok(messages)
    }

    /// The organisation, if the access uses its outbox: its administrators and complaints
    /// officers, and a system administrator (who manages every organisation).
    async fn outbox_organisation(
        &self,
        access: &Access,
        slug: &str,
    ) -> Result<std::sync::Arc<Organisation>, StoreError> {
        match self.authorise(access, slug, Permission::UseOutbox).await {
            Ok(organisation) => Ok(organisation),
            Err(refused) => self
                .authorise(access, slug, Permission::ManageOrganisation)
                .await
                .map_err(|_| refused),
        }
    }

    /// Whether the access reads the addresses mail went to: complainants' addresses are for
    /// the complaints officers who write to them, not administrators (UK GDPR Art. 5(1)(c)).
    pub async fn reads_recipients(&self, access: &Access, slug: &str) -> bool {
        self.authorise(access, slug, Permission::ReadMailRecipients)
            .await
            .is_ok()
    }

    /// Queues a failed message again, now; NotFound for any other.
    pub async fn resend(
        &self,
        access: &Access,
        slug: &str,
        id: i64,
    ) -> Result<OutboxMessage, StoreError> {
        let organisation = self.outbox_organisation(access, slug).await?;
        let now = self.now();
        let mut message = write!(self, |conn, ops| {
            ops::resend(conn, organisation.id, id, now)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("failed message {id}")))
        })?;
        if !self.reads_recipients(access, slug).await {
            withhold_recipient(&mut message);
        }
        Ok(message)
    }

    /// Queues messages in a transaction of their own (reminders); a message whose key is
    /// already in the outbox is left out. Answers how many were queued.
    pub async fn queue(&self, messages: &[NewMessage]) -> Result<u64, StoreError> {
        let now = self.now();
        Ok(write!(self, |conn, ops| ops::insert_messages(
            conn, messages, now
        )
        .await?))
    }

    /// Claims the next message due, for sending: committed before the server is spoken to.
    pub async fn claim_message(&self) -> Result<Option<OutboxMessage>, StoreError> {
        let now = self.now();
        Ok(write!(self, |conn, ops| ops::claim_due(conn, now).await?))
    }

    /// The server accepted a claimed message.
    pub async fn mark_sent(&self, id: i64, reply: &str) -> Result<(), StoreError> {
        let now = self.now();
        write!(self, |conn, ops| ops::mark_sent(conn, id, reply, now)
            .await?);
        Ok(())
    }

    /// The server refused a claimed message: try again at `retry_at`, or give up with None.
    pub async fn mark_refused(
        &self,
        id: i64,
        reply: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        write!(self, |conn, ops| ops::mark_refused(
            conn, id, reply, retry_at
        )
        .await?);
        Ok(())
    }

    /// Messages left `sending` since before `claimed_before` (by a sender that stopped, as no
    /// send takes that long) become `failed` (see the module).
    pub async fn fail_interrupted(&self, claimed_before: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(write!(self, |conn, ops| ops::fail_interrupted(
            conn,
            INTERRUPTED,
            claimed_before
        )
        .await?))
    }
}

#[cfg(test)]
mod message_id_tests {
    /// Issue 23: a digest of the recipient, a time and a counter let a guess at an erased
    /// message's recipient be confirmed. Now it takes no input and is random.
    #[test]
    fn message_ids_are_random_and_well_formed() {
        let ids: std::collections::HashSet<String> =
            (0..1000).map(|_| super::message_id()).collect();
        assert_eq!(ids.len(), 1000);
        for id in ids {
            let hex = id
                .strip_prefix('<')
                .unwrap()
                .strip_suffix("@redress>")
                .unwrap();
            assert_eq!(hex.len(), 32);
            assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
        }
    }
}
