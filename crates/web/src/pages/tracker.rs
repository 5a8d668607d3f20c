//! The actions tracker: recommendations, learning and ombudsman remedies on the cases the user
//! can see, with due dates and overdue flags, until they are done.

use super::{render, words, PageError, Staff};
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use redress_store::TrackedKind;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct Item {
    case_id: i64,
    reference: String,
    kind: String,
    description: String,
    owner: String,
    due_on: String,
    completed_on: Option<String>,
    overdue: bool,
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mut filters = super::filters::Filters::new(&query);
    let show_done = filters
        .one_of("done", "yes or no", &["yes", "no"])
        .as_deref()
        == Some("yes");
    filters.refusal()?;
    let tracked = state
        .store
        .tracked_items(
            &staff.principal.access,
            None,
            show_done,
            state.clock().today(),
        )
        .await?;
    let items: Vec<Item> = tracked
        .into_iter()
        .map(|i| Item {
            case_id: i.case_id,
            reference: i.reference,
            kind: match i.kind {
                TrackedKind::Action { kind, .. } => words(kind.as_str()),
                TrackedKind::Remedy { kind, .. } => {
                    format!("Ombudsman remedy: {}", words(kind.as_str()).to_lowercase())
                }
            },
            description: i.description,
            owner: i.owner.unwrap_or_else(|| "Complaints team".into()),
            due_on: i.due_on.to_string(),
            completed_on: i.completed_on.map(|d| d.to_string()),
            overdue: i.overdue,
        })
        .collect();
    let overdue = items.iter().filter(|i| i.overdue).count();
    let own = context! { items, overdue, show_done };
    Ok(render("actions.html", staff.common(), own)?.into_response())
}
