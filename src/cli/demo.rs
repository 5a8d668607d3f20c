//! `redress demo`: loads City of Westminster's 2019/20 and 2020/21 complaints through the same
//! import path a council uses, then serves them. The data ships inside the binary.

use super::database::{open, serve_store};
use anyhow::{anyhow, Context};
use clap::Args;
use redress_calendar::Division;
use redress_core::{Procedure, Transition};
use redress_interchange::{parse_cases, parse_compliments};
use redress_report::Period;
use redress_store::{CaseFilter, ImportedCase, NewOrganisation, Store};
use serde::Deserialize;
use std::net::SocketAddr;

/// The demo's own database, so it never mixes with a council's `redress.db`.
const DEMO_DATABASE_URL: &str = "sqlite://redress-demo.db";

macro_rules! demo_file {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../demo/westminster/", $name)),
        )
    };
}

const ORGANISATION: &str = include_str!("../../demo/westminster/organisation.json");
const CASES: [(&str, &str); 2] = [
    demo_file!("cases-2019-20.csv"),
    demo_file!("cases-2020-21.csv"),
];
const COMPLIMENTS: [(&str, &str); 2] = [
    demo_file!("compliments-2019-20.csv"),
    demo_file!("compliments-2020-21.csv"),
];
const TRANSITIONS: &str = include_str!("../../demo/westminster/transitions.json");
const NARRATIVE_2020: [(&str, &str); 8] = [
    (
        "stage2_summaries",
        include_str!("../../demo/westminster/narrative/2020/stage2_summaries.md"),
    ),
    (
        "stage3_summaries",
        include_str!("../../demo/westminster/narrative/2020/stage3_summaries.md"),
    ),
    (
        "ombudsman_summaries",
        include_str!("../../demo/westminster/narrative/2020/ombudsman_summaries.md"),
    ),
    (
        "learning",
        include_str!("../../demo/westminster/narrative/2020/learning.md"),
    ),
    (
        "service_improvements",
        include_str!("../../demo/westminster/narrative/2020/service_improvements.md"),
    ),
    (
        "compliment_quotations",
        include_str!("../../demo/westminster/narrative/2020/compliment_quotations.md"),
    ),
    (
        "delivery_against_priorities",
        include_str!("../../demo/westminster/narrative/2020/delivery_against_priorities.md"),
    ),
    (
        "priorities",
        include_str!("../../demo/westminster/narrative/2020/priorities.md"),
    ),
];

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Load the demo data and stop, without serving it.
    #[arg(long)]
    no_serve: bool,
    /// Address to serve on.
    #[arg(long, env = "REDRESS_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
}

#[derive(Deserialize)]
struct OrganisationFile {
    slug: String,
    name: String,
    reference_prefix: String,
    division: Division,
}

#[derive(Deserialize)]
struct Step {
    reference: String,
    transition: Transition,
}

fn spec() -> anyhow::Result<NewOrganisation> {
    let file: OrganisationFile =
        serde_json::from_str(ORGANISATION).context("demo organisation.json")?;
    Ok(NewOrganisation {
        slug: file.slug,
        name: file.name,
        reference_prefix: file.reference_prefix,
        division: file.division,
        procedures: ["statutory", "corporate"]
            .iter()
            .filter_map(|n| Procedure::preset(n))
            .collect(),
    })
}

/// Loads the demo organisation, unless it is there already.
pub async fn load(store: &Store) -> anyhow::Result<bool> {
    let spec = spec()?;
    if store.find_organisation(&spec.slug).await?.is_some() {
        return Ok(false);
    }
    let today = chrono::Local::now().date_naive();
    for (name, text) in CASES {
        let rows = parse_cases(text.as_bytes(), &spec.procedures, |_| {})
            .map_err(|e| anyhow!("demo/westminster/{name}: {e}"))?;
        let rows = rows
            .into_iter()
            .map(|r| ImportedCase {
                line: r.line,
                case: r.case,
            })
            .collect();
        store
            .import_cases(
                &spec,
                rows,
                "demo",
                &format!("demo/westminster/{name}"),
                today,
                &|_| {},
            )
            .await
            .map_err(|e| anyhow!("demo/westminster/{name}: {e:?}"))?;
    }
    for (name, text) in COMPLIMENTS {
        let rows = parse_compliments(text.as_bytes())
            .map_err(|e| anyhow!("demo/westminster/{name}: {e}"))?;
        let compliments = rows.into_iter().map(super::exchange::compliment).collect();
        store
            .import_compliments(&spec, compliments, "demo")
            .await
            .map_err(|e| anyhow!("demo/westminster/{name}: {e:?}"))?;
    }
    let steps: Vec<Step> = serde_json::from_str(TRANSITIONS).context("demo transitions.json")?;
    for step in steps {
        let filter = CaseFilter {
            organisation: Some(spec.slug.clone()),
            reference: Some(step.reference.clone()),
            ..CaseFilter::default()
        };
        let (found, _) = store.list_cases(&filter, today).await?;
        let case = found
            .first()
            .ok_or_else(|| anyhow!("demo transitions.json: no case {}", step.reference))?;
        store
            .transition(case.id, case.version, &step.transition, "demo", today)
            .await
            .with_context(|| {
                format!(
                    "demo transitions.json: {} {}",
                    step.reference,
                    step.transition.name()
                )
            })?;
    }
    for (section, body) in NARRATIVE_2020 {
        store
            .set_narrative(&spec.slug, 2020, section, body, "demo")
            .await?;
    }
    Ok(true)
}

pub async fn run(database: Option<String>, args: DemoArgs) -> anyhow::Result<()> {
    let url = database.unwrap_or_else(|| DEMO_DATABASE_URL.to_string());
    let store = open(&url).await?;
    let spec = spec()?;
    if load(&store).await? {
        println!(
            "Loaded the demo organisation '{}' ({}) into {url}.",
            spec.slug, spec.name
        );
    } else {
        println!("The demo organisation '{}' is already in {url}.", spec.slug);
    }
    let report =
        redress_report::build(&store, &spec.slug, &Period::financial_year(2020), None).await?;
    println!("\n{} annual report, {}:", spec.name, report.period.label);
    for line in &report.summary {
        println!("  {line}");
    }
    println!("\nTry: redress --database {url} report annual --organisation {} --year 2020 --format html --out report.html", spec.slug);
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    serve_store(store, args.listen).await
}
