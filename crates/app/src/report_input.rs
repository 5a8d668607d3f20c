//! The one place a report's records are read from the store. The report pages, the API and
//! the command line all build reports here, so `report` computes from plain data and needs
//! no database.

use redress_report::input::{Compliment, Needs, Organisation, Source};
use redress_report::{NationalReport, Period, Report, TimelinessError};
use redress_store::{ReportSpans, Store, StoreError};

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

/// A team's report is on one of the organisation's teams.
async fn check_team(store: &Store, slug: &str, team: &str) -> Result<(), StoreError> {
    if store.names(slug, true).await?.iter().any(|t| t == team) {
        return Ok(());
    }
    Err(StoreError::invalid(
        "team",
        format!("no team named '{team}' in {slug}"),
    ))
}

/// The organisation's facts a report needs.
fn organisation_of(stored: &redress_store::Organisation) -> Organisation {
    Organisation {
        slug: stored.slug.clone(),
        name: stored.name.clone(),
        procedures: stored.procedures.clone(),
        procedure_history: stored.procedure_history.clone(),
        calendar: stored.calendar.clone(),
        bank_holiday_calendar: stored.bank_holiday_calendar.clone(),
    }
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
        check_team(store, slug, team).await?;
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
            published_quotation: c.published_quotation,
        })
        .collect();
    let narrative = store.narratives(slug, needs.narrative_year).await?;
    Ok(Source {
        organisation: organisation_of(&stored),
        cases,
        compliments,
        narrative,
    })
}

/// An organisation's report (or one team's) for `period`: grouped queries over the
/// statistics table for the counts, direct reads for the lists it prints.
pub async fn report(
    store: &Store,
    slug: &str,
    period: &Period,
    team: Option<&str>,
) -> Result<Report, ReportError> {
    report_for(store, slug, period, team, None).await
}

/// The report of one of the organisation's procedures' scheme when `procedure` names one: the
/// cases under procedures of its kind only (e.g. the adult social care report of reg. 18 of
/// SI 2009/309 beside the children's report), titled as the scheme's report.
pub async fn report_for(
    store: &Store,
    slug: &str,
    period: &Period,
    team: Option<&str>,
    procedure: Option<&str>,
) -> Result<Report, ReportError> {
    let stored = store.organisation(slug).await?;
    if let Some(team) = team {
        check_team(store, slug, team).await?;
    }
    let scheme = match procedure {
        None => None,
        Some(name) => Some(
            stored
                .procedures
                .iter()
                .find(|p| p.name == name)
                .cloned()
                .ok_or_else(|| {
                    StoreError::invalid(
                        "procedure",
                        format!(
                            "{slug} does not run '{name}': it runs {}",
                            stored
                                .procedures
                                .iter()
                                .map(|p| p.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })?,
        ),
    };
    let needs = Needs::of(period);
    let counts = store
        .report_counts(
            slug,
            &spans_of(period),
            team,
            scheme.as_ref().map(|p| p.kind()),
        )
        .await?;
    let narrative = store.narratives(slug, needs.narrative_year).await?;
    let mut organisation = organisation_of(&stored);
    if let Some(scheme) = &scheme {
        organisation
            .procedures
            .retain(|p| p.kind() == scheme.kind());
    }
    let mut report = redress_report::from_counts(&organisation, &counts, &narrative, period, team)?;
    report.report_title = scheme.map(|p| p.report_title().to_string());
    Ok(report)
}

/// The report with the population the council serves, for the SPSO's complaints per 1,000
/// (indicator 4); refused, naming `population`, where the report has no SPSO indicators.
pub fn with_population(mut report: Report, population: Option<u64>) -> Result<Report, StoreError> {
    if population.is_none() {
        return Ok(report);
    }
    let spso = report.spso_indicators.take().ok_or_else(|| {
        StoreError::invalid(
            "population",
            "only the SPSO indicators use the population: this organisation does not run spso-mchp",
        )
    })?;
    report.spso_indicators = Some(spso.with_population(population));
    Ok(report)
}

/// The days the report for `period` counts.
fn spans_of(period: &Period) -> ReportSpans {
    let needs = Needs::of(period);
    let previous = period.previous();
    ReportSpans {
        lookback: needs.lookback,
        upto: needs.to,
        current: (period.from, period.to),
        judged_on: period.judged_on,
        previous: (previous.from, previous.to),
        quarters: (1..=4u8)
            .filter(|q| period.quarter.is_none_or(|only| only == *q))
            .filter_map(|q| {
                Period::quarter(period.year, q)
                    .ok()
                    .map(|p| (q, p.from, p.to))
            })
            .collect(),
    }
}

/// The same report computed from every case it reads, judged one by one: slower, and kept
/// to check the grouped queries against.
pub async fn report_from_cases(
    store: &Store,
    slug: &str,
    period: &Period,
    team: Option<&str>,
) -> Result<Report, ReportError> {
    let source = source(store, slug, period, team).await?;
    Ok(redress_report::compute(&source, period, team)?)
}

/// Where the grouped queries' report and the one from whole cases disagree, if they do: each
/// must give the same report, or the same timeliness error. For tests and checks.
pub async fn report_differences(
    store: &Store,
    slug: &str,
    period: &Period,
    team: Option<&str>,
) -> Result<Option<String>, ReportError> {
    let grouped = report(store, slug, period, team).await;
    let from_cases = report_from_cases(store, slug, period, team).await;
    match (grouped, from_cases) {
        (Ok(a), Ok(b)) if a == b => Ok(None),
        (Ok(a), Ok(b)) => {
            let (a, b) = (serde_json::to_value(&a), serde_json::to_value(&b));
            let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) = (a, b)
            else {
                return Err(ReportError::Render);
            };
            let differing: Vec<String> = a
                .iter()
                .filter(|(key, value)| b.get(key.as_str()) != Some(*value))
                .map(|(key, value)| {
                    let other = b.get(key).unwrap_or(&serde_json::Value::Null);
                    format!("{key}: grouped {value}, from cases {other}")
                })
                .collect();
            Ok(Some(differing.join("\n")))
        }
        (Err(ReportError::Timeliness(a)), Err(ReportError::Timeliness(b))) if a == b => Ok(None),
        (Err(ReportError::Store(e)), _) | (_, Err(ReportError::Store(e))) => Err(e.into()),
        (a, b) => Ok(Some(format!(
            "grouped: {:?}; from cases: {:?}",
            a.map(|_| "a report"),
            b.map(|_| "a report")
        ))),
    }
}

/// Checks every organisation's report, its whole and each team's, for each of `periods`: the
/// grouped queries against the cases. Each difference found, named.
pub async fn check_reports(store: &Store, periods: &[Period]) -> Result<Vec<String>, ReportError> {
    let mut found = Vec::new();
    for organisation in store.organisations().await? {
        let slug = organisation.slug.as_str();
        let teams = store.names(slug, true).await?;
        let scopes = std::iter::once(None).chain(teams.iter().map(|t| Some(t.as_str())));
        for team in scopes {
            for period in periods {
                if let Some(difference) = report_differences(store, slug, period, team).await? {
                    found.push(format!("{slug} {} {team:?}: {difference}", period.label));
                }
            }
        }
    }
    Ok(found)
}

/// Every organisation's headline figures for `period`, with totals: grouped queries over the
/// statistics table for every organisation at once, each organisation judged as its report
/// is; one whose report cannot be judged is named and left out of the totals.
pub async fn national(store: &Store, period: &Period) -> Result<NationalReport, ReportError> {
    let counts: Vec<redress_report::HeadlineCounts> = store
        .national_counts(&spans_of(period))
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
            unjudged: c.unjudged.map(|(stage, u)| TimelinessError {
                reference: u.reference,
                stage,
                message: u.message,
            }),
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
    let mut unjudged = Vec::new();
    for organisation in store.organisations().await? {
        match report_from_cases(store, &organisation.slug, period, None).await {
            Ok(report) => reports.push(report),
            Err(ReportError::Timeliness(error)) => {
                unjudged.push((organisation.slug.clone(), organisation.name.clone(), error))
            }
            Err(error) => return Err(error),
        }
    }
    Ok(redress_report::national(period, &reports, &unjudged))
}
