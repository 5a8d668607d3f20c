//! The national roll-up: every organisation's headline figures for one period, side by side,
//! with totals. For a national service or a regional comparison.

use crate::{Period, Report};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Headline {
    pub received: u64,
    pub statutory: u64,
    pub non_statutory: u64,
    pub stage1_responded: u64,
    pub stage1_within_timescale: u64,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NationalReport {
    pub period: Period,
    pub organisations: Vec<OrganisationHeadline>,
    pub totals: Headline,
}

impl Headline {
    fn add(&mut self, other: &Headline) {
        self.received += other.received;
        self.statutory += other.statutory;
        self.non_statutory += other.non_statutory;
        self.stage1_responded += other.stage1_responded;
        self.stage1_within_timescale += other.stage1_within_timescale;
        self.stage2_started += other.stage2_started;
        self.stage3_started += other.stage3_started;
        self.ombudsman_decisions += other.ombudsman_decisions;
        self.compliments_received += other.compliments_received;
        self.stage1_within_timescale_percent = (self.stage1_responded > 0).then(|| {
            crate::assemble::round1(
                self.stage1_within_timescale as f64 * 100.0 / self.stage1_responded as f64,
            )
        });
    }
}

/// Every organisation's figures side by side, from their reports for `period` (each computed
/// exactly as the organisation's own), with totals.
pub fn national(period: &Period, reports: &[Report]) -> NationalReport {
    let mut totals = Headline::default();
    let organisations = reports
        .iter()
        .map(|report| {
            let figures = Headline {
                received: report.complaints.received,
                statutory: report.complaints.statutory,
                non_statutory: report.complaints.non_statutory,
                stage1_responded: report.stage1.responded,
                stage1_within_timescale: report.stage1.within_timescale,
                stage1_within_timescale_percent: report.stage1.within_timescale_percent,
                stage2_started: report.stage2.started,
                stage3_started: report.stage3.started,
                ombudsman_decisions: report.ombudsman.total,
                compliments_received: report.compliments.received,
            };
            totals.add(&figures);
            OrganisationHeadline {
                slug: report.organisation.slug.clone(),
                name: report.organisation.name.clone(),
                figures,
            }
        })
        .collect();
    NationalReport {
        period: period.clone(),
        organisations,
        totals,
    }
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
    /// Stage 1s open at the period's end past their deadline, and those closed as not
    /// responded in time: they count against the organisation's timeliness.
    pub stage1_open_overdue: u64,
    pub stage1_not_responded_in_time: u64,
    pub stage2_started: u64,
    pub stage3_started: u64,
    pub ombudsman_decisions: u64,
    pub compliments_received: u64,
}

/// The national roll-up from each organisation's counts: the same figures `national` takes
/// from whole reports, without computing them.
pub fn national_from_counts(period: &Period, counts: &[HeadlineCounts]) -> NationalReport {
    let mut totals = Headline::default();
    let organisations = counts
        .iter()
        .map(|c| {
            let figures = Headline {
                received: c.received,
                statutory: c.statutory,
                non_statutory: c.received - c.statutory,
                stage1_responded: c.stage1_responded,
                stage1_within_timescale: c.stage1_within_timescale,
                stage1_within_timescale_percent: crate::assemble::percent(
                    c.stage1_within_timescale,
                    c.stage1_responded + c.stage1_open_overdue + c.stage1_not_responded_in_time,
                ),
                stage2_started: c.stage2_started,
                stage3_started: c.stage3_started,
                ombudsman_decisions: c.ombudsman_decisions,
                compliments_received: c.compliments_received,
            };
            totals.add(&figures);
            OrganisationHeadline {
                slug: c.slug.clone(),
                name: c.name.clone(),
                figures,
            }
        })
        .collect();
    NationalReport {
        period: period.clone(),
        organisations,
        totals,
    }
}
