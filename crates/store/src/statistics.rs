//! The statistics table kept in step with the cases: built at the first start after its
//! migration, and checked against the cases by `redress check statistics`.

use crate::backends::{postgres, sqlite};
use crate::{Store, StoreError};

/// What a consistency check found in one organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StatisticsCheck {
    pub organisation: String,
    pub cases: usize,
    pub rows: usize,
    /// Rows the cases give that the table does not hold as they are (or holds and they do not
    /// give): (case id, stage, what differs).
    pub differences: Vec<(i64, u8, String)>,
}

/// One organisation's counts for the national roll-up, from grouped queries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NationalCounts {
    pub received: u64,
    pub statutory: u64,
    pub stage1_responded: u64,
    pub stage1_within_timescale: u64,
    pub stage1_open_overdue: u64,
    pub stage1_not_responded_in_time: u64,
    pub stage2_started: u64,
    pub stage3_started: u64,
    pub ombudsman_decisions: u64,
    pub compliments_received: u64,
    /// The first stage (1 to 3) the organisation's report cannot judge, when there is one.
    pub unjudged: Option<(u8, redress_core::report_counts::Unjudged)>,
}

impl Store {
    /// Every organisation's counts for `spans.current`, by slug, from one grouped query per
    /// figure over the statistics table for all organisations at once (stages and ombudsman
    /// decisions of cases received since `spans.lookback`, as a report reads them). Only the
    /// organisations with a row those cannot count alone are judged again, as their report is.
    pub async fn national_counts(
        &self,
        spans: &crate::report_counts::ReportSpans,
    ) -> Result<Vec<(std::sync::Arc<crate::Organisation>, NationalCounts)>, StoreError> {
        let (mut by_id, exceptions) = read!(self, |conn, ops| {
            (
                ops::national_counts(conn, spans).await?,
                ops::national_exceptions(conn, spans).await?,
            )
        });
        let organisations = self.organisations().await?;
        for organisation in organisations.iter().filter(|o| exceptions.contains(&o.id)) {
            let (stage1, unjudged) = read!(self, |conn, ops| {
                ops::national_judged(conn, organisation, spans).await?
            });
            let counts = by_id.entry(organisation.id).or_default();
            counts.stage1_responded = stage1.responded;
            counts.stage1_within_timescale = stage1.within_timescale;
            counts.stage1_open_overdue = stage1.open_overdue;
            counts.stage1_not_responded_in_time = stage1.not_responded_in_time;
            counts.unjudged = unjudged;
        }
        Ok(organisations
            .into_iter()
            .map(|o| {
                let counts = by_id.get(&o.id).cloned().unwrap_or_default();
                (o, counts)
            })
            .collect())
    }

    /// Builds the statistics of every case when migration 0014 left that to do.
    pub(crate) async fn build_statistics_if_pending(&self) -> Result<(), StoreError> {
        let pending = read!(self, |conn, ops| ops::pending_work(
            conn,
            "build_statistics"
        )
        .await?);
        if !pending {
            return Ok(());
        }
        let organisations = self.organisations().await?;
        for (i, organisation) in organisations.iter().enumerate() {
            let today = self.today();
            let cases = write!(self, |conn, ops| {
                // A stored due date is a cache of core's judgement: a migration that changes
                // what a stage's dates mean (20261205000040, Stage 1 from receipt) has the open
                // cases' dates worked out again. One the calendar cannot reach keeps its own.
                let open = ops::Selection::Open {
                    organisation_id: organisation.id,
                };
                let mut due_dates = Vec::new();
                for loaded in ops::load_cases(conn, &open, false).await? {
                    let due = organisation
                        .procedure(loaded.case.procedure())
                        .and_then(|p| organisation.due_on(&loaded.case, p, today));
                    if let Ok(due) = due {
                        due_dates.push((loaded.id, due));
                    }
                }
                ops::set_due_dates(conn, &due_dates).await?;
                ops::refresh_organisation_statistics(conn, organisation, today).await?
            });
            eprintln!(
                "building the statistics table: {} ({} of {}), {cases} cases",
                organisation.slug,
                i + 1,
                organisations.len()
            );
        }
        write!(self, |conn, ops| ops::finish_work(conn, "build_statistics")
            .await?);
        Ok(())
    }

    /// Rebuilds each organisation's statistics from its cases, in memory, and compares them with
    /// the table, row by row. The due date in force is left out of the comparison for a stage
    /// whose clock is stopped (it moves each day the clock stays stopped).
    pub async fn check_statistics(&self) -> Result<Vec<StatisticsCheck>, StoreError> {
        let today = self.today();
        let mut checks = Vec::new();
        for organisation in self.organisations().await? {
            let mut check = StatisticsCheck {
                organisation: organisation.slug.clone(),
                ..Default::default()
            };
            let mut after = 0;
            loop {
                let (expected, stored, upto) = read!(self, |conn, ops| {
                    let ids = ops::case_ids(conn, organisation.id, after, 2000).await?;
                    match ids.last().copied() {
                        None => (Vec::new(), Vec::new(), None),
                        Some(upto) => {
                            let selection = ops::Selection::IdRange {
                                organisation_id: organisation.id,
                                after,
                                upto,
                            };
                            let cases = ops::load_cases(conn, &selection, false).await?;
                            check.cases += cases.len();
                            (
                                ops::statistics_of(&organisation, &cases, today),
                                ops::stored_statistics(conn, organisation.id, after, upto).await?,
                                Some(upto),
                            )
                        }
                    }
                });
                let Some(upto) = upto else { break };
                check.rows += stored.len();
                compare(&expected, &stored, &mut check.differences);
                after = upto;
            }
            checks.push(check);
        }
        Ok(checks)
    }
}

type Row = (i64, i64, redress_core::statistics::StageFigures);

fn compare(expected: &[Row], stored: &[Row], differences: &mut Vec<(i64, u8, String)>) {
    use std::collections::BTreeMap;
    let key = |r: &Row| (r.0, r.2.stage);
    let stored: BTreeMap<_, _> = stored.iter().map(|r| (key(r), &r.2)).collect();
    let expected_map: BTreeMap<_, _> = expected.iter().map(|r| (key(r), &r.2)).collect();
    for ((case_id, stage), want) in &expected_map {
        match stored.get(&(*case_id, *stage)) {
            None => differences.push((*case_id, *stage, "missing from the table".into())),
            Some(have) => {
                let mut have = (*have).clone();
                if want.clock_stopped {
                    have.due_on = want.due_on;
                }
                if &&have != want {
                    differences.push((
                        *case_id,
                        *stage,
                        format!("the table has {have:?}, the case gives {want:?}"),
                    ));
                }
            }
        }
    }
    for (case_id, stage) in stored.keys() {
        if !expected_map.contains_key(&(*case_id, *stage)) {
            differences.push((*case_id, *stage, "in the table but not in the case".into()));
        }
    }
}
