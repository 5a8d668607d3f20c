//! The use cases of Redress that neither HTTP nor a terminal owns: the web server and the CLI
//! both call them. Each takes the store (and its `Access` where it reads an organisation's
//! data) and decides nothing the rules in `core` decide.

pub mod intake;
pub mod letters;
pub mod logging;
pub mod mail;
pub mod report_input;
pub mod retention;
pub mod subject_access;
