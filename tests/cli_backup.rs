//! `redress backup` and `redress restore`: the annual report is the same before and after, and
//! every mistake is refused without touching anything.

use redress_testkit::{on_both_backends, TestDatabase};
use std::process::{Command, Output};

/// The master key is looked for beside each database, as on a council's server.
fn redress(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("--database")
        .arg(url)
        .args(args)
        .env_remove("REDRESS_MASTER_KEY_FILE")
        .env_remove("REDRESS_MASTER_KEY")
        .output()
        .expect("the redress binary runs")
}

fn ok(url: &str, args: &[&str]) -> String {
    let out = redress(url, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn refused(url: &str, args: &[&str]) -> String {
    let out = redress(url, args);
    assert!(!out.status.success(), "{args:?} should have been refused");
    String::from_utf8_lossy(&out.stderr).into()
}

fn annual(url: &str) -> String {
    ok(
        url,
        &[
            "report",
            "annual",
            "--organisation",
            "westminster",
            "--year",
            "2020",
            "--format",
            "json",
        ],
    )
}

on_both_backends!(backup_and_restore);

async fn backup_and_restore(db: &TestDatabase) {
    ok(&db.url, &["demo", "--no-serve"]);
    let before = annual(&db.url);
    let dir = std::env::temp_dir().join(format!(
        "redress-backup-{}-{}",
        std::process::id(),
        db.backend
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("backup.db");
    let file_arg = file.display().to_string();

    if db.backend == "postgres" {
        let said = refused(&db.url, &["backup", "--out", &file_arg]);
        assert!(
            said.contains("pg_dump"),
            "PostgreSQL is pointed at pg_dump: {said}"
        );
        assert!(!file.exists());
        let said = refused(&db.url, &["restore", &file_arg]);
        assert!(said.contains("pg_restore"), "{said}");
        return;
    }

    let said = ok(&db.url, &["backup", "--out", &file_arg]);
    assert!(said.contains("backed up"), "{said}");
    let again = refused(&db.url, &["backup", "--out", &file_arg]);
    assert!(again.contains("already exists"), "{again}");

    // Restored into another directory, the master key must come too: without it the restore
    // is refused before anything is written.
    let restored = format!("sqlite://{}", dir.join("restored.db").display());
    let said = refused(&restored, &["restore", &file_arg]);
    assert!(said.contains("master key"), "{said}");
    assert!(!dir.join("restored.db").exists());
    // The original's key, copied beside the restored database as the README says.
    let original_dir = std::path::Path::new(db.url.trim_start_matches("sqlite://"))
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::copy(
        original_dir.join("redress-master.key"),
        dir.join("redress-master.key"),
    )
    .unwrap();
    let said = ok(&restored, &["restore", &file_arg]);
    assert!(
        said.contains("restored") && said.contains("2 organisations"),
        "{said}"
    );
    assert_eq!(
        annual(&restored),
        before,
        "the report is identical after restoring"
    );

    // Restoring over a database needs --force; a file that is not a backup is refused.
    let said = refused(&restored, &["restore", &file_arg]);
    assert!(said.contains("add --force"), "{said}");
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let said = refused(
        &restored,
        &["restore", "--force", &junk.display().to_string()],
    );
    assert!(said.contains("junk.db"), "{said}");
    assert_eq!(
        annual(&restored),
        before,
        "a refused restore changes nothing"
    );
    ok(&restored, &["restore", "--force", &file_arg]);
    assert_eq!(annual(&restored), before);

    // Issue 23: a backup made before an erasure on request brought the person back with no
    // warning. The erasure is noted in a ledger beside the key, and restore lists the case.
    let store = redress_store::Store::connect(&restored).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let (cases, _) = store
        .list_cases(&redress_store::Access::System, &Default::default(), today)
        .await
        .unwrap();
    let erased = &cases[0];
    let actor = redress_store::Actor {
        label: "ig@westminster.example".into(),
        user_id: None,
        address: None,
    };
    store
        .erase_on_request(
            &redress_store::Access::System,
            erased.id,
            "Asked",
            &actor,
            today,
        )
        .await
        .unwrap();
    store.close().await;
    let ledger = std::fs::read_to_string(dir.join("redress-erasures.jsonl")).unwrap();
    assert!(ledger.contains(&erased.reference), "{ledger}");
    let out = redress(&restored, &["restore", "--force", &file_arg]);
    assert!(out.status.success());
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(
        warned.contains("WARNING") && warned.contains(&erased.reference),
        "{warned}"
    );
    assert_eq!(warned.matches("erased on").count(), 1, "{warned}");
    // Erased again, the next restore of a later backup has nothing to say.
    let store = redress_store::Store::connect(&restored).await.unwrap();
    store
        .erase_on_request(
            &redress_store::Access::System,
            erased.id,
            "Asked",
            &actor,
            today,
        )
        .await
        .unwrap();
    store.close().await;
    let later = dir.join("later.db");
    ok(
        &restored,
        &["backup", "--out", &later.display().to_string()],
    );
    let out = redress(
        &restored,
        &["restore", "--force", &later.display().to_string()],
    );
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("WARNING"));
    let _ = std::fs::remove_dir_all(&dir);
}
