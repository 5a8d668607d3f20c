//! Subject access: finding one person across an organisation's cases, compliments and mail,
//! audited with a keyed digest of the term, and the log of what was exported to them.

use crate::access::Access;
use crate::backends::{postgres, sqlite};
use crate::records::Actor;
use crate::{Permission, Store, StoreError};
use chrono::{NaiveDate, Utc};
use redress_core::Status;
use serde::Serialize;
use std::sync::Arc;

/// A case found by a subject access search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectCase {
    pub id: i64,
    pub reference: String,
    pub received_on: NaiveDate,
    pub status: Status,
    /// The case's version, for the If-Match of a rectification by someone who reads no cases.
    pub version: i64,
    /// Which personal fields hold the term: `complainant_name`, `contact_email`,
    /// `contact_phone`, `children`.
    pub matched: Vec<&'static str>,
}

/// A compliment found by a subject access search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectCompliment {
    pub id: i64,
    pub received_on: NaiveDate,
    pub team: Option<String>,
    pub summary: String,
}

/// A message sent (or to be sent) to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectMessage {
    pub id: i64,
    pub case_id: Option<i64>,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created_at: chrono::DateTime<Utc>,
}

/// Everything a search for one person found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SubjectMatches {
    pub cases: Vec<SubjectCase>,
    pub compliments: Vec<SubjectCompliment>,
    pub messages: Vec<SubjectMessage>,
}

impl Store {
    /// Finds one person across the organisation's cases, compliments and mail, by name, email,
    /// phone or a child's identifier. The search is audited; the log keeps a keyed digest of
    /// the term, never the term.
    pub async fn subject_search(
        &self,
        access: &Access,
        slug: &str,
        term: &str,
        actor: &Actor,
    ) -> Result<SubjectMatches, StoreError> {
        let (organisation, matches) = self.find_subject(access, slug, term).await?;
        let term = term.trim();
        let event = actor
            .event("subject_access_search", self.now())
            .in_organisation(organisation.id)
            .after(serde_json::json!({
                "term_digest": self.inner.master.term_digest(term),
                "cases": matches.cases.iter().map(|c| &c.reference).collect::<Vec<_>>(),
                "compliments": matches.compliments.len(),
                "messages": matches.messages.len(),
            }));
        self.log(event).await?;
        Ok(matches)
    }

    /// The same search as [`Store::subject_search`] for an export, which is audited as a whole
    /// by [`Store::log_subject_export`] once the bundle is made: the caller must log it.
    pub async fn subject_search_for_export(
        &self,
        access: &Access,
        slug: &str,
        term: &str,
    ) -> Result<SubjectMatches, StoreError> {
        Ok(self.find_subject(access, slug, term).await?.1)
    }

    /// The permission check, the term's check and the search, unlogged.
    async fn find_subject(
        &self,
        access: &Access,
        slug: &str,
        term: &str,
    ) -> Result<(Arc<crate::Organisation>, SubjectMatches), StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::HandlePersonalData)
            .await?;
        let term = redress_core::SubjectTerm::parse(term).map_err(|e| e.field("q"))?;
        let term = term.as_str();
        let matches = read!(self, |conn, ops| {
            ops::subject_matches(conn, organisation.id, term).await?
        });
        Ok((organisation, matches))
    }

    /// Records that a subject access bundle was exported: for whom (as a keyed digest), which
    /// cases and how many files.
    pub async fn log_subject_export(
        &self,
        access: &Access,
        slug: &str,
        term: &str,
        references: &[String],
        files: usize,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::HandlePersonalData)
            .await?;
        let event = actor
            .event("subject_access_export", self.now())
            .in_organisation(organisation.id)
            .after(serde_json::json!({
                "term_digest": self.inner.master.term_digest(term),
                "cases": references,
                "files": files,
            }));
        self.log(event).await
    }

    /// A keyed digest of a search term, as the audit log records it.
    pub fn term_digest(&self, term: &str) -> String {
        self.inner.master.term_digest(term)
    }
}
