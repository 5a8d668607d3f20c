//! Letters: a council's own templates, and a letter sent on a case, kept as its files (so its
//! personal content stays with the attachments, out of every statistic) with one event.

use crate::access::Access;
use crate::attachments::prepared;
use crate::backends::{postgres, sqlite};
use crate::records::{Actor, AttachmentInfo, NewEvent};
use crate::{Permission, Store, StoreError};
use chrono::NaiveDate;
use redress_core::Transition;

impl Store {
    /// The organisation's own wording of a kind of letter, if it has one.
    pub async fn letter_template(
        &self,
        slug: &str,
        kind: &str,
    ) -> Result<Option<String>, StoreError> {
        let organisation = self.organisation(slug).await?;
        Ok(read!(self, |conn, ops| ops::letter_template(
            conn,
            organisation.id,
            kind
        )
        .await?))
    }

    /// Saves the organisation's wording of a kind of letter (already checked by the caller);
    /// the change is logged.
    pub async fn set_letter_template(
        &self,
        access: &Access,
        slug: &str,
        kind: &str,
        body: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        write!(self, |conn, ops| {
            let now = self.now();
            ops::set_letter_template(conn, organisation.id, kind, body, &actor.label, now).await?;
            let event = actor
                .event("letter_template_set", now)
                .in_organisation(organisation.id)
                .after(serde_json::json!({"kind": kind, "body": body}));
            ops::insert_event(conn, &event).await?;
        });
        Ok(())
    }

    /// Keeps a letter's files on a case and puts "letter_sent" on its timeline, together; with
    /// `acknowledge` (the version read and the day), the case is acknowledged in the same
    /// transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_letter(
        &self,
        access: &Access,
        case_id: i64,
        kind: &str,
        sent_on: NaiveDate,
        files: &[(String, Vec<u8>)],
        acknowledge: Option<i64>,
        email: Option<&LetterEmail>,
        actor: &Actor,
    ) -> Result<Vec<AttachmentInfo>, StoreError> {
        let record = self.case(access, case_id).await?;
        let organisation = self.organisation(&record.organisation).await?;
        let infos = files
            .iter()
            .map(|(name, content)| prepared(case_id, name, content, actor, self.now()))
            .collect::<Result<Vec<_>, _>>()?;
        let contents: Vec<&[u8]> = files.iter().map(|(_, c)| c.as_slice()).collect();
        let letter = LetterWrite {
            at: self.now(),
            kind,
            sent_on,
            files: &infos,
            contents: &contents,
            email,
        };
        if let Some(version) = acknowledge {
            let step = Transition::Acknowledge { on: sent_on };
            self.change_case_with(
                access,
                case_id,
                version,
                actor,
                step.name(),
                sent_on,
                |case, org| {
                    let rules = org.rules_of(case, sent_on)?;
                    case.apply(&step, &rules)?;
                    Ok(())
                },
                Some(&letter),
            )
            .await?;
        } else {
            write!(self, |conn, ops| {
                ops::insert_letter(conn, &letter, actor, organisation.id, case_id).await?;
            });
        }
        // The files just kept are the newest with these checksums.
        let kept = read!(self, |conn, ops| ops::attachments(conn, case_id).await?);
        Ok(infos
            .iter()
            .filter_map(|info| {
                kept.iter()
                    .rev()
                    .find(|k| k.sha256 == info.sha256 && k.name == info.name)
                    .cloned()
            })
            .collect())
    }
}

/// A letter to send by email as well: to whom, and the covering message (which says no more
/// than that the letter is attached; the letter itself is the PDF).
#[derive(Debug, Clone)]
pub struct LetterEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A letter's files and what its event says, written beside a change of the case or alone.
pub(crate) struct LetterWrite<'a> {
    pub kind: &'a str,
    pub sent_on: NaiveDate,
    pub files: &'a [AttachmentInfo],
    pub contents: &'a [&'a [u8]],
    pub email: Option<&'a LetterEmail>,
    /// When it was sent, by the store's clock.
    pub at: chrono::DateTime<chrono::Utc>,
}

impl LetterWrite<'_> {
    pub fn event(&self, actor: &Actor, organisation_id: i64, case_id: i64) -> NewEvent {
        let names: Vec<&str> = self.files.iter().map(|i| i.name.as_str()).collect();
        actor
            .event("letter_sent", self.at)
            .about_case(organisation_id, case_id)
            .after(serde_json::json!({"kind": self.kind, "date": self.sent_on, "files": names}))
    }
}
