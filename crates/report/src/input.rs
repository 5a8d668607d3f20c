//! What a report is computed from: plain data the caller reads from wherever the records live,
//! so this crate needs no database and its rules can be tested from values alone.

use crate::Period;
use chrono::NaiveDate;
use redress_calendar::Calendar;
use redress_core::{Case, Procedure};
use std::collections::BTreeMap;

/// How far before a period the cases it may need were received: a stage or an ombudsman
/// decision counts in the year it happened, which can be years after receipt.
pub const LOOKBACK_YEARS: i32 = 4;

/// The organisation's facts a report needs.
#[derive(Debug, Clone)]
pub struct Organisation {
    pub slug: String,
    pub name: String,
    pub procedures: Vec<Procedure>,
    /// Every definition the organisation has run (core's `ProcedureBook`).
    pub procedure_history: Vec<Procedure>,
    /// Bank holidays and the council's own closure days.
    pub calendar: Calendar,
    /// Bank holidays only: reg. 2's working days, for procedures closure days do not lengthen.
    pub bank_holiday_calendar: Calendar,
}

impl Organisation {
    /// The calendar a procedure's deadlines are counted on: with the council's closure days
    /// only where the procedure says they count (never the statutory one, reg. 2).
    pub fn calendar_for(&self, procedure: &Procedure) -> &Calendar {
        procedure.calendar_of(&self.calendar, &self.bank_holiday_calendar)
    }
}

impl redress_core::ProcedureBook for Organisation {
    fn definitions(&self) -> &[Procedure] {
        if self.procedure_history.is_empty() {
            &self.procedures
        } else {
            &self.procedure_history
        }
    }

    fn calendar_of(&self, procedure: &Procedure) -> &Calendar {
        self.calendar_for(procedure)
    }

    fn default_calendar(&self) -> &Calendar {
        &self.calendar
    }
}

/// A compliment as a report counts and quotes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compliment {
    pub received_on: NaiveDate,
    pub team: Option<String>,
    /// The text the council approved for publication, if any: the one text a report quotes.
    pub published_quotation: Option<String>,
}

/// Everything one organisation's report is computed from.
#[derive(Debug, Clone)]
pub struct Source {
    pub organisation: Organisation,
    /// The cases received in the previous period or this one, and older ones with a stage or an
    /// ombudsman decision in them (see [`Needs`]).
    pub cases: Vec<Case>,
    /// Compliments received in the previous period and this one.
    pub compliments: Vec<Compliment>,
    /// The officer-written sections for the period's financial year, by name.
    pub narrative: BTreeMap<String, String>,
}

/// The records a report for a period needs, for the caller to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// Cases received from here on that were active in `from..=to`.
    pub lookback: NaiveDate,
    /// Every case and compliment received from here (the previous period's start) ...
    pub from: NaiveDate,
    /// ... to here (this period's end).
    pub to: NaiveDate,
    /// The financial year whose narrative the report prints.
    pub narrative_year: i32,
}

impl Needs {
    pub fn of(period: &Period) -> Needs {
        let previous = period.previous();
        Needs {
            lookback: Period::financial_year(previous.year - LOOKBACK_YEARS).from,
            from: previous.from,
            to: period.to,
            narrative_year: period.year,
        }
    }
}
