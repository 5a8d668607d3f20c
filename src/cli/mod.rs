//! The command line is a public contract: scripts call it, so output is plain and errors go to
//! stderr with a non-zero exit.

mod demo;
mod procedures;
mod workdays;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "redress",
    version,
    about = "Complaints and compliments for children's services"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Working-day arithmetic on the bank-holiday calendar.
    Workdays(workdays::WorkdaysArgs),
    /// Show complaint procedures and their timescales.
    Procedures(procedures::ProceduresArgs),
    /// Load and show the demo organisation.
    Demo(demo::DemoArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Workdays(args) => workdays::run(args),
        Command::Procedures(args) => procedures::run(args),
        Command::Demo(args) => demo::run(args),
    }
}
