use anyhow::{bail, Context};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use redress_calendar::{parse_closures, parse_iso_date, Calendar, Division, HolidaySource};
use std::path::PathBuf;

/// The longest addition accepted: four years of working days. More is a typing mistake.
const MAX_WORKING_DAYS: i64 = 1000;

#[derive(Debug, Args)]
pub struct WorkdaysArgs {
    #[command(subcommand)]
    command: WorkdaysCommand,
    #[command(flatten)]
    calendar: CalendarArgs,
}

/// Which calendar to count on: the national list of a division, optionally from a newer
/// gov.uk file, plus the organisation's closure days.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Bank-holiday division: england-and-wales, scotland or northern-ireland.
    #[arg(long, global = true, default_value = "england-and-wales", value_parser = parse_division)]
    pub division: Division,
    /// A bank-holiday file in the gov.uk bank-holidays.json format, instead of the built-in one.
    #[arg(long, global = true, value_name = "FILE")]
    pub calendar: Option<PathBuf>,
    /// Closure days, one YYYY-MM-DD a line (optionally followed by a label).
    #[arg(long, global = true, value_name = "FILE")]
    pub closures: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum WorkdaysCommand {
    /// Print the Nth working day after DATE (DATE is day zero).
    Add {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
        #[arg(allow_negative_numbers = true)]
        n: i64,
    },
    /// Print the number of working days in (FROM, TO].
    Between {
        #[arg(value_parser = parse_date)]
        from: NaiveDate,
        #[arg(value_parser = parse_date)]
        to: NaiveDate,
    },
    /// Print whether DATE is a working day, and if not, why not.
    Check {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
    },
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    parse_iso_date(text).map_err(|e| e.to_string())
}

fn parse_division(text: &str) -> Result<Division, String> {
    text.parse()
}

impl CalendarArgs {
    pub fn load(&self) -> anyhow::Result<Calendar> {
        let source = match &self.calendar {
            None => HolidaySource::built_in(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read calendar file {}", path.display()))?;
                HolidaySource::from_gov_uk_json(&text)
                    .with_context(|| format!("calendar file {}", path.display()))?
            }
        };
        let closures = match &self.closures {
            None => Vec::new(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read closures file {}", path.display()))?;
                parse_closures(&text)
                    .with_context(|| format!("closures file {}", path.display()))?
            }
        };
        Ok(Calendar::new(&source, self.division, &closures)?)
    }
}

pub fn run(args: WorkdaysArgs) -> anyhow::Result<()> {
    let calendar = args.calendar.load()?;
    match args.command {
        WorkdaysCommand::Add { date, n } => {
            if n < 0 {
                bail!("N must be 0 or more working days, not {n}");
            }
            if n > MAX_WORKING_DAYS {
                bail!("N must be at most {MAX_WORKING_DAYS} working days, not {n}");
            }
            println!("{}", calendar.add_working_days(date, n as u32)?);
        }
        WorkdaysCommand::Between { from, to } => {
            println!("{}", calendar.working_days_between(from, to)?);
        }
        WorkdaysCommand::Check { date } => {
            let kind = calendar.day_kind(date)?;
            if kind.is_working() {
                println!("working day");
            } else {
                println!("not a working day: {kind}");
            }
        }
    }
    Ok(())
}
