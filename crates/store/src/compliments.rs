//! Compliments: logged and read.

use crate::backends::{postgres, sqlite};
use crate::records::*;
use crate::*;

impl Store {
    /// Logs one compliment (the public form and imports: no account to authorise).
    pub async fn add_compliment(
        &self,
        slug: &str,
        compliment: Compliment,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self.organisation(slug).await?;
        self.insert_compliment(&organisation, compliment, actor)
            .await
            .map(|_| ())
    }

    /// Logs a compliment that came by phone or letter: only a complaints officer may.
    pub async fn log_compliment(
        &self,
        access: &Access,
        slug: &str,
        compliment: Compliment,
        actor: &Actor,
    ) -> Result<LoggedCompliment, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::RecordCases)
            .await?;
        let id = self
            .insert_compliment(&organisation, compliment, actor)
            .await?;
        self.compliment_by_id(organisation.id, id).await
    }

    async fn insert_compliment(
        &self,
        organisation: &Organisation,
        mut compliment: Compliment,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let slug = &organisation.slug;
        compliment.published_quotation = approved_quotation(
            compliment.published_quotation.as_deref(),
            compliment.consent_to_publish,
        )?;
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
        Ok(write!(self, |conn, ops| {
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
            let now = self.now();
            let id =
                ops::insert_compliment(conn, organisation.id, &compliment, team_id, now).await?;
            let event = actor
                .event("compliment_logged", now)
                .in_organisation(organisation.id);
            ops::insert_event(conn, &event).await?;
            id
        }))
    }

    /// Sets the text the council approved for publication from a compliment (complaints
    /// officers), or withdraws it with `None`. Only with the person's consent.
    pub async fn set_published_quotation(
        &self,
        access: &Access,
        slug: &str,
        id: i64,
        quotation: Option<&str>,
        actor: &Actor,
    ) -> Result<LoggedCompliment, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::RecordCases)
            .await?;
        let current = self.compliment_by_id(organisation.id, id).await?;
        let quotation = approved_quotation(quotation, current.compliment.consent_to_publish)?;
        write!(self, |conn, ops| {
            if !ops::set_published_quotation(conn, organisation.id, id, quotation.as_deref())
                .await?
            {
                return Err(StoreError::NotFound(format!("compliment {id}")));
            }
            let event = actor
                .event("compliment_quotation_set", self.now())
                .in_organisation(organisation.id)
                .after(serde_json::json!({
                    "compliment": id,
                    "published": quotation.is_some(),
                }));
            ops::insert_event(conn, &event).await?;
        });
        self.compliment_by_id(organisation.id, id).await
    }

    /// The organisation, if the access reads its compliments, and which of them: `None` for
    /// every one (complaints officers), or a team manager's teams. Compliments name people and
    /// their families, so only those who handle them read them (UK GDPR Art. 5(1)(c)); a
    /// viewer sees their counts in the reports, and an administrator nothing of them.
    async fn may_read_compliments(
        &self,
        access: &Access,
        slug: &str,
    ) -> Result<(Arc<Organisation>, Option<Vec<String>>), StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ReadCompliments)
            .await?;
        let teams = match access {
            Access::Account(account) => account
                .membership(organisation.id)
                .filter(|m| m.role == Role::TeamManager)
                .map(|m| m.teams.clone()),
            Access::System => None,
        };
        Ok((organisation, teams))
    }

    /// The organisation's compliments the access reads, newest received first.
    pub async fn logged_compliments(
        &self,
        access: &Access,
        slug: &str,
    ) -> Result<Vec<LoggedCompliment>, StoreError> {
        let (organisation, teams) = self.may_read_compliments(access, slug).await?;
        let mut logged = read!(self, |conn, ops| ops::logged_compliments(
            conn,
            organisation.id,
            None
        )
        .await?);
        logged.retain(|l| in_teams(l, teams.as_deref()));
        Ok(logged)
    }

    /// One compliment of the organisation; another organisation's id, or another team's for a
    /// team manager, is not found.
    pub async fn compliment(
        &self,
        access: &Access,
        slug: &str,
        id: i64,
    ) -> Result<LoggedCompliment, StoreError> {
        let (organisation, teams) = self.may_read_compliments(access, slug).await?;
        Some(self.compliment_by_id(organisation.id, id).await?)
            .filter(|l| in_teams(l, teams.as_deref()))
            .ok_or_else(|| StoreError::NotFound(format!("compliment {id}")))
    }

    async fn compliment_by_id(
        &self,
        organisation_id: i64,
        id: i64,
    ) -> Result<LoggedCompliment, StoreError> {
        read!(self, |conn, ops| ops::logged_compliments(
            conn,
            organisation_id,
            Some(id)
        )
        .await?)
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("compliment {id}")))
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

/// The quotation as kept: trimmed, none when blank, refused without the person's consent
/// (council policy: a compliment is published only with consent; UK GDPR Art. 6(1)(a)).
fn approved_quotation(text: Option<&str>, consent: bool) -> Result<Option<String>, StoreError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    redress_core::limits::within("published_quotation", text, redress_core::limits::LONG_TEXT)?;
    if !consent {
        return Err(StoreError::invalid(
            "published_quotation",
            "the person did not consent to publication: no quotation can be published",
        ));
    }
    Ok(Some(text.to_string()))
}

/// Whether a compliment is one of these teams' (`None`: any compliment).
fn in_teams(logged: &LoggedCompliment, teams: Option<&[String]>) -> bool {
    teams.is_none_or(|teams| {
        logged
            .compliment
            .team
            .as_ref()
            .is_some_and(|team| teams.contains(team))
    })
}
