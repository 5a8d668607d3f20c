//! Letters: a council's own templates, and a letter sent on a case, kept as its files (so its
//! personal content stays with the attachments, out of every statistic) with one event.

use crate::access::Access;
use crate::attachments::prepared;
use crate::backends::{postgres, sqlite};
use crate::records::{Actor, AttachmentInfo};
use crate::{Store, StoreError};
use chrono::{NaiveDate, Utc};

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
        slug: &str,
        kind: &str,
        body: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self.organisation(slug).await?;
        write!(self, |conn, ops| {
            let now = Utc::now();
            ops::set_letter_template(conn, organisation.id, kind, body, &actor.label, now).await?;
            let event = actor
                .event("letter_template_set", now)
                .in_organisation(organisation.id)
                .after(serde_json::json!({"kind": kind, "body": body}));
            ops::insert_event(conn, &event).await?;
        });
        Ok(())
    }

    /// Keeps a letter's files on a case and puts "letter_sent" on its timeline, together.
    pub async fn add_letter(
        &self,
        access: &Access,
        case_id: i64,
        kind: &str,
        sent_on: NaiveDate,
        files: &[(String, Vec<u8>)],
        actor: &Actor,
    ) -> Result<Vec<AttachmentInfo>, StoreError> {
        let record = self.case(access, case_id).await?;
        let organisation = self.organisation(&record.organisation).await?;
        let mut infos = files
            .iter()
            .map(|(name, content)| prepared(case_id, name, content, actor))
            .collect::<Result<Vec<_>, _>>()?;
        let ids = write!(self, |conn, ops| {
            let mut ids = Vec::new();
            for (info, (_, content)) in infos.iter().zip(files) {
                ids.push(ops::insert_attachment(conn, info, content).await?);
            }
            let names: Vec<&str> = infos.iter().map(|i| i.name.as_str()).collect();
            let event = actor
                .event("letter_sent", Utc::now())
                .about_case(organisation.id, case_id)
                .after(serde_json::json!({"kind": kind, "date": sent_on, "files": names}));
            ops::insert_event(conn, &event).await?;
            ids
        });
        for (info, id) in infos.iter_mut().zip(ids) {
            info.id = id;
        }
        Ok(infos)
    }
}
