//! An organisation's report counted by grouped queries over the statistics table.

use crate::backends::{postgres, sqlite};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use redress_core::report_counts::ReportCounts;

/// The days a report counts: its period, the same period a year before, the quarters it
/// shows, and which cases it reads (received from `lookback` to `upto`, as
/// `redress_report::Needs` says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSpans {
    pub lookback: NaiveDate,
    pub upto: NaiveDate,
    pub current: (NaiveDate, NaiveDate),
    /// The day open work is judged on (`redress_report::Period::judged_on`); each span is
    /// judged on the earlier of its end and this.
    pub judged_on: NaiveDate,
    pub previous: (NaiveDate, NaiveDate),
    /// (quarter number, first day, last day).
    pub quarters: Vec<(u8, NaiveDate, NaiveDate)>,
}

impl Store {
    /// The counts of the organisation's report (a team's when `team` is set, one scheme's
    /// when `kind` is) over `spans`.
    pub async fn report_counts(
        &self,
        slug: &str,
        spans: &ReportSpans,
        team: Option<&str>,
        kind: Option<redress_core::ProcedureKind>,
    ) -> Result<ReportCounts, StoreError> {
        let organisation = self.organisation(slug).await?;
        let kind = kind.map(|k| k.as_str());
        Ok(read!(self, |conn, ops| {
            ops::report_counts(conn, &organisation, spans, team, kind).await?
        }))
    }
}
