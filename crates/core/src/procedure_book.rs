//! Which definition judges a stage. An answered stage is judged by the procedure and version
//! it ran under, so a later change of procedure, a preset's new version or a procedure the
//! organisation stopped running never re-judges it; an open stage follows its case's
//! procedure as it stands.

use crate::{Case, Procedure, Stage};
use redress_calendar::Calendar;

/// An organisation's procedures as a judge needs them.
pub trait ProcedureBook {
    /// Every definition the organisation has run: current ones, earlier versions and
    /// procedures it no longer runs.
    fn definitions(&self) -> &[Procedure];
    /// The calendar `procedure`'s deadlines are counted on (reg. 2's working days, or with
    /// the council's closure days where the procedure says they count).
    fn calendar_of(&self, procedure: &Procedure) -> &Calendar;
    /// The calendar used where the procedure is unknown.
    fn default_calendar(&self) -> &Calendar;
}

/// The definition `stage` of `case` is judged under, if the book has it, and its calendar.
pub fn judged_under<'a, B: ProcedureBook + ?Sized>(
    book: &'a B,
    case: &Case,
    stage: &Stage,
) -> (Option<&'a Procedure>, &'a Calendar) {
    let definitions = book.definitions();
    let latest = |name: &str| {
        definitions
            .iter()
            .filter(|p| p.name == name)
            .max_by_key(|p| p.version)
    };
    let procedure = match (&stage.ran_under, stage.is_open()) {
        (Some(ran), false) => definitions
            .iter()
            .find(|p| p.name == ran.procedure && p.version == ran.version)
            .or_else(|| latest(&ran.procedure)),
        _ => latest(&case.procedure),
    };
    let calendar = procedure.map_or(book.default_calendar(), |p| book.calendar_of(p));
    (procedure, calendar)
}

/// A book of the given definitions on one calendar, for tests and tools.
pub struct OneCalendarBook<'a> {
    pub definitions: &'a [Procedure],
    pub calendar: &'a Calendar,
}

impl ProcedureBook for OneCalendarBook<'_> {
    fn definitions(&self) -> &[Procedure] {
        self.definitions
    }

    fn calendar_of(&self, _: &Procedure) -> &Calendar {
        self.calendar
    }

    fn default_calendar(&self) -> &Calendar {
        self.calendar
    }
}
