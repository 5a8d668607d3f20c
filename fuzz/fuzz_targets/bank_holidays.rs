//! The gov.uk bank-holiday JSON reader: any text is read or refused, never a panic, and a
//! calendar built from what is read answers for every division.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redress_calendar::{Calendar, Division, HolidaySource};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(source) = HolidaySource::from_gov_uk_json(text) {
        for division in [Division::EnglandAndWales, Division::Scotland, Division::NorthernIreland] {
            if let Ok(calendar) = Calendar::new(&source, division, &[]) {
                let (from, to) = calendar.coverage();
                let _ = calendar.add_working_days(from, 10);
                let _ = calendar.working_days_between(from, to);
            }
        }
    }
});
