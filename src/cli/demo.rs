use super::procedures::render;
use clap::Args;
use redress_calendar::{Calendar, Division};
use redress_core::{Procedure, StageClock};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Load the demo data and stop, without serving it.
    #[arg(long)]
    no_serve: bool,
}

/// Until the records and the web app land, the demo shows what is real now: the procedures
/// in force and the deadlines they give on the built-in calendar.
pub fn run(_args: DemoArgs) -> anyhow::Result<()> {
    println!("Redress demo: the web app and the demo organisation come in later releases.");
    println!("What works now: working-day deadlines on the gov.uk calendar, and the procedures.\n");
    let calendar = Calendar::built_in(Division::EnglandAndWales);
    let received = chrono::Local::now().date_naive();
    println!("A complaint received today, {received} (England and Wales), is due:");
    for procedure in Procedure::presets() {
        let stage = &procedure.stages[0];
        let clock = StageClock::started(received);
        match stage.deadline(&calendar, &clock, received) {
            Ok(deadline) => println!(
                "  {:<12} Stage 1 by {} ({} working days)",
                procedure.name,
                deadline.due_on.format("%A %-d %B %Y"),
                stage.respond_within
            ),
            Err(err) => println!("  {:<12} {err}", procedure.name),
        }
    }
    println!();
    for procedure in Procedure::presets() {
        println!("{}", render(&procedure));
    }
    Ok(())
}
