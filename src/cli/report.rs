//! `redress report`: the annual and quarterly reports, and their narrative sections.

use super::database::open;
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use redress_app::report_input;
use redress_report::render::{self, Format};
use redress_report::{Period, Report, NARRATIVE_SECTIONS};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    command: ReportCommand,
}

#[derive(Debug, Args)]
struct Output {
    /// json, html, pdf, docx, csv or xlsx.
    #[arg(long, default_value = "json", value_parser = Format::parse)]
    format: Format,
    /// Write here; without it JSON, HTML and CSV go to stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// The statutory annual report for a financial year (--year 2020 is 2020/21).
    Annual {
        #[arg(long)]
        organisation: String,
        #[arg(long)]
        year: i32,
        /// One of the organisation's procedures: its scheme's report alone, e.g.
        /// adult-social-care for the adult social care report of reg. 18 (SI 2009/309).
        #[arg(long)]
        procedure: Option<String>,
        /// The population served, for the SPSO's complaints per 1,000 (spso-mchp only).
        #[arg(long)]
        population: Option<u64>,
        #[command(flatten)]
        output: Output,
    },
    /// The same report for one quarter (1 is April to June), optionally for one team.
    Quarterly {
        #[arg(long)]
        organisation: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        quarter: u8,
        #[arg(long)]
        team: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Every organisation's headline figures for a financial year, with totals (JSON or CSV).
    National {
        #[arg(long)]
        year: i32,
        /// json (default) or csv: one line per organisation and a last line of totals.
        #[arg(long, default_value = "json", value_parser = ["json", "csv"])]
        format: String,
        /// Write here instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The officer-written sections of a year's report.
    Narrative {
        #[command(subcommand)]
        command: NarrativeCommand,
    },
}

#[derive(Debug, Subcommand)]
enum NarrativeCommand {
    /// Set one section from a file of Markdown (paragraphs and "- " lists).
    Set {
        #[arg(long)]
        organisation: String,
        #[arg(long)]
        year: i32,
        /// One of: stage2_summaries, stage3_summaries, ombudsman_summaries, learning,
        /// service_improvements, compliment_quotations, delivery_against_priorities, priorities.
        #[arg(long)]
        section: String,
        #[arg(long)]
        file: PathBuf,
    },
}

fn check_year(year: i32) -> anyhow::Result<()> {
    if redress_core::FinancialYear::new(year).is_err() {
        bail!(
            "--year {year} is not a financial year: give the first year, from {} to {}, e.g. --year 2020 for 2020/21",
            redress_core::FinancialYear::FIRST,
            redress_core::FinancialYear::LAST
        );
    }
    Ok(())
}

fn write(report: &Report, output: &Output) -> anyhow::Result<()> {
    let format = output.format;
    let bytes = render::render(report, format)?;
    match &output.out {
        Some(path) => {
            std::fs::write(path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
        }
        None if format.is_binary() => {
            bail!(
                "--format {} is a binary file: give --out FILE",
                format.extension()
            )
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}

pub async fn run(url: &str, args: ReportArgs) -> anyhow::Result<()> {
    let store = open(url).await?;
    // A period not yet over is judged as of today (`Period::judged_on`).
    let today = redress_calendar::Clock::system().today();
    let result = match args.command {
        ReportCommand::Annual {
            organisation,
            year,
            procedure,
            population,
            output,
        } => {
            check_year(year)?;
            let period = Period::financial_year(year).judged_as_of(today);
            let report = report_input::report_for(
                &store,
                &organisation,
                &period,
                None,
                procedure.as_deref(),
            )
            .await?;
            let report = report_input::with_population(report, population)?;
            write(&report, &output)
        }
        ReportCommand::Quarterly {
            organisation,
            year,
            quarter,
            team,
            output,
        } => {
            check_year(year)?;
            let period = Period::quarter(year, quarter)
                .map_err(anyhow::Error::msg)?
                .judged_as_of(today);
            let report =
                report_input::report(&store, &organisation, &period, team.as_deref()).await?;
            write(&report, &output)
        }
        ReportCommand::National { year, format, out } => {
            check_year(year)?;
            let period = Period::financial_year(year).judged_as_of(today);
            let national = report_input::national(&store, &period).await?;
            let bytes = if format == "csv" {
                national_csv(&national)?
            } else {
                let mut bytes = serde_json::to_vec_pretty(&national)?;
                bytes.push(b'\n');
                bytes
            };
            match out {
                Some(path) => std::fs::write(&path, &bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => std::io::stdout().lock().write_all(&bytes)?,
            }
            Ok(())
        }
        ReportCommand::Narrative {
            command:
                NarrativeCommand::Set {
                    organisation,
                    year,
                    section,
                    file,
                },
        } => {
            check_year(year)?;
            if !NARRATIVE_SECTIONS.contains(&section.as_str()) {
                bail!(
                    "--section '{section}' is not one of {}",
                    NARRATIVE_SECTIONS.join(", ")
                );
            }
            let body = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            store
                .set_narrative(
                    &redress_store::Access::System,
                    &organisation,
                    year,
                    &section,
                    &body,
                    &redress_store::Actor::system("cli"),
                )
                .await?;
            println!(
                "set {section} for {organisation} {}",
                Period::financial_year(year).label
            );
            Ok(())
        }
    };
    store.close().await;
    result
}

/// The national roll-up as CSV: a header, one line per organisation, those whose report
/// cannot be judged (figures empty, the reason in `note`), then the totals.
fn national_csv(national: &redress_report::NationalReport) -> anyhow::Result<Vec<u8>> {
    // An organisation's name is typed by people: formula-safe like every CSV written.
    let mut out = redress_interchange::SafeCsv::new(Vec::new());
    let header = [
        "organisation",
        "name",
        "received",
        "statutory",
        "non_statutory",
        "stage1_responded",
        "stage1_within_timescale",
        "stage1_open_overdue",
        "stage1_not_responded_in_time",
        "stage1_within_timescale_percent",
        "stage2_started",
        "stage3_started",
        "ombudsman_decisions",
        "compliments_received",
        "note",
    ];
    out.write_record(header)?;
    let line = |slug: &str, name: &str, f: &redress_report::Headline, note: &str| {
        vec![
            slug.to_string(),
            name.to_string(),
            f.received.to_string(),
            f.statutory.to_string(),
            f.non_statutory.to_string(),
            f.stage1_responded.to_string(),
            f.stage1_within_timescale.to_string(),
            f.stage1_open_overdue.to_string(),
            f.stage1_not_responded_in_time.to_string(),
            f.stage1_within_timescale_percent
                .map_or(String::new(), |p| format!("{p:.1}")),
            f.stage2_started.to_string(),
            f.stage3_started.to_string(),
            f.ombudsman_decisions.to_string(),
            f.compliments_received.to_string(),
            note.to_string(),
        ]
    };
    for o in &national.organisations {
        out.write_record(line(&o.slug, &o.name, &o.figures, ""))?;
    }
    for u in &national.unjudged {
        let mut record = vec![String::new(); header.len()];
        record[0] = u.slug.clone();
        record[1] = u.name.clone();
        record[header.len() - 1] = format!("not in the totals: {}", u.reason);
        out.write_record(record)?;
    }
    out.write_record(line(
        "total",
        "All organisations",
        &national.totals,
        national.totals_note.as_deref().unwrap_or(""),
    ))?;
    Ok(out.into_inner()?)
}
