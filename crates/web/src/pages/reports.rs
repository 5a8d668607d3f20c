//! Reports: pick the organisation, the year or a quarter and the format, and download; edit the
//! narrative sections the annual report prints.

use super::{render, Choice, PageError, Staff, StaffForm};
use crate::{report_file, report_input, AppState};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use minijinja::context;
use redress_core::{FinancialYear, Quarter};
use redress_report::render::Format;
use redress_report::{Period, NARRATIVE_SECTIONS};
use redress_store::Permission;
use std::collections::HashMap;

/// The financial year (by its first year) that today falls in.
fn current_year(today: chrono::NaiveDate) -> i32 {
    if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    }
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let organisations = staff.organisations_where(Permission::ViewReports);
    let organisation = super::filters::chosen_organisation(&query, &organisations)?
        .or_else(|| organisations.first().cloned())
        .ok_or_else(|| PageError::Forbidden(Permission::ViewReports.refusal().into()))?;
    let year = match query.get("year").map(String::as_str) {
        None | Some("") => current_year(state.clock().today()) - 1,
        Some(text) => FinancialYear::parse(text)
            .map_err(|e| PageError::invalid("year", e))?
            .first_year(),
    };
    let years: Vec<Choice> = (2015..=current_year(state.clock().today()))
        .rev()
        .map(|y| Choice::new(y.to_string(), format!("April {y} to March {}", y + 1)))
        .collect();
    let quarters = vec![
        Choice::new("", "The whole year"),
        Choice::new("1", "Quarter 1: April to June"),
        Choice::new("2", "Quarter 2: July to September"),
        Choice::new("3", "Quarter 3: October to December"),
        Choice::new("4", "Quarter 4: January to March"),
    ];
    let formats = vec![
        Choice::new("pdf", "PDF"),
        Choice::new("docx", "Word document"),
        Choice::new("html", "Web page"),
        Choice::new("xlsx", "Excel workbook (every table)"),
        Choice::new("csv", "CSV (every table)"),
        Choice::new("json", "JSON (the data)"),
    ];
    let can_edit = staff
        .principal
        .account
        .memberships
        .iter()
        .any(|m| m.organisation == organisation && m.role.allows(Permission::EditNarrative));
    let narratives = if can_edit {
        state.store.narratives(&organisation, year).await?
    } else {
        Default::default()
    };
    let sections: Vec<_> = NARRATIVE_SECTIONS
        .iter()
        .map(|name| {
            context! {
                name => *name,
                label => super::words(name),
                body => narratives.get(*name).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let procedures = state
        .store
        .organisation(&organisation)
        .await?
        .procedures
        .clone();
    let schemes: Vec<Choice> = [Choice::new("", "All the organisation's procedures")]
        .into_iter()
        .chain(
            procedures
                .iter()
                .map(|p| Choice::new(p.name.clone(), p.title.clone())),
        )
        .collect();
    let runs_spso = procedures
        .iter()
        .any(|p| p.kind() == redress_core::ProcedureKind::ModelComplaintsHandling);
    let own = context! {
        organisations => staff.organisation_choices(Permission::ViewReports),
        organisation, year => year.to_string(), years, quarters, formats, can_edit, sections,
        schemes, runs_spso,
        year_label => format!("{year}/{:02}", (year + 1) % 100),
    };
    Ok(render("reports.html", staff.common(), own)?.into_response())
}

pub async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let year = FinancialYear::parse(get("year")).map_err(|e| PageError::invalid("year", e))?;
    let quarter = match get("quarter") {
        "" => None,
        text => Some(Quarter::parse(text).map_err(|e| PageError::invalid("quarter", e))?),
    };
    let format = match get("format") {
        "" => Format::Pdf,
        text => Format::parse(text).map_err(|e| PageError::invalid("format", e))?,
    };
    let organisation = get("organisation");
    state
        .store
        .authorise(
            &staff.principal.access,
            organisation,
            Permission::ViewReports,
        )
        .await?;
    let period = match quarter {
        None => Period::financial_year(year.first_year()),
        Some(q) => Period::quarter(year.first_year(), q.number())
            .map_err(|e| PageError::invalid("quarter", e))?,
    };
    let period = period.judged_as_of(state.clock().today());
    let procedure = Some(get("procedure")).filter(|p| !p.is_empty());
    let population = match get("population").trim() {
        "" => None,
        text => Some(text.parse::<u64>().map_err(|_| {
            PageError::invalid("population", "give the population as a whole number")
        })?),
    };
    let report =
        report_input::report_for(&state.store, organisation, &period, None, procedure).await?;
    let report = report_input::with_population(report, population)?;
    Ok(report_file::respond(report, format).await?)
}

pub async fn save_narrative(
    State(state): State<AppState>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    let organisation = fields.text("organisation");
    let year = FinancialYear::parse(&fields.text("year"))
        .map_err(|e| PageError::invalid("year", e))?
        .first_year();
    state
        .store
        .authorise(
            &staff.principal.access,
            &organisation,
            Permission::EditNarrative,
        )
        .await?;
    let current = state.store.narratives(&organisation, year).await?;
    for name in NARRATIVE_SECTIONS {
        let body = fields
            .0
            .get(&format!("section-{name}"))
            .cloned()
            .unwrap_or_default();
        if current.get(name).map(String::as_str).unwrap_or_default() != body.as_str() {
            state
                .store
                .set_narrative(
                    &staff.principal.access,
                    &organisation,
                    year,
                    name,
                    &body,
                    &staff.principal.actor,
                )
                .await?;
        }
    }
    Ok(Redirect::to(&format!("/reports?organisation={organisation}&year={year}")).into_response())
}
