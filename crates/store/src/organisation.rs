//! An organisation with what its deadlines need: its calendar and its procedures.

use crate::StoreError;
use chrono::NaiveDate;
use redress_calendar::{Calendar, Closure, Division, HolidaySource};
use redress_core::{Case, Nation, NonEmptyText, Procedure, Rules, Slug};

/// `history` with every current definition in it, once by name and version.
pub(crate) fn with_history(current: &[Procedure], mut history: Vec<Procedure>) -> Vec<Procedure> {
    for procedure in current {
        if !history
            .iter()
            .any(|p| p.name == procedure.name && p.version == procedure.version)
        {
            history.push(procedure.clone());
        }
    }
    history
}

/// What it takes to create an organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub slug: String,
    pub name: String,
    /// Prefix of generated references, e.g. `WCC` for `WCC-2020-0042`.
    pub reference_prefix: String,
    pub division: Division,
    /// The nation whose law it runs: its ombudsman, and which presets it may run.
    pub nation: Nation,
    pub procedures: Vec<Procedure>,
}

impl NewOrganisation {
    /// The defaults an import uses for an organisation that does not exist yet: the statutory
    /// and corporate procedures on the England and Wales calendar.
    pub fn with_defaults(slug: &str) -> Self {
        let prefix: String = slug
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(4)
            .collect::<String>()
            .to_ascii_uppercase();
        NewOrganisation {
            slug: slug.to_string(),
            name: slug.to_string(),
            reference_prefix: prefix,
            division: Division::EnglandAndWales,
            nation: Nation::England,
            procedures: ["statutory", "corporate"]
                .iter()
                .filter_map(|n| Procedure::preset(n))
                .collect(),
        }
    }

    pub fn validate(&self) -> Result<(), StoreError> {
        Slug::parse(&self.slug).map_err(|e| e.field("slug"))?;
        NonEmptyText::parse(&self.name).map_err(|e| e.field("name"))?;
        if self.reference_prefix.is_empty()
            || !self
                .reference_prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric())
        {
            return Err(StoreError::invalid(
                "reference_prefix",
                "use letters and digits only",
            ));
        }
        if self.division != self.nation.division() {
            return Err(StoreError::invalid(
                "division",
                format!(
                    "{} counts working days on the {} bank holidays, not {}",
                    self.nation,
                    self.nation.division(),
                    self.division
                ),
            ));
        }
        self.nation
            .check_procedures(&self.procedures)
            .map_err(|e| {
                StoreError::invalid(&format!("procedures[{}]", e.position), e.to_string())
            })?;
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub reference_prefix: String,
    pub division: Division,
    /// The nation whose law it runs: the ombudsman its letters name, the presets it may run.
    pub nation: Nation,
    pub closures: Vec<Closure>,
    /// Bank holidays and the council's own closure days.
    pub calendar: Calendar,
    /// Bank holidays only: reg. 2's working days, for procedures closure days do not lengthen.
    pub bank_holiday_calendar: Calendar,
    pub procedures: Vec<Procedure>,
    /// Every definition the organisation has run, for judging stages answered under an
    /// earlier version or a procedure it no longer runs (core's `judged_under`).
    pub procedure_history: Vec<Procedure>,
    pub version: i64,
}

impl Organisation {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_row(
        id: i64,
        slug: String,
        name: String,
        reference_prefix: String,
        division: &str,
        nation: Option<&str>,
        closures: &str,
        calendar_json: Option<&str>,
        version: i64,
        procedures: &[String],
        history: &[String],
    ) -> Result<Self, StoreError> {
        let division: Division = division.parse().map_err(StoreError::Corrupt)?;
        let nation = match nation {
            Some(text) => text.parse().map_err(StoreError::Corrupt)?,
            None => Nation::of_division(division),
        };
        let closures: Vec<Closure> = serde_json::from_str(closures)
            .map_err(|e| StoreError::Corrupt(format!("closures of {slug}: {e}")))?;
        let corrupt = |e: redress_calendar::CalendarError| {
            StoreError::Corrupt(format!("calendar of {slug}: {e}"))
        };
        // Most organisations use the built-in list: theirs is the process's shared copy.
        let (calendar, bank_holiday_calendar) = match calendar_json {
            None => {
                let national = Calendar::built_in(division);
                let calendar = if closures.is_empty() {
                    national.clone()
                } else {
                    Calendar::new(&HolidaySource::built_in(), division, &closures)
                        .map_err(corrupt)?
                };
                (calendar, national)
            }
            Some(text) => {
                let source = HolidaySource::from_gov_uk_json(text).map_err(corrupt)?;
                (
                    Calendar::new(&source, division, &closures).map_err(corrupt)?,
                    Calendar::new(&source, division, &[]).map_err(corrupt)?,
                )
            }
        };
        let parse = |definitions: &[String]| {
            definitions
                .iter()
                .map(|p| serde_json::from_str(p))
                .collect::<Result<Vec<Procedure>, _>>()
                .map_err(|e| StoreError::Corrupt(format!("procedures of {slug}: {e}")))
        };
        let procedures = parse(procedures)?;
        let procedure_history = with_history(&procedures, parse(history)?);
        Ok(Organisation {
            id,
            slug,
            name,
            reference_prefix,
            division,
            nation,
            closures,
            calendar,
            bank_holiday_calendar,
            procedures,
            procedure_history,
            version,
        })
    }

    /// An organisation about to be created, for checking rows against before it exists.
    pub(crate) fn unsaved(spec: &NewOrganisation) -> Result<Self, StoreError> {
        spec.validate()?;
        Ok(Organisation {
            id: 0,
            slug: spec.slug.clone(),
            name: spec.name.clone(),
            reference_prefix: spec.reference_prefix.clone(),
            division: spec.division,
            nation: spec.nation,
            closures: Vec::new(),
            calendar: Calendar::built_in(spec.division),
            bank_holiday_calendar: Calendar::built_in(spec.division),
            procedures: spec.procedures.clone(),
            procedure_history: spec.procedures.clone(),
            version: 0,
        })
    }

    /// This organisation with other settings, as it will be once they are saved.
    pub(crate) fn rebuilt(
        &self,
        closures: &str,
        calendar_json: Option<&str>,
        version: i64,
        procedures: &[String],
    ) -> Result<Self, StoreError> {
        Organisation::from_row(
            self.id,
            self.slug.clone(),
            self.name.clone(),
            self.reference_prefix.clone(),
            self.division.as_str(),
            Some(self.nation.as_str()),
            closures,
            calendar_json,
            version,
            procedures,
            &self.history_json(),
        )
    }

    /// The procedure a complaint from the public form is recorded under: the organisation's
    /// first, which for a new organisation is its nation's statutory social care procedure
    /// (`Nation::default_presets`).
    pub fn public_form_procedure(&self) -> Option<&Procedure> {
        self.procedures.first()
    }

    /// Every definition it has run, as stored.
    pub(crate) fn history_json(&self) -> Vec<String> {
        self.procedure_history
            .iter()
            .map(|p| serde_json::to_string(p).expect("procedures serialise"))
            .collect()
    }

    pub fn procedure(&self, name: &str) -> Result<&Procedure, StoreError> {
        self.procedures
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = self.procedures.iter().map(|p| p.name.as_str()).collect();
                StoreError::invalid(
                    "procedure",
                    format!(
                        "'{name}' is not a procedure of {}: expected one of {}",
                        self.slug,
                        known.join(", ")
                    ),
                )
            })
    }

    /// The calendar a procedure's deadlines are counted on: with the council's closure days
    /// only where the procedure says they count (never the statutory one, reg. 2).
    pub fn calendar_for(&self, procedure: &Procedure) -> &Calendar {
        procedure.calendar_of(&self.calendar, &self.bank_holiday_calendar)
    }

    /// What the rules need to judge a case under `procedure` today.
    pub fn rules<'a>(&'a self, procedure: &'a Procedure, today: NaiveDate) -> Rules<'a> {
        Rules {
            procedure,
            calendar: self.calendar_for(procedure),
            procedures: &self.procedures,
            today,
        }
    }

    /// The rules a case is under, or an error naming its unknown procedure.
    pub fn rules_of(&self, case: &Case, today: NaiveDate) -> Result<Rules<'_>, StoreError> {
        Ok(self.rules(self.procedure(case.procedure())?, today))
    }

    /// The due date the list filters on (`Case::listed_due_on`: none while the clock is
    /// stopped), or a clear error when the calendar does not reach.
    pub fn due_on(
        &self,
        case: &Case,
        procedure: &Procedure,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, StoreError> {
        case.listed_due_on(procedure, self.calendar_for(procedure), today)
            .map_err(|e| StoreError::invalid("received_on", e.to_string()))
    }
}

impl redress_core::ProcedureBook for Organisation {
    fn definitions(&self) -> &[Procedure] {
        &self.procedure_history
    }

    fn calendar_of(&self, procedure: &Procedure) -> &Calendar {
        self.calendar_for(procedure)
    }

    fn default_calendar(&self) -> &Calendar {
        &self.calendar
    }
}
