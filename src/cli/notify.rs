//! `redress notify run`: queues the reminders and digests due today (or `--on DATE`), then
//! sends the outbox when a mail server is given. Run it daily (cron or a systemd timer); a
//! second run on the same date queues nothing new, as each message has its own key.

use super::database::{open, MailArgs};
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct NotifyArgs {
    #[command(subcommand)]
    command: NotifyCommand,
}

#[derive(Debug, Subcommand)]
enum NotifyCommand {
    /// Queue the deadline reminders and daily digests due, and send them with --smtp-url.
    Run {
        /// The day to work them out for (YYYY-MM-DD); default today in Europe/London.
        #[arg(long, value_parser = redress_calendar::parse_iso_date)]
        on: Option<chrono::NaiveDate>,
        #[command(flatten)]
        mail: MailArgs,
    },
}

pub async fn run(url: &str, args: NotifyArgs) -> anyhow::Result<()> {
    let NotifyCommand::Run { on, mail } = args.command;
    let today = on.unwrap_or_else(|| redress_calendar::Clock::system().today());
    let mailer = mail.mailer()?;
    let store = open(url).await?;
    let queued = store.queue_reminders(today).await?;
    println!(
        "{today}: queued {} reminders and {} digests",
        queued.reminders, queued.digests
    );
    match mailer {
        Some(mailer) => {
            let tried = mailer.send_due(&store).await?;
            println!("sent or tried {tried} messages; see the outbox for each one's result");
        }
        None => println!("no mail server configured (--smtp-url): the messages wait in the outbox"),
    }
    store.close().await;
    Ok(())
}
