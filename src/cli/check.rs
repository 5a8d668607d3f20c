//! `redress check statistics`: rebuilds the statistics table's rows from the cases, in memory,
//! and compares them with the table; exits non-zero when they differ.

use super::database::open;
use anyhow::bail;
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(subcommand)]
    command: CheckCommand,
}

#[derive(Debug, Subcommand)]
enum CheckCommand {
    /// Check the statistics table against the cases it is kept from.
    Statistics,
}

pub async fn run(url: &str, args: CheckArgs) -> anyhow::Result<()> {
    let CheckCommand::Statistics = args.command;
    let store = open(url).await?;
    let checks = store.check_statistics().await?;
    store.close().await;
    let mut differences = 0;
    for check in &checks {
        println!(
            "{}: {} cases, {} rows, {} differences",
            check.organisation,
            check.cases,
            check.rows,
            check.differences.len()
        );
        for (case_id, stage, what) in check.differences.iter().take(20) {
            println!("  case {case_id} stage {stage}: {what}");
        }
        differences += check.differences.len();
    }
    if differences > 0 {
        bail!("the statistics table differs from the cases in {differences} rows");
    }
    println!("the statistics table agrees with the cases");
    Ok(())
}
