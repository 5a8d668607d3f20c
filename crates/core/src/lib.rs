//! The complaints domain: procedures and their timescales, cases and their lifecycle,
//! outcomes, ombudsman decisions and actions. No I/O: the rules a council is judged on can be
//! read and tested here on their own.

pub mod access;
mod as_known_on;
pub mod case;
mod case_facts;
mod deadline_in_force;
mod financial_year;
mod language;
pub mod lifecycle;
pub mod limits;
mod nation;
mod personal_patch;
pub mod privacy;
pub mod procedure;
mod procedure_book;
pub mod reminders;
pub mod report_counts;
pub mod retention;
pub mod signposting;
pub mod statistics;
pub mod subject_term;
mod timescale;
mod uk_presets;
mod values;
pub mod vocabulary;

pub use case::{
    advocacy_owed, Action, Case, Draft, NotAComplaint, OmbudsmanCase, PersonalDetails,
    ProcedureChange, RanUnder, Remedy, Reopening, ResponsePeriod, Stage, SufficientInterest,
};
pub use case_facts::CaseFacts;
pub use deadline_in_force::{DeadlineInForce, StageTimeliness};
pub use financial_year::{FinancialYear, Quarter};
pub use language::Language;
pub use lifecycle::{CaseError, CaseUpdate, NewCase, NewRemedy, Rules, Step, StepName, Transition};
pub use nation::{Nation, Ombudsman, WrongNation};
pub use personal_patch::{Bounded, Change, ChildIds, PersonalPatch};
pub use procedure::{AgreedPeriodRule, ClockStart, PanelRule, Procedure, ProcedureKind, StageRule};
pub use procedure_book::{judged_under, OneCalendarBook, ProcedureBook};
pub use signposting::{signpost, Signpost};
pub use subject_term::SubjectTerm;
pub use timescale::{
    working_days_left, ClockStop, Deadline, PanelJudgement, StageClock, TimescaleError,
};
pub use values::{CaseId, Email, NonEmptyText, Reference, Slug, ValueError, WorkingDays};
pub use vocabulary::{
    ActionKind, Channel, ComplainantRole, MessageKind, MessageStatus, OmbudsmanDecision, Outcome,
    RemedyKind, Status,
};
