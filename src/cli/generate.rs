//! `redress gen`: realistic synthetic organisations as import CSVs, for benchmarks and load
//! tests. Deterministic for a given seed.

use anyhow::Context;
use chrono::{Days, NaiveDate};
use clap::Args;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redress_calendar::{Calendar, Division};
use redress_core::{
    Case, CaseFacts, Channel, ComplainantRole, OmbudsmanCase, OmbudsmanDecision, Outcome,
    Procedure, Stage,
};
use redress_interchange::{write_cases, write_compliments};
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct GenArgs {
    /// How many organisations.
    #[arg(long, default_value_t = 1)]
    organisations: u32,
    /// How many cases in all, shared evenly between the organisations.
    #[arg(long, default_value_t = 1000)]
    cases: u64,
    /// The first financial year (1 April) of the data; it runs ten years.
    #[arg(long, default_value_t = 2016)]
    from_year: i32,
    #[arg(long, default_value_t = 10)]
    years: i32,
    /// Seed for the random generator.
    #[arg(long, default_value_t = 1989)]
    seed: u64,
    /// Folder to write `org-NNN/cases.csv` and `org-NNN/compliments.csv` into.
    #[arg(long)]
    out: PathBuf,
}

const TEAMS: [&str; 10] = [
    "Access & Assessment Team",
    "Special Educational Needs",
    "North East Social Work Team",
    "Fostering and Adoption Team",
    "Disabled Children's Team",
    "North East Early Help Team",
    "Looked After Children & Leaving Care",
    "School Standards",
    "Short breaks",
    "Localities",
];

const REASONS: [&str; 12] = [
    "Failure or refusal to provide a service",
    "Communication",
    "Staff attitude or conduct",
    "Quality of service",
    "Delay in providing a service",
    "Assessment outcome",
    "Contact arrangements",
    "Disagreement with a decision",
    "Information sharing",
    "Transport",
    "Financial support",
    "Placement",
];

const CHANNELS: [Channel; 8] = [
    Channel::Email,
    Channel::Email,
    Channel::Email,
    Channel::Web,
    Channel::Web,
    Channel::Phone,
    Channel::Post,
    Channel::CouncillorOrMp,
];

const ROLES: [ComplainantRole; 8] = [
    ComplainantRole::Parent,
    ComplainantRole::Parent,
    ComplainantRole::Parent,
    ComplainantRole::Child,
    ComplainantRole::FosterCarer,
    ComplainantRole::Carer,
    ComplainantRole::CareLeaver,
    ComplainantRole::Relative,
];

const OUTCOMES: [Outcome; 6] = [
    Outcome::Upheld,
    Outcome::PartiallyUpheld,
    Outcome::PartiallyUpheld,
    Outcome::NotUpheld,
    Outcome::NotUpheld,
    Outcome::NotUpheld,
];

struct Generator<'a> {
    rng: StdRng,
    calendar: &'a Calendar,
    statutory: Procedure,
    corporate: Procedure,
    first_day: NaiveDate,
    span_days: u64,
    today: NaiveDate,
}

impl Generator<'_> {
    fn working_days_after(&mut self, from: NaiveDate, low: u32, high: u32) -> NaiveDate {
        let n = self.rng.random_range(low..=high);
        self.calendar.add_working_days(from, n).unwrap_or(from)
    }

    fn case(&mut self, prefix: &str, number: u64) -> Case {
        Case::from_history(self.facts(prefix, number))
    }

    /// A random history; core works out its status.
    fn facts(&mut self, prefix: &str, number: u64) -> CaseFacts {
        let received_on = self.first_day + Days::new(self.rng.random_range(0..self.span_days));
        let statutory = self.rng.random_bool(0.12);
        let procedure = if statutory {
            &self.statutory
        } else {
            &self.corporate
        }
        .clone();
        let channel = CHANNELS[self.rng.random_range(0..CHANNELS.len())];
        let role = ROLES[self.rng.random_range(0..ROLES.len())];
        let reference = format!("{prefix}-{number:07}");
        let mut case = CaseFacts {
            child_complained: self.rng.random_bool(0.08),
            team: Some(TEAMS[self.rng.random_range(0..TEAMS.len())].to_string()),
            reason: Some(REASONS[self.rng.random_range(0..REASONS.len())].to_string()),
            ..CaseFacts::received(
                reference,
                procedure.name.clone(),
                received_on,
                channel,
                role,
            )
        };
        case.advocacy_offered = case.child_complained || self.rng.random_bool(0.05);
        case.advocacy_taken_up = case.advocacy_offered && self.rng.random_bool(0.4);
        let roll: f64 = self.rng.random();
        if roll < 0.03 {
            case.resolved_on = Some(received_on);
            return case;
        }
        if roll < 0.06 {
            case.rejected_on = Some(received_on);
            case.rejected_reason = Some("concerns another local authority".into());
            case.team = None;
            case.reason = None;
            return case;
        }
        let mut started_on = received_on;
        for number in 1..=procedure.stages.len() as u8 {
            let rule = procedure.stage(number as usize).expect("stage").clone();
            let mut stage = Stage::opened(number, started_on);
            if rule.max_extended_to > rule.respond_within && self.rng.random_bool(0.1) {
                stage.extended_to = Some(rule.max_extended_to);
            }
            let (low, high) = (
                rule.respond_within / 2,
                rule.respond_within + rule.respond_within / 2,
            );
            let responded_on = match rule.panel {
                Some(panel) => {
                    let panel_on = self.working_days_after(
                        started_on,
                        panel.meet_within - 10,
                        panel.meet_within + 2,
                    );
                    stage.panel_on = Some(panel_on);
                    self.working_days_after(panel_on, 5, panel.response_after_panel() + 2)
                }
                None => self.working_days_after(started_on, low.max(1), high.max(2)),
            };
            if responded_on >= self.today {
                case.stages.push(stage);
                return case;
            }
            stage.responded_on = Some(responded_on);
            stage.outcome = Some(OUTCOMES[self.rng.random_range(0..OUTCOMES.len())]);
            case.stages.push(stage);
            let escalates = number < procedure.stages.len() as u8
                && self.rng.random_bool(if number == 1 { 0.08 } else { 0.25 });
            if !escalates {
                break;
            }
            started_on = self.working_days_after(responded_on, 1, 15);
            if started_on >= self.today {
                break;
            }
        }
        if self.rng.random_bool(0.02) {
            let decided_on = self.working_days_after(received_on, 120, 260);
            if decided_on < self.today {
                let decisions = [
                    OmbudsmanDecision::OutOfJurisdiction,
                    OmbudsmanDecision::AssessedAndClosed,
                    OmbudsmanDecision::Premature,
                    OmbudsmanDecision::NoFault,
                    OmbudsmanDecision::FaultNoInjustice,
                    OmbudsmanDecision::FaultInjustice,
                ];
                case.ombudsman.push(OmbudsmanCase {
                    decision: decisions[self.rng.random_range(0..decisions.len())],
                    decided_on,
                    lgsco_reference: None,
                    remedies: Vec::new(),
                });
            }
        }
        case
    }
}

pub fn run(args: GenArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.organisations >= 1,
        "--organisations must be at least 1"
    );
    anyhow::ensure!(
        (1..=30).contains(&args.years),
        "--years must be between 1 and 30"
    );
    let calendar = Calendar::built_in(Division::EnglandAndWales);
    let first_day =
        NaiveDate::from_ymd_opt(args.from_year, 4, 1).context("--from-year is not a year")?;
    let end = NaiveDate::from_ymd_opt(args.from_year + args.years, 3, 31)
        .context("--years is too large")?;
    let today = redress_calendar::Clock::system().today().min(end);
    let span_days = (today - first_day).num_days().max(1) as u64;
    anyhow::ensure!(
        calendar.add_working_days(end, 100).is_ok(),
        "the built-in calendar does not reach {}: choose earlier years",
        end
    );
    let mut generator = Generator {
        rng: StdRng::seed_from_u64(args.seed),
        calendar: &calendar,
        statutory: Procedure::preset("statutory").expect("preset"),
        corporate: Procedure::preset("corporate").expect("preset"),
        first_day,
        span_days,
        today,
    };
    let procedures = [generator.statutory.clone(), generator.corporate.clone()];
    let per_organisation = args.cases / args.organisations as u64;
    let remainder = args.cases % args.organisations as u64;
    for index in 0..args.organisations {
        let slug = format!("org-{:03}", index + 1);
        let dir = args.out.join(&slug);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let count = per_organisation + u64::from((index as u64) < remainder);
        let prefix = format!("O{:03}", index + 1);
        let cases_path = dir.join("cases.csv");
        let file = File::create(&cases_path)
            .with_context(|| format!("cannot write {}", cases_path.display()))?;
        let cases = (1..=count).map(|n| generator.case(&prefix, n));
        write_cases(BufWriter::with_capacity(1 << 20, file), cases, &procedures)?;
        let compliments_path = dir.join("compliments.csv");
        let file = File::create(&compliments_path)?;
        let compliments: Vec<(NaiveDate, &str, &str, bool)> = (0..count / 2)
            .map(|_| {
                let day = first_day + Days::new(generator.rng.random_range(0..span_days));
                let team = TEAMS[generator.rng.random_range(0..TEAMS.len())];
                (
                    day,
                    team,
                    "Thank you for your help",
                    generator.rng.random_bool(0.3),
                )
            })
            .collect();
        write_compliments(BufWriter::new(file), compliments)?;
        eprintln!("wrote {count} cases for {slug} to {}", dir.display());
    }
    Ok(())
}
