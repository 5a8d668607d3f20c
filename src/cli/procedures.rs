use anyhow::bail;
use clap::{Args, Subcommand};
use redress_core::Procedure;

#[derive(Debug, Args)]
pub struct ProceduresArgs {
    #[command(subcommand)]
    command: ProceduresCommand,
}

#[derive(Debug, Subcommand)]
enum ProceduresCommand {
    /// Print each stage of a procedure (or of every built-in one) with its timescales.
    Show { name: Option<String> },
}

pub fn run(args: ProceduresArgs) -> anyhow::Result<()> {
    let ProceduresCommand::Show { name } = args.command;
    let procedures = match name {
        None => Procedure::presets(),
        Some(name) => match Procedure::preset(&name) {
            Some(procedure) => vec![procedure],
            None => bail!(
                "unknown procedure '{name}': expected one of {}",
                Procedure::PRESETS.join(", ")
            ),
        },
    };
    for (i, procedure) in procedures.iter().enumerate() {
        if i > 0 {
            println!();
        }
        print!("{}", render(procedure));
    }
    Ok(())
}

pub fn render(procedure: &Procedure) -> String {
    let mut out = format!("{}: {}\n", procedure.name, procedure.title);
    for (heading, lines) in procedure.describe() {
        out.push_str(&format!("  {heading}\n"));
        for line in lines {
            out.push_str(&format!("    - {line}\n"));
        }
    }
    out.push_str(&format!("  Source: {}\n", procedure.source));
    out
}
