//! The CSV case import: any bytes give rows or line-and-column errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redress_core::Procedure;

fuzz_target!(|data: &[u8]| {
    let procedures: Vec<Procedure> = ["statutory", "corporate"]
        .iter()
        .filter_map(|n| Procedure::preset(n))
        .collect();
    let _ = redress_interchange::parse_cases(data, &procedures, |_| {});
    let _ = redress_interchange::parse_compliments(data);
});
