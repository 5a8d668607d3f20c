//! `redress demo`: loads City of Westminster's 2019/20 and 2020/21 complaints through the same
//! import path a council uses, then serves them. The data ships inside the binary.

use super::database::{open, serve_store, MailArgs, SessionArgs};
use anyhow::{anyhow, Context};
use clap::Args;
use redress_accounts::NewUser;
use redress_calendar::Division;
use redress_core::NewCase;
use redress_core::{Nation, Procedure, Transition};
use redress_interchange::{parse_cases, parse_compliments};
use redress_report::Period;
use redress_store::{Access, Actor, CaseFilter, ImportedCase, NewOrganisation, Role, Store};
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
const USERS: &str = include_str!("../../demo/westminster/users.json");
const LIVE_CASES: &str = include_str!("../../demo/westminster/live-cases.json");
/// A Welsh council running the Welsh procedure, with complaints made in Welsh.
const WELSH_ORGANISATION: &str = include_str!("../../demo/dyffryn/organisation.json");
const WELSH_USERS: &str = include_str!("../../demo/dyffryn/users.json");
const WELSH_LIVE_CASES: &str = include_str!("../../demo/dyffryn/live-cases.json");
/// Mail waiting in the complaints mailbox, dated `DATE(-N)`: N days before the demo is loaded.
const MAILBOX: [&str; 2] = [
    include_str!("../../demo/westminster/mailbox/01-contact-arrangements.eml"),
    include_str!("../../demo/westminster/mailbox/02-thank-you.eml"),
];
/// Every demo user's password; printed by `redress demo` and listed in the README.
pub const DEMO_PASSWORD: &str = "westminster-demo";
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
    #[command(flatten)]
    sessions: SessionArgs,
    #[command(flatten)]
    mail: MailArgs,
}

#[derive(Deserialize)]
struct DemoUser {
    email: String,
    display_name: String,
    role: Role,
    teams: Vec<String>,
}

/// A complaint still being worked on, dated relative to the day the demo is loaded.
#[derive(Deserialize)]
struct LiveCase {
    received_days_ago: u64,
    case: serde_json::Value,
    steps: Vec<LiveStep>,
    /// Letters written today from the organisation's templates, as the API writes them.
    #[serde(default)]
    letters: Vec<String>,
}

#[derive(Deserialize)]
struct LiveStep {
    /// Dates written "@+N" are N days after receipt.
    transition: serde_json::Value,
}

/// Replaces every "@+N" string in `value` with the date N days after `received_on`.
fn resolve_dates(value: &mut serde_json::Value, received_on: chrono::NaiveDate) {
    match value {
        serde_json::Value::String(text) => {
            if let Some(days) = text.strip_prefix("@+").and_then(|n| n.parse::<u64>().ok()) {
                *text = (received_on + chrono::Days::new(days)).to_string();
            }
        }
        serde_json::Value::Object(map) => {
            map.values_mut().for_each(|v| resolve_dates(v, received_on))
        }
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|v| resolve_dates(v, received_on))
        }
        _ => {}
    }
}

#[derive(Deserialize)]
struct OrganisationFile {
    slug: String,
    name: String,
    reference_prefix: String,
    division: Division,
    /// Absent: the nation of the division (England for England and Wales).
    #[serde(default)]
    nation: Option<Nation>,
    /// Absent: the statutory children's and the corporate procedure.
    #[serde(default)]
    procedures: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Step {
    reference: String,
    transition: Transition,
}

fn spec() -> anyhow::Result<NewOrganisation> {
    spec_of(ORGANISATION, "demo/westminster/organisation.json")
}

fn spec_of(text: &str, path: &str) -> anyhow::Result<NewOrganisation> {
    let file: OrganisationFile = serde_json::from_str(text).context(path.to_string())?;
    Ok(NewOrganisation {
        slug: file.slug,
        name: file.name,
        reference_prefix: file.reference_prefix,
        division: file.division,
        nation: file.nation.unwrap_or(Nation::of_division(file.division)),
        procedures: match file.procedures {
            Some(names) => names
                .iter()
                .map(|n| Procedure::preset(n).with_context(|| format!("demo procedure {n}")))
                .collect::<anyhow::Result<_>>()?,
            None => ["statutory", "corporate"]
                .iter()
                .filter_map(|n| Procedure::preset(n))
                .collect(),
        },
    })
}

/// Loads the demo organisation, unless it is there already.
pub async fn load(store: &Store) -> anyhow::Result<bool> {
    let spec = spec()?;
    if store.find_organisation(&spec.slug).await?.is_some() {
        return Ok(false);
    }
    let today = redress_calendar::Clock::system().today();
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
    let actor = Actor::system("demo");
    let steps: Vec<Step> = serde_json::from_str(TRANSITIONS).context("demo transitions.json")?;
    for step in steps {
        let filter = CaseFilter {
            organisation: Some(spec.slug.clone()),
            reference: Some(step.reference.clone()),
            ..CaseFilter::default()
        };
        let (found, _) = store.list_cases(&Access::System, &filter, today).await?;
        let case = found
            .first()
            .ok_or_else(|| anyhow!("demo transitions.json: no case {}", step.reference))?;
        store
            .transition(
                &Access::System,
                case.id,
                case.version,
                &step.transition,
                &actor,
                today,
            )
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
            .set_narrative(&Access::System, &spec.slug, 2020, section, body, &actor)
            .await?;
    }
    load_users(
        store,
        &spec.slug,
        &actor,
        USERS,
        "demo/westminster/users.json",
    )
    .await?;
    load_live_cases(
        store,
        &spec.slug,
        &actor,
        today,
        LIVE_CASES,
        "demo/westminster/live-cases.json",
    )
    .await?;
    load_mailbox(store, &spec.slug, today).await?;
    load_welsh_council(store, &actor, today).await?;
    Ok(true)
}

/// The Welsh council: created as an administrator would create it, with its teams, reasons,
/// users and complaints in progress through the same calls.
async fn load_welsh_council(
    store: &Store,
    actor: &Actor,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let path = "demo/dyffryn";
    let spec = spec_of(WELSH_ORGANISATION, &format!("{path}/organisation.json"))?;
    store.create_organisation(&spec, actor).await?;
    let live: Vec<LiveCase> =
        serde_json::from_str(WELSH_LIVE_CASES).context("demo/dyffryn/live-cases.json")?;
    for entry in &live {
        for (field, is_team) in [("team", true), ("reason", false)] {
            if let Some(name) = entry.case[field].as_str() {
                if is_team {
                    store
                        .add_team(&Access::System, &spec.slug, name, actor)
                        .await?;
                } else {
                    store
                        .add_reason(&Access::System, &spec.slug, name, actor)
                        .await?;
                }
            }
        }
    }
    load_users(
        store,
        &spec.slug,
        actor,
        WELSH_USERS,
        &format!("{path}/users.json"),
    )
    .await?;
    load_live_cases(
        store,
        &spec.slug,
        actor,
        today,
        WELSH_LIVE_CASES,
        &format!("{path}/live-cases.json"),
    )
    .await
}

/// One user per role, through the same path as `redress user add`.
async fn load_users(
    store: &Store,
    slug: &str,
    actor: &Actor,
    text: &str,
    path: &str,
) -> anyhow::Result<()> {
    let users: Vec<DemoUser> = serde_json::from_str(text).context(path.to_string())?;
    let accounts = redress_accounts::Accounts::new(store.clone());
    for user in users {
        let new = NewUser {
            email: user.email.clone(),
            display_name: Some(user.display_name),
            organisation: Some(slug.to_string()),
            role: Some(user.role),
            teams: user.teams,
            password: Some(DEMO_PASSWORD.to_string()),
            system_admin: false,
        };
        accounts
            .add_user(&new, actor)
            .await
            .with_context(|| format!("{path}: {}", user.email))?;
    }
    Ok(())
}

/// Complaints in progress now, through the same calls as the API, with the mail they cause
/// (acknowledgements, notices to the officers, appointments) waiting in the outbox, or sent
/// when `--smtp-url` is given.
async fn load_live_cases(
    store: &Store,
    slug: &str,
    actor: &Actor,
    today: chrono::NaiveDate,
    text: &str,
    path: &str,
) -> anyhow::Result<()> {
    let live: Vec<LiveCase> = serde_json::from_str(text).context(path.to_string())?;
    for (i, mut entry) in live.into_iter().enumerate() {
        let context = || format!("{path}, case {}", i + 1);
        let received_on = today - chrono::Days::new(entry.received_days_ago);
        entry.case["received_on"] = received_on.to_string().into();
        let new: NewCase = serde_json::from_value(entry.case).with_context(context)?;
        let mut record = store
            .create_case(&Access::System, slug, new, actor, today)
            .await
            .with_context(context)?;
        for mut step in entry.steps {
            resolve_dates(&mut step.transition, received_on);
            let transition: Transition =
                serde_json::from_value(step.transition).with_context(context)?;
            record = store
                .transition(
                    &Access::System,
                    record.id,
                    record.version,
                    &transition,
                    actor,
                    today,
                )
                .await
                .with_context(context)?;
        }
        for kind in &entry.letters {
            redress_app::letters::write_letter(
                store,
                &redress_calendar::Clock::on(today),
                &Access::System,
                actor,
                record.id,
                kind,
                false,
            )
            .await
            .map_err(anyhow::Error::msg)
            .with_context(context)?;
        }
    }
    Ok(())
}

/// Email to the complaints mailbox, filed by the intake a council's mailbox or mail gate uses:
/// draft cases waiting on the dashboard for an officer to check.
async fn load_mailbox(store: &Store, slug: &str, today: chrono::NaiveDate) -> anyhow::Result<()> {
    let actor = Actor::system("mailbox complaints@westminster.example");
    for (i, message) in MAILBOX.iter().enumerate() {
        let mut raw = message.to_string();
        while let Some(start) = raw.find("DATE(-").or_else(|| raw.find("DATE(0)")) {
            let end = start
                + raw[start..]
                    .find(')')
                    .context("demo mailbox: DATE( without ')'")?;
            let days: u64 = raw[start + 5..end].trim_start_matches('-').parse()?;
            let date = (today - chrono::Days::new(days))
                .format("%a, %-d %b %Y")
                .to_string();
            raw.replace_range(start..=end, &date);
        }
        redress_app::intake::file_message(
            store,
            &Access::System,
            slug,
            raw.replace('\n', "\r\n").as_bytes(),
            None,
            &actor,
        )
        .await
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("demo mailbox, message {}", i + 1))?;
    }
    Ok(())
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
        redress_app::report_input::report(&store, &spec.slug, &Period::financial_year(2020), None)
            .await?;
    println!("\n{} annual report, {}:", spec.name, report.period.label);
    for line in &report.summary {
        println!("  {line}");
    }
    println!("\nTry: redress --database {url} report annual --organisation {} --year 2020 --format html --out report.html", spec.slug);
    println!("\nDemo sign-ins (every password is {DEMO_PASSWORD}):");
    for text in [USERS, WELSH_USERS] {
        let users: Vec<DemoUser> = serde_json::from_str(text).context("demo users")?;
        for user in users {
            println!("  {:<36} {}", user.email, user.role);
        }
    }
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    serve_store(store, args.listen, args.sessions.settings(), &args.mail).await
}
