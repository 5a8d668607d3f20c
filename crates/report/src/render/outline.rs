//! The report as a sequence of headings, paragraphs, tables and charts, following the
//! structure councils publish (the seed report's sections). Every document format prints
//! this one outline, so they cannot disagree.

use super::charts::{bar_chart, Bar};
use super::narrative::{blocks, Block};
use crate::model::{CountChange, NameCount, Report, StageFigures};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// A short name, used for CSV and worksheet names.
    pub name: String,
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// A last row in bold, e.g. the total.
    pub total: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub name: String,
    pub title: String,
    pub svg: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Element {
    Title(String),
    Subtitle(String),
    Heading(String),
    Subheading(String),
    Paragraph(String),
    Bullets(Vec<String>),
    Table(Table),
    Chart(Chart),
}

/// A comparison row: the label, the previous and current counts, and the change in percent.
fn count_row(label: &str, change: &CountChange) -> Vec<String> {
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

fn opt_percent(value: Option<f64>) -> String {
    value
        .map(|v| format!("{v:.1}%"))
        .unwrap_or_else(|| "–".into())
}

fn name_table(
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
fn humanise(rows: &[NameCount]) -> Vec<NameCount> {
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

fn name_chart(name: &str, title: &str, rows: &[NameCount]) -> Chart {
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

fn stage_rows(stages: &[(&str, &StageFigures)]) -> Vec<Vec<String>> {
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

fn narrative(out: &mut Vec<Element>, report: &Report, section: &str) {
    if let Some(text) = report.narrative.get(section) {
        for block in blocks(text) {
            out.push(match block {
                Block::Paragraph(p) => Element::Paragraph(p),
                Block::Bullets(items) => Element::Bullets(items),
            });
        }
    }
}

pub fn outline(r: &Report) -> Vec<Element> {
    let mut out = Vec::new();
    let previous = &r.previous_year.label;
    let scope = match &r.team {
        Some(team) => format!("{}: {team}", r.organisation.name),
        None => r.organisation.name.clone(),
    };
    let kind = if r.period.quarter.is_some() {
        "Quarterly complaints report"
    } else {
        "Children's Social Care Annual Complaints Report"
    };
    out.push(Element::Title(format!("{kind} {}", r.period.label)));
    out.push(Element::Subtitle(format!(
        "{scope}. {} to {}. Made by Redress from the complaint records.",
        r.period.from.format("%-d %B %Y"),
        r.period.to.format("%-d %B %Y")
    )));

    out.push(Element::Heading("1. Executive summary".into()));
    for sentence in &r.summary {
        out.push(Element::Paragraph(sentence.clone()));
    }

    out.push(Element::Heading("2. Performance overview".into()));
    let c = &r.complaints;
    out.push(Element::Table(Table {
        name: "complaints".into(),
        caption: format!("Complaints received in {}, with {previous}", r.period.label),
        header: vec![
            "".into(),
            r.period.label.clone(),
            previous.clone(),
            "Change".into(),
        ],
        rows: vec![
            vec![
                "Received".into(),
                c.received.to_string(),
                r.previous_year.received.to_string(),
                r.previous_year
                    .changes
                    .received
                    .percent
                    .map(|p| format!("{p:+.1}%"))
                    .unwrap_or_else(|| "–".into()),
            ],
            vec![
                "Statutory procedure".into(),
                c.statutory.to_string(),
                "".into(),
                "".into(),
            ],
            vec![
                "Corporate (non-statutory) procedure".into(),
                c.non_statutory.to_string(),
                "".into(),
                "".into(),
            ],
            vec![
                "Resolved at initial contact".into(),
                c.resolved_at_initial_contact.to_string(),
                "".into(),
                "".into(),
            ],
            vec![
                "Rejected".into(),
                c.rejected.to_string(),
                "".into(),
                "".into(),
            ],
        ],
        total: None,
    }));
    if !c.by_reason.is_empty() {
        out.push(Element::Chart(name_chart(
            "reasons",
            "Top 10 reasons for complaints",
            &c.by_reason,
        )));
        out.push(Element::Table(name_table(
            "reasons",
            "Complaints by reason",
            "Reason",
            &c.by_reason,
            Some("Total"),
        )));
    }
    out.push(Element::Chart(name_chart(
        "teams",
        "Complaints by team",
        &c.by_team,
    )));
    out.push(Element::Table(name_table(
        "teams",
        "Complaints by team",
        "Team",
        &c.by_team,
        Some("Total"),
    )));
    if c.rejected > 0 {
        out.push(Element::Paragraph(format!(
            "The team and reason tables count {} complaints: the {} rejected are excluded.",
            c.received - c.rejected,
            c.rejected
        )));
    }
    out.push(Element::Table(name_table(
        "channels",
        "How complaints were received",
        "Channel",
        &humanise(&c.by_channel),
        Some("Total"),
    )));
    out.push(Element::Table(name_table(
        "complainants",
        "Who complained",
        "Complainant",
        &humanise(&c.by_complainant_role),
        Some("Total"),
    )));
    out.push(Element::Paragraph(format!(
        "Children and young people made {} of the complaints themselves. Advocacy was offered in {} and taken up in {}.",
        c.child_complained, c.advocacy_offered, c.advocacy_taken_up
    )));

    out.push(Element::Heading("3. Response times and outcomes".into()));
    out.push(Element::Table(Table {
        name: "stage1".into(),
        caption: "Stage 1: local resolution".into(),
        header: vec!["".into(), "Stage 1".into()],
        rows: stage_rows(&[("Stage 1", &r.stage1)]),
        total: None,
    }));
    let change = &r.previous_year.changes.stage1_within_timescale_percent;
    out.push(Element::Table(Table {
        name: "comparison".into(),
        caption: format!("{} compared with {previous}", r.period.label),
        header: vec![
            "".into(),
            previous.clone(),
            r.period.label.clone(),
            "Change".into(),
        ],
        rows: vec![
            count_row("Complaints received", &r.previous_year.changes.received),
            count_row(
                "Stage 1 responses",
                &r.previous_year.changes.stage1_responded,
            ),
            vec![
                "Stage 1 within timescale".into(),
                opt_percent(change.previous),
                opt_percent(change.current),
                change
                    .points
                    .map(|p| format!("{p:+.1} points"))
                    .unwrap_or_else(|| "–".into()),
            ],
            count_row("Stage 2 started", &r.previous_year.changes.stage2_started),
            count_row("Compliments", &r.previous_year.changes.compliments_received),
        ],
        total: None,
    }));
    let bars: Vec<Bar> = r
        .stage1_by_quarter
        .iter()
        .map(|q| Bar {
            label: format!("{} ({} responses)", q.quarter, q.responded),
            value: q.within_timescale_percent.unwrap_or(0.0),
            shown: opt_percent(q.within_timescale_percent),
        })
        .collect();
    let title = "Stage 1 responses within timescale, by quarter";
    out.push(Element::Chart(Chart {
        name: "timeliness".into(),
        title: title.into(),
        svg: bar_chart(title, &bars, Some(100.0)),
    }));

    out.push(Element::Heading("4. Stages 2 and 3".into()));
    out.push(Element::Table(Table {
        name: "stages2and3".into(),
        caption: "Stage 2 (investigation) and Stage 3 (review panel)".into(),
        header: vec!["".into(), "Stage 2".into(), "Stage 3".into()],
        rows: stage_rows(&[("Stage 2", &r.stage2), ("Stage 3", &r.stage3)]),
        total: None,
    }));
    narrative(&mut out, r, "stage2_summaries");
    narrative(&mut out, r, "stage3_summaries");
    let recommendations: Vec<String> = r
        .actions
        .items
        .iter()
        .filter(|a| a.kind == "recommendation")
        .map(|a| {
            format!(
                "{} ({}; due {}; {})",
                a.description,
                a.owner_team,
                a.due_on.format("%-d %B %Y"),
                a.status
            )
        })
        .collect();
    if !recommendations.is_empty() {
        out.push(Element::Subheading("Recommendations".into()));
        out.push(Element::Bullets(recommendations));
    }

    out.push(Element::Heading(
        "5. Local Government and Social Care Ombudsman".into(),
    ));
    let o = &r.ombudsman;
    out.push(Element::Table(Table {
        name: "ombudsman".into(),
        caption: "Ombudsman decisions".into(),
        header: vec!["Decision".into(), "Number".into()],
        rows: o
            .decisions
            .iter()
            .map(|d| vec![d.label.clone(), d.count.to_string()])
            .collect(),
        total: Some(vec!["Total".into(), o.total.to_string()]),
    }));
    if !o.remedy_lines.is_empty() {
        out.push(Element::Table(Table {
            name: "remedies".into(),
            caption: format!(
                "Remedies and compliance: {} of {} completed on time",
                o.remedies.completed_on_time, o.remedies.total
            ),
            header: vec![
                "Case".into(),
                "Remedy".into(),
                "Due".into(),
                "Completed".into(),
                "Status".into(),
            ],
            rows: o
                .remedy_lines
                .iter()
                .map(|l| {
                    let amount = l
                        .amount_pence
                        .map(|p| format!(" (£{}.{:02})", p / 100, p % 100))
                        .unwrap_or_default();
                    vec![
                        l.case_reference.clone(),
                        format!("{}{amount}: {}", l.kind.replace('_', " "), l.description),
                        l.due_on.to_string(),
                        l.completed_on.map(|d| d.to_string()).unwrap_or_default(),
                        l.status.replace('_', " "),
                    ]
                })
                .collect(),
            total: None,
        }));
    }
    narrative(&mut out, r, "ombudsman_summaries");

    out.push(Element::Heading(
        "6. Learning and service improvements".into(),
    ));
    narrative(&mut out, r, "learning");
    if !r.actions.items.is_empty() {
        out.push(Element::Table(Table {
            name: "actions".into(),
            caption: format!(
                "Recommendations and learning: {} of {} completed",
                r.actions.recommendations.completed + r.actions.learning.completed,
                r.actions.recommendations.total + r.actions.learning.total
            ),
            header: vec![
                "Kind".into(),
                "Action".into(),
                "Owner".into(),
                "Due".into(),
                "Status".into(),
            ],
            rows: r
                .actions
                .items
                .iter()
                .map(|a| {
                    vec![
                        a.kind.clone(),
                        a.description.clone(),
                        a.owner_team.clone(),
                        a.due_on.to_string(),
                        a.status.clone(),
                    ]
                })
                .collect(),
            total: None,
        }));
    }
    if r.narrative.contains_key("service_improvements") {
        out.push(Element::Subheading("Service improvements".into()));
        narrative(&mut out, r, "service_improvements");
    }

    out.push(Element::Heading("7. Compliments".into()));
    out.push(Element::Paragraph(format!(
        "{} compliments were received in {}, compared with {} in {previous}.",
        r.compliments.received, r.period.label, r.previous_year.compliments_received
    )));
    if !r.compliments.by_team.is_empty() {
        out.push(Element::Chart(name_chart(
            "compliments",
            "Compliments by team",
            &r.compliments.by_team,
        )));
        out.push(Element::Table(name_table(
            "compliments",
            "Compliments by team",
            "Team",
            &r.compliments.by_team,
            Some("Total"),
        )));
    }
    if !r.compliments.quotations.is_empty() {
        out.push(Element::Subheading(
            "What people said (published with their consent)".into(),
        ));
        out.push(Element::Bullets(
            r.compliments
                .quotations
                .iter()
                .map(|q| format!("\u{201c}{}\u{201d} ({})", q.text, q.team))
                .collect(),
        ));
    }
    narrative(&mut out, r, "compliment_quotations");

    out.push(Element::Heading("8. Priorities".into()));
    if r.narrative.contains_key("delivery_against_priorities") {
        out.push(Element::Subheading(format!(
            "Delivery against the priorities for {}",
            r.period.label
        )));
        narrative(&mut out, r, "delivery_against_priorities");
    }
    if r.narrative.contains_key("priorities") {
        out.push(Element::Subheading(format!(
            "Priorities for {}",
            crate::Period::financial_year(r.period.year + 1).label
        )));
        narrative(&mut out, r, "priorities");
    }

    out.push(Element::Heading("9. Notes on the figures".into()));
    out.push(Element::Bullets(r.notes.clone()));

    for (i, procedure) in r.procedures.iter().enumerate() {
        let letter = (b'A' + i as u8) as char;
        out.push(Element::Heading(format!(
            "Appendix {letter}: {}",
            procedure.title
        )));
        for (heading, lines) in &procedure.stages {
            out.push(Element::Subheading(heading.clone()));
            out.push(Element::Bullets(
                lines
                    .iter()
                    .map(|l| format!("{}{}", l[..1].to_uppercase(), &l[1..]))
                    .collect(),
            ));
        }
        out.push(Element::Paragraph(format!("Source: {}", procedure.source)));
    }
    out
}

/// Every table of the report, for the data formats.
pub fn tables(report: &Report) -> Vec<Table> {
    outline(report)
        .into_iter()
        .filter_map(|e| match e {
            Element::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}
