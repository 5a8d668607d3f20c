//! Two officers editing one case never silently overwrite each other: many clients send the
//! same version at once, exactly one wins, the rest get 409, and the case ends with every
//! winning change and nothing else.

mod common;

use common::App;
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;
use std::sync::Arc;

on_both_backends!(one_writer_wins_each_version);
on_both_backends!(racing_for_one_name_makes_one_and_refuses_the_rest_by_field);
on_both_backends!(settings_changed_by_someone_else_are_never_overwritten);

async fn one_writer_wins_each_version(db: &TestDatabase) {
    let app = Arc::new(App::start(db).await);
    app.seed().await;
    let id = app
        .new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id();
    const CLIENTS: usize = 8;
    const ROUNDS: i64 = 5;
    for round in 0..ROUNDS {
        let version = 1 + round;
        let mut tasks = Vec::new();
        for client in 0..CLIENTS {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let outcome = format!("round {round}, client {client}");
                let reply = app
                    .call(
                        "PATCH",
                        &format!("/api/v1/cases/{id}"),
                        Some(json!({"personal": {"summary": outcome}})),
                        Some(version),
                    )
                    .await;
                (reply.status.as_u16(), outcome)
            }));
        }
        let mut won = Vec::new();
        let mut conflicts = 0;
        for task in tasks {
            match task.await.unwrap() {
                (200, outcome) => won.push(outcome),
                (409, _) => conflicts += 1,
                (other, _) => panic!("unexpected status {other}"),
            }
        }
        assert_eq!(won.len(), 1, "exactly one client wins version {version}");
        assert_eq!(
            conflicts,
            CLIENTS - 1,
            "the others are told of the conflict"
        );
        let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
        assert_eq!(case.etag(), version + 1);
        assert_eq!(
            case.body["personal"]["summary"],
            won[0].as_str(),
            "the winner's change stands"
        );
    }
    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    let updates = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "updated")
        .count();
    assert_eq!(
        updates as i64, ROUNDS,
        "one audit event per winning change, none for losers"
    );
}

/// A unique value taken by two requests at once: the database's constraint decides, with no
/// read first, so exactly one is made and the others get 409 naming the field, never a 500.
async fn racing_for_one_name_makes_one_and_refuses_the_rest_by_field(db: &TestDatabase) {
    let app = Arc::new(App::start(db).await);
    const CLIENTS: usize = 6;
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"slug": "raceshire", "name": "Raceshire", "reference_prefix": "RC"});
            let reply = app.post("/api/v1/organisations", body).await;
            (reply.status.as_u16(), reply.body)
        }));
    }
    let mut made = 0;
    for task in tasks {
        match task.await.unwrap() {
            (201, _) => made += 1,
            (409, body) => {
                assert_eq!(body["field"], "slug", "{body}");
                assert!(body["detail"].as_str().unwrap().contains("already exists"));
            }
            (other, body) => panic!("unexpected status {other}: {body}"),
        }
    }
    assert_eq!(made, 1, "one organisation is made");

    // Teams: adding one name at once from many clients makes one team, and every call succeeds.
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let reply = app
                .post(
                    "/api/v1/organisations/raceshire/teams",
                    json!({"name": "Fostering"}),
                )
                .await;
            reply.status.as_u16()
        }));
    }
    for task in tasks {
        let status = task.await.unwrap();
        assert!(
            (200..300).contains(&status),
            "adding a team answered {status}"
        );
    }
    let all = app.get("/api/v1/organisations").await.expect(200);
    let raceshire = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["slug"] == "raceshire")
        .expect("raceshire is listed");
    let named = raceshire["teams"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| *t == "Fostering")
        .count();
    assert_eq!(named, 1, "one team row: {raceshire}");
}

/// Organisation settings carry a version: a stale If-Match is refused, and changes sent at
/// once without one either land or are refused, never silently lost.
async fn settings_changed_by_someone_else_are_never_overwritten(db: &TestDatabase) {
    let app = Arc::new(App::start(db).await);
    app.seed().await;
    app.sign_in_as("operator@redress.test").await;
    let closures = "/api/v1/organisations/testshire/closures";
    let read = app.get(closures).await.expect(200);
    let version = read.etag();
    let first = json!({"date": "2026-12-29", "label": "Christmas closure"});
    app.call("POST", closures, Some(first), Some(version))
        .await
        .expect(201);
    let stale = json!({"date": "2026-12-30", "label": "Christmas closure"});
    let refused = app.call("POST", closures, Some(stale), Some(version)).await;
    assert_eq!(refused.status.as_u16(), 409, "{}", refused.body);
    assert_eq!(refused.body["field"], "If-Match");

    const CLIENTS: u32 = 6;
    let mut tasks = Vec::new();
    for day in 0..CLIENTS {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let date = format!("2027-01-{:02}", 10 + day);
            let body = json!({"date": date, "label": "Training day"});
            let reply = app
                .post("/api/v1/organisations/testshire/closures", body)
                .await;
            (reply.status.as_u16(), date)
        }));
    }
    let mut landed = vec!["2026-12-29".to_string()];
    for task in tasks {
        match task.await.unwrap() {
            (201, date) => landed.push(date),
            (409, _) => {}
            (other, date) => panic!("adding {date} answered {other}"),
        }
    }
    let now = app.get(closures).await.expect(200);
    let mut stored: Vec<String> = now
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["date"].as_str().unwrap().to_string())
        .collect();
    stored.sort();
    landed.sort();
    assert_eq!(stored, landed, "every 201 is stored, every refusal is not");
    assert_eq!(now.etag(), version + landed.len() as i64);
}
