//! The command line is a public contract: scripts call it, so output is plain and errors go to
//! stderr with a non-zero exit.

mod database;
mod demo;
mod exchange;
mod generate;
mod procedures;
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
    /// postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "REDRESS_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database: String,
    #[command(subcommand)]
    command: Command,
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
    Serve(database::ServeArgs),
    /// Import cases or compliments from CSV (all or nothing).
    Import(exchange::ImportArgs),
    /// Export cases or compliments as CSV.
    Export(exchange::ExportArgs),
    /// Load and show the demo organisation.
    Demo(demo::DemoArgs),
    /// Write synthetic organisations as import CSVs (for benchmarks and load tests).
    Gen(generate::GenArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Workdays(args) => workdays::run(args),
        Command::Procedures(args) => procedures::run(args),
        Command::Migrate => database::block_on(database::migrate(&cli.database)),
        Command::Serve(args) => database::block_on(database::serve(&cli.database, args)),
        Command::Import(args) => database::block_on(exchange::import(&cli.database, args)),
        Command::Export(args) => database::block_on(exchange::export(&cli.database, args)),
        Command::Demo(args) => demo::run(args),
        Command::Gen(args) => generate::run(args),
    }
}
