//! The actions tracker: what the tracker page shows, for the cases the caller can see.

use crate::error::{ApiError, Problem};
use crate::{AppState, Principal};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::NaiveDate;
use redress_store::{TrackedItem, TrackedKind};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TrackerQuery {
    /// Organisation slug; without it, every organisation whose cases you can see.
    pub organisation: Option<String>,
    /// Include completed ones too (the page's "Show completed ones too").
    pub done: Option<bool>,
    /// true: only those overdue; false: only those not.
    pub overdue: Option<bool>,
}

/// Whether an item is a recommendation or learning on the case, or an ombudsman remedy.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrackedSource {
    Action,
    Remedy,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrackedItemView {
    pub case_id: i64,
    pub organisation: String,
    pub reference: String,
    pub source: TrackedSource,
    /// recommendation or learning; for a remedy apology, payment or service_improvement.
    pub kind: String,
    /// For an action, the `action` that complete_action names.
    pub action: Option<usize>,
    /// For a remedy, the `ombudsman` and `remedy` that complete_remedy names.
    pub ombudsman: Option<usize>,
    pub remedy: Option<usize>,
    pub description: String,
    /// The owner team; none for a remedy (the complaints team's to see done).
    pub owner: Option<String>,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub overdue: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrackerView {
    /// Soonest due first.
    pub items: Vec<TrackedItemView>,
    /// How many of the items are overdue.
    pub overdue: usize,
}

impl From<TrackedItem> for TrackedItemView {
    fn from(item: TrackedItem) -> Self {
        let (source, kind, action, ombudsman, remedy) = match item.kind {
            TrackedKind::Action { kind, action } => (
                TrackedSource::Action,
                kind.as_str(),
                Some(action),
                None,
                None,
            ),
            TrackedKind::Remedy {
                kind,
                ombudsman,
                remedy,
            } => (
                TrackedSource::Remedy,
                kind.as_str(),
                None,
                Some(ombudsman),
                Some(remedy),
            ),
        };
        TrackedItemView {
            case_id: item.case_id,
            organisation: item.organisation,
            reference: item.reference,
            source,
            kind: kind.to_string(),
            action,
            ombudsman,
            remedy,
            description: item.description,
            owner: item.owner,
            due_on: item.due_on,
            completed_on: item.completed_on,
            overdue: item.overdue,
        }
    }
}

/// Recommendations, learning and ombudsman remedies on the cases you can see, until they are
/// done, soonest due first.
#[utoipa::path(get, path = "/actions", tag = "cases", params(TrackerQuery),
    responses((status = 200, body = TrackerView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn tracker(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<Query<TrackerQuery>, QueryRejection>,
) -> Result<Json<TrackerView>, ApiError> {
    let Query(query) = query?;
    let mut items = state
        .store
        .tracked_items(
            &principal.access,
            query.organisation.as_deref(),
            query.done.unwrap_or(false),
            state.clock().today(),
        )
        .await?;
    if let Some(overdue) = query.overdue {
        items.retain(|i| i.overdue == overdue);
    }
    let overdue = items.iter().filter(|i| i.overdue).count();
    Ok(Json(TrackerView {
        items: items.into_iter().map(Into::into).collect(),
        overdue,
    }))
}
