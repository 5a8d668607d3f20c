//! The CSV import and export formats: a public contract that councils' migration scripts
//! target. Parsing checks every row and reports every fault by line and column; nothing is
//! half-read.

mod case_export;
mod cases;
mod cells;
mod compliments;
mod formula;
mod references;
mod row_error;

pub use case_export::write_cases;
pub use cases::{parse_cases, CaseReader, CaseRow, CASE_COLUMNS};
pub use compliments::{parse_compliments, write_compliments, ComplimentRow, COMPLIMENT_COLUMNS};
pub use formula::{formula_safe, unescape_formula, SafeCsv};
pub use row_error::{RowError, RowErrors};
