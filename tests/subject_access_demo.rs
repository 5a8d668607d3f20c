//! The demo, loaded by the real binary: a subject access search for its complainant Graham
//! Osei finds exactly his case, whose files are the acknowledgement letter the demo wrote (the
//! bundle itself is checked through the router in crates/web/tests/subject_access.rs).

use redress_store::{Access, Actor, Store};
use redress_testkit::{on_both_backends, TestDatabase};
use std::process::Command;

on_both_backends!(the_demo_complainant_is_found_with_his_letters);

async fn the_demo_complainant_is_found_with_his_letters(db: &TestDatabase) {
    let loaded = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["--database", &db.url, "demo", "--no-serve"])
        .output()
        .expect("the redress binary runs");
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    let store = Store::connect(&db.url).await.unwrap();
    let found = store
        .subject_search(
            &Access::System,
            "westminster",
            "Graham Osei",
            &Actor::system("dpo"),
        )
        .await
        .unwrap();
    assert_eq!(found.cases.len(), 1, "{found:?}");
    let case = store
        .case(&Access::System, found.cases[0].id)
        .await
        .unwrap();
    assert_eq!(case.case.personal().complainant_name, "Graham Osei");
    let files: Vec<String> = store
        .attachments(&Access::System, case.id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files.iter().all(|f| f.contains("acknowledgement")),
        "{files:?}"
    );
    assert!(
        found.compliments.is_empty() && found.messages.is_empty(),
        "{found:?}"
    );
    // The search is audited without the name.
    let logged = db
        .texts_directly("SELECT after_json FROM events WHERE kind = 'subject_access_search'")
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert!(!logged[0].contains("Graham") && logged[0].contains(case.case.reference()));
    store.close().await;
}
