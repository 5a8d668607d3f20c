//! The public complaint form's decoder: any body gives a case, a robot, or named faults.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    for young in [false, true] {
        if let Ok(Some(case)) = redress_web::decode_public_complaint(data, young, today) {
            assert!(!case.personal.summary.trim().is_empty(), "a case always has a summary");
        }
    }
});
