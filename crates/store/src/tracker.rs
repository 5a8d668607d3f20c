//! The actions tracker: recommendations, learning and ombudsman remedies on the cases an access
//! reaches, with due dates and overdue flags, for the tracker page and the API alike.

use crate::records::CaseRecord;
use crate::*;
use redress_core::{ActionKind, RemedyKind};

/// What a tracked item is, and where it sits on its case (the index a completing step names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackedKind {
    /// `case.actions[action]`.
    Action { kind: ActionKind, action: usize },
    /// `case.ombudsman[ombudsman].remedies[remedy]`.
    Remedy {
        kind: RemedyKind,
        ombudsman: usize,
        remedy: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedItem {
    pub case_id: i64,
    pub organisation: String,
    pub reference: String,
    pub kind: TrackedKind,
    pub description: String,
    /// The owner team; remedies are the complaints team's to see done.
    pub owner: Option<String>,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    /// Not done and past its due date.
    pub overdue: bool,
}

fn items_of(record: &CaseRecord, today: NaiveDate) -> Vec<TrackedItem> {
    let case = &record.case;
    let item =
        |kind, description: &str, owner, due_on: NaiveDate, completed_on: Option<_>| TrackedItem {
            case_id: record.id,
            organisation: record.organisation.clone(),
            reference: case.reference().to_string(),
            kind,
            description: description.to_string(),
            owner,
            due_on,
            completed_on,
            overdue: completed_on.is_none() && due_on < today,
        };
    let mut items = Vec::new();
    for (i, a) in case.actions().iter().enumerate() {
        let kind = TrackedKind::Action {
            kind: a.kind,
            action: i,
        };
        let owner = Some(a.owner_team.clone());
        items.push(item(kind, &a.description, owner, a.due_on, a.completed_on));
    }
    for (o, decision) in case.ombudsman().iter().enumerate() {
        for (r, remedy) in decision.remedies.iter().enumerate() {
            let kind = TrackedKind::Remedy {
                kind: remedy.kind,
                ombudsman: o,
                remedy: r,
            };
            let (due, done) = (remedy.due_on, remedy.completed_on);
            items.push(item(kind, &remedy.description, None, due, done));
        }
    }
    items
}

impl Store {
    /// The tracked items on the cases `access` reaches (in one organisation, if given), soonest
    /// due first; completed ones only when asked for.
    pub async fn tracked_items(
        &self,
        access: &Access,
        slug: Option<&str>,
        include_done: bool,
        today: NaiveDate,
    ) -> Result<Vec<TrackedItem>, StoreError> {
        let mut items: Vec<TrackedItem> = self
            .cases_with_actions(access, slug)
            .await?
            .iter()
            .flat_map(|record| items_of(record, today))
            .filter(|i| include_done || i.completed_on.is_none())
            .collect();
        items.sort_by_key(|i| i.due_on);
        Ok(items)
    }
}
