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
    db.execute_directly(
        "UPDATE stages SET extended_to = 999 WHERE number = 1 AND case_id = (SELECT MIN(case_id)
            FROM stages WHERE number = 1 AND outcome IN ('upheld', 'not_upheld'))",
    )
    .await
    .unwrap();
    db.execute_directly(
        "INSERT INTO pending_work (name) SELECT 'build_statistics'
            WHERE NOT EXISTS (SELECT 1 FROM pending_work WHERE name = 'build_statistics')",
    )
    .await
    .unwrap();
    let rebuilt = redress_store::Store::connect(&db.url).await.unwrap();
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
