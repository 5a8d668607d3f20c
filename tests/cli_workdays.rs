//! The `workdays` and `procedures` commands are a public contract: scripts read stdout and
//! rely on the exit status. Each case runs the real binary.

use std::io::Write;
use std::process::{Command, Output};

fn redress(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(args)
        .output()
        .expect("the redress binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = redress(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "{args:?} wrote to stderr");
    String::from_utf8(out.stdout).unwrap()
}

/// Asserts a non-zero exit, nothing on stdout, and an error on stderr containing `expected`.
fn fails(args: &[&str], expected: &str) {
    let out = redress(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(out.stdout.is_empty(), "{args:?} printed to stdout on error");
    assert!(
        stderr.contains(expected),
        "{args:?}: expected {expected:?} in stderr, got {stderr}"
    );
}

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("redress-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(contents.as_bytes())
        .unwrap();
    path
}

#[test]
fn add_prints_only_the_date() {
    assert_eq!(ok(&["workdays", "add", "2020-12-18", "10"]), "2021-01-06\n");
    assert_eq!(ok(&["workdays", "add", "2022-09-16", "1"]), "2022-09-20\n");
    assert_eq!(ok(&["workdays", "add", "2020-12-18", "0"]), "2020-12-18\n");
}

#[test]
fn between_prints_only_the_count() {
    assert_eq!(
        ok(&["workdays", "between", "2020-12-18", "2021-01-06"]),
        "10\n"
    );
    assert_eq!(
        ok(&["workdays", "between", "2021-01-06", "2020-12-18"]),
        "-10\n"
    );
}

#[test]
fn check_says_why_a_day_is_not_a_working_day() {
    assert_eq!(
        ok(&["workdays", "check", "2020-12-28"]),
        "not a working day: Boxing Day (substitute day)\n"
    );
    assert_eq!(
        ok(&["workdays", "check", "2020-12-26"]),
        "not a working day: Saturday\n"
    );
    assert_eq!(ok(&["workdays", "check", "2020-12-29"]), "working day\n");
}

#[test]
fn division_changes_the_answer() {
    assert_eq!(ok(&["workdays", "check", "2024-01-02"]), "working day\n");
    assert_eq!(
        ok(&["workdays", "--division", "scotland", "check", "2024-01-02"]),
        "not a working day: New Year Holiday\n"
    );
    assert_eq!(
        ok(&[
            "workdays",
            "check",
            "2025-03-17",
            "--division",
            "northern-ireland"
        ]),
        "not a working day: Saint Patrick's Day\n"
    );
}

#[test]
fn closures_file_adds_closure_days() {
    let closures = temp_file(
        "closures.txt",
        "# Christmas\n2021-12-29 Christmas closure\n",
    );
    let path = closures.to_str().unwrap();
    assert_eq!(
        ok(&["workdays", "check", "2021-12-29", "--closures", path]),
        "not a working day: Christmas closure (closure day)\n"
    );
    assert_eq!(
        ok(&["workdays", "add", "2021-12-24", "1", "--closures", path]),
        "2021-12-30\n"
    );
}

#[test]
fn a_newer_calendar_file_is_used_without_rebuilding() {
    let calendar = temp_file(
        "newer.json",
        r#"{"england-and-wales": {"division": "england-and-wales", "events": [
            {"title": "New Year's Day", "date": "2031-01-01", "notes": "", "bunting": true},
            {"title": "Founders' Day", "date": "2031-01-03", "notes": "", "bunting": true}
        ]}}"#,
    );
    let path = calendar.to_str().unwrap();
    assert_eq!(
        ok(&["workdays", "add", "2031-01-01", "1", "--calendar", path]).trim(),
        "2031-01-02"
    );
    assert_eq!(
        ok(&["workdays", "add", "2031-01-02", "1", "--calendar", path]).trim(),
        "2031-01-06"
    );
    assert_eq!(
        ok(&["workdays", "check", "2031-01-03", "--calendar", path]),
        "not a working day: Founders' Day\n"
    );
}

#[test]
fn bad_dates_are_refused() {
    fails(
        &["workdays", "add", "2021-02-30", "1"],
        "'2021-02-30' is not a real date: February 2021 has 28 days",
    );
    fails(
        &["workdays", "add", "30/01/2021", "1"],
        "is not a date in the form YYYY-MM-DD",
    );
    fails(
        &["workdays", "between", "2021-01-01", "2021-1-5"],
        "is not a date in the form YYYY-MM-DD",
    );
    fails(&["workdays", "check", "2021-00-10"], "there is no month 0");
}

#[test]
fn negative_or_absurd_n_is_refused() {
    fails(
        &["workdays", "add", "2021-01-04", "-5"],
        "N must be 0 or more working days, not -5",
    );
    fails(
        &["workdays", "add", "2021-01-04", "5000"],
        "N must be at most 1000 working days",
    );
    fails(
        &["workdays", "add", "2021-01-04", "99999999999999999999"],
        "<N>",
    );
    fails(&["workdays", "add", "2021-01-04", "ten"], "<N>");
}

#[test]
fn unknown_division_is_refused() {
    fails(
        &["workdays", "--division", "wales", "add", "2021-01-04", "1"],
        "unknown division 'wales': expected one of england-and-wales, scotland, northern-ireland",
    );
}

#[test]
fn bad_calendar_files_say_what_is_wrong_and_where() {
    let not_json = temp_file(
        "not-json.json",
        "{\n  \"england-and-wales\": {\n    \"events\": [,]\n",
    );
    fails(
        &[
            "workdays",
            "add",
            "2021-01-04",
            "1",
            "--calendar",
            not_json.to_str().unwrap(),
        ],
        "calendar is not valid JSON",
    );
    fails(
        &[
            "workdays",
            "add",
            "2021-01-04",
            "1",
            "--calendar",
            not_json.to_str().unwrap(),
        ],
        "line 3, column 16",
    );
    let wrong_shape = temp_file(
        "wrong-shape.json",
        "{\"england-and-wales\": {\"events\": [\n  {\"title\": \"Bank holiday\", \"date\": 20210104}\n]}}",
    );
    fails(
        &["workdays", "add", "2021-01-04", "1", "--calendar", wrong_shape.to_str().unwrap()],
        "not in the gov.uk bank-holidays format: invalid type: integer `20210104`, expected a string at line 2",
    );
    let no_division = temp_file("no-division.json", r#"{"holidays": []}"#);
    fails(
        &[
            "workdays",
            "add",
            "2021-01-04",
            "1",
            "--calendar",
            no_division.to_str().unwrap(),
        ],
        "none of england-and-wales, scotland, northern-ireland is present (found: holidays)",
    );
    fails(
        &[
            "workdays",
            "add",
            "2021-01-04",
            "1",
            "--calendar",
            "/nonexistent/bank-holidays.json",
        ],
        "cannot read calendar file /nonexistent/bank-holidays.json",
    );
    let bad_closures = temp_file("bad-closures.txt", "2021-12-29\n2021-12-32 oops\n");
    fails(
        &[
            "workdays",
            "add",
            "2021-01-04",
            "1",
            "--closures",
            bad_closures.to_str().unwrap(),
        ],
        "closures line 2, column 1: '2021-12-32' is not a real date",
    );
}

#[test]
fn dates_beyond_the_data_tell_the_user_to_load_a_newer_calendar() {
    fails(
        &["workdays", "add", "2031-03-03", "10"],
        "no bank-holiday data for 2031 (the calendar covers 2015 to 2028): load a newer calendar",
    );
    fails(
        &["workdays", "add", "2028-12-20", "10"],
        "no bank-holiday data for 2029",
    );
    fails(
        &["workdays", "between", "2014-06-02", "2015-01-05"],
        "no bank-holiday data for 2014",
    );
    fails(
        &["workdays", "check", "2029-01-01"],
        "no bank-holiday data for 2029",
    );
}

#[test]
fn procedures_show_prints_each_stage_with_its_timescales() {
    let statutory = ok(&["procedures", "show", "statutory"]);
    assert!(statutory.contains("Stage 1: Local resolution"));
    assert!(statutory.contains(
        "respond within 10 working days of receipt; may be extended to 20 working days at most"
    ));
    assert!(statutory.contains(
        "respond within 25 working days of the request; may be extended to 65 working days at most"
    ));
    assert!(statutory.contains("the panel meets within 30 working days of the request; it reports within 5 working days of meeting; the council responds within 15 working days of the report"));
    let all = ok(&["procedures", "show"]);
    for name in ["statutory:", "corporate:", "lgsco-code:"] {
        assert!(all.contains(name), "missing {name}");
    }
    assert!(ok(&["procedures", "show", "lgsco-code"]).contains("acknowledge within 5 working days"));
    fails(
        &["procedures", "show", "housing"],
        "unknown procedure 'housing': expected one of statutory, corporate, lgsco-code",
    );
}
