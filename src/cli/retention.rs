//! `redress retention run`: erases the personal data the retention schedule says is due
//! (today, or `--on DATE`), keeping every figure; `--dry-run` only says what it would erase.
//! `serve` runs it daily as well.

use super::database::open;
use clap::{Args, Subcommand};
use redress_store::Actor;

#[derive(Debug, Args)]
pub struct RetentionArgs {
    #[command(subcommand)]
    command: RetentionCommand,
}

#[derive(Debug, Subcommand)]
enum RetentionCommand {
    /// Erase what is due under each organisation's schedule (cases on a legal hold are kept).
    Run {
        /// The day to apply the schedule on (YYYY-MM-DD); default today in Europe/London.
        #[arg(long, value_parser = redress_calendar::parse_iso_date)]
        on: Option<chrono::NaiveDate>,
        /// Say what would be erased, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the run as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(url: &str, args: RetentionArgs) -> anyhow::Result<()> {
    let RetentionCommand::Run { on, dry_run, json } = args.command;
    let today = on.unwrap_or_else(|| redress_calendar::Clock::system().today());
    let store = open(url).await?;
    let run = store
        .run_retention(today, dry_run, &Actor::system("retention schedule"))
        .await?;
    store.close().await;
    if json {
        println!("{}", serde_json::to_string_pretty(&run)?);
        return Ok(());
    }
    let verb = if dry_run { "would erase" } else { "erased" };
    for erasure in &run.erased {
        let what = match (&erasure.reference, erasure.compliment_id) {
            (Some(reference), _) => format!("case {reference}"),
            (None, Some(id)) => format!("compliment {id}"),
            (None, None) => "record".to_string(),
        };
        let files = match erasure.files.len() {
            0 => String::new(),
            n => format!(", {n} files deleted"),
        };
        println!("{verb} {what} ({}){files}", erasure.rule);
    }
    for (organisation, reference, reason) in &run.held {
        println!("kept {organisation} case {reference}: legal hold ({reason})");
    }
    let cases = run.erased.iter().filter(|e| e.case_id.is_some()).count();
    let compliments = run.erased.len() - cases;
    println!(
        "{today}: {verb} the personal data of {cases} cases and {compliments} compliments; {} cases kept by a legal hold{}",
        run.held.len(),
        if dry_run { " (dry run: nothing was changed)" } else { "" }
    );
    Ok(())
}
