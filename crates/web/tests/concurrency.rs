//! Two officers editing one case never silently overwrite each other: many clients send the
//! same version at once, exactly one wins, the rest get 409, and the case ends with every
//! winning change and nothing else.

mod common;

use common::App;
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;
use std::sync::Arc;

on_both_backends!(one_writer_wins_each_version);

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
