//! Importing history from CSV rows: all or nothing, with every fault named by line and column.

use crate::backends::{postgres, sqlite};
use crate::records::*;
use crate::*;
use redress_core::Reference;
use std::collections::HashSet;

/// Why an import was refused: rows at fault, or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportRefused {
    #[error("{} rows refused", .0.total())]
    Rows(Refusals),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ImportRefused {
    fn from(e: sqlx::Error) -> Self {
        ImportRefused::Store(e.into())
    }
}

/// Rows at fault, as (line, column name, message): the first thousand, and how many more, so a
/// file refused whole does not need its every row held.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Refusals {
    pub rows: Vec<(u64, String, String)>,
    pub more: usize,
}

impl Refusals {
    const KEPT: usize = 1000;

    pub fn push(&mut self, line: u64, field: impl Into<String>, message: impl Into<String>) {
        if self.rows.len() < Self::KEPT {
            self.rows.push((line, field.into(), message.into()));
        } else {
            self.more += 1;
        }
    }

    /// A row refused for a store error that names its field (as the checks of a case do).
    pub fn refuse(&mut self, line: u64, error: StoreError) -> Result<(), StoreError> {
        match error {
            StoreError::Invalid { field, message } => {
                self.push(line, field, message);
                Ok(())
            }
            other => Err(other),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn total(&self) -> usize {
        self.rows.len() + self.more
    }
}

/// The page cache of the connection an import writes with, in KiB: a bound on memory
/// whatever the size of the file.
const IMPORT_PAGE_CACHE_KIB: i64 = 32 * 1024;

/// The fewest rows for which an import drops indexes and makes them again at its end.
const LARGE_IMPORT: i64 = 50_000;

impl Organisation {
    /// The due date an imported case is filed under, or why it cannot be imported into this
    /// organisation (a procedure it does not run, a date its calendar does not reach).
    pub fn imported_due_on(
        &self,
        case: &redress_core::Case,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, StoreError> {
        self.due_on(case, self.procedure(case.procedure())?, today)
    }
}

impl Store {
    /// The organisation cases would be imported into: as saved, or as `spec` would make it.
    pub async fn import_organisation(
        &self,
        spec: &NewOrganisation,
    ) -> Result<Arc<Organisation>, StoreError> {
        match self.find_organisation(&spec.slug).await? {
            Some(o) => Ok(o),
            None => Ok(Arc::new(Organisation::unsaved(spec)?)),
        }
    }

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
        let organisation = self.import_organisation(spec).await?;
        let mut refusals = Refusals::default();
        for row in &rows {
            if let Err(e) = organisation.imported_due_on(&row.case, today) {
                refusals.refuse(row.line, e)?;
            }
        }
        if !refusals.is_empty() {
            return Err(ImportRefused::Rows(refusals));
        }
        let rows = rows.into_iter().map(Ok);
        self.import_case_stream(spec, rows, actor, source, today, progress)
            .await
    }

    /// Imports the cases `rows` yields, checked beforehand (by [`Store::import_cases`] or a
    /// first reading of the file), a batch at a time in one transaction: all go in or none
    /// do. `rows.size_hint()` says how many rows to expect: an import at least as large as the
    /// cases table builds some of its indexes at the end, not row by row. A row that yields an error, or is refused here (a reference already in the
    /// organisation, or a case its rules cannot file), rolls everything back; the rows after
    /// it are still checked, so that every such refusal is named.
    pub async fn import_case_stream<I>(
        &self,
        spec: &NewOrganisation,
        mut rows: I,
        actor: &str,
        source: &str,
        today: NaiveDate,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<usize, ImportRefused>
    where
        I: Iterator<Item = Result<ImportedCase, ImportRefused>> + Send,
    {
        let existing = self.find_organisation(&spec.slug).await?;
        let organisation = match &existing {
            Some(o) => o.clone(),
            None => Arc::new(Organisation::unsaved(spec)?),
        };
        let prefix = &organisation.reference_prefix;
        let event = ImportEvent {
            actor,
            source_json: serde_json::Value::from(source).to_string(),
            now: self.now(),
        };
        let mut count = 0;
        let imported: Result<(), ImportRefused> = async {
            write!(self, |conn, ops| {
                // The indexes filed by date take each new row somewhere else: with the usual
                // cache most inserts would read a page back from disk.
                ops::set_page_cache(conn, IMPORT_PAGE_CACHE_KIB).await?;
                let organisation_id = match &existing {
                    Some(o) => o.id,
                    None => {
                        ops::create_organisation(conn, spec, &Actor::system(actor), event.now)
                            .await?
                    }
                };
                // References are unique within the file (its first reading saw to that), so only
                // those already in the database can be taken.
                let may_be_taken =
                    existing.is_some() && ops::has_cases(conn, organisation_id).await?;
                // An import at least as large as the table builds its indexes again at the end.
                let expected = rows.size_hint().0 as i64;
                let rebuilt = if expected >= ops::max_case_id(conn).await?.max(LARGE_IMPORT) {
                    ops::drop_case_indexes(conn).await?
                } else {
                    Vec::new()
                };
                // The ids of the teams and of the reasons named so far, each made as it first appears.
                let mut names: [HashMap<String, i64>; 2] = Default::default();
                let mut sequence: BTreeMap<i64, i64> = BTreeMap::new();
                let mut refusals = Refusals::default();
                let mut batch: Vec<(ImportedCase, CaseIndex)> =
                    Vec::with_capacity(ops::IMPORT_BATCH);
                loop {
                    batch.clear();
                    for row in rows.by_ref().take(ops::IMPORT_BATCH) {
                        let row = row?;
                        let due_on = match organisation.imported_due_on(&row.case, today) {
                            Ok(due_on) => due_on,
                            Err(e) => {
                                refusals.refuse(row.line, e)?;
                                continue;
                            }
                        };
                        let index = CaseIndex {
                            team_id: None,
                            reason_id: None,
                            due_on,
                        };
                        batch.push((row, index));
                    }
                    if batch.is_empty() {
                        break;
                    }
                    if may_be_taken {
                        let references: Vec<&str> =
                            batch.iter().map(|(r, _)| r.case.reference()).collect();
                        let taken: HashSet<String> =
                            ops::existing_references(conn, organisation_id, &references)
                                .await?
                                .into_iter()
                                .collect();
                        for (row, _) in batch
                            .iter()
                            .filter(|(r, _)| taken.contains(r.case.reference()))
                        {
                            refusals.push(
                                row.line,
                                "reference",
                                format!(
                                    "{} already exists in {}: it was imported before",
                                    row.case.reference(),
                                    spec.slug
                                ),
                            );
                        }
                    }
                    if !refusals.is_empty() {
                        // Nothing more is written; the rest is read for its refusals alone.
                        continue;
                    }
                    for (row, index) in &mut batch {
                        let case = &row.case;
                        let mut ids = [None, None];
                        for (i, (table, name)) in
                            [("teams", case.team()), ("reasons", case.reason())]
                                .into_iter()
                                .enumerate()
                        {
                            let Some(name) = name else { continue };
                            ids[i] = Some(match names[i].get(name) {
                                Some(id) => *id,
                                None => {
                                    let id = ops::ensure_named(conn, table, organisation_id, name)
                                        .await?;
                                    names[i].insert(name.to_string(), id);
                                    id
                                }
                            });
                        }
                        [index.team_id, index.reason_id] = ids;
                        let reference = Reference::parse(case.reference()).ok();
                        if let Some((year, number)) =
                            reference.and_then(|r| r.generated_parts(prefix))
                        {
                            let highest = sequence.entry(year).or_insert(number);
                            *highest = (*highest).max(number);
                        }
                    }
                    ops::insert_imported(
                        conn,
                        &organisation,
                        organisation_id,
                        &batch,
                        &event,
                        today,
                    )
                    .await?;
                    count += batch.len();
                    progress(count);
                }
                if !refusals.is_empty() {
                    return Err(ImportRefused::Rows(refusals));
                }
                for (year, number) in sequence {
                    ops::raise_reference_counter(conn, organisation_id, year, number).await?;
                }
                ops::make_indexes(conn, &rebuilt).await?;
            });
            Ok(())
        }
        .await;
        // Back to the usual cache, whether the cases went in or not.
        write!(self, |conn, ops| ops::set_page_cache(conn, PAGE_CACHE_KIB)
            .await?);
        imported?;
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
                    ops::create_organisation(conn, spec, &Actor::system(actor), self.now()).await?
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
            ops::insert_compliments(conn, organisation_id, &with_ids, self.now()).await?;
        });
        if existing.is_none() {
            self.load_organisations().await?;
        }
        Ok(count)
    }
}
