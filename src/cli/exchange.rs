//! `import` and `export`: the CSV contract councils migrate with.

use super::database::open;
use anyhow::{anyhow, Context};
use clap::{Args, Subcommand};
use redress_interchange::{
    parse_compliments, write_cases, write_compliments, CaseReader, ComplimentRow, RowErrors,
};
use redress_store::{Compliment, ImportRefused, ImportedCase, NewOrganisation, Refusals};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    kind: ImportKind,
}

#[derive(Debug, Args)]
struct ImportTarget {
    /// The CSV file.
    file: PathBuf,
    /// The organisation's slug; created (statutory and corporate procedures, England and Wales
    /// calendar) if it does not exist.
    #[arg(long)]
    organisation: String,
    /// The organisation's name, if it is created.
    #[arg(long)]
    name: Option<String>,
    /// The prefix of generated references (e.g. WCC), if it is created.
    #[arg(long)]
    reference_prefix: Option<String>,
}

#[derive(Debug, Subcommand)]
enum ImportKind {
    /// Import cases.
    Cases(ImportTarget),
    /// Import compliments.
    Compliments(ImportTarget),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    kind: ExportKind,
}

#[derive(Debug, Args)]
struct ExportTarget {
    #[arg(long)]
    organisation: String,
    /// Write here instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum ExportKind {
    /// Export cases in the import format.
    Cases(ExportTarget),
    /// Export compliments in the import format.
    Compliments(ExportTarget),
}

impl ImportTarget {
    fn spec(&self) -> NewOrganisation {
        let mut spec = NewOrganisation::with_defaults(&self.organisation);
        if let Some(name) = &self.name {
            spec.name = name.clone();
        }
        if let Some(prefix) = &self.reference_prefix {
            spec.reference_prefix = prefix.clone();
        }
        spec
    }
}

fn open_input(path: &Path) -> anyhow::Result<BufReader<File>> {
    Ok(BufReader::with_capacity(
        1 << 20,
        File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
    ))
}

/// The position of each column in the file's header, to name refusals found in the database
/// the same way as those found while parsing.
fn header_positions(path: &Path) -> Vec<String> {
    open_input(path)
        .ok()
        .and_then(|input| csv::Reader::from_reader(input).headers().ok().cloned())
        .map(|h| h.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default()
}

fn refused(path: &Path, err: ImportRefused) -> anyhow::Error {
    match err {
        ImportRefused::Rows(refusals) => {
            let header = header_positions(path);
            let mut text = format!(
                "{}: {} problems found; nothing was imported:\n",
                path.display(),
                refusals.total()
            );
            for (line, field, message) in refusals.rows {
                match header.iter().position(|c| *c == field) {
                    Some(i) => text.push_str(&format!(
                        "  line {line}, column {} ({field}): {message}\n",
                        i + 1
                    )),
                    None => text.push_str(&format!("  line {line} ({field}): {message}\n")),
                }
            }
            if refusals.more > 0 {
                text.push_str(&format!("  ... and {} more\n", refusals.more));
            }
            anyhow!(text.trim_end().to_string())
        }
        ImportRefused::Store(e) => {
            anyhow!(e).context(format!("{}: nothing was imported", path.display()))
        }
    }
}

/// A compliment as read from the CSV, as the store keeps it.
pub fn compliment(row: ComplimentRow) -> Compliment {
    Compliment {
        received_on: row.received_on,
        team: Some(row.team),
        summary: row.summary,
        consent_to_publish: row.consent_to_publish,
        published_quotation: None,
    }
}

pub async fn import(url: &str, args: ImportArgs) -> anyhow::Result<()> {
    let store = open(url).await?;
    let today = redress_calendar::Clock::system().today();
    let result = match args.kind {
        ImportKind::Cases(target) => import_cases(&store, &target, today).await,
        ImportKind::Compliments(target) => {
            let spec = target.spec();
            let rows = parse_compliments(open_input(&target.file)?)
                .map_err(|e| anyhow!("{}: {}", target.file.display(), e.to_string().trim_end()))?;
            let compliments = rows.into_iter().map(compliment).collect();
            let count = store
                .import_compliments(&spec, compliments, "import")
                .await
                .map_err(|e| refused(&target.file, e))?;
            println!("imported {count} compliments into {}", spec.slug);
            Ok(())
        }
    };
    store.close().await;
    result
}

/// Imports a cases file in two readings, so that no more than a batch of rows is ever held:
/// the first checks every row (every fault is named, and nothing is written if there is one);
/// the second reads the rows again and writes them, all in one transaction.
async fn import_cases(
    store: &redress_store::Store,
    target: &ImportTarget,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let spec = target.spec();
    let path = &target.file;
    let organisation = store.import_organisation(&spec).await?;
    let procedures = &organisation.procedures;
    let unreadable = |e: RowErrors| anyhow!("{}: {}", path.display(), e.to_string().trim_end());

    let mut reader = CaseReader::open(open_input(path)?, procedures).map_err(unreadable)?;
    let mut refusals = Refusals::default();
    let mut total = 0usize;
    while let Some(row) = reader.next_case() {
        total += 1;
        if let Err(e) = organisation.imported_due_on(&row.case, today) {
            refusals.refuse(row.line, e)?;
        }
        if total.is_multiple_of(100_000) {
            eprintln!("checked {total} rows");
        }
    }
    // Faults in the file come first: a row's due date is judged only once it reads.
    reader.finish().map_err(unreadable)?;
    if !refusals.is_empty() {
        return Err(refused(path, ImportRefused::Rows(refusals)));
    }

    let mut reader = CaseReader::open(open_input(path)?, procedures)
        .map_err(unreadable)?
        .without_repeat_check();
    let rows = std::iter::from_fn(|| match reader.next_case() {
        // The file changed since it was checked: refuse it whole.
        _ if !reader.faults().is_empty() => {
            let faults = reader.faults();
            let mut refusals = Refusals::default();
            for fault in &faults.errors {
                refusals.push(fault.line, fault.field.clone(), fault.message.clone());
            }
            Some(Err(ImportRefused::Rows(refusals)))
        }
        next => next.map(|row| {
            Ok(ImportedCase {
                line: row.line,
                case: row.case,
            })
        }),
    });
    let rows = Counted { rows, left: total };
    let source = path.display().to_string();
    // Told at each tenth of the way.
    let told = std::sync::atomic::AtomicUsize::new(0);
    let progress = |done: usize| {
        let tenths = done * 10 / total.max(1);
        if total >= 10_000 && told.fetch_max(tenths, Ordering::Relaxed) < tenths {
            eprintln!(
                "imported {done} of {total} cases ({}%)",
                done * 100 / total.max(1)
            );
        }
    };
    let count = store
        .import_case_stream(&spec, rows, "import", &source, today, &progress)
        .await
        .map_err(|e| refused(path, e))?;
    println!("imported {count} cases into {}", spec.slug);
    Ok(())
}

/// The rows of the second reading, as many as the first counted: the store plans for a large
/// import by the iterator's size hint.
struct Counted<I> {
    rows: I,
    left: usize,
}

impl<I: Iterator> Iterator for Counted<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        self.left = self.left.saturating_sub(1);
        self.rows.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, None)
    }
}

pub async fn export(url: &str, args: ExportArgs) -> anyhow::Result<()> {
    let store = open(url).await?;
    let (target, cases) = match &args.kind {
        ExportKind::Cases(t) => (t, true),
        ExportKind::Compliments(t) => (t, false),
    };
    let organisation = store.organisation(&target.organisation).await?;
    let mut out: Box<dyn Write> = match &target.out {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    if cases {
        let all = store.export_cases(&organisation.slug).await?;
        write_cases(&mut out, &all, &organisation.procedures)?;
    } else {
        let all = store.compliments(&organisation.slug).await?;
        write_compliments(
            &mut out,
            all.iter().map(|c| {
                (
                    c.received_on,
                    c.team.as_deref().unwrap_or(""),
                    c.summary.as_str(),
                    c.consent_to_publish,
                )
            }),
        )?;
    }
    out.flush()?;
    store.close().await;
    Ok(())
}
