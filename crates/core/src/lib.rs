//! The complaints domain: procedures and their timescales, stages, outcomes. No I/O: the rules a
//! council is judged on can be read and tested here on their own.

pub mod procedure;
mod timescale;

pub use procedure::{ClockStart, PanelRule, Procedure, StageRule};
pub use timescale::{working_days_left, ClockStop, Deadline, StageClock, TimescaleError};
