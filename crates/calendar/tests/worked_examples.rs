//! The worked examples from the procedures reference (England and Wales), and the edges of
//! coverage. Each is a date a council would be judged on.

use chrono::NaiveDate;
use redress_calendar::{parse_closures, Calendar, DayKind, Division, HolidaySource};

fn d(text: &str) -> NaiveDate {
    redress_calendar::parse_iso_date(text).unwrap()
}

fn england() -> Calendar {
    Calendar::built_in(Division::EnglandAndWales)
}

#[test]
fn worked_examples_from_the_procedures_reference() {
    let cal = england();
    let cases = [
        ("2020-12-18", 10, "2021-01-06"),
        ("2020-05-07", 1, "2020-05-11"),
        ("2022-09-16", 1, "2022-09-20"),
        ("2023-05-05", 1, "2023-05-09"),
        ("2021-12-24", 1, "2021-12-29"),
        ("2022-06-01", 2, "2022-06-07"),
        ("2019-12-20", 10, "2020-01-08"),
        ("2020-04-09", 25, "2020-05-19"),
    ];
    for (from, n, expected) in cases {
        assert_eq!(
            cal.add_working_days(d(from), n).unwrap(),
            d(expected),
            "{from} + {n}"
        );
        assert_eq!(
            cal.working_days_between(d(from), d(expected)).unwrap(),
            n as i64
        );
    }
}

#[test]
fn receipt_on_a_non_working_day_is_due_with_the_working_day_before() {
    let cal = england();
    // Saturday 19 Dec 2020 and Friday 18 Dec 2020 share a due date.
    assert_eq!(
        cal.add_working_days(d("2020-12-19"), 10).unwrap(),
        cal.add_working_days(d("2020-12-18"), 10).unwrap()
    );
    assert_eq!(
        cal.add_working_days(d("2020-12-19"), 0).unwrap(),
        d("2020-12-19")
    );
}

#[test]
fn reasons_name_the_holiday_and_substitute_days() {
    let cal = england();
    assert_eq!(
        cal.day_kind(d("2020-12-28")).unwrap().to_string(),
        "Boxing Day (substitute day)"
    );
    assert_eq!(cal.day_kind(d("2020-12-26")).unwrap(), DayKind::Saturday);
    assert_eq!(cal.day_kind(d("2020-12-29")).unwrap(), DayKind::Working);
    assert!(!cal.is_working_day(d("2022-09-19")).unwrap());
    assert_eq!(
        cal.next_working_day(d("2020-12-24")).unwrap(),
        d("2020-12-29")
    );
}

#[test]
fn divisions_differ() {
    // 2 January is a bank holiday in Scotland only; 17 March (St Patrick's Day) in NI only.
    let scotland = Calendar::built_in(Division::Scotland);
    let northern_ireland = Calendar::built_in(Division::NorthernIreland);
    assert!(!scotland.is_working_day(d("2024-01-02")).unwrap());
    assert!(england().is_working_day(d("2024-01-02")).unwrap());
    assert!(!northern_ireland.is_working_day(d("2025-03-17")).unwrap());
    assert!(england().is_working_day(d("2025-03-17")).unwrap());
}

#[test]
fn closures_sit_on_top_of_the_national_list() {
    let closures =
        parse_closures("2021-12-29 Christmas closure\n2021-12-30\n2021-12-31\n").unwrap();
    let cal = Calendar::new(
        &HolidaySource::built_in(),
        Division::EnglandAndWales,
        &closures,
    )
    .unwrap();
    assert_eq!(
        cal.day_kind(d("2021-12-29")).unwrap().to_string(),
        "Christmas closure (closure day)"
    );
    // Fri 24 Dec 2021 + 1: 27, 28 substitute days, 29-31 closed, 3 Jan 2022 substitute New Year.
    assert_eq!(
        cal.add_working_days(d("2021-12-24"), 1).unwrap(),
        d("2022-01-04")
    );
}

#[test]
fn dates_beyond_the_data_are_errors_that_say_what_to_do() {
    let cal = england();
    assert_eq!(
        cal.add_working_days(d("2031-01-06"), 1)
            .unwrap_err()
            .to_string(),
        "no bank-holiday data for 2031 (the calendar covers 2015 to 2028): load a newer calendar"
    );
    assert_eq!(
        cal.add_working_days(d("2028-12-20"), 10).unwrap_err().year,
        2029
    );
    assert!(cal
        .working_days_between(d("2014-12-31"), d("2015-01-05"))
        .is_err());
    assert!(cal.day_kind(d("2029-01-01")).is_err());
}

#[test]
fn a_calendar_file_with_a_missing_year_is_refused() {
    let text = r#"{"england-and-wales": {"division": "england-and-wales", "events": [
        {"title": "New Year's Day", "date": "2020-01-01"},
        {"title": "New Year's Day", "date": "2022-01-03"}
    ]}}"#;
    let source = HolidaySource::from_gov_uk_json(text).unwrap();
    let err = Calendar::new(&source, Division::EnglandAndWales, &[]).unwrap_err();
    assert!(
        err.to_string().contains("no bank holidays in 2021"),
        "{err}"
    );
    let err = Calendar::new(&source, Division::Scotland, &[]).unwrap_err();
    assert_eq!(err.to_string(), "calendar has no 'scotland' division");
}
