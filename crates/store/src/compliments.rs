//! Compliments: logged and read.

use crate::backends::{postgres, sqlite};
use crate::records::*;
use crate::*;

impl Store {
    /// Logs one compliment.
    pub async fn add_compliment(
        &self,
        slug: &str,
        compliment: Compliment,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self.organisation(slug).await?;
        if compliment.summary.trim().is_empty() {
            return Err(StoreError::invalid("summary", "say what the compliment is"));
        }
        redress_core::limits::within(
            "summary",
            &compliment.summary,
            redress_core::limits::LONG_TEXT,
        )?;
        if let Some(team) = &compliment.team {
            redress_core::limits::within("team", team, redress_core::limits::NAME)?;
        }
        write!(self, |conn, ops| {
            let team_id = match &compliment.team {
                Some(team) => Some(
                    ops::named_id(conn, "teams", organisation.id, team)
                        .await?
                        .ok_or_else(|| {
                            StoreError::invalid("team", format!("'{team}' is not a team of {slug}"))
                        })?,
                ),
                None => None,
            };
            let now = Utc::now();
            ops::insert_compliments(conn, organisation.id, &[(compliment.clone(), team_id)], now)
                .await?;
            let event = actor
                .event("compliment_logged", now)
                .in_organisation(organisation.id);
            ops::insert_event(conn, &event).await?;
        });
        Ok(())
    }

    pub async fn compliments_between(
        &self,
        slug: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Compliment>, StoreError> {
        let organisation = self.organisation(slug).await?;
        Ok(read!(self, |conn, ops| {
            ops::compliments_between(conn, organisation.id, from, to).await?
        }))
    }

    pub async fn compliments(&self, slug: &str) -> Result<Vec<Compliment>, StoreError> {
        let organisation = self.organisation(slug).await?;
        Ok(read!(self, |conn, ops| ops::compliments(
            conn,
            organisation.id
        )
        .await?))
    }
}
