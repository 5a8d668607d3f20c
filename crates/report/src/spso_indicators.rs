//! The SPSO's core performance indicators for a council running the Model Complaints Handling
//! Procedure (SPSO MCHP 2020, Part 5 "Governance": the indicators published each year), worked
//! out from the report's own stage figures, so they come from the same grouped queries and
//! cannot disagree with the report's tables.

use crate::assemble::{percent, round1};
use crate::model::{SpsoIndicators, SpsoStage, StageFigures};

/// Indicators 5 to 9 at each stage: closed, outcomes, average working days, within the
/// timescale (5 and 20 working days, or the extended date), extensions. Indicator 4 (per
/// 1,000 population) is set by [`SpsoIndicators::with_population`].
pub(crate) fn indicators(
    received: u64,
    stage1: &StageFigures,
    stage2: &StageFigures,
) -> SpsoIndicators {
    let closed_total = stage1.responded + stage2.responded;
    let stage = |number: u8, f: &StageFigures| SpsoStage {
        stage: number,
        closed: f.responded,
        closed_percent: percent(f.responded, closed_total),
        upheld: f.upheld,
        partially_upheld: f.partially_upheld,
        not_upheld: f.not_upheld,
        average_working_days: f.average_working_days_to_respond,
        within_timescale: f.within_timescale,
        within_timescale_percent: f.within_timescale_percent,
        extended: f.extended,
        extended_percent: percent(f.extended, f.responded),
    };
    SpsoIndicators {
        received,
        population: None,
        per_thousand_population: None,
        stages: vec![stage(1, stage1), stage(2, stage2)],
    }
}

impl SpsoIndicators {
    /// Indicator 4: complaints received per 1,000 of the population the council serves.
    pub fn with_population(mut self, population: Option<u64>) -> Self {
        self.population = population.filter(|p| *p > 0);
        self.per_thousand_population = self
            .population
            .map(|p| round1(self.received as f64 * 1000.0 / p as f64));
        self
    }
}
