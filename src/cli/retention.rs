//! `redress retention`: `run` erases the personal data the retention schedule says is due
//! (today, or `--on DATE`), keeping every figure, in the organisations whose council has
//! approved its schedule; `--dry-run` only says what it would erase. `preview` counts what an
//! organisation's schedule would erase; `approve` records the council's approval, which
//! switches it on; `off` switches it off. `serve` runs it daily where it is on.

use super::database::open;
use clap::{Args, Subcommand};
use redress_store::{Access, Actor};

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
    /// Count what an organisation's schedule would erase today, by year and procedure.
    Preview {
        /// The organisation's slug.
        #[arg(long)]
        organisation: String,
    },
    /// Record the council's approval of its schedule, which switches it on.
    Approve {
        /// The organisation's slug.
        #[arg(long)]
        organisation: String,
        /// The date the council approved the schedule (YYYY-MM-DD).
        #[arg(long, value_parser = redress_calendar::parse_iso_date)]
        approved_on: chrono::NaiveDate,
        /// Who approved it ("Information Governance Board").
        #[arg(long)]
        approved_by: String,
        /// The number of records `preview` finds today, to confirm it was read.
        #[arg(long)]
        confirm_erasures: usize,
    },
    /// Switch an organisation's schedule off: nothing more is erased until it is approved again.
    Off {
        /// The organisation's slug.
        #[arg(long)]
        organisation: String,
    },
}

pub async fn run(url: &str, args: RetentionArgs) -> anyhow::Result<()> {
    let today = redress_calendar::Clock::system().today();
    let actor = Actor::system("cli");
    let (on, dry_run, json) = match args.command {
        RetentionCommand::Run { on, dry_run, json } => (on, dry_run, json),
        RetentionCommand::Preview { organisation } => {
            let store = open(url).await?;
            let preview = store
                .retention_preview(&Access::System, &organisation, today)
                .await;
            store.close().await;
            let preview = preview?;
            for line in &preview.lines {
                println!(
                    "{} {}: {} records",
                    line.year, line.applies_to, line.records
                );
            }
            let state = match &preview.approval {
                Some(a) => format!("on, approved by {} on {}", a.approved_by, a.approved_on),
                None => "off: nothing is erased until it is approved".to_string(),
            };
            println!(
                "{today}: the schedule would erase {} records ({} cases kept by a legal hold); it is {state}",
                preview.total, preview.held
            );
            return Ok(());
        }
        RetentionCommand::Approve {
            organisation,
            approved_on,
            approved_by,
            confirm_erasures,
        } => {
            let store = open(url).await?;
            let approved = store
                .approve_retention(
                    &Access::System,
                    &organisation,
                    approved_on,
                    &approved_by,
                    confirm_erasures,
                    today,
                    &actor,
                )
                .await;
            store.close().await;
            let approved = approved?;
            println!(
                "{organisation}: retention schedule on, approved by {} on {}",
                approved.approved_by, approved.approved_on
            );
            return Ok(());
        }
        RetentionCommand::Off { organisation } => {
            let store = open(url).await?;
            let done = store
                .withdraw_retention_approval(&Access::System, &organisation, &actor)
                .await;
            store.close().await;
            done?;
            println!("{organisation}: retention schedule off");
            return Ok(());
        }
    };
    let today = on.unwrap_or(today);
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
    for organisation in &run.not_approved {
        println!("not applied in {organisation}: its schedule is off until the council's approval is recorded (redress retention approve)");
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
