//! The officer-written sections of a year's report.

use crate::backends::{postgres, sqlite};
use crate::records::*;
use crate::*;

impl Store {
    /// Sets one narrative section of a year's report; the change is logged.
    pub async fn set_narrative(
        &self,
        access: &Access,
        slug: &str,
        year: i32,
        section: &str,
        body: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::EditNarrative)
            .await?;
        write!(self, |conn, ops| {
            let now = self.now();
            ops::set_narrative(conn, organisation.id, year as i64, section, body, now).await?;
            let event = actor
                .event("narrative_set", now)
                .in_organisation(organisation.id)
                .after(serde_json::json!({"year": year, "section": section, "body": body}));
            ops::insert_event(conn, &event).await?;
        });
        Ok(())
    }

    /// The narrative sections of a year's report, by section name.
    pub async fn narratives(
        &self,
        slug: &str,
        year: i32,
    ) -> Result<BTreeMap<String, String>, StoreError> {
        let organisation = self.organisation(slug).await?;
        let rows = read!(self, |conn, ops| ops::narratives(
            conn,
            organisation.id,
            year as i64
        )
        .await?);
        Ok(rows.into_iter().collect())
    }
}
