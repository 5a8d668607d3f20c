//! An organisation's calendar settings: its closure days and a newer bank-holiday file. Both
//! move deadlines, so open cases' due dates are worked out again in the same transaction.

use crate::access::{Access, Permission};
use crate::backends::{postgres, sqlite};
use crate::organisation::Organisation;
use crate::records::Actor;
use crate::{Db, Store, StoreError};
use chrono::{NaiveDate, Utc};
use redress_calendar::{Closure, HolidaySource};

impl Store {
    /// Adds a day the organisation is closed.
    pub async fn add_closure(
        &self,
        access: &Access,
        slug: &str,
        date: NaiveDate,
        label: &str,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        let label = label.trim();
        if label.is_empty() {
            return Err(StoreError::invalid("closure-label", "say what the day is"));
        }
        if label.chars().count() > redress_core::limits::NAME {
            return Err(StoreError::invalid(
                "closure-label",
                format!("must be {} characters or fewer", redress_core::limits::NAME),
            ));
        }
        let mut closures = organisation.closures.clone();
        if closures.iter().any(|c| c.date == date) {
            return Err(StoreError::invalid(
                "closure-date",
                format!("{date} is already a closure day"),
            ));
        }
        closures.push(Closure {
            date,
            label: label.to_string(),
        });
        closures.sort_by_key(|c| c.date);
        let calendar_json = self.calendar_json(organisation.id).await?;
        self.save_calendar(&organisation, closures, calendar_json, actor, today)
            .await
    }

    /// Replaces the bank-holiday data with a newer gov.uk file.
    pub async fn set_calendar(
        &self,
        access: &Access,
        slug: &str,
        json: &str,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        HolidaySource::from_gov_uk_json(json)
            .map_err(|e| StoreError::invalid("calendar-file", e.to_string()))?;
        self.save_calendar(
            &organisation,
            organisation.closures.clone(),
            Some(json.to_string()),
            actor,
            today,
        )
        .await
    }

    async fn calendar_json(&self, organisation_id: i64) -> Result<Option<String>, StoreError> {
        Ok(read!(self, |conn, ops| ops::organisations(conn)
            .await?
            .into_iter()
            .find(|r| r.id == organisation_id)
            .and_then(|r| r.calendar_json)))
    }

    async fn save_calendar(
        &self,
        organisation: &Organisation,
        closures: Vec<Closure>,
        calendar_json: Option<String>,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let closures_text = serde_json::to_string(&closures).expect("closures serialise");
        let procedures: Vec<String> = organisation
            .procedures
            .iter()
            .map(|p| serde_json::to_string(p).expect("procedures serialise"))
            .collect();
        // The organisation as it will be, to work out the new due dates with.
        let updated = Organisation::from_row(
            organisation.id,
            organisation.slug.clone(),
            organisation.name.clone(),
            organisation.reference_prefix.clone(),
            organisation.division.as_str(),
            &closures_text,
            calendar_json.as_deref(),
            organisation.version + 1,
            &procedures,
        )
        .map_err(|e| StoreError::invalid("calendar-file", e.to_string()))?;
        let open = self.open_case_ids(&organisation.slug, today).await?;
        let mut due_dates = Vec::with_capacity(open.len());
        for id in open {
            let record = self.case(&Access::System, id).await?;
            let procedure = updated.procedure(&record.case.procedure)?;
            due_dates.push((id, updated.due_on(&record.case, procedure, today)?));
        }
        write!(self, |conn, ops| {
            ops::set_calendar_settings(
                conn,
                organisation.id,
                &closures_text,
                calendar_json.as_deref(),
            )
            .await?;
            for (id, due_on) in &due_dates {
                ops::set_due_on(conn, *id, *due_on).await?;
            }
            let event = actor
                .event("calendar_changed", Utc::now())
                .in_organisation(organisation.id)
                .after(serde_json::json!({
                    "closures": closures,
                    "calendar_uploaded": calendar_json.is_some(),
                    "cases_redated": due_dates.len(),
                }));
            ops::insert_event(conn, &event).await?;
        });
        self.load_organisations().await
    }
}
