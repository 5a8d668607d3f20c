//! `redress import` and `redress export` through the real binary, on SQLite and PostgreSQL:
//! the CSV contract councils migrate with.

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

fn ok(db: &TestDatabase, args: &[&str]) -> String {
    let out = redress(db, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(db: &TestDatabase, args: &[&str]) -> String {
    let out = redress(db, args);
    assert!(!out.status.success(), "{args:?} should have failed");
    String::from_utf8(out.stderr).unwrap()
}

fn file(name: &str, contents: &str) -> String {
    let dir = std::env::temp_dir().join(format!("redress-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

const HEADER: &str = "reference,received_on,procedure,team,reason,channel,complainant_role,child_complained,advocacy_offered,advocacy_taken_up,resolved_at_initial_contact,rejected_reason,stage1_started_on,stage1_extended,stage1_responded_on,stage1_outcome,stage2_started_on,stage2_extended,stage2_responded_on,stage2_outcome,stage3_started_on,stage3_panel_on,stage3_responded_on,stage3_outcome,ombudsman_decision,ombudsman_decided_on,withdrawn_on,closed_on";

/// One row of every shape the format carries, in export order.
fn canonical() -> String {
    [
        HEADER,
        "WCC-2020-0001,2020-04-06,statutory,Access & Assessment Team,Failure or refusal to provide a service,email,child,yes,yes,yes,no,,2020-04-06,no,2020-04-17,upheld,,,,,,,,,,,,",
        "WCC-2020-0002,2020-04-07,corporate,Special Educational Needs,\"Communication, including letters\",web,parent,no,no,no,no,,2020-04-08,yes,2020-05-01,not_upheld,2020-05-11,no,2020-05-22,partially_upheld,,,,,fault_injustice,2020-12-01,,2020-06-01",
        "WCC-2020-0003,2020-05-07,statutory,Localities,Communication,phone,foster_carer,no,no,no,no,,2020-05-07,no,2020-05-20,not_upheld,2020-06-01,yes,2020-08-20,not_upheld,2020-09-01,2020-10-05,2020-10-20,upheld,,,,",
        "WCC-2020-0004,2020-06-01,statutory,Localities,Communication,post,relative,no,no,no,yes,,,,,,,,,,,,,,,,,",
        "WCC-2020-0005,2020-06-02,corporate,,,councillor_or_mp,other,no,no,no,no,concerns another local authority,,,,,,,,,,,,,out_of_jurisdiction,2020-09-01,,",
        "WCC-2020-0006,2020-07-01,statutory,Localities,Communication,in_person,carer,no,no,no,no,,2020-07-01,no,,,,,,,,,,,,,,",
        "WCC-2020-0007,2020-07-02,statutory,Localities,Communication,advocate,advocate,no,no,no,no,,2020-07-02,no,2020-07-10,withdrawn,,,,,,,,,,,,",
    ]
    .join("\n")
        + "\n"
}

on_both_backends!(
    import_then_export_round_trips,
    importing_twice_never_duplicates,
    bad_files_are_refused_whole_with_line_and_column,
    a_fault_on_the_last_line_of_a_long_file_imports_nothing,
    imported_statistics_agree_with_the_cases,
    compliments_import_and_export,
);

async fn import_then_export_round_trips(db: &TestDatabase) {
    let input = file(&format!("canonical-{}.csv", db.backend), &canonical());
    let said = ok(
        db,
        &[
            "import",
            "cases",
            &input,
            "--organisation",
            "westminster",
            "--reference-prefix",
            "WCC",
        ],
    );
    assert_eq!(said, "imported 7 cases into westminster\n");
    let exported = ok(db, &["export", "cases", "--organisation", "westminster"]);
    assert_eq!(exported, canonical());
    // What was imported is live data: the API-facing store computes on it.
    let out = file(&format!("out-{}.csv", db.backend), "");
    ok(
        db,
        &[
            "export",
            "cases",
            "--organisation",
            "westminster",
            "--out",
            &out,
        ],
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), canonical());
}

async fn importing_twice_never_duplicates(db: &TestDatabase) {
    let input = file(&format!("twice-{}.csv", db.backend), &canonical());
    ok(
        db,
        &["import", "cases", &input, "--organisation", "westminster"],
    );
    let err = fails(
        db,
        &["import", "cases", &input, "--organisation", "westminster"],
    );
    assert!(
        err.contains("7 problems found; nothing was imported"),
        "{err}"
    );
    assert!(
        err.contains("line 2, column 1 (reference): WCC-2020-0001 already exists in westminster: it was imported before"),
        "{err}"
    );
    assert_eq!(
        ok(db, &["export", "cases", "--organisation", "westminster"]),
        canonical()
    );
}

async fn bad_files_are_refused_whole_with_line_and_column(db: &TestDatabase) {
    let good = "WCC-1,2020-04-06,statutory,Localities,Communication,email,parent,no,no,no,no,,,no,2020-04-17,upheld,,,,,,,,,,,,";
    let cases: [(&str, String, &str); 7] = [
        (
            "bad date",
            format!("{HEADER}\n{good}\nWCC-2,2021-02-30,statutory,Localities,Communication,email,parent,no,no,no,no,,,,,,,,,,,,,,,,,\n"),
            "line 3, column 2 (received_on): '2021-02-30' is not a real date: February 2021 has 28 days",
        ),
        (
            "unknown value",
            format!("{HEADER}\nWCC-2,2021-02-01,statutory,Localities,Communication,pigeon,parent,no,no,no,no,,,,,,,,,,,,,,,,,\n"),
            "line 2, column 6 (channel): 'pigeon' is not one of email, web, phone, post, in_person, councillor_or_mp, advocate, other",
        ),
        (
            "missing column",
            "reference,procedure,team,reason\nWCC-1,statutory,Localities,Communication\n".to_string(),
            "line 1 (received_on): the required column 'received_on' is missing",
        ),
        (
            "duplicate reference",
            format!("{HEADER}\n{good}\n{}\n", good.replace("2020-04-17", "2020-04-20")),
            "line 3, column 1 (reference): WCC-1 appears again (first on line 2)",
        ),
        (
            "stage 2 without a stage 1 response",
            format!("{HEADER}\nWCC-3,2020-04-06,statutory,Localities,Communication,email,parent,no,no,no,no,,,no,,,2020-05-01,no,,,,,,,,,,\n"),
            "line 2, column 17 (stage2_started_on): Stage 2 cannot start before Stage 1 has a response",
        ),
        (
            "response before the start",
            format!("{HEADER}\nWCC-4,2020-04-06,statutory,Localities,Communication,email,parent,no,no,no,no,,2020-04-10,no,2020-04-08,upheld,,,,,,,,,,,,\n"),
            "line 2, column 15 (stage1_responded_on): 2020-04-08 is before stage1_started_on (2020-04-10)",
        ),
        (
            "unknown column",
            format!("{},colour\n{good},red\n", HEADER),
            "line 1, column 29 (colour): unknown column 'colour'",
        ),
    ];
    for (what, contents, expected) in cases {
        let path = file(
            &format!("{}-{}.csv", what.replace(' ', "-"), db.backend),
            &contents,
        );
        let err = fails(db, &["import", "cases", &path, "--organisation", "refused"]);
        assert!(err.contains("nothing was imported"), "{what}: {err}");
        assert!(
            err.contains(expected),
            "{what}: expected {expected:?} in {err}"
        );
        let export = fails(db, &["export", "cases", "--organisation", "refused"]);
        assert!(
            export.contains("organisation 'refused' not found"),
            "{what}: the organisation was created: {export}"
        );
    }

    // All errors are listed, not just the first.
    let many = format!(
        "{HEADER}\nA,2020-13-01,statutory,Localities,Communication,email,parent,no,no,no,no,,,no,,,,,,,,,,,,,,\nB,2020-04-01,statutory,,Communication,fax,parent,no,no,no,no,,,no,,,,,,,,,,,,,,\nC,2020-04-01,corporate,Localities,Communication,email,parent,no,no,no,no,,,no,2020-04-10,upheld,2020-04-11,no,2020-04-20,upheld,2020-04-21,,,,,,,\n"
    );
    let path = file(&format!("many-{}.csv", db.backend), &many);
    let err = fails(db, &["import", "cases", &path, "--organisation", "refused"]);
    for expected in [
        "4 problems found; nothing was imported",
        "line 2, column 2 (received_on): '2020-13-01' is not a real date: there is no month 13",
        "line 3, column 4 (team): must not be empty unless the complaint was rejected",
        "line 3, column 6 (channel): 'fax' is not one of",
        "line 4, column 21 (stage3_started_on): the corporate procedure has no Stage 3",
    ] {
        assert!(err.contains(expected), "expected {expected:?} in {err}");
    }

    // A refusal found in the database (a reference already there) also changes nothing.
    let first = file(
        &format!("first-{}.csv", db.backend),
        &format!("{HEADER}\n{good}\n"),
    );
    ok(
        db,
        &["import", "cases", &first, "--organisation", "partial"],
    );
    let mixed = file(
        &format!("mixed-{}.csv", db.backend),
        &format!("{HEADER}\n{}\n{good}\n", good.replace("WCC-1", "WCC-9")),
    );
    let err = fails(
        db,
        &["import", "cases", &mixed, "--organisation", "partial"],
    );
    assert!(
        err.contains("line 3, column 1 (reference): WCC-1 already exists in partial"),
        "{err}"
    );
    let export = ok(db, &["export", "cases", "--organisation", "partial"]);
    assert!(
        !export.contains("WCC-9"),
        "a refused import left a row behind"
    );
}

/// A good row (Stage 1 answered, upheld), closed on `closed_on` when that is not empty.
fn row(reference: &str, closed_on: &str) -> String {
    format!("{reference},2020-04-06,statutory,Localities,Communication,email,parent,no,no,no,no,,,no,2020-04-17,upheld,,,,,,,,,,,,{closed_on}\n")
}

/// `count` good rows after the header: more than one batch is written before the last line.
fn many_rows(prefix: &str, count: usize) -> String {
    let mut text = format!("{HEADER}\n");
    for n in 1..=count {
        text.push_str(&row(&format!("{prefix}-{n}"), ""));
    }
    text
}

/// Imports `contents` into `long`, which must be refused for the one fault `expected`.
fn refused_for_one(db: &TestDatabase, name: &str, contents: &str, expected: &str) {
    let path = file(&format!("{name}-{}.csv", db.backend), contents);
    let err = fails(db, &["import", "cases", &path, "--organisation", "long"]);
    assert!(
        err.contains("1 problems found; nothing was imported"),
        "{err}"
    );
    assert!(err.contains(expected), "expected {expected:?} in {err}");
}

async fn a_fault_on_the_last_line_of_a_long_file_imports_nothing(db: &TestDatabase) {
    // A fault the first reading finds: nothing is written at all.
    refused_for_one(
        db,
        "bad-last",
        &(many_rows("A", 3000) + &row("A-LAST", "2020-04-01")),
        "line 3002, column 28 (closed_on): 2020-04-01 is before received_on (2020-04-06)",
    );
    let export = fails(db, &["export", "cases", "--organisation", "long"]);
    assert!(export.contains("organisation 'long' not found"), "{export}");

    // A fault found only while writing (the last reference is already in the database), after
    // batches of the file went in: they are rolled back.
    let first = file(
        &format!("long-first-{}.csv", db.backend),
        &format!("{HEADER}\n{}", row("B-LAST", "")),
    );
    ok(db, &["import", "cases", &first, "--organisation", "long"]);
    refused_for_one(
        db,
        "taken-last",
        &(many_rows("B", 3000) + &row("B-LAST", "")),
        "line 3002, column 1 (reference): B-LAST already exists in long: it was imported before",
    );
    let export = ok(db, &["export", "cases", "--organisation", "long"]);
    assert_eq!(export.lines().count(), 2, "only B-LAST is there: {export}");
    let checked = ok(db, &["check", "statistics"]);
    assert!(
        checked.contains("long: 1 cases, 2 rows, 0 differences"),
        "{checked}"
    );
}

async fn imported_statistics_agree_with_the_cases(db: &TestDatabase) {
    // Every shape the format carries, and a long file of one shape (several batches).
    let canonical = file(&format!("stats-canonical-{}.csv", db.backend), &canonical());
    ok(
        db,
        &["import", "cases", &canonical, "--organisation", "shapes"],
    );
    let long = file(
        &format!("stats-long-{}.csv", db.backend),
        &many_rows("C", 2500),
    );
    ok(db, &["import", "cases", &long, "--organisation", "shapes"]);
    let checked = ok(db, &["check", "statistics"]);
    assert!(checked.contains("shapes: 2507 cases"), "{checked}");
    assert!(
        checked.contains("the statistics table agrees with the cases"),
        "{checked}"
    );
}

async fn compliments_import_and_export(db: &TestDatabase) {
    let input = file(
        &format!("compliments-{}.csv", db.backend),
        "received_on,team,summary,consent_to_publish\n2020-05-01,Special Educational Needs,Thank you for the support with the EHC plan,yes\n2020-06-01,Localities,\"Mrs Smith was kind, patient and clear\",no\n",
    );
    assert_eq!(
        ok(
            db,
            &[
                "import",
                "compliments",
                &input,
                "--organisation",
                "westminster"
            ]
        ),
        "imported 2 compliments into westminster\n"
    );
    let exported = ok(
        db,
        &["export", "compliments", "--organisation", "westminster"],
    );
    assert_eq!(exported, std::fs::read_to_string(&input).unwrap());
    let bad = file(
        &format!("bad-compliments-{}.csv", db.backend),
        "received_on,team,summary\n2020-05-01,,Thanks\n",
    );
    let err = fails(
        db,
        &[
            "import",
            "compliments",
            &bad,
            "--organisation",
            "westminster",
        ],
    );
    assert!(
        err.contains("line 2, column 2 (team): must not be empty"),
        "{err}"
    );
}
