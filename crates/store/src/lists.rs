//! Lists of cases: filtered pages, the dashboard's counts, open cases, recent activity, the actions tracker.

use crate::backends::{postgres, sqlite};
use crate::records::*;
use crate::*;

impl Store {
    /// Counts of the open cases `access` reaches, by stage, added up over its organisations;
    /// "this week" is the next five working days on each organisation's own calendar.
    pub async fn open_case_counts(
        &self,
        access: &Access,
        today: NaiveDate,
    ) -> Result<Vec<OpenCaseCount>, StoreError> {
        let scope = access.case_scope();
        let mut organisation_ids: Vec<i64> = match &scope {
            access::CaseScope::Everything => {
                self.organisations().await?.iter().map(|o| o.id).collect()
            }
            access::CaseScope::Only(grants) => grants.iter().map(|g| g.organisation_id()).collect(),
        };
        organisation_ids.sort_unstable();
        organisation_ids.dedup();
        let mut totals: BTreeMap<i64, OpenCaseCount> = BTreeMap::new();
        for id in organisation_ids {
            let organisation = self.organisation_by_id(id).await?;
            let week_end = organisation
                .calendar
                .add_working_days(today, redress_core::reminders::DUE_SOON_WORKING_DAYS)
                .unwrap_or(today);
            let counts = read!(self, |conn, ops| ops::open_case_counts(
                conn, id, &scope, today, week_end
            )
            .await?);
            for count in counts {
                let total = totals.entry(count.stage).or_insert_with(|| OpenCaseCount {
                    stage: count.stage,
                    ..OpenCaseCount::default()
                });
                total.open += count.open;
                total.overdue += count.overdue;
                total.due_today += count.due_today;
                total.due_this_week += count.due_this_week;
            }
        }
        Ok(totals.into_values().collect())
    }

    /// A page of the cases `access` reaches and the cursor for the next page, if there is one.
    pub async fn list_cases(
        &self,
        access: &Access,
        filter: &CaseFilter,
        today: NaiveDate,
    ) -> Result<(Vec<CaseSummary>, Option<i64>), StoreError> {
        let organisation_id = match &filter.organisation {
            Some(slug) => Some(
                self.authorise(access, slug, Permission::ReadCases)
                    .await?
                    .id,
            ),
            None if !access.reads_cases() => {
                return Err(StoreError::Forbidden(
                    Permission::ReadCases.refusal().to_string(),
                ))
            }
            None => None,
        };
        let scope = access.case_scope();
        let limit = filter.limit.unwrap_or(50);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(StoreError::invalid(
                "limit",
                format!("must be between 1 and {MAX_PAGE}"),
            ));
        }
        let rows = read!(self, |conn, ops| {
            ops::list_cases(conn, filter, &scope, organisation_id, today, limit + 1).await?
        });
        Ok(crate::page_with_cursor(rows, limit, |r| r.id))
    }

    /// The ids of every open case of an organisation.
    pub async fn open_case_ids(
        &self,
        slug: &str,
        today: NaiveDate,
    ) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::new();
        let mut filter = CaseFilter {
            organisation: Some(slug.to_string()),
            open: true,
            limit: Some(MAX_PAGE),
            ..CaseFilter::default()
        };
        loop {
            let (page, next) = self.list_cases(&Access::System, &filter, today).await?;
            ids.extend(page.iter().map(|c| c.id));
            match next {
                Some(after) => filter.after = Some(after),
                None => return Ok(ids),
            }
        }
    }

    /// The latest changes to the cases `access` reaches.
    pub async fn recent_changes(
        &self,
        access: &Access,
        limit: i64,
    ) -> Result<Vec<RecentChange>, StoreError> {
        let scope = access.case_scope();
        Ok(read!(self, |conn, ops| ops::recent_changes(
            conn, &scope, limit
        )
        .await?))
    }

    /// The cases `access` reaches (in one organisation, if given) that carry actions,
    /// recommendations or ombudsman remedies.
    pub async fn cases_with_actions(
        &self,
        access: &Access,
        slug: Option<&str>,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        let organisation_id = match slug {
            Some(slug) => Some(
                self.authorise(access, slug, Permission::ReadCases)
                    .await?
                    .id,
            ),
            None => None,
        };
        let scope = access.case_scope();
        let ids = read!(self, |conn, ops| ops::cases_with_actions(
            conn,
            &scope,
            organisation_id
        )
        .await?);
        let mut records = Vec::with_capacity(ids.len());
        for id in ids {
            records.push(self.case(access, id).await?);
        }
        Ok(records)
    }
}
