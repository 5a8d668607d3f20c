//! Importing history from CSV rows: all or nothing, with every fault named by line and column.

use crate::backends::{postgres, sqlite};
use crate::records::*;
use crate::*;
use redress_core::Reference;

/// Why an import was refused: rows at fault (line, column, message), or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportRefused {
    #[error("{} rows refused", .0.len())]
    Rows(Vec<(u64, String, String)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ImportRefused {
    fn from(e: sqlx::Error) -> Self {
        ImportRefused::Store(e.into())
    }
}

impl Store {
    /// Imports cases in one transaction: every row goes in or none does. A reference already
    /// in the organisation is refused, so importing a file twice never duplicates a case.
    /// Creates the organisation (with `spec`) if it does not exist yet.
    pub async fn import_cases(
        &self,
        spec: &NewOrganisation,
        rows: Vec<ImportedCase>,
        actor: &str,
        source: &str,
        today: NaiveDate,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<usize, ImportRefused> {
        let existing = self.find_organisation(&spec.slug).await?;
        let organisation = match &existing {
            Some(o) => o.clone(),
            None => Arc::new(Organisation::unsaved(spec)?),
        };
        let mut index_rows = Vec::with_capacity(rows.len());
        let mut refusals = Vec::new();
        for row in rows {
            let procedure = match organisation.procedure(&row.case.procedure) {
                Ok(p) => p,
                Err(e) => {
                    refusals.push((row.line, "procedure".to_string(), e.to_string()));
                    continue;
                }
            };
            match organisation.due_on(&row.case, procedure, today) {
                Ok(due_on) => index_rows.push((row, due_on)),
                Err(e) => refusals.push((row.line, "received_on".to_string(), e.to_string())),
            }
        }
        if !refusals.is_empty() {
            return Err(ImportRefused::Rows(refusals));
        }
        let count = index_rows.len();
        let result: Result<(), ImportRefused> = write!(self, |conn, ops| {
            let organisation_id = match &existing {
                Some(o) => o.id,
                None => {
                    ops::create_organisation(conn, spec, &Actor::system(actor), Utc::now()).await?
                }
            };
            let references: Vec<&str> = index_rows
                .iter()
                .map(|(r, _)| r.case.reference.as_str())
                .collect();
            let taken = ops::existing_references(conn, organisation_id, &references).await?;
            if !taken.is_empty() {
                let taken: std::collections::HashSet<String> = taken.into_iter().collect();
                let refusals = index_rows
                    .iter()
                    .filter(|(r, _)| taken.contains(&r.case.reference))
                    .map(|(r, _)| {
                        (
                            r.line,
                            "reference".to_string(),
                            format!(
                                "{} already exists in {}: it was imported before",
                                r.case.reference, spec.slug
                            ),
                        )
                    })
                    .collect();
                return Err(ImportRefused::Rows(refusals));
            }
            let mut team_ids: BTreeMap<String, i64> = BTreeMap::new();
            let mut reason_ids: BTreeMap<String, i64> = BTreeMap::new();
            for (row, _) in &index_rows {
                if let Some(team) = &row.case.team {
                    if !team_ids.contains_key(team) {
                        team_ids.insert(
                            team.clone(),
                            ops::ensure_named(conn, "teams", organisation_id, team).await?,
                        );
                    }
                }
                if let Some(reason) = &row.case.reason {
                    if !reason_ids.contains_key(reason) {
                        reason_ids.insert(
                            reason.clone(),
                            ops::ensure_named(conn, "reasons", organisation_id, reason).await?,
                        );
                    }
                }
            }
            let mut sequence: BTreeMap<i64, i64> = BTreeMap::new();
            let prefix = &organisation.reference_prefix;
            let now = Utc::now();
            let mut done = 0;
            let mut rows = index_rows.into_iter().peekable();
            while rows.peek().is_some() {
                let batch: Vec<(ImportedCase, CaseIndex)> = rows
                    .by_ref()
                    .take(10_000)
                    .map(|(row, due_on)| {
                        let reference = Reference::parse(&row.case.reference).ok();
                        let generated = reference.and_then(|r| r.generated_parts(prefix));
                        if let Some((year, number)) = generated {
                            let highest = sequence.entry(year).or_insert(number);
                            *highest = (*highest).max(number);
                        }
                        let index = CaseIndex {
                            team_id: row.case.team.as_ref().map(|t| team_ids[t]),
                            reason_id: row.case.reason.as_ref().map(|r| reason_ids[r]),
                            due_on,
                        };
                        (row, index)
                    })
                    .collect();
                let before = ops::max_case_id(conn).await?;
                ops::insert_imported(conn, organisation_id, &batch, actor, source, now).await?;
                let imported = ops::Selection::IdRange {
                    organisation_id,
                    after: before,
                    upto: i64::MAX,
                };
                ops::refresh_statistics(conn, &organisation, &imported, today).await?;
                done += batch.len();
                progress(done);
            }
            for (year, number) in sequence {
                ops::raise_reference_counter(conn, organisation_id, year, number).await?;
            }
            Ok(())
        });
        result?;
        if existing.is_none() {
            self.load_organisations().await?;
        }
        Ok(count)
    }

    pub async fn import_compliments(
        &self,
        spec: &NewOrganisation,
        compliments: Vec<Compliment>,
        actor: &str,
    ) -> Result<usize, ImportRefused> {
        let existing = self.find_organisation(&spec.slug).await?;
        let count = compliments.len();
        write!(self, |conn, ops| {
            let organisation_id = match &existing {
                Some(o) => o.id,
                None => {
                    ops::create_organisation(conn, spec, &Actor::system(actor), Utc::now()).await?
                }
            };
            let mut team_ids: BTreeMap<String, i64> = BTreeMap::new();
            let mut with_ids = Vec::with_capacity(compliments.len());
            for compliment in compliments {
                let team_id = match &compliment.team {
                    None => None,
                    Some(team) => {
                        if !team_ids.contains_key(team) {
                            team_ids.insert(
                                team.clone(),
                                ops::ensure_named(conn, "teams", organisation_id, team).await?,
                            );
                        }
                        Some(team_ids[team])
                    }
                };
                with_ids.push((compliment, team_id));
            }
            ops::insert_compliments(conn, organisation_id, &with_ids, Utc::now()).await?;
        });
        if existing.is_none() {
            self.load_organisations().await?;
        }
        Ok(count)
    }
}
