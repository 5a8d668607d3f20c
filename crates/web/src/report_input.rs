//! The one place a report's records are read from the store. The report pages, the API and
//! the command line all build reports here, so `report` computes from plain data and needs
//! no database.

use redress_report::input::{Compliment, Needs, Organisation, Source};
use redress_report::{NationalReport, Period, Report, TimelinessError};
use redress_store::{Store, StoreError};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A case's timeliness cannot be worked out: the report names it rather than guess.
    #[error(transparent)]
    Timeliness(#[from] TimelinessError),
    /// A fault of the server, logged where it happened.
    #[error("the report could not be rendered")]
    Render,
}

/// The records an organisation's report for `period` is computed from; for a team's report,
/// the team must be one of the organisation's.
pub async fn source(
    store: &Store,
    slug: &str,
    period: &Period,
    team: Option<&str>,
) -> Result<Source, StoreError> {
    let stored = store.organisation(slug).await?;
    if let Some(team) = team {
        if !store.names(slug, true).await?.iter().any(|t| t == team) {
            return Err(StoreError::invalid(
                "team",
                format!("no team named '{team}' in {slug}"),
            ));
        }
    }
    let needs = Needs::of(period);
    let cases = store
        .cases_active_between(slug, needs.lookback, needs.from, needs.to)
        .await?;
    let compliments = store
        .compliments_between(slug, needs.from, needs.to)
        .await?
        .into_iter()
        .map(|c| Compliment {
            received_on: c.received_on,
            team: c.team,
            summary: c.summary,
            consent_to_publish: c.consent_to_publish,
        })
        .collect();
    let narrative = store.narratives(slug, needs.narrative_year).await?;
    Ok(Source {
        organisation: Organisation {
            slug: stored.slug.clone(),
            name: stored.name.clone(),
            procedures: stored.procedures.clone(),
            calendar: stored.calendar.clone(),
            bank_holiday_calendar: stored.bank_holiday_calendar.clone(),
        },
        cases,
        compliments,
        narrative,
    })
}

/// An organisation's report (or one team's) for `period`.
pub async fn report(
    store: &Store,
    slug: &str,
    period: &Period,
    team: Option<&str>,
) -> Result<Report, ReportError> {
    let source = source(store, slug, period, team).await?;
    Ok(redress_report::compute(&source, period, team)?)
}

/// Every organisation's headline figures for `period`, with totals: grouped queries over the
/// statistics table, one per figure, for every organisation at once.
pub async fn national(store: &Store, period: &Period) -> Result<NationalReport, ReportError> {
    let needs = Needs::of(period);
    let counts: Vec<redress_report::HeadlineCounts> = store
        .national_counts(needs.lookback, period.from, period.to)
        .await?
        .into_iter()
        .map(|(organisation, c)| redress_report::HeadlineCounts {
            slug: organisation.slug.clone(),
            name: organisation.name.clone(),
            received: c.received,
            statutory: c.statutory,
            stage1_responded: c.stage1_responded,
            stage1_within_timescale: c.stage1_within_timescale,
            stage1_open_overdue: c.stage1_open_overdue,
            stage1_not_responded_in_time: c.stage1_not_responded_in_time,
            stage2_started: c.stage2_started,
            stage3_started: c.stage3_started,
            ombudsman_decisions: c.ombudsman_decisions,
            compliments_received: c.compliments_received,
        })
        .collect();
    Ok(redress_report::national_from_counts(period, &counts))
}

/// The same roll-up from each organisation's whole report, one after another: slower, and
/// kept to check the grouped queries against.
pub async fn national_from_reports(
    store: &Store,
    period: &Period,
) -> Result<NationalReport, ReportError> {
    let mut reports = Vec::new();
    for organisation in store.organisations().await? {
        reports.push(report(store, &organisation.slug, period, None).await?);
    }
    Ok(redress_report::national(period, &reports))
}
