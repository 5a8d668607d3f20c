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
on_both_backends!(a_full_write_queue_is_answered_503_and_the_server_keeps_serving);
on_both_backends!(unknown_organisations_cost_one_lookup_each_and_no_reload);

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

/// Holds the database's write lock from outside the app until dropped or released, so the
/// app's group writer waits on it.
enum WriteLock {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl WriteLock {
    async fn take(db: &TestDatabase) -> WriteLock {
        use sqlx::Connection;
        if db.url.starts_with("sqlite:") {
            let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
            sqlx::query("BEGIN EXCLUSIVE")
                .execute(&mut conn)
                .await
                .unwrap();
            WriteLock::Sqlite(conn)
        } else {
            let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
            sqlx::query("BEGIN").execute(&mut conn).await.unwrap();
            sqlx::query("LOCK TABLE events IN EXCLUSIVE MODE")
                .execute(&mut conn)
                .await
                .unwrap();
            WriteLock::Postgres(conn)
        }
    }

    async fn release(self) {
        match self {
            WriteLock::Sqlite(mut conn) => {
                sqlx::query("ROLLBACK").execute(&mut conn).await.unwrap();
            }
            WriteLock::Postgres(mut conn) => {
                sqlx::query("ROLLBACK").execute(&mut conn).await.unwrap();
            }
        }
    }
}

/// Each read of a case is audited through a group writer whose queue is bounded: while the
/// writer waits on the database, reads past the queue's limit are answered 503 with
/// Retry-After at once, nothing is acknowledged unaudited, and once the database is free every
/// waiting read completes and the server goes on serving.
async fn a_full_write_queue_is_answered_503_and_the_server_keeps_serving(db: &TestDatabase) {
    let setup = App::start(db).await;
    setup.seed().await;
    let id = setup
        .new_case("statutory", "2024-05-01")
        .await
        .expect(201)
        .id();
    let store = redress_store::Store::connect_with_write_queue(&db.url, 1)
        .await
        .unwrap();
    let app = Arc::new(App::on_store(store));
    app.sign_in_as("officer@testshire.test").await;
    let path = format!("/api/v1/cases/{id}");
    app.get(&path).await.expect(200);

    let lock = WriteLock::take(db).await;
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (app, path) = (app.clone(), path.clone());
            tokio::spawn(async move { app.get(&path).await })
        })
        .collect();
    // Reads past the queue's limit are refused at once, while the rest wait on the lock.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !tasks.iter().any(|t| t.is_finished()) {
        assert!(std::time::Instant::now() < deadline, "no read was refused");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    lock.release().await;
    let mut refused = 0;
    let mut served = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status.as_u16() {
            200 => served += 1,
            503 => {
                refused += 1;
                assert_eq!(reply.headers["retry-after"], "1");
                assert_eq!(
                    reply.body["type"].as_str().map(|t| t.ends_with("busy")),
                    Some(true),
                    "{:#}",
                    reply.body
                );
            }
            other => panic!("unexpected {other}: {:#}", reply.body),
        }
    }
    assert!(
        refused >= 1 && served >= 1,
        "{refused} refused, {served} served"
    );
    // The server goes on serving, and the reads it answered were audited.
    app.get(&path).await.expect(200);
}

/// An anonymous visitor naming organisations that do not exist costs one indexed lookup each,
/// never a reload of every organisation; a real one is still found.
async fn unknown_organisations_cost_one_lookup_each_and_no_reload(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    *app.credentials.lock().unwrap() = common::Credentials::None;
    app.get("/complain/testshire").await.expect(200);
    let before = app.store.organisation_reads();
    const REQUESTS: u64 = 10_000;
    for i in 0..REQUESTS {
        let reply = app.get(&format!("/complain/no-such-council-{i}")).await;
        assert_eq!(reply.status.as_u16(), 404, "{:#}", reply.body);
    }
    let after = app.store.organisation_reads();
    assert!(
        after.lookups - before.lookups <= REQUESTS,
        "{} lookups",
        after.lookups - before.lookups
    );
    assert_eq!(after.reloads, before.reloads, "a full reload");
    app.get("/complain/testshire").await.expect(200);
}
