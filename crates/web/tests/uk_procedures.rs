//! The UK-wide procedures through the API, on SQLite and PostgreSQL: an organisation per
//! nation, a case under each preset from receipt to the ombudsman with each deadline stated,
//! and each refusal naming its field.

mod common;

use common::App;
use redress_store::Role;
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::{json, Value};

on_both_backends!(
    the_nation_sets_the_ombudsman_and_refuses_another_nations_law,
    adult_social_care_case_from_receipt_to_the_lgsco,
    wales_case_from_receipt_to_the_psow,
    scotland_case_from_receipt_to_the_spso,
    northern_ireland_case_from_receipt_to_nipso,
    spso_indicators_match_the_hand_computed_table,
    a_welsh_councils_public_form_files_under_its_own_procedure,
);

/// Starts the app on a fixed day after every date used here, as the operator.
async fn app(db: &TestDatabase) -> App {
    let app = App::restart(db).await;
    let at = "2027-09-01T12:00:00Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    app.store.set_clock(redress_calendar::Clock::fixed(at));
    app.add_user("operator@redress.test", None, None, &[], true)
        .await;
    app.sign_in_as("operator@redress.test").await;
    app
}

/// Creates the organisation `slug` in `nation` with a team and a reason, and signs in as its
/// complaints officer.
async fn council(app: &App, slug: &str, nation: &str) -> Value {
    let created = app
        .post(
            "/api/v1/organisations",
            json!({"slug": slug, "name": format!("{slug} council"), "reference_prefix": "UK", "nation": nation}),
        )
        .await
        .expect(201);
    app.post(
        &format!("/api/v1/organisations/{slug}/teams"),
        json!({"name": "Social work"}),
    )
    .await
    .expect(204);
    let officer = format!("officer@{slug}.test");
    app.add_user(
        &officer,
        Some(slug),
        Some(Role::ComplaintsOfficer),
        &[],
        false,
    )
    .await;
    app.sign_in_as(&officer).await;
    created.body
}

/// Sets the clock to noon on `day` and signs in again as `who`, as the person taking a step
/// that day would be (a step may not be dated after the day it is taken, nor an extension
/// recorded after the deadline it extends).
async fn on_day(app: &App, day: &str, who: &str) {
    let at = format!("{day}T12:00:00Z")
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    app.store.set_clock(redress_calendar::Clock::fixed(at));
    app.sign_in_as(who).await;
}

/// The day a step is taken: the latest date it carries.
async fn dated(app: &App, who: &str, body: &Value) {
    let latest = [
        "on",
        "requested_on",
        "agreed_on",
        "notified_on",
        "decided_on",
    ]
    .iter()
    .filter_map(|k| body[*k].as_str())
    .max();
    if let Some(day) = latest {
        on_day(app, day, who).await;
    }
}

/// A step that must succeed, taken on its own day; returns the new version.
async fn step(app: &App, who: &str, id: i64, v: i64, body: Value) -> i64 {
    dated(app, who, &body).await;
    app.step(id, v, body).await
}

/// A step that may be refused, taken on its own day.
async fn attempt(app: &App, who: &str, id: i64, v: i64, body: Value) -> common::Reply {
    dated(app, who, &body).await;
    app.transition(id, v, body).await
}

async fn new_case(app: &App, slug: &str, procedure: &str, received_on: &str) -> (i64, i64) {
    on_day(app, received_on, &format!("officer@{slug}.test")).await;
    let created = app
        .post(
            "/api/v1/cases",
            json!({
                "organisation": slug, "procedure": procedure, "received_on": received_on,
                "channel": "email", "complainant_role": "relative", "team": "Social work",
                "personal": {"summary": "Care at home visits missed"}
            }),
        )
        .await
        .expect(201);
    (created.id(), created.etag())
}

/// The deadline in force now and the working days left, as the case's API answer gives it.
async fn due_on(app: &App, id: i64) -> String {
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    case.body["deadline"]["due_on"]
        .as_str()
        .unwrap_or_else(|| panic!("no deadline in {:#}", case.body))
        .to_string()
}

/// Acknowledged on `on`, with Stage 1 open; returns the new version.
async fn opened(app: &App, who: &str, id: i64, v: i64, on: &str) -> i64 {
    let v = step(
        app,
        who,
        id,
        v,
        json!({"transition": "acknowledge", "on": on}),
    )
    .await;
    step(app, who, id, v, json!({"transition": "open_stage1"})).await
}

/// Stage 1 answered with `outcome` on its day, and Stage 2 asked for on `requested_on`.
async fn to_stage_2(
    app: &App,
    who: &str,
    id: i64,
    v: i64,
    (on, outcome): (&str, &str),
    requested_on: &str,
) -> i64 {
    let body = json!({"transition": "respond", "on": on, "outcome": outcome});
    let v = step(app, who, id, v, body).await;
    let body = json!({"transition": "escalate", "requested_on": requested_on});
    step(app, who, id, v, body).await
}

/// The last stage answered with `outcome` and the case closed the same day.
async fn respond_and_close(app: &App, who: &str, id: i64, v: i64, on: &str, outcome: &str) -> i64 {
    let body = json!({"transition": "respond", "on": on, "outcome": outcome});
    let v = step(app, who, id, v, body).await;
    step(app, who, id, v, json!({"transition": "close", "on": on})).await
}

/// The ombudsman's decision, and the case as it then reads.
async fn to_the_ombudsman(app: &App, who: &str, id: i64, v: i64, decided_on: &str) -> Value {
    step(
        app,
        who,
        id,
        v,
        json!({"transition": "record_ombudsman_decision", "decision": "no_fault",
               "decided_on": decided_on, "ombudsman_reference": "202701234"}),
    )
    .await;
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(case.body["ombudsman"][0]["decision"], "no_fault");
    case.body
}

async fn the_nation_sets_the_ombudsman_and_refuses_another_nations_law(db: &TestDatabase) {
    let app = app(db).await;
    // The nation sets the division, the ombudsman and the default procedures.
    let body = council(&app, "glenshire", "scotland").await;
    assert_eq!(body["division"], "scotland");
    assert_eq!(body["ombudsman"]["short_name"], "SPSO");
    assert_eq!(body["procedures"], json!(["spso-mchp"]));
    let procedures = app
        .get("/api/v1/organisations/glenshire/procedures")
        .await
        .expect(200);
    assert_eq!(procedures.body[0]["name"], "spso-mchp");
    assert_eq!(
        procedures.body[0]["ombudsman"]["name"],
        "Scottish Public Services Ombudsman"
    );
    assert_eq!(procedures.body[0]["stages"][1]["acknowledge_within"], 3);

    // Back as the operator: a wrong mix is refused naming the field, and nothing is made.
    app.sign_in_as("operator@redress.test").await;
    app.post(
        "/api/v1/organisations",
        json!({"slug": "mixshire", "name": "Mix", "reference_prefix": "MX", "nation": "scotland",
               "procedures": ["spso-mchp", "statutory"]}),
    )
    .await
    .refused(422, Some("procedures[1]"), "Scotland");
    app.post(
        "/api/v1/organisations",
        json!({"slug": "mixshire", "name": "Mix", "reference_prefix": "MX", "nation": "wales",
               "division": "scotland"}),
    )
    .await
    .refused(422, Some("division"), "england-and-wales");
    app.post(
        "/api/v1/organisations",
        json!({"slug": "mixshire", "name": "Mix", "reference_prefix": "MX", "nation": "cymru"}),
    )
    .await
    .refused(422, Some("nation"), "cymru");
    app.get("/api/v1/organisations/mixshire/procedures")
        .await
        .expect(404);
    // The same check when the procedures are changed later.
    app.add_user(
        "admin@glenshire.test",
        Some("glenshire"),
        Some(Role::Admin),
        &[],
        false,
    )
    .await;
    app.sign_in_as("admin@glenshire.test").await;
    app.put(
        "/api/v1/organisations/glenshire/procedures",
        json!({"procedures": ["spso-mchp", "adult-social-care"]}),
    )
    .await
    .refused(422, Some("procedures[1]"), "Scotland");
    // An English council runs its children's, adults' and corporate procedures together.
    app.sign_in_as("operator@redress.test").await;
    let england = council(&app, "midshire", "england").await;
    assert_eq!(england["ombudsman"]["short_name"], "LGSCO");
    assert_eq!(
        england["procedures"],
        json!(["statutory", "adult-social-care", "corporate"])
    );
}

/// SI 2009/309: acknowledged in 3 working days; the response due in 6 months, then in the
/// period agreed, then a later date agreed with the complainant told why.
async fn adult_social_care_case_from_receipt_to_the_lgsco(db: &TestDatabase) {
    let app = app(db).await;
    council(&app, "midshire", "england").await;
    let who = "officer@midshire.test";
    let (id, v) = new_case(&app, "midshire", "adult-social-care", "2026-03-02").await;
    let v = opened(&app, who, id, v, "2026-03-04").await;
    assert_eq!(due_on(&app, id).await, "2026-09-01");
    attempt(&app, who, id,
        v,
        json!({"transition": "agree_response_period", "agreed_on": "2026-02-27", "working_days": 40}),
    )
    .await
    .refused(422, Some("agreed_on"), "before the day of receipt");
    attempt(
        &app,
        who,
        id,
        v,
        json!({"transition": "extend", "to_working_days": 20, "reason": "x"}),
    )
    .await
    .refused(409, None, "cannot be extended");
    let v = step(&app, who, id,
            v,
            json!({"transition": "agree_response_period", "agreed_on": "2026-03-04", "working_days": 40}),
        )
        .await;
    assert_eq!(due_on(&app, id).await, "2026-05-01");
    attempt(&app, who, id,
        v,
        json!({"transition": "agree_response_period", "agreed_on": "2026-04-20", "working_days": 60, "reason": "Waiting for the provider"}),
    )
    .await
    .refused(422, Some("notified_on"), "told");
    let v = step(
        &app,
        who,
        id,
        v,
        json!({"transition": "agree_response_period", "agreed_on": "2026-04-20", "working_days": 60,
                   "reason": "Waiting for the provider", "notified_on": "2026-04-21"}),
    )
    .await;
    assert_eq!(due_on(&app, id).await, "2026-07-15");
    let v = respond_and_close(&app, who, id, v, "2026-06-10", "partially_upheld").await;
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(case.body["timeliness"][0]["within_timescale"], true);

    to_the_ombudsman(&app, who, id, v, "2026-11-02").await;

    // Reg. 18's annual report counts the adult social care complaints alone, beside the
    // children's procedure the same council runs.
    new_case(&app, "midshire", "statutory", "2026-03-09").await;
    on_day(&app, "2026-12-01", who).await;
    let whole = app
        .get("/api/v1/organisations/midshire/reports/2025")
        .await
        .expect(200);
    assert_eq!(whole.body["complaints"]["received"], 2);
    let adults = app
        .get("/api/v1/organisations/midshire/reports/2025?procedure=adult-social-care")
        .await
        .expect(200);
    assert_eq!(
        adults.body["complaints"]["received"], 1,
        "{:#}",
        adults.body
    );
    assert_eq!(adults.body["stage1"]["started"], 1);
    assert_eq!(
        adults.body["report_title"],
        "Adult Social Care Annual Complaints Report (regulation 18, SI 2009/309)"
    );
    assert_eq!(adults.body["procedures"][0]["name"], "adult-social-care");
    assert_eq!(adults.body["procedures"].as_array().unwrap().len(), 1);
    app.get("/api/v1/organisations/midshire/reports/2025?procedure=spso-mchp")
        .await
        .refused(422, Some("procedure"), "does not run 'spso-mchp'");
}

/// Wales 2014: local resolution within 10 working days of the acknowledgement, then formal
/// investigation in 25, then the PSOW.
async fn wales_case_from_receipt_to_the_psow(db: &TestDatabase) {
    let app = app(db).await;
    let body = council(&app, "cwmshire", "wales").await;
    let who = "officer@cwmshire.test";
    assert_eq!(body["ombudsman"]["short_name"], "PSOW");
    let (id, v) = new_case(&app, "cwmshire", "wales-social-services", "2026-12-17").await;
    let v = opened(&app, who, id, v, "2026-12-18").await;
    assert_eq!(due_on(&app, id).await, "2027-01-06");
    attempt(
        &app,
        who,
        id,
        v,
        json!({"transition": "extend", "to_working_days": 15, "reason": "x"}),
    )
    .await
    .refused(409, None, "cannot be extended");
    let v = to_stage_2(&app, who, id, v, ("2027-01-05", "not_upheld"), "2027-01-11").await;
    assert_eq!(due_on(&app, id).await, "2027-02-15");
    attempt(&app, who, id,
        v,
        json!({"transition": "extend", "to_working_days": 35, "reason": "Records awaited", "on": "2027-01-20"}),
    )
    .await
    .refused(422, Some("notified_on"), "told");
    let v = step(
        &app,
        who,
        id,
        v,
        json!({"transition": "extend", "to_working_days": 35, "reason": "Records awaited",
                   "on": "2027-01-20", "notified_on": "2027-01-20"}),
    )
    .await;
    assert_eq!(due_on(&app, id).await, "2027-03-01");
    let v = respond_and_close(&app, who, id, v, "2027-02-26", "upheld").await;

    to_the_ombudsman(&app, who, id, v, "2027-06-01").await;
    // The final response letter names the Public Services Ombudsman for Wales.
    let letter = app
        .post(
            &format!("/api/v1/cases/{id}/letters?preview=true"),
            json!({"kind": "stage-2-adjudication"}),
        )
        .await
        .expect(200);
    let text = letter.body["body"].as_str().unwrap();
    assert!(
        text.contains("Public Services Ombudsman for Wales"),
        "{text}"
    );
    assert!(text.contains("www.ombudsman.wales"), "{text}");
    assert!(!text.contains("Local Government and Social Care"), "{text}");
    // The complainant chose Welsh: the letter goes out in Welsh, with Welsh dates and the
    // ombudsman's Welsh name.
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    app.call(
        "PATCH",
        &format!("/api/v1/cases/{id}"),
        Some(json!({"language": "cy"})),
        Some(case.etag()),
    )
    .await
    .expect(200);
    let letter = app
        .post(
            &format!("/api/v1/cases/{id}/letters?preview=true"),
            json!({"kind": "stage-2-adjudication"}),
        )
        .await
        .expect(200);
    let text = letter.body["body"].as_str().unwrap();
    assert!(text.contains("Annwyl"), "{text}");
    assert!(
        text.contains("Ombwdsmon Gwasanaethau Cyhoeddus Cymru"),
        "{text}"
    );
    assert!(text.contains("Mehefin 2027"), "dated in Welsh: {text}");
    // The council's own Welsh wording, kept beside its English one.
    app.sign_in_as("operator@redress.test").await;
    app.add_user(
        "admin@cwmshire.test",
        Some("cwmshire"),
        Some(Role::Admin),
        &[],
        false,
    )
    .await;
    app.sign_in_as("admin@cwmshire.test").await;
    let own = "{{ date }}\n\nAnnwyl gyfaill,\n\nEin penderfyniad.\n\n{{ signposting }}\n";
    let saved = app
        .put(
            "/api/v1/organisations/cwmshire/letter-templates/stage-2-adjudication?lang=cy",
            json!({"body": own}),
        )
        .await
        .expect(200);
    assert_eq!(saved.body["language"], "cy");
    assert_eq!(saved.body["custom"], true);
    let english = app
        .get("/api/v1/organisations/cwmshire/letter-templates/stage-2-adjudication")
        .await
        .expect(200);
    assert_eq!(
        english.body["custom"], false,
        "the English wording is unchanged"
    );
    app.get("/api/v1/organisations/cwmshire/letter-templates/stage-2-adjudication?lang=fr")
        .await
        .refused(400, Some("lang"), "unknown variant `fr`");
    app.sign_in_as(who).await;
    let letter = app
        .post(
            &format!("/api/v1/cases/{id}/letters?preview=true"),
            json!({"kind": "stage-2-adjudication"}),
        )
        .await
        .expect(200);
    let text = letter.body["body"].as_str().unwrap();
    assert!(text.contains("Annwyl gyfaill"), "{text}");
    assert!(
        text.contains("Ombwdsmon Gwasanaethau Cyhoeddus Cymru"),
        "{text}"
    );

    app.call(
        "PATCH",
        &format!("/api/v1/cases/{id}"),
        Some(json!({"language": "fr"})),
        Some(case.etag() + 1),
    )
    .await
    .refused(422, Some("language"), "");
}

/// SPSO MCHP: Stage 1 in 5 working days (St Andrew's Day skipped), extended to 10; Stage 2
/// acknowledged in 3 and answered in 20 over the Scottish new year; then the SPSO.
async fn scotland_case_from_receipt_to_the_spso(db: &TestDatabase) {
    let app = app(db).await;
    council(&app, "glenshire", "scotland").await;
    let who = "officer@glenshire.test";
    let (id, v) = new_case(&app, "glenshire", "spso-mchp", "2026-11-26").await;
    let v = opened(&app, who, id, v, "2026-11-26").await;
    assert_eq!(due_on(&app, id).await, "2026-12-04");
    attempt(&app, who, id,
        v,
        json!({"transition": "extend", "to_working_days": 11, "reason": "x", "on": "2026-11-27", "notified_on": "2026-11-27"}),
    )
    .await
    .refused(422, Some("to_working_days"), "10 working days at most");
    let v = step(&app, who, id,
            v,
            json!({"transition": "extend", "to_working_days": 10, "reason": "Two services", "on": "2026-11-27", "notified_on": "2026-11-27"}),
        )
        .await;
    assert_eq!(due_on(&app, id).await, "2026-12-11");
    let v = to_stage_2(&app, who, id, v, ("2026-12-11", "not_upheld"), "2026-12-21").await;
    assert_eq!(due_on(&app, id).await, "2027-01-22");
    let v = step(
        &app,
        who,
        id,
        v,
        json!({"transition": "acknowledge", "on": "2026-12-22"}),
    )
    .await;
    let v = respond_and_close(&app, who, id, v, "2027-01-22", "upheld").await;
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(case.body["timeliness"][0]["within_timescale"], true);
    assert_eq!(case.body["timeliness"][1]["within_timescale"], true);

    to_the_ombudsman(&app, who, id, v, "2027-05-03").await;
}

/// NI HSC: acknowledged in 2 working days and answered in 20 (the Twelfth skipped), longer
/// with the complainant told why; then NIPSO.
async fn northern_ireland_case_from_receipt_to_nipso(db: &TestDatabase) {
    let app = app(db).await;
    let body = council(&app, "loughshire", "northern-ireland").await;
    let who = "officer@loughshire.test";
    assert_eq!(body["ombudsman"]["short_name"], "NIPSO");
    assert_eq!(body["division"], "northern-ireland");
    let (id, v) = new_case(&app, "loughshire", "ni-hsc", "2027-07-08").await;
    let v = opened(&app, who, id, v, "2027-07-09").await;
    assert_eq!(due_on(&app, id).await, "2027-08-06");
    attempt(
        &app,
        who,
        id,
        v,
        json!({"transition": "stop_clock", "on": "2027-07-20", "reason": "x"}),
    )
    .await
    .refused(409, None, "no clock stops");
    let v = step(
        &app,
        who,
        id,
        v,
        json!({"transition": "extend", "to_working_days": 30, "reason": "GP report awaited",
                   "on": "2027-07-20", "notified_on": "2027-07-20"}),
    )
    .await;
    assert_eq!(due_on(&app, id).await, "2027-08-20");
    let v = respond_and_close(&app, who, id, v, "2027-08-23", "upheld").await;
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(
        case.body["timeliness"][0]["within_timescale"], false,
        "answered after the extended date"
    );

    to_the_ombudsman(&app, who, id, v, "2027-08-31").await;
}

/// Walks a case through `steps`, each a transition that must succeed.
async fn walk(app: &App, slug: &str, received_on: &str, steps: &[Value]) {
    let who = format!("officer@{slug}.test");
    let (id, mut v) = new_case(app, slug, "spso-mchp", received_on).await;
    for body in steps {
        v = step(app, &who, id, v, body.clone()).await;
    }
}

/// Five complaints to a generated Scottish council in 2026/27, and the SPSO indicators worked
/// out by hand from their dates (working days on Scotland's calendar: St Andrew's Day, 30
/// November, and the summer holiday, 3 August, fall inside).
async fn spso_indicators_match_the_hand_computed_table(db: &TestDatabase) {
    let app = app(db).await;
    council(&app, "glenshire", "scotland").await;
    let who = "officer@glenshire.test";
    let ack = |on: &str| json!({"transition": "acknowledge", "on": on});
    let open = json!({"transition": "open_stage1"});
    let respond =
        |on: &str, outcome: &str| json!({"transition": "respond", "on": on, "outcome": outcome});
    // A: Stage 1 in 4 working days (due 8 June), upheld.
    walk(
        &app,
        "glenshire",
        "2026-06-01",
        &[
            ack("2026-06-01"),
            open.clone(),
            respond("2026-06-05", "upheld"),
        ],
    )
    .await;
    // B: Stage 1 in 7 working days, late, not upheld.
    walk(
        &app,
        "glenshire",
        "2026-06-01",
        &[
            ack("2026-06-01"),
            open.clone(),
            respond("2026-06-10", "not_upheld"),
        ],
    )
    .await;
    // C: extended to 10 (due 11 December), answered in 9 working days, partially upheld.
    walk(&app, "glenshire", "2026-11-26", &[
        ack("2026-11-26"), open.clone(),
        json!({"transition": "extend", "to_working_days": 10, "reason": "Two services", "on": "2026-11-27", "notified_on": "2026-11-27"}),
        respond("2026-12-10", "partially_upheld"),
    ]).await;
    // D: Stage 1 in 2 working days, not upheld; Stage 2 from 6 July in 19 (due 4 August), upheld.
    walk(
        &app,
        "glenshire",
        "2026-07-01",
        &[
            ack("2026-07-01"),
            open.clone(),
            respond("2026-07-03", "not_upheld"),
            json!({"transition": "escalate", "requested_on": "2026-07-06"}),
            respond("2026-07-31", "upheld"),
        ],
    )
    .await;
    // E: straight to Stage 2, answered in 25 working days (due 29 September), not upheld.
    walk(&app, "glenshire", "2026-09-01", &[
        ack("2026-09-01"),
        json!({"transition": "escalate", "requested_on": "2026-09-01", "skip_agreed": true, "reason": "Complex"}),
        respond("2026-10-06", "not_upheld"),
    ]).await;

    on_day(&app, "2027-09-01", who).await;
    let report = app
        .get("/api/v1/organisations/glenshire/reports/2026?population=50000")
        .await
        .expect(200);
    let spso = &report.body["spso_indicators"];
    assert_eq!(spso["received"], 5);
    assert_eq!(spso["per_thousand_population"], 0.1, "5 in 50,000");
    let row = |stage: usize| {
        let s = &spso["stages"][stage];
        (
            s["closed"].as_u64().unwrap(),
            s["closed_percent"].as_f64().unwrap(),
            (
                s["upheld"].as_u64().unwrap(),
                s["partially_upheld"].as_u64().unwrap(),
                s["not_upheld"].as_u64().unwrap(),
            ),
            s["average_working_days"].as_f64().unwrap(),
            (
                s["within_timescale"].as_u64().unwrap(),
                s["within_timescale_percent"].as_f64().unwrap(),
            ),
            (
                s["extended"].as_u64().unwrap(),
                s["extended_percent"].as_f64().unwrap(),
            ),
        )
    };
    // Stage 1: A, B, C, D closed; (4 + 7 + 9 + 2) / 4 = 5.5 days; A, C, D in time; C extended.
    assert_eq!(
        row(0),
        (4, 66.7, (1, 1, 2), 5.5, (3, 75.0), (1, 25.0)),
        "{spso:#}"
    );
    // Stage 2: D and E closed; (19 + 25) / 2 = 22.0 days; D in time; none extended.
    assert_eq!(
        row(1),
        (2, 33.3, (1, 0, 1), 22.0, (1, 50.0), (0, 0.0)),
        "{spso:#}"
    );

    // The same table is in the published formats.
    let page = app
        .get("/api/v1/organisations/glenshire/reports/2026?format=html&population=50000")
        .await
        .expect(200);
    let html = page.body.as_str().unwrap_or_default();
    assert!(html.contains("SPSO core performance indicators"), "{html}");
    assert!(html.contains("0.1 per 1,000"), "{html}");
    // The Scottish council's public form is about social work, with no fixed acknowledgement
    // at Stage 1, and names the SPSO.
    let form = app.get("/complain/glenshire").await.expect(200);
    let page = form.body.as_str().unwrap_or_default();
    assert!(
        page.contains("Make a complaint about social work services"),
        "{page}"
    );
    assert!(
        page.contains("Scottish Public Services Ombudsman"),
        "{page}"
    );
    assert!(!page.contains("review panel"), "{page}");
    // A council that does not run the SPSO procedure has no population to give.
    app.sign_in_as("operator@redress.test").await;
    council(&app, "midshire", "england").await;
    app.get("/api/v1/organisations/midshire/reports/2026?population=50000")
        .await
        .refused(422, Some("population"), "spso-mchp");
}

/// The public form of a Welsh council records the complaint under the Welsh procedure, tells
/// the complainant its acknowledgement limit (2 working days) and names the Public Services
/// Ombudsman for Wales; a complaint made in Welsh is written to in Welsh.
async fn a_welsh_councils_public_form_files_under_its_own_procedure(db: &TestDatabase) {
    use axum::body::Body;
    use axum::http::{header, Request};
    let app = app(db).await;
    council(&app, "cwmshire", "wales").await;
    // The form says what the complaint is about, and what comes next, by the Welsh procedure.
    let form = app.get("/complain/cwmshire?lang=cy").await.expect(200);
    let page = form.body.as_str().unwrap_or_default();
    assert!(
        page.contains("Gwneud cwyn am wasanaethau cymdeithasol"),
        "{page}"
    );
    assert!(!page.contains("wasanaethau plant"), "{page}");
    assert!(page.contains("o fewn 2 diwrnod gwaith"), "{page}");
    assert!(
        page.contains("Ombwdsmon Gwasanaethau Cyhoeddus Cymru"),
        "{page}"
    );
    assert!(
        !page.contains("panel adolygu"),
        "no review panel in Wales: {page}"
    );
    let fields = [
        ("lang", "cy"),
        ("complainant_name", "Siân Rhiant"),
        ("complainant_role", "parent"),
        ("contact_email", "sian@example.org"),
        ("summary", "Cafodd yr ymweliadau eu canslo dair gwaith."),
    ];
    let request = Request::builder()
        .method("POST")
        .uri("/complain/cwmshire")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
        .unwrap();
    let sent = app.send(request).await.expect(200);
    let page = sent.body.as_str().unwrap_or_default();
    assert!(page.contains("o fewn 2 diwrnod gwaith"), "{page}");
    assert!(
        page.contains("Ombwdsmon Gwasanaethau Cyhoeddus Cymru"),
        "{page}"
    );
    let cases = app
        .get("/api/v1/cases?organisation=cwmshire")
        .await
        .expect(200);
    let id = cases.body["items"][0]["id"]
        .as_i64()
        .expect("the case is listed");
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(
        case.body["procedure"], "wales-social-services",
        "{:#}",
        case.body
    );
    assert_eq!(case.body["language"], "cy");
    // The acknowledgement by email is in Welsh, and keeps the reference in its subject so a
    // reply still finds the case.
    let outbox = app
        .get("/api/v1/organisations/cwmshire/outbox")
        .await
        .expect(200);
    let acknowledgement = outbox
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "acknowledgement")
        .expect("an acknowledgement is queued");
    let reference = case.body["reference"].as_str().unwrap();
    assert_eq!(
        acknowledgement["subject"],
        format!("Eich cwyn i cwmshire council [{reference}]")
    );
    let body = acknowledgement["body"].as_str().unwrap();
    assert!(body.starts_with("Diolch am eich cwyn"), "{body}");
    assert!(body.contains("Byddwn yn ymateb erbyn "), "{body}");
}
