//! The report as a sequence of headings, paragraphs, tables and charts, following the
//! structure councils publish (the seed report's sections). Every document format prints
//! this one outline, so they cannot disagree.

mod parts;

use super::charts::{bar_chart, Bar};
use crate::model::Report;
use parts::{count_row, humanise, name_chart, name_table, narrative, opt_percent, stage_rows};
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

/// The report's sections in the order councils publish them (the seed report's).
pub fn outline(r: &Report) -> Vec<Element> {
    let mut out = Vec::new();
    title(&mut out, r);
    executive_summary(&mut out, r);
    performance_overview(&mut out, r);
    response_times(&mut out, r);
    stages_2_and_3(&mut out, r);
    ombudsman(&mut out, r);
    learning(&mut out, r);
    compliments(&mut out, r);
    priorities(&mut out, r);
    spso_indicators(&mut out, r);
    notes(&mut out, r);
    appendices(&mut out, r);
    out
}

fn title(out: &mut Vec<Element>, r: &Report) {
    let scope = match &r.team {
        Some(team) => format!("{}: {team}", r.organisation.name),
        None => r.organisation.name.clone(),
    };
    let kind = if r.period.quarter.is_some() {
        "Quarterly complaints report"
    } else if let Some(title) = &r.report_title {
        title.as_str()
    } else if r.spso_indicators.is_some() {
        "Complaints Handling Annual Report"
    } else {
        "Children's Social Care Annual Complaints Report"
    };
    out.push(Element::Title(format!("{kind} {}", r.period.label)));
    out.push(Element::Subtitle(format!(
        "{scope}. {} to {}. Made by Redress from the complaint records.",
        r.period.from.format("%-d %B %Y"),
        r.period.to.format("%-d %B %Y")
    )));
}

fn executive_summary(out: &mut Vec<Element>, r: &Report) {
    out.push(Element::Heading("1. Executive summary".into()));
    for sentence in &r.summary {
        out.push(Element::Paragraph(sentence.clone()));
    }
}

fn performance_overview(out: &mut Vec<Element>, r: &Report) {
    out.push(Element::Heading("2. Performance overview".into()));
    out.push(Element::Table(complaints_table(r)));
    let c = &r.complaints;
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
    who_and_how(out, r);
}

/// This year's complaints by procedure and how they ended, with last year's total.
fn complaints_table(r: &Report) -> Table {
    let c = &r.complaints;
    // Only the total is compared: the other rows have no previous figure.
    let this_year_only =
        |label: &str, count: u64| vec![label.into(), count.to_string(), "".into(), "".into()];
    Table {
        name: "complaints".into(),
        caption: format!(
            "Complaints received in {}, with {}",
            r.period.label, r.previous_year.label
        ),
        header: vec![
            "".into(),
            r.period.label.clone(),
            r.previous_year.label.clone(),
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
            this_year_only("Statutory procedure", c.statutory),
            this_year_only("Corporate (non-statutory) procedure", c.non_statutory),
            this_year_only("Resolved at initial contact", c.resolved_at_initial_contact),
            this_year_only("Rejected", c.rejected),
        ],
        total: None,
    }
}

/// How complaints arrived, who made them, and children's own voice.
fn who_and_how(out: &mut Vec<Element>, r: &Report) {
    let c = &r.complaints;
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
}

fn response_times(out: &mut Vec<Element>, r: &Report) {
    out.push(Element::Heading("3. Response times and outcomes".into()));
    out.push(Element::Table(Table {
        name: "stage1".into(),
        caption: "Stage 1: local resolution".into(),
        header: vec!["".into(), "Stage 1".into()],
        rows: stage_rows(&[("Stage 1", &r.stage1)]),
        total: None,
    }));
    out.push(Element::Table(comparison_table(r)));
    out.push(Element::Chart(timeliness_chart(r)));
}

/// This period beside the same period a year before.
fn comparison_table(r: &Report) -> Table {
    let previous = &r.previous_year.label;
    let changes = &r.previous_year.changes;
    let rate = &changes.stage1_within_timescale_percent;
    Table {
        name: "comparison".into(),
        caption: format!("{} compared with {previous}", r.period.label),
        header: vec![
            "".into(),
            previous.clone(),
            r.period.label.clone(),
            "Change".into(),
        ],
        rows: vec![
            count_row("Complaints received", &changes.received),
            count_row("Stage 1 responses", &changes.stage1_responded),
            vec![
                "Stage 1 within timescale".into(),
                opt_percent(rate.previous),
                opt_percent(rate.current),
                rate.points
                    .map(|p| format!("{p:+.1} points"))
                    .unwrap_or_else(|| "–".into()),
            ],
            count_row("Stage 2 started", &changes.stage2_started),
            count_row("Compliments", &changes.compliments_received),
        ],
        total: None,
    }
}

fn timeliness_chart(r: &Report) -> Chart {
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
    Chart {
        name: "timeliness".into(),
        title: title.into(),
        svg: bar_chart(title, &bars, Some(100.0)),
    }
}

fn stages_2_and_3(out: &mut Vec<Element>, r: &Report) {
    out.push(Element::Heading("4. Stages 2 and 3".into()));
    out.push(Element::Table(Table {
        name: "stages2and3".into(),
        caption: "Stage 2 (investigation) and Stage 3 (review panel)".into(),
        header: vec!["".into(), "Stage 2".into(), "Stage 3".into()],
        rows: stage_rows(&[("Stage 2", &r.stage2), ("Stage 3", &r.stage3)]),
        total: None,
    }));
    narrative(out, r, "stage2_summaries");
    narrative(out, r, "stage3_summaries");
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
}

fn ombudsman(out: &mut Vec<Element>, r: &Report) {
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
        out.push(Element::Table(remedies_table(r)));
    }
    narrative(out, r, "ombudsman_summaries");
}

fn remedies_table(r: &Report) -> Table {
    let o = &r.ombudsman;
    Table {
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
    }
}

fn learning(out: &mut Vec<Element>, r: &Report) {
    out.push(Element::Heading(
        "6. Learning and service improvements".into(),
    ));
    narrative(out, r, "learning");
    if !r.actions.items.is_empty() {
        out.push(Element::Table(actions_table(r)));
    }
    if r.narrative.contains_key("service_improvements") {
        out.push(Element::Subheading("Service improvements".into()));
        narrative(out, r, "service_improvements");
    }
}

fn actions_table(r: &Report) -> Table {
    let a = &r.actions;
    Table {
        name: "actions".into(),
        caption: format!(
            "Recommendations and learning: {} of {} completed",
            a.recommendations.completed + a.learning.completed,
            a.recommendations.total + a.learning.total
        ),
        header: vec![
            "Kind".into(),
            "Action".into(),
            "Owner".into(),
            "Due".into(),
            "Status".into(),
        ],
        rows: a
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
    }
}

fn compliments(out: &mut Vec<Element>, r: &Report) {
    out.push(Element::Heading("7. Compliments".into()));
    out.push(Element::Paragraph(format!(
        "{} compliments were received in {}, compared with {} in {}.",
        r.compliments.received,
        r.period.label,
        r.previous_year.compliments_received,
        r.previous_year.label
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
    narrative(out, r, "compliment_quotations");
}

fn priorities(out: &mut Vec<Element>, r: &Report) {
    out.push(Element::Heading("8. Priorities".into()));
    if r.narrative.contains_key("delivery_against_priorities") {
        out.push(Element::Subheading(format!(
            "Delivery against the priorities for {}",
            r.period.label
        )));
        narrative(out, r, "delivery_against_priorities");
    }
    if r.narrative.contains_key("priorities") {
        out.push(Element::Subheading(format!(
            "Priorities for {}",
            crate::Period::financial_year(r.period.year + 1).label
        )));
        narrative(out, r, "priorities");
    }
}

fn notes(out: &mut Vec<Element>, r: &Report) {
    out.push(Element::Heading("9. Notes on the figures".into()));
    out.push(Element::Bullets(r.notes.clone()));
}

/// One appendix per procedure, lettered A, B, C.
/// The SPSO's core performance indicators, as a Scottish council publishes them.
fn spso_indicators(out: &mut Vec<Element>, r: &Report) {
    let Some(spso) = &r.spso_indicators else {
        return;
    };
    out.push(Element::Heading("SPSO core performance indicators".into()));
    out.push(Element::Paragraph(match (spso.population, spso.per_thousand_population) {
        (Some(population), Some(rate)) => format!(
            "Indicator 4: {} complaints received, {rate:.1} per 1,000 of a population of {population}.",
            spso.received
        ),
        _ => format!(
            "Indicator 4: {} complaints received (the rate per 1,000 population needs the population).",
            spso.received
        ),
    }));
    let cell = |v: u64| v.to_string();
    let average = |v: Option<f64>| v.map(|d| format!("{d:.1}")).unwrap_or_else(|| "–".into());
    out.push(Element::Table(Table {
        name: "spso_indicators".into(),
        caption: "SPSO indicators 5 to 9 by stage".into(),
        header: [
            "Stage",
            "Closed",
            "Share of closed",
            "Upheld",
            "Partially upheld",
            "Not upheld",
            "Average working days",
            "Within timescale",
            "Within timescale (%)",
            "Extended",
            "Extended (%)",
        ]
        .map(String::from)
        .to_vec(),
        rows: spso
            .stages
            .iter()
            .map(|s| {
                vec![
                    format!("Stage {}", s.stage),
                    cell(s.closed),
                    opt_percent(s.closed_percent),
                    cell(s.upheld),
                    cell(s.partially_upheld),
                    cell(s.not_upheld),
                    average(s.average_working_days),
                    cell(s.within_timescale),
                    opt_percent(s.within_timescale_percent),
                    cell(s.extended),
                    opt_percent(s.extended_percent),
                ]
            })
            .collect(),
        total: None,
    }));
}

fn appendices(out: &mut Vec<Element>, r: &Report) {
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
