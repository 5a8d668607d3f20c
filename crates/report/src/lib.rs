//! The statutory annual report (reg. 13 of the 2006 Regulations) and quarterly team reports:
//! a model computed from plain records (see [`input`]; the caller reads them from the store),
//! and renderers that are pure functions of it.

mod assemble;
mod compute;
pub mod input;
pub mod model;
mod national;
mod period;
pub mod render;
mod sentences;
mod spso_indicators;

pub use assemble::{decision_label, from_counts, TimelinessError};
pub use compute::{compute, counts_from_cases};
pub use input::{Compliment, Needs, Source, LOOKBACK_YEARS};
pub use model::Report;
pub use national::{
    national, national_from_counts, Headline, HeadlineCounts, NationalReport, OrganisationHeadline,
    UnjudgedOrganisation,
};
pub use period::Period;
pub use redress_core::privacy::names_to_initials;

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
