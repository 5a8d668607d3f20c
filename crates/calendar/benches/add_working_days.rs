//! `add(date, 65)` (the Stage 2 maximum) through the index, against the day-by-day loop.
//! Run: `cargo bench -p redress-calendar --bench add_working_days`

use chrono::{Days, NaiveDate};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use redress_calendar::{naive, Calendar, Division};
use std::collections::HashSet;

fn dates() -> Vec<NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    (0..1024u64)
        .map(|i| start + Days::new(i * 4 % 4000))
        .collect()
}

fn bench(c: &mut Criterion) {
    let calendar = Calendar::built_in(Division::EnglandAndWales);
    let non_working: HashSet<NaiveDate> = calendar.closed_days().collect();
    let dates = dates();
    let mut group = c.benchmark_group("add_65");
    group.throughput(Throughput::Elements(dates.len() as u64));
    group.bench_function("index", |b| {
        b.iter(|| {
            for date in &dates {
                black_box(
                    calendar
                        .add_working_days(black_box(*date), black_box(65))
                        .unwrap(),
                );
            }
        })
    });
    group.bench_function("naive_loop", |b| {
        b.iter(|| {
            for date in &dates {
                black_box(naive::add(black_box(*date), black_box(65), &non_working));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
