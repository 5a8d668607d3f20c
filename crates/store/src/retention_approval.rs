//! The council's approval of its retention schedule. Until an administrator records who
//! approved it and on what date, after a dry run of what it would erase, the schedule erases
//! nothing: UK GDPR Art. 5(1)(e) sets the limit, but the periods are the council's decision
//! (its records management policy), not a default of this program.

use crate::access::Access;
use crate::backends::{postgres, sqlite};
use crate::records::Actor;
use crate::{Permission, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use redress_core::NonEmptyText;
use serde::Serialize;
use std::collections::BTreeMap;

/// Who approved the schedule, when, and who recorded it here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionApproval {
    /// The date the council approved the schedule (its information governance decision).
    pub approved_on: NaiveDate,
    /// Who approved it, as the council names them ("Information Governance Board").
    pub approved_by: String,
    /// The administrator who switched the schedule on.
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// How many records of one year and one procedure (or `compliments`) a run would erase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewLine {
    /// The year the complaint or compliment was received.
    pub year: i32,
    pub applies_to: String,
    pub records: usize,
}

/// A dry run of the schedule for one organisation: what it would erase on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionPreview {
    pub on: NaiveDate,
    /// The approval in force; `None`: the schedule is off.
    pub approval: Option<RetentionApproval>,
    pub lines: Vec<PreviewLine>,
    /// Every record the run would erase: what switching the schedule on must confirm.
    pub total: usize,
    /// Cases due but kept by a legal hold.
    pub held: usize,
}

impl Store {
    /// Every organisation whose schedule is on, with its approval.
    pub(crate) async fn retention_approvals(
        &self,
    ) -> Result<Vec<(i64, RetentionApproval)>, StoreError> {
        Ok(read!(self, |conn, ops| ops::retention_approvals(conn).await?))
    }

    /// The organisation's approval, if its schedule is on.
    pub async fn retention_approval(
        &self,
        slug: &str,
    ) -> Result<Option<RetentionApproval>, StoreError> {
        let organisation = self.organisation(slug).await?;
        Ok(self
            .retention_approvals()
            .await?
            .into_iter()
            .find(|(id, _)| *id == organisation.id)
            .map(|(_, approval)| approval))
    }

    /// What the schedule would erase on `on`, counted by year and procedure (administrators).
    pub async fn retention_preview(
        &self,
        access: &Access,
        slug: &str,
        on: NaiveDate,
    ) -> Result<RetentionPreview, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        let run = self
            .apply_schedule(vec![organisation], on, true, &Actor::system("dry run"))
            .await?;
        let mut counts: BTreeMap<(i32, String), usize> = BTreeMap::new();
        for key in run.tally {
            *counts.entry(key).or_default() += 1;
        }
        Ok(RetentionPreview {
            on,
            approval: self.retention_approval(slug).await?,
            lines: counts
                .into_iter()
                .map(|((year, applies_to), records)| PreviewLine {
                    year,
                    applies_to,
                    records,
                })
                .collect(),
            total: run.erased.len(),
            held: run.held.len(),
        })
    }

    /// Switches the schedule on (administrators): `approved_on` (not after `today`) and
    /// `approved_by` record the council's decision, and `confirm_erasures` must be the number
    /// of records the dry run finds today, so nobody switches it on without seeing that.
    #[allow(clippy::too_many_arguments)]
    pub async fn approve_retention(
        &self,
        access: &Access,
        slug: &str,
        approved_on: NaiveDate,
        approved_by: &str,
        confirm_erasures: usize,
        today: NaiveDate,
        actor: &Actor,
    ) -> Result<RetentionApproval, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        if approved_on > today {
            return Err(StoreError::invalid(
                "approved_on",
                "the approval must be dated today or earlier",
            ));
        }
        let approved_by = NonEmptyText::parse(approved_by)
            .map_err(|e| StoreError::invalid("approved_by", format!("who approved it {e}")))?;
        let preview = self.retention_preview(access, slug, today).await?;
        if preview.total != confirm_erasures {
            return Err(StoreError::invalid(
                "confirm_erasures",
                format!(
                    "the dry run today finds {} records to erase, not {confirm_erasures}: read it and confirm that number",
                    preview.total
                ),
            ));
        }
        let approval = RetentionApproval {
            approved_on,
            approved_by: approved_by.as_str().to_string(),
            recorded_by: actor.label.clone(),
            recorded_at: self.now(),
        };
        write!(self, |conn, ops| {
            ops::set_retention_approval(conn, organisation.id, Some(&approval)).await?;
            let event = actor
                .event("retention_switched_on", approval.recorded_at)
                .in_organisation(organisation.id)
                .after(serde_json::json!({
                    "approved_on": approval.approved_on,
                    "approved_by": approval.approved_by,
                    "records_due": preview.total,
                }));
            ops::insert_event(conn, &event).await?;
        });
        Ok(approval)
    }

    /// Switches the schedule off (administrators): nothing more is erased by it until it is
    /// approved again.
    pub async fn withdraw_retention_approval(
        &self,
        access: &Access,
        slug: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        write!(self, |conn, ops| {
            ops::set_retention_approval(conn, organisation.id, None).await?;
            let event = actor
                .event("retention_switched_off", self.now())
                .in_organisation(organisation.id);
            ops::insert_event(conn, &event).await?;
        });
        Ok(())
    }
}
