//! The statutory annual report (reg. 13 of the 2006 Regulations) and quarterly team reports:
//! a model computed from the live records, and renderers that are pure functions of it.

mod compute;
pub mod model;
mod national;
mod period;
mod privacy;
pub mod render;
mod sentences;

pub use compute::{compute, decision_label, Source, LOOKBACK_YEARS};
pub use model::Report;
pub use national::{national, Headline, NationalReport, OrganisationHeadline};
pub use period::Period;
pub use privacy::names_to_initials;

use redress_store::{Store, StoreError};

/// The narrative sections an officer writes, in the order the report prints them.
pub const NARRATIVE_SECTIONS: [&str; 8] = [
    "stage2_summaries",
    "stage3_summaries",
    "ombudsman_summaries",
    "learning",
    "service_improvements",
    "compliment_quotations",
    "delivery_against_priorities",
    "priorities",
];

/// Reads what a report needs from the store and computes it.
pub async fn build(
    store: &Store,
    slug: &str,
    period: &Period,
    team: Option<&str>,
) -> Result<Report, StoreError> {
    let organisation = store.organisation(slug).await?;
    if let Some(team) = team {
        if !store.names(slug, true).await?.iter().any(|t| t == team) {
            return Err(StoreError::invalid(
                "team",
                format!("no team named '{team}' in {slug}"),
            ));
        }
    }
    let (lookback, from, to) = compute::cases_needed(period);
    let cases = store.cases_active_between(slug, lookback, from, to).await?;
    let compliments = store
        .compliments_between(slug, period.previous().from, period.to)
        .await?;
    let narrative = store.narratives(slug, period.year).await?;
    compute(
        &Source {
            organisation: &organisation,
            cases: &cases,
            compliments: &compliments,
            narrative,
        },
        period,
        team,
    )
    .map_err(|e| StoreError::invalid("case", e.to_string()))
}
