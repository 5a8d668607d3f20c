//! The executive summary and notes: the figures put into sentences, with the arithmetic done
//! once, here, from the model.

use crate::model::{CountChange, NameCount, RateChange, Report};

fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn percent(value: f64) -> String {
    format!("{value:.1}%")
}

/// "a 31.8% decrease on 85 in 2019/20".
fn count_change(change: &CountChange, label: &str) -> String {
    match change.percent {
        None => format!("none were recorded in {label}"),
        Some(0.0) => format!("the same as in {label}"),
        Some(p) if p < 0.0 => format!(
            "a {} decrease on {} in {label}",
            percent(-p),
            change.previous
        ),
        Some(p) => format!(
            "a {} increase on {} in {label}",
            percent(p),
            change.previous
        ),
    }
}

/// "compared with 79.0% in 2019/20: down 4.9 percentage points".
fn rate_change(change: &RateChange, label: &str) -> Option<String> {
    let (previous, points) = (change.previous?, change.points?);
    Some(if points == 0.0 {
        format!("the same as the {} in {label}", percent(previous))
    } else {
        let direction = if points < 0.0 { "down" } else { "up" };
        format!(
            "compared with {} in {label}: {direction} {:.1} percentage points",
            percent(previous),
            points.abs()
        )
    })
}

fn list(rows: &[NameCount]) -> String {
    let parts: Vec<String> = rows
        .iter()
        .map(|r| format!("{} ({})", r.name, r.count))
        .collect();
    parts.join(", ")
}

pub fn summary(r: &Report) -> Vec<String> {
    let previous = &r.previous_year.label;
    let period = &r.period.label;
    let who = match &r.team {
        Some(team) => format!("{team} ({})", r.organisation.name),
        None => r.organisation.name.clone(),
    };
    let c = &r.complaints;
    let mut lines = vec![format!(
        "In {period}, {who} received {}, {}.",
        count(c.received, "complaint", "complaints"),
        count_change(&r.previous_year.changes.received, previous)
    )];
    if c.received > 0 {
        lines.push(format!(
            "{} considered under the statutory children's social care procedure and {} under the corporate (non-statutory) procedure.",
            count(c.statutory, "was", "were"),
            c.non_statutory
        ));
    }
    if c.resolved_at_initial_contact > 0 || c.rejected > 0 {
        let mut sentence = format!(
            "{} resolved at initial contact and {} rejected",
            count(c.resolved_at_initial_contact, "was", "were"),
            count(c.rejected, "was", "were")
        );
        if !c.rejected_reasons.is_empty() {
            sentence.push_str(&format!(": {}", list(&c.rejected_reasons)));
        }
        sentence.push('.');
        lines.push(sentence);
    }
    let s1 = &r.stage1;
    if s1.responded > 0 {
        let mut sentence = format!(
            "{} responded to at Stage 1, {} ({}) within timescale",
            count(s1.responded, "complaint was", "complaints were"),
            s1.within_timescale,
            percent(s1.within_timescale_percent.unwrap_or(0.0))
        );
        if let Some(change) = rate_change(
            &r.previous_year.changes.stage1_within_timescale_percent,
            previous,
        ) {
            sentence.push_str(&format!(", {change}"));
        }
        sentence.push('.');
        lines.push(sentence);
        lines.push(format!(
            "{} of these responses ({}) upheld the complaint in full or in part ({} upheld, {} partially upheld); {} not upheld.",
            s1.upheld + s1.partially_upheld,
            percent(s1.upheld_or_partially_percent.unwrap_or(0.0)),
            s1.upheld,
            s1.partially_upheld,
            count(s1.not_upheld, "was", "were")
        ));
    }
    let s2 = &r.stage2;
    if s2.started > 0 {
        let all = if s2.responded == s2.started {
            "all responded to".to_string()
        } else {
            format!("{} responded to", s2.responded)
        };
        lines.push(format!(
            "{} considered at Stage 2 ({} statutory, {} non-statutory), {all}, {} within timescale.",
            count(s2.started, "complaint was", "complaints were"),
            s2.statutory,
            s2.non_statutory,
            s2.within_timescale
        ));
    }
    let s3 = &r.stage3;
    if s3.started > 0 {
        lines.push(format!(
            "{} to a Stage 3 review panel; {} within timescale.",
            count(s3.started, "complaint went", "complaints went"),
            count(s3.within_timescale, "was", "were")
        ));
    }
    let o = &r.ombudsman;
    if o.total > 0 {
        let parts: Vec<String> = o
            .decisions
            .iter()
            .map(|d| format!("{} {}", d.count, d.label.to_lowercase()))
            .collect();
        lines.push(format!(
            "The Local Government and Social Care Ombudsman made {}: {}.",
            count(o.total, "decision", "decisions"),
            parts.join(", ")
        ));
        if o.remedies.total > 0 {
            lines.push(format!(
                "Of {} it asked for, {} completed on time, {} late, {} overdue and {} not yet due.",
                count(o.remedies.total, "remedy", "remedies"),
                count(o.remedies.completed_on_time, "was", "were"),
                o.remedies.completed_late,
                o.remedies.overdue,
                o.remedies.outstanding
            ));
        }
    }
    let k = &r.compliments;
    let mut sentence = format!(
        "{} received, {}",
        count(k.received, "compliment was", "compliments were"),
        count_change(&r.previous_year.changes.compliments_received, previous)
    );
    if let Some(top) = k.by_team.first() {
        sentence.push_str(&format!("; the most were for {} ({})", top.name, top.count));
    }
    sentence.push('.');
    lines.push(sentence);
    lines
}

pub fn notes(r: &Report, procedures: &[redress_core::Procedure]) -> Vec<String> {
    let mut notes = vec![
        "A complaint counts in the year it was received, a stage in the year it started, and an ombudsman decision in the year it was made.".to_string(),
        "Responded counts responses that upheld, partially upheld or did not uphold the complaint; withdrawals are counted apart.".to_string(),
        "Within timescale is judged against the deadline in force: the procedure's limit, or the extension granted within its maximum (and agreed before the deadline passed), in working days after the day of receipt (day zero), leaving out weekends and bank holidays, and, on the council's own procedures only, its closure days and any days the clock was stopped. The share within timescale counts, as not within it, the stages open and overdue at the end of the period and those closed with no response when the complainant went on to the next stage.".to_string(),
        "Counts change by a percentage of the previous figure; rates, such as the share within timescale, change by percentage points.".to_string(),
    ];
    // The Stage 3 rule in the procedure's own numbers (regs. 19-20).
    if let Some(panel) = procedures
        .iter()
        .filter(|p| p.is_statutory())
        .flat_map(|p| p.stages.iter())
        .find_map(|s| s.panel)
    {
        notes.push(format!(
            "A Stage 3 is within timescale when the panel met within {} working days of the request, its report followed within {} working days of the panel, and the council responded within {} working days of the report.",
            panel.meet_within, panel.report_within, panel.respond_within
        ));
        if r.stage3.judged_by_fallback > 0 {
            notes.push(format!(
                "{} had no date for the panel's report (older records), so the response was judged against {} working days from the panel instead.",
                capitalise_first(&count(r.stage3.judged_by_fallback, "Stage 3 response", "Stage 3 responses")),
                panel.response_after_panel()
            ));
        }
    }
    let c = &r.complaints;
    if c.rejected > 0 {
        let reasons: Vec<String> = c.rejected_reasons.iter().map(|r| r.name.clone()).collect();
        notes.push(format!(
            "The team and reason tables count {} of the {} complaints received: the {} rejected ({}) are excluded.",
            c.received - c.rejected,
            c.received,
            c.rejected,
            reasons.join("; ")
        ));
    }
    if c.resolved_at_initial_contact > 0 {
        notes.push(format!(
            "Stage 1 counts exclude the {} resolved at initial contact, which did not go to Stage 1.",
            count(c.resolved_at_initial_contact, "complaint", "complaints")
        ));
    }
    notes
}

fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
