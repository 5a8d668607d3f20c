//! The command line is a public contract: scripts call it, so output is plain and errors go to
//! stderr with a non-zero exit.

mod backup;
mod check;
mod database;
mod demo;
mod exchange;
mod generate;
mod mailbox;
mod mailgate;
mod notify;
mod procedures;
mod report;
mod retention;
mod single_sign_on;
mod users;
mod workdays;

use clap::{Parser, Subcommand};
use redress_store::DEFAULT_DATABASE_URL;

#[derive(Debug, Parser)]
#[command(
    name = "redress",
    version,
    about = "Complaints and compliments for children's services"
)]
pub struct Cli {
    /// Database: sqlite://FILE (relative to the working directory), sqlite:///ABS/PATH, or
    /// postgres://USER@HOST/DB. Default sqlite://redress.db; `demo` defaults to
    /// sqlite://redress-demo.db.
    #[arg(long = "database", global = true, env = "REDRESS_DATABASE_URL")]
    database_given: Option<String>,
    /// How log lines are written to standard error: text, or json for a log collector. What
    /// is logged is set by REDRESS_LOG (RUST_LOG syntax, default info).
    #[arg(long, global = true, value_enum, default_value_t = LogFormatArg::Text, env = "REDRESS_LOG_FORMAT")]
    log_format: LogFormatArg,
    #[arg(skip = DEFAULT_DATABASE_URL.to_string())]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LogFormatArg {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Working-day arithmetic on the bank-holiday calendar.
    Workdays(workdays::WorkdaysArgs),
    /// Show complaint procedures and their timescales.
    Procedures(procedures::ProceduresArgs),
    /// Run the database migrations and stop.
    Migrate,
    /// Serve the web app and the JSON API.
    Serve(Box<database::ServeArgs>),
    /// Import cases or compliments from CSV (all or nothing).
    Import(exchange::ImportArgs),
    /// Export cases or compliments as CSV.
    Export(exchange::ExportArgs),
    /// The annual and quarterly reports, and their narrative sections.
    Report(report::ReportArgs),
    /// Load the demo organisation (City of Westminster) and serve it.
    Demo(demo::DemoArgs),
    /// Write a consistent copy of the (SQLite) database, while it is in use.
    Backup(backup::BackupArgs),
    /// Put back a copy written by `backup`.
    Restore(backup::RestoreArgs),
    /// Manage user accounts.
    User(users::UserArgs),
    /// Deadline reminders and daily digests by mail.
    Notify(notify::NotifyArgs),
    /// Check stored data against what it is kept from (the statistics table).
    Check(check::CheckArgs),
    /// Erase the personal data the retention schedule says is due.
    Retention(retention::RetentionArgs),
    /// Write synthetic organisations as import CSVs (for benchmarks and load tests).
    Gen(generate::GenArgs),
    /// Hand one message on standard input to a Redress server's complaints mailbox, for a
    /// mail server's pipe (Postfix `pipe`, Exim `pipe` transport).
    Mailgate(mailgate::MailgateArgs),
}

pub fn run(mut cli: Cli) -> anyhow::Result<()> {
    redress_app::logging::init(match cli.log_format {
        LogFormatArg::Text => redress_app::logging::LogFormat::Text,
        LogFormatArg::Json => redress_app::logging::LogFormat::Json,
    });
    if let Some(url) = &cli.database_given {
        cli.database = url.clone();
    }
    match cli.command {
        Command::Workdays(args) => workdays::run(args),
        Command::Procedures(args) => procedures::run(args),
        Command::Migrate => database::block_on(database::migrate(&cli.database)),
        Command::Serve(args) => database::block_on(database::serve(&cli.database, *args)),
        Command::Import(args) => database::block_on(exchange::import(&cli.database, args)),
        Command::Export(args) => database::block_on(exchange::export(&cli.database, args)),
        Command::Report(args) => database::block_on(report::run(&cli.database, args)),
        Command::Demo(args) => database::block_on(demo::run(cli.database_given, args)),
        Command::Backup(args) => database::block_on(backup::backup(&cli.database, args)),
        Command::Restore(args) => database::block_on(backup::restore(&cli.database, args)),
        Command::User(args) => database::block_on(users::run(&cli.database, args)),
        Command::Notify(args) => database::block_on(notify::run(&cli.database, args)),
        Command::Check(args) => database::block_on(check::run(&cli.database, args)),
        Command::Retention(args) => database::block_on(retention::run(&cli.database, args)),
        Command::Gen(args) => generate::run(args),
        Command::Mailgate(args) => mailgate::run(args),
    }
}
