//! The statistics table stays in step with the cases through a randomised series of steps, a
//! closure day and a change of procedures, on both backends; the national roll-up's and each
//! organisation's report's grouped queries give what the reports from whole cases give.

mod common;

use common::App;
use redress_store::{Access, Actor};
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::{json, Value};

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// The steps of a case's life, dates relative to receipt; a random prefix of one is taken.
fn path(kind: u64, outcome: &str) -> Vec<Value> {
    let ack = json!({"transition": "acknowledge", "on": "@1"});
    let open = json!({"transition": "open_stage1"});
    let respond = |on: &str| json!({"transition": "respond", "on": on, "outcome": outcome});
    match kind {
        0 => vec![ack, open, respond("@9")],
        1 => vec![
            ack,
            open,
            json!({"transition": "extend", "to_working_days": 20, "reason": "records", "on": "@5"}),
            respond("@25"),
        ],
        2 => vec![
            ack,
            json!({"transition": "resolve_at_initial_contact", "on": "@2"}),
        ],
        3 => vec![json!({"transition": "reject", "on": "@1", "reason": "court proceedings"})],
        4 => vec![
            ack,
            open,
            respond("@30"),
            json!({"transition": "escalate", "requested_on": "@40"}),
        ],
        5 => vec![
            ack,
            open,
            json!({"transition": "stop_clock", "on": "@3", "reason": "awaiting the family"}),
            json!({"transition": "restart_clock", "on": "@8"}),
            respond("@14"),
        ],
        _ => vec![ack, open, json!({"transition": "withdraw", "on": "@4"})],
    }
}

fn dated(step: &Value, received: chrono::NaiveDate) -> Value {
    let mut step = step.clone();
    for value in step.as_object_mut().unwrap().values_mut() {
        if let Some(days) = value.as_str().and_then(|s| s.strip_prefix('@')) {
            let days: u64 = days.parse().unwrap();
            *value = (received + chrono::Days::new(days)).to_string().into();
        }
    }
    step
}

async fn assert_in_step(app: &App, when: &str) {
    let checks = app.store.check_statistics().await.unwrap();
    for check in &checks {
        assert!(
            check.differences.is_empty(),
            "{when}: {} differs: {:?}",
            check.organisation,
            &check.differences[..check.differences.len().min(5)]
        );
    }
}

/// Gives the Stage 1 of the case `which` selects an extension past the procedure's cap, as a
/// bad import might hold, and answers the store after its statistics are rebuilt.
async fn unjudgeable(db: &TestDatabase, which: &str) -> redress_store::Store {
    db.execute_directly(&format!(
        "UPDATE stages SET extended_to = 999 WHERE number = 1 AND case_id = ({which})"
    ))
    .await
    .unwrap();
    db.execute_directly(
        "INSERT INTO pending_work (name) SELECT 'build_statistics'
            WHERE NOT EXISTS (SELECT 1 FROM pending_work WHERE name = 'build_statistics')",
    )
    .await
    .unwrap();
    redress_store::Store::connect(&db.url).await.unwrap()
}

on_both_backends!(the_statistics_table_keeps_in_step);

async fn the_statistics_table_keeps_in_step(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let mut random = Lcg(1989);
    let outcomes = ["upheld", "partially_upheld", "not_upheld"];
    for i in 0..40 {
        let received = chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()
            + chrono::Days::new(random.next(300));
        let procedure = if random.next(3) == 0 {
            "corporate"
        } else {
            "statutory"
        };
        let created = app
            .new_case(procedure, &received.to_string())
            .await
            .expect(201);
        let (id, mut version) = (created.id(), created.etag());
        let steps = path(random.next(7), outcomes[random.next(3) as usize]);
        let take = 1 + random.next(steps.len() as u64) as usize;
        for step in steps.iter().take(take) {
            let reply = app.transition(id, version, dated(step, received)).await;
            if reply.status.as_u16() != 200 {
                // A step the case does not allow now (core said no): the case stays as it was.
                break;
            }
            version = reply.etag();
        }
        if i % 10 == 9 {
            assert_in_step(&app, &format!("after case {i}")).await;
        }
    }
    assert_in_step(&app, "after the cases").await;
    let checks = app.store.check_statistics().await.unwrap();
    let rows: usize = checks.iter().map(|c| c.rows).sum();
    assert!(rows > 40, "a row for each case and each stage: {rows}");

    // A closure day moves deadlines and timeliness: every case is judged again.
    app.store
        .add_closure(
            &Access::System,
            "testshire",
            None,
            redress_calendar::Closure {
                date: "2024-06-03".parse().unwrap(),
                label: "Council closure".into(),
            },
            &Actor::system("test"),
            "2024-05-01".parse().unwrap(),
        )
        .await
        .unwrap();
    assert_in_step(&app, "after a closure day").await;

    // A procedure added: statutory-or-not and timeliness are judged by procedure.
    let names: Vec<String> = ["statutory", "corporate", "lgsco-code"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    app.store
        .set_procedures(
            &Access::System,
            "testshire",
            None,
            &names,
            &Actor::system("test"),
        )
        .await
        .unwrap();
    assert_in_step(&app, "after a procedure change").await;

    // The grouped queries give what whole reports give.
    for year in [2024, 2025] {
        let period = redress_report::Period::financial_year(year);
        let fast = redress_web::report_input::national(&app.store, &period)
            .await
            .unwrap();
        let slow = redress_web::report_input::national_from_reports(&app.store, &period)
            .await
            .unwrap();
        assert_eq!(fast, slow, "the national roll-up for {year}");
    }
    // And each organisation's report, whole, by year, quarter and team.
    let mut periods: Vec<redress_report::Period> = (2023..=2025)
        .map(redress_report::Period::financial_year)
        .collect();
    periods.extend((1..=4).filter_map(|q| redress_report::Period::quarter(2024, q).ok()));
    let differences = redress_web::report_input::check_reports(&app.store, &periods)
        .await
        .unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
    let year = redress_report::Period::financial_year(2024);
    let report = redress_web::report_input::report(&app.store, "testshire", &year, None)
        .await
        .unwrap();
    assert!(report.complaints.received > 0 && report.stage1.responded > 0);

    // A stage the rules cannot judge (an extension past the procedure's cap, as a bad import
    // might hold) stops both reports, naming the same case: never counted in silence.
    let rebuilt = unjudgeable(
        db,
        "SELECT MIN(case_id) FROM stages WHERE number = 1 AND outcome IN ('upheld', 'not_upheld')",
    )
    .await;
    let differences = redress_web::report_input::check_reports(&rebuilt, &periods)
        .await
        .unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
    let refused = redress_web::report_input::report(&rebuilt, "testshire", &year, None).await;
    assert!(
        matches!(
            refused,
            Err(redress_web::report_input::ReportError::Timeliness(_))
        ),
        "{refused:?}"
    );

    // The check finds a row that was changed behind the program's back.
    db.execute_directly("UPDATE case_stage_stats SET extended = NOT extended WHERE stage = 1")
        .await
        .unwrap();
    let checks = app.store.check_statistics().await.unwrap();
    assert!(checks.iter().any(|c| !c.differences.is_empty()));
}

/// A case of `slug` received on `received_on` (a Monday), at Stage 1, then `steps`.
async fn stage1_case(app: &App, slug: &str, procedure: &str, received_on: &str, steps: &[Value]) {
    let created = app
        .post(
            "/api/v1/cases",
            json!({
                "organisation": slug,
                "procedure": procedure,
                "received_on": received_on,
                "channel": "email",
                "complainant_role": "parent",
                "team": if slug == "testshire" { "Access & Assessment Team" } else { "Children's Services" },
                "personal": {"summary": "Late reply to a letter about contact arrangements"}
            }),
        )
        .await
        .expect(201);
    let id = created.id();
    let mut version = app
        .step(
            id,
            created.etag(),
            json!({"transition": "acknowledge", "on": received_on}),
        )
        .await;
    version = app
        .step(id, version, json!({"transition": "open_stage1"}))
        .await;
    for step in steps {
        version = app.step(id, version, step.clone()).await;
    }
}

/// Stage 1s answered in time and late, open and overdue, closed unanswered when the
/// complainant went on, and one whose clock is stopped now.
async fn mixed_cases(app: &App, slug: &str) {
    let respond = |on: &str| json!({"transition": "respond", "on": on, "outcome": "upheld"});
    stage1_case(
        app,
        slug,
        "statutory",
        "2024-06-03",
        &[respond("2024-06-07")],
    )
    .await;
    stage1_case(
        app,
        slug,
        "statutory",
        "2024-06-10",
        &[respond("2024-06-12")],
    )
    .await;
    stage1_case(
        app,
        slug,
        "statutory",
        "2024-06-17",
        &[respond("2024-08-30")],
    )
    .await;
    stage1_case(app, slug, "statutory", "2024-07-01", &[]).await;
    stage1_case(app, slug, "statutory", "2024-07-08", &[]).await;
    stage1_case(
        app,
        slug,
        "statutory",
        "2024-07-15",
        &[json!({"transition": "escalate", "requested_on": "2024-09-02"})],
    )
    .await;
    stage1_case(
        app,
        slug,
        "corporate",
        "2024-09-02",
        // Stopped still: judged from the case, as its report judges it.
        &[json!({"transition": "stop_clock", "on": "2024-09-04", "reason": "awaiting the family"})],
    )
    .await;
}

/// Every figure of a national row is its organisation's report's.
fn assert_row_is_report(row: &redress_report::Headline, report: &redress_report::Report) {
    let (c, s1) = (&report.complaints, &report.stage1);
    assert_eq!(
        (row.received, row.statutory, row.non_statutory),
        (c.received, c.statutory, c.non_statutory)
    );
    assert_eq!(
        (row.stage1_responded, row.stage1_within_timescale),
        (s1.responded, s1.within_timescale)
    );
    assert_eq!(
        (row.stage1_open_overdue, row.stage1_not_responded_in_time),
        (s1.open_overdue, s1.not_responded_in_time)
    );
    assert_eq!(
        row.stage1_within_timescale_percent,
        s1.within_timescale_percent
    );
    assert_eq!(
        (row.stage2_started, row.stage3_started),
        (report.stage2.started, report.stage3.started)
    );
    assert_eq!(
        (row.ombudsman_decisions, row.compliments_received),
        (report.ombudsman.total, report.compliments.received)
    );
}

/// The roll-up for `year`, checked against the one from whole reports.
async fn national(store: &redress_store::Store) -> redress_report::NationalReport {
    let year = redress_report::Period::financial_year(2024);
    let fast = redress_web::report_input::national(store, &year)
        .await
        .unwrap();
    let slow = redress_web::report_input::national_from_reports(store, &year)
        .await
        .unwrap();
    assert_eq!(
        fast, slow,
        "the grouped queries give what whole reports give"
    );
    fast
}

async fn report(store: &redress_store::Store, slug: &str) -> redress_report::Report {
    let year = redress_report::Period::financial_year(2024);
    redress_web::report_input::report(store, slug, &year, None)
        .await
        .unwrap()
}

on_both_backends!(national_totals_equal_the_organisation_rows);

/// Issue 24: the roll-up's totals divided in-time by responded and dropped the stages overdue
/// (one organisation's row 55.6%, the totals 100.0%), skipped stopped clocks, and summed an
/// organisation whose report could not be judged.
async fn national_totals_equal_the_organisation_rows(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    mixed_cases(&app, "testshire").await;
    let year = redress_report::Period::financial_year(2024);
    // One organisation: every figure of its row is its report's, and the totals are the row.
    let one = national(&app.store).await;
    let testshire = report(&app.store, "testshire").await;
    assert!(testshire.stage1.open_overdue > 0 && testshire.stage1.not_responded_in_time > 0);
    let row = &one.organisations[0].figures;
    assert_row_is_report(row, &testshire);
    assert_eq!(
        one.totals, *row,
        "the totals of one organisation are its row"
    );
    // 2 in time of 3 responded, 2 open and overdue and 1 not responded in time: 2 of 6, not
    // the 2 of 3 the totals used to show.
    assert_eq!(one.totals.stage1_within_timescale_percent, Some(33.3));
    assert!(one.unjudged.is_empty() && one.totals_note.is_none());

    // Two organisations: the totals are the report's figures of the summed counts.
    app.sign_in_as("operator@redress.test").await;
    app.post(
        "/api/v1/organisations",
        json!({"slug": "otherham", "name": "Otherham Council", "reference_prefix": "OTH"}),
    )
    .await
    .expect(201);
    app.post(
        "/api/v1/organisations/otherham/teams",
        json!({"name": "Children's Services"}),
    )
    .await
    .expect(204);
    app.add_user(
        "officer@otherham.test",
        Some("otherham"),
        Some(redress_store::Role::ComplaintsOfficer),
        &[],
        false,
    )
    .await;
    app.sign_in_as("officer@otherham.test").await;
    let respond = json!({"transition": "respond", "on": "2024-10-08", "outcome": "not_upheld"});
    stage1_case(&app, "otherham", "statutory", "2024-10-07", &[respond]).await;
    stage1_case(&app, "otherham", "statutory", "2024-10-14", &[]).await;
    let two = national(&app.store).await;
    let otherham = report(&app.store, "otherham").await;
    assert_eq!(two.organisations.len(), 2);
    let mut counts = redress_core::report_counts::ReportCounts::default();
    for (row, report) in two.organisations.iter().zip([&otherham, &testshire]) {
        assert_eq!(row.slug, report.organisation.slug);
        assert_row_is_report(&row.figures, report);
        counts.complaints.received += report.complaints.received;
        counts.complaints.statutory += report.complaints.statutory;
        let stage1 = &mut counts.stages[0];
        stage1.responded += report.stage1.responded;
        stage1.within_timescale += report.stage1.within_timescale;
        stage1.open_overdue += report.stage1.open_overdue;
        stage1.not_responded_in_time += report.stage1.not_responded_in_time;
    }
    let organisation = redress_report::input::Organisation {
        slug: "all".into(),
        name: "All".into(),
        procedures: Vec::new(),
        procedure_history: Vec::new(),
        calendar: redress_calendar::Calendar::built_in(redress_calendar::Division::EnglandAndWales),
        bank_holiday_calendar: redress_calendar::Calendar::built_in(
            redress_calendar::Division::EnglandAndWales,
        ),
    };
    let summed =
        redress_report::from_counts(&organisation, &counts, &Default::default(), &year, None)
            .unwrap();
    let totals = &two.totals;
    assert_eq!(
        totals.stage1_within_timescale_percent,
        summed.stage1.within_timescale_percent
    );
    assert_eq!(totals.received, summed.complaints.received);
    assert_eq!(totals.non_statutory, summed.complaints.non_statutory);
    assert_eq!(totals.stage1_responded, summed.stage1.responded);
    assert_eq!(
        totals.stage1_within_timescale,
        summed.stage1.within_timescale
    );
    assert_eq!(totals.stage1_open_overdue, summed.stage1.open_overdue);
    assert_eq!(
        totals.stage1_not_responded_in_time,
        summed.stage1.not_responded_in_time
    );

    // Otherham's Stage 1 cannot be judged (an extension past the procedure's cap, as a bad
    // import might hold): it is named with the reason, and the totals leave it out and say so.
    let rebuilt = unjudgeable(
        db,
        "SELECT MIN(s.case_id) FROM stages s JOIN cases c ON c.id = s.case_id
            JOIN organisations o ON o.id = c.organisation_id
            WHERE o.slug = 'otherham' AND s.outcome = 'not_upheld'",
    )
    .await;
    let refused = redress_web::report_input::report(&rebuilt, "otherham", &year, None).await;
    let Err(redress_web::report_input::ReportError::Timeliness(error)) = refused else {
        panic!("otherham's report cannot be judged: {refused:?}");
    };
    let named = national(&rebuilt).await;
    assert_eq!(named.organisations.len(), 1);
    assert_eq!(named.organisations[0].slug, "testshire");
    assert_eq!(named.unjudged.len(), 1);
    assert_eq!(named.unjudged[0].slug, "otherham");
    assert_eq!(named.unjudged[0].reason, error.to_string());
    assert_eq!(named.totals, named.organisations[0].figures, "not summed");
    let note = named.totals_note.clone().unwrap();
    assert!(note.contains("Otherham Council"), "{note}");
}
