//! The actions tracker: recommendations, learning and ombudsman remedies on the cases the user
//! can see, with due dates and overdue flags, until they are done.

use super::{render, words, PageError, Staff};
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
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
    let show_done = query.get("done").is_some_and(|v| v == "yes");
    let today = state.clock.today();
    let cases = state
        .store
        .cases_with_actions(&staff.principal.access, None)
        .await?;
    let mut items = Vec::new();
    for record in &cases {
        let case = &record.case;
        for action in &case.actions {
            items.push(Item {
                case_id: record.id,
                reference: case.reference.clone(),
                kind: words(action.kind.as_str()),
                description: action.description.clone(),
                owner: action.owner_team.clone(),
                due_on: action.due_on.to_string(),
                completed_on: action.completed_on.map(|d| d.to_string()),
                overdue: action.completed_on.is_none() && action.due_on < today,
            });
        }
        for decision in &case.ombudsman {
            for remedy in &decision.remedies {
                items.push(Item {
                    case_id: record.id,
                    reference: case.reference.clone(),
                    kind: format!(
                        "Ombudsman remedy: {}",
                        words(remedy.kind.as_str()).to_lowercase()
                    ),
                    description: remedy.description.clone(),
                    owner: "Complaints team".into(),
                    due_on: remedy.due_on.to_string(),
                    completed_on: remedy.completed_on.map(|d| d.to_string()),
                    overdue: remedy.completed_on.is_none() && remedy.due_on < today,
                });
            }
        }
    }
    if !show_done {
        items.retain(|i| i.completed_on.is_none());
    }
    items.sort_by(|a, b| a.due_on.cmp(&b.due_on));
    let overdue = items.iter().filter(|i| i.overdue).count();
    let own = context! { items, overdue, show_done };
    Ok(render("actions.html", staff.common(), own)?.into_response())
}
