//! The pieces sections are made of: rows, tables and charts of counts, and narrative text.

use super::{Chart, Element, Table};
use crate::model::{CountChange, NameCount, Report, StageFigures};
use crate::render::charts::{bar_chart, Bar};
use crate::render::narrative::{blocks, Block};

/// A comparison row: the label, the previous and current counts, and the change in percent.
pub(super) fn count_row(label: &str, change: &CountChange) -> Vec<String> {
    vec![
        label.to_string(),
        change.previous.to_string(),
        change.current.to_string(),
        change
            .percent
            .map(|p| format!("{p:+.1}%"))
            .unwrap_or_else(|| "–".into()),
    ]
}

pub(super) fn opt_percent(value: Option<f64>) -> String {
    value
        .map(|v| format!("{v:.1}%"))
        .unwrap_or_else(|| "–".into())
}

pub(super) fn name_table(
    name: &str,
    caption: &str,
    first: &str,
    rows: &[NameCount],
    total_label: Option<&str>,
) -> Table {
    let total: u64 = rows.iter().map(|r| r.count).sum();
    Table {
        name: name.into(),
        caption: caption.into(),
        header: vec![first.into(), "Number".into(), "Share".into()],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    r.count.to_string(),
                    format!("{:.1}%", r.percent),
                ]
            })
            .collect(),
        total: total_label.map(|label| {
            vec![
                label.into(),
                total.to_string(),
                if total > 0 {
                    "100.0%".into()
                } else {
                    "–".into()
                },
            ]
        }),
    }
}

/// `councillor_or_mp` reads as "Councillor or MP".
pub(super) fn humanise(rows: &[NameCount]) -> Vec<NameCount> {
    rows.iter()
        .map(|r| {
            let words = r.name.replace('_', " ").replace("or mp", "or MP");
            let mut chars = words.chars();
            let name = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            NameCount { name, ..r.clone() }
        })
        .collect()
}

pub(super) fn name_chart(name: &str, title: &str, rows: &[NameCount]) -> Chart {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.name.clone(),
            value: r.count as f64,
            shown: r.count.to_string(),
        })
        .collect();
    Chart {
        name: name.into(),
        title: title.into(),
        svg: bar_chart(title, &bars, None),
    }
}

pub(super) fn stage_rows(stages: &[(&str, &StageFigures)]) -> Vec<Vec<String>> {
    let row = |label: &str, f: &dyn Fn(&StageFigures) -> String| {
        let mut cells = vec![label.to_string()];
        cells.extend(stages.iter().map(|(_, s)| f(s)));
        cells
    };
    vec![
        row("Started", &|s| s.started.to_string()),
        row("Statutory", &|s| s.statutory.to_string()),
        row("Non-statutory", &|s| s.non_statutory.to_string()),
        row("Responded", &|s| s.responded.to_string()),
        row("Open and overdue", &|s| s.open_overdue.to_string()),
        row("Not responded in time", &|s| {
            s.not_responded_in_time.to_string()
        }),
        row("Within timescale", &|s| s.within_timescale.to_string()),
        row("Within timescale (%)", &|s| {
            opt_percent(s.within_timescale_percent)
        }),
        row("Extended", &|s| s.extended.to_string()),
        row("Clock stops", &|s| s.clock_stops.to_string()),
        row("Upheld", &|s| s.upheld.to_string()),
        row("Partially upheld", &|s| s.partially_upheld.to_string()),
        row("Not upheld", &|s| s.not_upheld.to_string()),
        row("Withdrawn", &|s| s.withdrawn.to_string()),
        row("Average working days to respond", &|s| {
            s.average_working_days_to_respond
                .map(|d| format!("{d:.1}"))
                .unwrap_or_else(|| "–".into())
        }),
    ]
}

pub(super) fn narrative(out: &mut Vec<Element>, report: &Report, section: &str) {
    if let Some(text) = report.narrative.get(section) {
        for block in blocks(text) {
            out.push(match block {
                Block::Paragraph(p) => Element::Paragraph(p),
                Block::Bullets(items) => Element::Bullets(items),
            });
        }
    }
}
