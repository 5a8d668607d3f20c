//! The national roll-up: every organisation's headline figures for one period, side by side,
//! with totals. For a national service or a regional comparison.
//!
//! Each figure, the totals' included, is computed from counts by the organisation report's own
//! function, so a row equals its report and the totals equal the figures of the summed counts.

use crate::assemble::within_timescale_percent;
use crate::{Period, Report, TimelinessError};
use redress_core::report_counts::StageCounts;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Headline {
    pub received: u64,
    pub statutory: u64,
    pub non_statutory: u64,
    pub stage1_responded: u64,
    pub stage1_within_timescale: u64,
    /// Open on the day judged and past the deadline in force: against timeliness.
    pub stage1_open_overdue: u64,
    /// Closed with no response when the complainant went on: against timeliness.
    pub stage1_not_responded_in_time: u64,
    pub stage1_within_timescale_percent: Option<f64>,
    pub stage2_started: u64,
    pub stage3_started: u64,
    pub ombudsman_decisions: u64,
    pub compliments_received: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganisationHeadline {
    pub slug: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: Headline,
}

/// An organisation whose report cannot be judged: named with the reason, never summed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnjudgedOrganisation {
    pub slug: String,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NationalReport {
    pub period: Period,
    pub organisations: Vec<OrganisationHeadline>,
    /// Left out of the totals.
    pub unjudged: Vec<UnjudgedOrganisation>,
    pub totals: Headline,
    /// What the totals leave out, when they leave anything out.
    pub totals_note: Option<String>,
}

/// One organisation's counts for a period, as grouped queries over the statistics table give
/// them (the store's `national_counts`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadlineCounts {
    pub slug: String,
    pub name: String,
    pub received: u64,
    pub statutory: u64,
    pub stage1_responded: u64,
    pub stage1_within_timescale: u64,
    /// Stage 1s open on the day judged past their deadline, and those closed as not
    /// responded in time: they count against the organisation's timeliness.
    pub stage1_open_overdue: u64,
    pub stage1_not_responded_in_time: u64,
    pub stage2_started: u64,
    pub stage3_started: u64,
    pub ombudsman_decisions: u64,
    pub compliments_received: u64,
    /// Why the organisation's report cannot be judged, when it cannot.
    pub unjudged: Option<TimelinessError>,
}

impl HeadlineCounts {
    /// The counts a report's figures hold.
    fn of_report(report: &Report) -> HeadlineCounts {
        HeadlineCounts {
            slug: report.organisation.slug.clone(),
            name: report.organisation.name.clone(),
            received: report.complaints.received,
            statutory: report.complaints.statutory,
            stage1_responded: report.stage1.responded,
            stage1_within_timescale: report.stage1.within_timescale,
            stage1_open_overdue: report.stage1.open_overdue,
            stage1_not_responded_in_time: report.stage1.not_responded_in_time,
            stage2_started: report.stage2.started,
            stage3_started: report.stage3.started,
            ombudsman_decisions: report.ombudsman.total,
            compliments_received: report.compliments.received,
            unjudged: None,
        }
    }

    fn add(&mut self, other: &HeadlineCounts) {
        self.received += other.received;
        self.statutory += other.statutory;
        self.stage1_responded += other.stage1_responded;
        self.stage1_within_timescale += other.stage1_within_timescale;
        self.stage1_open_overdue += other.stage1_open_overdue;
        self.stage1_not_responded_in_time += other.stage1_not_responded_in_time;
        self.stage2_started += other.stage2_started;
        self.stage3_started += other.stage3_started;
        self.ombudsman_decisions += other.ombudsman_decisions;
        self.compliments_received += other.compliments_received;
    }
}

impl Headline {
    /// The figures of `counts`, by the rules the organisation's report uses.
    pub fn of(c: &HeadlineCounts) -> Headline {
        let stage1 = StageCounts {
            responded: c.stage1_responded,
            within_timescale: c.stage1_within_timescale,
            open_overdue: c.stage1_open_overdue,
            not_responded_in_time: c.stage1_not_responded_in_time,
            ..StageCounts::default()
        };
        Headline {
            received: c.received,
            statutory: c.statutory,
            non_statutory: c.received - c.statutory.min(c.received),
            stage1_responded: c.stage1_responded,
            stage1_within_timescale: c.stage1_within_timescale,
            stage1_open_overdue: c.stage1_open_overdue,
            stage1_not_responded_in_time: c.stage1_not_responded_in_time,
            stage1_within_timescale_percent: within_timescale_percent(&stage1),
            stage2_started: c.stage2_started,
            stage3_started: c.stage3_started,
            ombudsman_decisions: c.ombudsman_decisions,
            compliments_received: c.compliments_received,
        }
    }
}

/// Every organisation's figures side by side, from their reports for `period`, with totals;
/// `unjudged` are those whose report cannot be judged. Slow: kept to check the counts against.
pub fn national(
    period: &Period,
    reports: &[Report],
    unjudged: &[(String, String, TimelinessError)],
) -> NationalReport {
    let counts: Vec<HeadlineCounts> = reports
        .iter()
        .map(HeadlineCounts::of_report)
        .chain(unjudged.iter().map(|(slug, name, error)| HeadlineCounts {
            slug: slug.clone(),
            name: name.clone(),
            unjudged: Some(error.clone()),
            ..HeadlineCounts::default()
        }))
        .collect();
    national_from_counts(period, &counts)
}

/// The national roll-up from each organisation's counts. The totals are the figures of the
/// summed counts of the organisations judged, never an average of their figures.
pub fn national_from_counts(period: &Period, counts: &[HeadlineCounts]) -> NationalReport {
    let mut summed = HeadlineCounts::default();
    let mut organisations = Vec::new();
    let mut unjudged = Vec::new();
    for c in counts {
        match &c.unjudged {
            Some(error) => unjudged.push(UnjudgedOrganisation {
                slug: c.slug.clone(),
                name: c.name.clone(),
                reason: error.to_string(),
            }),
            None => {
                summed.add(c);
                organisations.push(OrganisationHeadline {
                    slug: c.slug.clone(),
                    name: c.name.clone(),
                    figures: Headline::of(c),
                });
            }
        }
    }
    let totals_note = (!unjudged.is_empty()).then(|| {
        let names: Vec<&str> = unjudged.iter().map(|u| u.name.as_str()).collect();
        format!(
            "The totals leave out {} organisation{} whose report cannot be judged: {}.",
            unjudged.len(),
            if unjudged.len() == 1 { "" } else { "s" },
            names.join(", ")
        )
    });
    NationalReport {
        period: period.clone(),
        organisations,
        unjudged,
        totals: Headline::of(&summed),
        totals_note,
    }
}

#[cfg(test)]
mod tests;
