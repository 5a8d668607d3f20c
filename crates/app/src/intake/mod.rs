//! Mail to the complaints mailbox, from the mail gate or an IMAP poller: each message read,
//! then filed once, as a draft case, a reply on its case, or a machine's message left alone.
//! What a draft may become is core's to decide (the `accept_draft` and `not_a_complaint` steps).

pub mod imap;
pub mod message;

use chrono::{DateTime, Utc};
use message::{Correspondent, ParsedMail};
use redress_core::{limits, Case, PersonalDetails};
use redress_store::{
    Access, Actor, Filed, Filing, InboundMessage, MailboxPlace, Organisation, Store, StoreError,
};
use std::sync::Arc;

/// Why a message was not filed.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// The message cannot be read; the reason says why, for the Failed folder and the admin page.
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads and files one raw message for the organisation `slug`, once: a message it already
/// has answers how it was filed then and changes nothing.
pub async fn file_message(
    store: &Store,
    access: &Access,
    slug: &str,
    raw: &[u8],
    place: Option<MailboxPlace>,
    actor: &Actor,
) -> Result<Filed, IntakeError> {
    let organisation = store.mail_organisation(access, slug).await?;
    let parsed = message::parse(raw).map_err(|e| IntakeError::Unreadable(e.0))?;
    if let Some(record) = store
        .inbound_record(&organisation, &parsed.message_id)
        .await?
    {
        return Ok(Filed {
            record,
            duplicate: true,
        });
    }
    let now = store.clock().now();
    let inbound = InboundMessage {
        message_id: parsed.message_id.clone(),
        place,
        received_at: now,
    };
    let filing = filing_for(store, &organisation, parsed, now).await?;
    let today = store.clock().today();
    Ok(store
        .file_inbound(organisation, &inbound, filing, actor, today)
        .await?)
}

/// What the message becomes: left alone when a machine sent it, a reply when it answers a
/// message about a case or names one in its subject, else a new draft.
async fn filing_for(
    store: &Store,
    organisation: &Arc<Organisation>,
    parsed: ParsedMail,
    now: DateTime<Utc>,
) -> Result<Filing, IntakeError> {
    if let Some(reason) = parsed.automatic {
        return Ok(Filing::Ignored { reason });
    }
    let mut case_id = store
        .case_replied_to(organisation, &parsed.answers, None)
        .await?;
    for reference in subject_references(&parsed.subject) {
        if case_id.is_some() {
            break;
        }
        case_id = store
            .case_replied_to(organisation, &[], Some(reference))
            .await?;
    }
    // The clock runs from the day the council's server took the message in, in London; a
    // sender's clock ahead of ours is not believed.
    let arrived = parsed.arrived_at.unwrap_or(now).min(now);
    let correspondence = serde_json::json!({
        "direction": "in",
        "message_id": parsed.message_id,
        "from": written(&parsed.from),
        "subject": clipped(&parsed.subject, limits::NAME),
        "text": clipped(&parsed.text, limits::LONG_TEXT),
        "arrived_at": arrived,
    });
    if let Some(case_id) = case_id {
        return Ok(Filing::Reply {
            case_id,
            correspondence,
            files: parsed.files,
        });
    }
    let procedure = organisation
        .procedures
        .first()
        .ok_or_else(|| StoreError::invalid("procedure", "the organisation has no procedure"))?;
    let complainant = complainant(store, organisation, &parsed.from, parsed.forwarded_from).await?;
    let summary = if parsed.subject.is_empty() {
        parsed.text.clone()
    } else {
        format!("{}\n\n{}", parsed.subject, parsed.text)
    };
    let personal = PersonalDetails {
        complainant_name: clipped(&complainant.name, limits::NAME),
        contact_email: clipped(&complainant.address, limits::EMAIL),
        summary: clipped(&summary, limits::LONG_TEXT),
        ..PersonalDetails::default()
    };
    let case = Case::drafted(
        procedure.name.clone(),
        redress_calendar::london_date(arrived),
        personal,
    );
    Ok(Filing::Draft {
        case: Box::new(case),
        correspondence,
        files: parsed.files,
    })
}

/// The complainant: the sender, unless council staff forwarded someone else's message, when
/// it is that person (staff: an address at a complaints officer's mail domain).
async fn complainant(
    store: &Store,
    organisation: &Organisation,
    from: &Correspondent,
    forwarded_from: Option<Correspondent>,
) -> Result<Correspondent, StoreError> {
    let Some(forwarded) = forwarded_from else {
        return Ok(from.clone());
    };
    let domain = |address: &str| {
        address
            .rsplit_once('@')
            .map(|(_, d)| d.to_ascii_lowercase())
    };
    let staff_domains = store.staff_mail_domains(organisation).await?;
    let by_staff = domain(&from.address).is_some_and(|d| staff_domains.contains(&d));
    Ok(if by_staff { forwarded } else { from.clone() })
}

/// Case references in a subject, as Redress writes them: `[WCC-2026-0004]`.
fn subject_references(subject: &str) -> impl Iterator<Item = &str> {
    subject
        .split('[')
        .skip(1)
        .filter_map(|part| part.split_once(']').map(|(inside, _)| inside.trim()))
        .filter(|inside| {
            !inside.is_empty()
                && inside.len() <= 40
                && inside
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
        })
}

fn written(person: &Correspondent) -> String {
    if person.name.is_empty() {
        person.address.clone()
    } else {
        format!("{} <{}>", person.name, person.address)
    }
}

/// At most `limit` characters: a longer text is cut and says so.
fn clipped(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    const MARK: &str = " [cut: the whole message is in the mailbox]";
    let keep = limit.saturating_sub(MARK.chars().count());
    let mut out: String = text.chars().take(keep).collect();
    out.push_str(MARK);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_in_brackets_only() {
        let found: Vec<&str> =
            subject_references("RE: [WCC-2026-0004] your complaint [not a ref!] [ABC/12]")
                .collect();
        assert_eq!(found, ["WCC-2026-0004", "ABC/12"]);
        assert_eq!(subject_references("WCC-2026-0004").count(), 0);
    }

    #[test]
    fn long_text_is_cut_and_says_so() {
        let cut = clipped(&"x".repeat(200), 100);
        assert_eq!(cut.chars().count(), 100);
        assert!(cut.ends_with("mailbox]"));
        assert_eq!(clipped("short", 20), "short");
    }
}
