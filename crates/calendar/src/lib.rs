//! Working days for English, Welsh, Scottish and Northern Irish councils.
//!
//! The rule, in the words of the Children Act 1989 Representations Procedure (England)
//! Regulations 2006, reg. 2: a working day is any day other than a Saturday, a Sunday,
//! Christmas Day, Boxing Day, Good Friday or a bank holiday under the Banking and Financial
//! Dealings Act 1971. The gov.uk `bank-holidays.json` list carries all of those (Christmas Day
//! and Good Friday are common-law holidays but gov.uk lists them), per nation, including
//! substitute days and one-off days such as a state funeral. An organisation's own closure
//! days sit on top.
//!
//! Counting: the day of receipt is day zero, and "within N working days" means on or before
//! the Nth working day strictly after it. A date outside the loaded data is an error, never a
//! year silently assumed to have no holidays.

mod calendar;
mod clock;
mod closures;
mod date;
mod division;
mod error;
pub mod naive;
mod source;

pub use calendar::{Calendar, DayKind};
pub use clock::{london_date, Clock};
pub use closures::{parse_closures, Closure};
pub use date::{parse_iso_date, DateError};
pub use division::Division;
pub use error::{CalendarError, OutOfCoverage};
pub use source::{Holiday, HolidaySource};
