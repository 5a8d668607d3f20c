//! Property tests: the constant-time index agrees with the day-by-day loop everywhere in the
//! coverage, and add and between are inverse to each other.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use redress_calendar::{naive, Calendar, Closure, Division, HolidaySource};
use std::collections::HashSet;
use std::sync::OnceLock;

struct Fixture {
    calendar: Calendar,
    non_working: HashSet<NaiveDate>,
}

fn fixture(division: Division) -> &'static Fixture {
    static FIXTURES: OnceLock<Vec<Fixture>> = OnceLock::new();
    let all = FIXTURES.get_or_init(|| {
        Division::ALL
            .into_iter()
            .map(|division| {
                // Closures each Christmas week, as many councils have.
                let closures: Vec<Closure> = (2015..=2028)
                    .flat_map(|year| {
                        [29, 30].map(|day| Closure {
                            date: NaiveDate::from_ymd_opt(year, 12, day).unwrap(),
                            label: "closure".into(),
                        })
                    })
                    .collect();
                let calendar =
                    Calendar::new(&HolidaySource::built_in(), division, &closures).unwrap();
                let non_working = calendar.closed_days().collect();
                Fixture {
                    calendar,
                    non_working,
                }
            })
            .collect()
    });
    &all[Division::ALL.iter().position(|d| *d == division).unwrap()]
}

fn date_in_coverage() -> impl Strategy<Value = NaiveDate> {
    // 2015-01-01 plus up to ~12.9 years, leaving room for additions to stay inside 2028.
    (0u64..4700).prop_map(|offset| NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + Days::new(offset))
}

fn division() -> impl Strategy<Value = Division> {
    prop::sample::select(Division::ALL.to_vec())
}

proptest! {
    #[test]
    fn add_matches_the_naive_loop(division in division(), date in date_in_coverage(), n in 0u32..200) {
        let f = fixture(division);
        prop_assert_eq!(f.calendar.add_working_days(date, n).unwrap(), naive::add(date, n, &f.non_working));
    }

    #[test]
    fn between_matches_the_naive_loop(division in division(), a in date_in_coverage(), b in date_in_coverage()) {
        let f = fixture(division);
        prop_assert_eq!(f.calendar.working_days_between(a, b).unwrap(), naive::between(a, b, &f.non_working));
    }

    #[test]
    fn is_working_day_matches_the_naive_rule(division in division(), date in date_in_coverage()) {
        let f = fixture(division);
        prop_assert_eq!(f.calendar.is_working_day(date).unwrap(), naive::is_working_day(date, &f.non_working));
    }

    #[test]
    fn between_undoes_add(division in division(), date in date_in_coverage(), n in 0u32..200) {
        let cal = &fixture(division).calendar;
        let due = cal.add_working_days(date, n).unwrap();
        prop_assert_eq!(cal.working_days_between(date, due).unwrap(), n as i64);
        prop_assert!(due >= date);
        if n > 0 {
            prop_assert!(cal.is_working_day(due).unwrap());
        }
    }

    #[test]
    fn add_is_monotonic_and_composes(division in division(), date in date_in_coverage(), m in 0u32..100, n in 0u32..100) {
        let cal = &fixture(division).calendar;
        let stepwise = cal.add_working_days(cal.add_working_days(date, m).unwrap(), n).unwrap();
        // Adding m then n equals adding m + n once the first step lands on a working day.
        if m > 0 {
            prop_assert_eq!(stepwise, cal.add_working_days(date, m + n).unwrap());
        }
        prop_assert!(cal.add_working_days(date, m).unwrap() <= cal.add_working_days(date, m + n).unwrap());
    }

    #[test]
    fn between_is_antisymmetric_and_additive(division in division(), a in date_in_coverage(), b in date_in_coverage(), c in date_in_coverage()) {
        let cal = &fixture(division).calendar;
        let ab = cal.working_days_between(a, b).unwrap();
        prop_assert_eq!(ab, -cal.working_days_between(b, a).unwrap());
        prop_assert_eq!(ab + cal.working_days_between(b, c).unwrap(), cal.working_days_between(a, c).unwrap());
    }
}
