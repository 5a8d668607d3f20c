//! The demo reproduces the seed's 2020/21 annual report, through the real binary, on both
//! backends: the figures, the corrected arithmetic in the sentences, and every format; the
//! grouped queries' report equals the one from whole cases.

use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::Value;
use std::process::{Command, Output};

fn redress(db: &TestDatabase, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .output()
        .expect("the redress binary runs")
}

fn ok(db: &TestDatabase, args: &[&str]) -> Vec<u8> {
    let out = redress(db, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn annual(db: &TestDatabase, year: &str) -> Value {
    let out = ok(
        db,
        &[
            "report",
            "annual",
            "--organisation",
            "westminster",
            "--year",
            year,
            "--format",
            "json",
        ],
    );
    serde_json::from_slice(&out).expect("the report is JSON")
}

fn counts(rows: &Value, key: &str) -> Vec<(String, u64)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[key].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

on_both_backends!(demo_reproduces_the_seed_report, every_format_opens);

async fn demo_reproduces_the_seed_report(db: &TestDatabase) {
    let said = String::from_utf8(ok(db, &["demo", "--no-serve"])).unwrap();
    assert!(
        said.contains("Loaded the demo organisation 'westminster'"),
        "{said}"
    );
    let again = String::from_utf8(ok(db, &["demo", "--no-serve"])).unwrap();
    assert!(
        again.contains("is already in"),
        "loading twice must not duplicate: {again}"
    );

    let r = annual(db, "2020");
    let c = &r["complaints"];
    assert_eq!(c["received"], 58);
    assert_eq!(c["statutory"], 6);
    assert_eq!(c["non_statutory"], 52);
    assert_eq!(c["resolved_at_initial_contact"], 2);
    assert_eq!(c["rejected"], 2);
    let mut teams = counts(&c["by_team"], "name");
    teams.sort();
    let mut expected: Vec<(String, u64)> = [
        ("Access & Assessment Team", 5),
        ("Special Educational Needs", 8),
        ("North East Social Work Team", 4),
        ("Fostering and Adoption Team", 2),
        ("Disabled Children's Team", 1),
        ("North East Early Help Team", 11),
        ("Looked After Children & Leaving Care", 11),
        ("School Standards", 6),
        ("Short breaks", 1),
        ("Localities", 7),
    ]
    .iter()
    .map(|(n, c)| (n.to_string(), *c))
    .collect();
    expected.sort();
    assert_eq!(teams, expected);
    assert_eq!(teams.iter().map(|t| t.1).sum::<u64>(), 56);
    assert_eq!(
        c["by_reason"][0]["name"],
        "Failure or refusal to provide a service"
    );
    assert_eq!(c["by_reason"][0]["count"], 24);
    assert_eq!(c["by_reason"][0]["percent"], 42.9);

    let s1 = &r["stage1"];
    assert_eq!(
        (s1["started"].as_u64(), s1["responded"].as_u64()),
        (Some(54), Some(54))
    );
    assert_eq!(s1["within_timescale"], 40);
    assert_eq!(s1["within_timescale_percent"], 74.1);
    assert_eq!(
        (
            s1["upheld"].as_u64(),
            s1["partially_upheld"].as_u64(),
            s1["not_upheld"].as_u64()
        ),
        (Some(9), Some(14), Some(31))
    );
    let s2 = &r["stage2"];
    assert_eq!(
        (s2["started"].as_u64(), s2["responded"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(
        (s2["statutory"].as_u64(), s2["non_statutory"].as_u64()),
        (Some(1), Some(4))
    );
    let s3 = &r["stage3"];
    assert_eq!(
        (
            s3["started"].as_u64(),
            s3["within_timescale"].as_u64(),
            s3["statutory"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        counts(&r["ombudsman"]["decisions"], "decision"),
        [
            ("out_of_jurisdiction".to_string(), 1),
            ("fault_injustice".to_string(), 2)
        ]
    );
    assert!(r["ombudsman"]["remedies"]["total"].as_u64().unwrap() >= 2);
    let recommendations: Vec<&str> = r["actions"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "recommendation")
        .map(|a| a["description"].as_str().unwrap())
        .collect();
    assert_eq!(
        recommendations.len(),
        3,
        "the panel's three recommendations"
    );
    assert!(recommendations.iter().any(|d| d.contains("domestic")));
    assert_eq!(r["compliments"]["received"], 59);
    assert_eq!(
        r["compliments"]["by_team"][0]["name"],
        "Special Educational Needs"
    );

    let p = &r["previous_year"];
    assert_eq!(p["label"], "2019/20");
    assert_eq!(p["received"], 85);
    assert_eq!(p["stage1_responded"], 81);
    assert_eq!(p["stage1_within_timescale"], 64);
    assert_eq!(p["stage1_within_timescale_percent"], 79.0);
    assert_eq!(p["changes"]["received"]["percent"], -31.8);
    assert_eq!(
        p["changes"]["stage1_within_timescale_percent"]["points"],
        -4.9
    );

    // The seed printed "47%" and "5%"; the report gets both right.
    let summary: Vec<&str> = r["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(summary.contains(&"In 2020/21, City of Westminster, Children's Services received 58 complaints, a 31.8% decrease on 85 in 2019/20."), "{summary:#?}");
    assert!(summary.contains(&"54 complaints were responded to at Stage 1, 40 (74.1%) within timescale, compared with 79.0% in 2019/20: down 4.9 percentage points."), "{summary:#?}");
    let notes: Vec<&str> = r["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(notes.contains(&"The team and reason tables count 56 of the 58 complaints received: the 2 rejected (concerns another local authority) are excluded."), "{notes:#?}");
    // Narrative comes with the data; names in chosen quotations are initials.
    let quotations = r["narrative"]["compliment_quotations"].as_str().unwrap();
    assert!(quotations.contains("S. J."), "{quotations}");
    assert!(!quotations.contains("Sarah Jones"));
    assert!(r["narrative"]["learning"]
        .as_str()
        .unwrap()
        .contains("domestic abuse"));
    // The appendices come from the procedures in force.
    assert_eq!(r["procedures"][0]["name"], "statutory");

    let previous = annual(db, "2019");
    assert_eq!(previous["complaints"]["received"], 85);

    let national: Value =
        serde_json::from_slice(&ok(db, &["report", "national", "--year", "2020"])).unwrap();
    // The demo's Welsh council (dyffryn) has only complaints in progress now, none in 2020/21.
    let westminster = national["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["slug"] == "westminster")
        .expect("westminster is in the roll-up");
    assert_eq!(westminster["stage1_within_timescale"], 40);
    assert_eq!(national["totals"]["received"], 58);
    assert_eq!(national["totals"]["stage1_within_timescale_percent"], 74.1);

    // The grouped queries give the report the cases give, to the last figure, by year,
    // quarter and team.
    let store = redress_store::Store::connect(&db.url).await.unwrap();
    let mut periods: Vec<redress_report::Period> = (2019..=2021)
        .map(redress_report::Period::financial_year)
        .collect();
    periods.extend((1..=4).filter_map(|q| redress_report::Period::quarter(2020, q).ok()));
    let differences = redress_web::report_input::check_reports(&store, &periods)
        .await
        .unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
}

async fn every_format_opens(db: &TestDatabase) {
    ok(db, &["demo", "--no-serve"]);
    let dir = std::env::temp_dir().join(format!(
        "redress-formats-{}-{}",
        std::process::id(),
        db.backend
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |ext: &str| dir.join(format!("report.{ext}")).display().to_string();
    for format in ["html", "csv", "xlsx", "docx", "pdf"] {
        ok(
            db,
            &[
                "report",
                "annual",
                "--organisation",
                "westminster",
                "--year",
                "2020",
                "--format",
                format,
                "--out",
                &path(format),
            ],
        );
    }
    let html = std::fs::read_to_string(path("html")).unwrap();
    assert!(html.contains("<h2>1. Executive summary</h2>"));
    assert_eq!(
        html.matches("<svg").count(),
        4,
        "reasons, teams, timeliness by quarter and compliments charts"
    );
    assert!(html.contains("Top 10 reasons for complaints"));
    assert!(
        !html.contains("http://") || !html.contains("<script"),
        "self-contained, no scripts"
    );
    let csv = std::fs::read_to_string(path("csv")).unwrap();
    assert!(csv.contains("Failure or refusal to provide a service,24,42.9%"));
    assert!(csv.contains("teams: Complaints by team"));
    for binary in ["xlsx", "docx"] {
        let bytes = std::fs::read(path(binary)).unwrap();
        assert!(bytes.starts_with(b"PK"), "{binary} is a zip container");
    }
    let pdf = std::fs::read(path("pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // pdftotext (poppler-utils, which .ci/run installs) shows the figures in the PDF's text.
    let text = Command::new("pdftotext")
        .args([&path("pdf"), "-"])
        .output()
        .expect("pdftotext must be installed: apt-get install poppler-utils");
    let text = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("received 58 complaints, a 31.8% decrease on 85 in 2019/20"),
        "{text}"
    );
    assert!(text.contains("down 4.9 percentage points"));
    assert!(text.contains("Failure or refusal to provide a service 24 42.9%"));
    // The Word file has real headings, tables and pictures.
    let docx = Command::new("unzip")
        .args(["-p", &path("docx"), "word/document.xml"])
        .output()
        .expect("unzip");
    let xml = String::from_utf8_lossy(&docx.stdout);
    assert!(xml.contains("w:val=\"Heading1\""), "Heading 1 style used");
    assert!(
        xml.matches("<w:tbl>").count() >= 10,
        "tables are real tables"
    );
    assert_eq!(
        xml.matches("<pic:pic").count(),
        4,
        "four charts as pictures"
    );
    let sheets = Command::new("unzip")
        .args(["-l", &path("xlsx")])
        .output()
        .expect("unzip");
    assert!(
        String::from_utf8_lossy(&sheets.stdout).contains("xl/worksheets/sheet12.xml"),
        "a worksheet per table"
    );
    let wrong = redress(
        db,
        &[
            "report",
            "annual",
            "--organisation",
            "westminster",
            "--year",
            "20",
            "--format",
            "json",
        ],
    );
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("--year 20 is not a financial year"));
}
