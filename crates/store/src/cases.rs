//! One case: recording it, reading it with its files, changing it by a transition or an update under its version, notes and its history.

use crate::backends::{postgres, sqlite};
use crate::records::*;
use crate::*;

/// The top-level fields that differ between two versions of a case, as (before, after).
fn changes(before: &Case, after: &Case) -> (serde_json::Value, serde_json::Value) {
    let before = serde_json::to_value(before).expect("cases serialise");
    let after = serde_json::to_value(after).expect("cases serialise");
    let (mut old, mut new) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (key, value) in a {
            if b.get(key) != Some(value) {
                old.insert(key.clone(), b.get(key).cloned().unwrap_or_default());
                new.insert(key.clone(), value.clone());
            }
        }
    }
    (old.into(), new.into())
}

impl Store {
    /// Writes one audit event on its own.
    pub async fn log(&self, event: NewEvent) -> Result<(), StoreError> {
        write!(self, |conn, ops| ops::insert_event(conn, &event).await?);
        Ok(())
    }

    /// Records that someone read a case. Reads are committed in groups, and the call returns
    /// once its group is on disk, so a read is never shown without being recorded.
    pub async fn record_view(&self, actor: &Actor, record: &CaseRecord) -> Result<(), StoreError> {
        let organisation = self.organisation(&record.organisation).await?;
        let event = actor
            .event("viewed", self.now())
            .about_case(organisation.id, record.id);
        crate::group_commit::submit(&self.inner.views, event).await
    }

    /// Records a new complaint, and queues in the same transaction its acknowledgement (to a
    /// contact email) and the notice to the complaints officers. Team and reason must already
    /// exist in the organisation.
    pub async fn create_case(
        &self,
        access: &Access,
        slug: &str,
        new: NewCase,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<CaseRecord, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::RecordCases)
            .await?;
        let procedure = organisation.procedure(&new.procedure)?.clone();
        let given_reference = new.reference.clone().filter(|r| !r.trim().is_empty());
        let case = new.into_case(given_reference.clone().unwrap_or_default(), today)?;
        let due_on = organisation.due_on(&case, &procedure, today)?;
        let mail = Some(
            case.respond_by(&procedure, organisation.calendar_for(&procedure), today)
                .map_err(|e| StoreError::invalid("received_on", e.to_string()))?,
        );
        let job = group_commit::NewCaseJob {
            mail,
            organisation,
            case,
            numbered: given_reference.is_none(),
            due_on,
            actor: actor.clone(),
            at: self.now(),
            today,
        };
        let id = group_commit::submit(&self.inner.cases, job).await?;
        self.case(&Access::System, id).await
    }

    /// A case, if `access` reaches it; otherwise NotFound, whether or not it exists.
    pub async fn case(&self, access: &Access, id: i64) -> Result<CaseRecord, StoreError> {
        let scope = access.case_scope();
        let loaded = read!(self, |conn, ops| ops::load_case(conn, id, &scope).await?)
            .ok_or_else(|| StoreError::NotFound(format!("case {id}")))?;
        self.record_of(loaded).await
    }

    /// A case with its timeline and attachments, read on one connection: the case page.
    pub async fn case_file(&self, access: &Access, id: i64) -> Result<CaseFile, StoreError> {
        let scope = access.case_scope();
        let (loaded, events, attachments) = read!(self, |conn, ops| {
            let loaded = ops::load_case(conn, id, &scope)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("case {id}")))?;
            let events = ops::events(conn, &self.inner.master, id).await?;
            (loaded, events, ops::attachments(conn, id).await?)
        });
        Ok(CaseFile {
            record: self.record_of(loaded).await?,
            events,
            attachments,
        })
    }

    pub(crate) async fn record_of(
        &self,
        loaded: records::LoadedCase,
    ) -> Result<CaseRecord, StoreError> {
        let organisation = self.organisation_by_id(loaded.organisation_id).await?;
        Ok(CaseRecord {
            id: loaded.id,
            organisation: organisation.slug.clone(),
            version: loaded.version,
            created_at: loaded.created_at,
            updated_at: loaded.updated_at,
            erased_on: loaded.erased_on,
            case: loaded.case,
        })
    }

    /// The organisation a case belongs to, with its calendar and procedures.
    pub async fn organisation_of(
        &self,
        record: &CaseRecord,
    ) -> Result<Arc<Organisation>, StoreError> {
        self.organisation(&record.organisation).await
    }

    /// Applies `change` to the case as of `expected_version` and saves it with an audit event,
    /// or refuses with `Conflict` when the case has moved on.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn change_case(
        &self,
        access: &Access,
        id: i64,
        expected_version: i64,
        actor: &Actor,
        kind: &str,
        today: NaiveDate,
        change: impl FnOnce(&mut Case, &Organisation) -> Result<(), StoreError>,
    ) -> Result<CaseRecord, StoreError> {
        self.change_case_with(
            access,
            id,
            expected_version,
            actor,
            kind,
            today,
            change,
            None,
        )
        .await
    }

    /// As `change_case`, also keeping a letter's files and its event in the same transaction,
    /// so that a letter and the step it records stand or fall together.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn change_case_with(
        &self,
        access: &Access,
        id: i64,
        expected_version: i64,
        actor: &Actor,
        kind: &str,
        today: NaiveDate,
        change: impl FnOnce(&mut Case, &Organisation) -> Result<(), StoreError>,
        letter: Option<&crate::letters::LetterWrite<'_>>,
    ) -> Result<CaseRecord, StoreError> {
        let current = self.case(access, id).await?;
        if current.version != expected_version {
            return Err(StoreError::Conflict {
                expected: expected_version,
                current: current.version,
            });
        }
        let organisation = self.organisation(&current.organisation).await?;
        let mut case = current.case.clone();
        change(&mut case, &organisation)?;
        let procedure = organisation.procedure(case.procedure())?;
        let due_on = organisation.due_on(&case, procedure, today)?;
        // A draft accepted as a complaint is acknowledged as any new complaint is, once: the
        // step can be taken only from a draft.
        let accepted = current.case.status() == redress_core::Status::Draft
            && case.status() == redress_core::Status::Received;
        let respond_by = if accepted {
            Some(
                case.respond_by(procedure, organisation.calendar_for(procedure), today)
                    .map_err(|e| StoreError::invalid("received_on", e.to_string()))?,
            )
        } else {
            None
        };
        let (before, after) = changes(&current.case, &case);
        write!(self, |conn, ops| {
            let (team_id, reason_id) =
                ops::team_and_reason_ids(conn, organisation.id, &organisation.slug, &case).await?;
            let index = CaseIndex {
                team_id,
                reason_id,
                due_on,
            };
            let now = self.now();
            if !ops::update_case(conn, id, expected_version, &case, &index, now).await? {
                // Read again inside the transaction for the version that won.
                let current = ops::load_case(conn, id, &access::CaseScope::Everything)
                    .await?
                    .map_or(expected_version, |c| c.version);
                return Err(StoreError::Conflict {
                    expected: expected_version,
                    current,
                });
            }
            ops::write_parts(conn, id, &case).await?;
            let this = ops::Selection::One(id, &access::CaseScope::Everything);
            ops::refresh_statistics(conn, &organisation, &this, today).await?;
            let event = actor
                .event(kind, now)
                .about_case(organisation.id, id)
                .before(before)
                .after(after);
            ops::log_case_event(conn, &self.inner.master, event).await?;
            let appointed =
                crate::outbox::appointment_messages(&organisation, &current.case, &case, id);
            ops::insert_messages(conn, &appointed, now).await?;
            if let Some(respond_by) = respond_by {
                let officers = ops::complaints_officers(conn, organisation.id).await?;
                let messages = crate::outbox::new_case_messages(
                    &organisation,
                    &case,
                    id,
                    respond_by,
                    &officers,
                );
                ops::insert_messages(conn, &messages, now).await?;
            }
            if let Some(letter) = letter {
                ops::insert_letter(conn, letter, actor, organisation.id, id).await?;
            }
        });
        self.case(&Access::System, id).await
    }

    pub async fn transition(
        &self,
        access: &Access,
        id: i64,
        expected_version: i64,
        transition: &Transition,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<CaseRecord, StoreError> {
        self.change_case(
            access,
            id,
            expected_version,
            actor,
            transition.name(),
            today,
            |case, org| {
                let rules = org.rules_of(case, today)?;
                case.apply(transition, &rules)?;
                Ok(())
            },
        )
        .await
    }

    pub async fn update_case(
        &self,
        access: &Access,
        id: i64,
        expected_version: i64,
        update: &CaseUpdate,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<CaseRecord, StoreError> {
        self.change_case(
            access,
            id,
            expected_version,
            actor,
            "updated",
            today,
            |case, _| {
                case.update(update)?;
                Ok(())
            },
        )
        .await
    }

    /// Adds a note to a case's history; the case itself (and its version) is unchanged.
    pub async fn add_note(
        &self,
        access: &Access,
        id: i64,
        text: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let record = self.case(access, id).await?;
        let text = text.trim();
        if text.is_empty() {
            return Err(StoreError::invalid("text", "write the note"));
        }
        redress_core::limits::within("text", text, redress_core::limits::LONG_TEXT)?;
        let organisation = self.organisation(&record.organisation).await?;
        let event = actor
            .event("note", self.now())
            .about_case(organisation.id, id)
            .after(serde_json::json!({ "text": text }));
        write!(self, |conn, ops| {
            ops::log_case_event(conn, &self.inner.master, event).await?
        });
        Ok(())
    }

    /// The changes to a case, oldest first (reads of it are in the audit log, not here).
    pub async fn events(
        &self,
        access: &Access,
        case_id: i64,
    ) -> Result<Vec<EventRecord>, StoreError> {
        self.case(access, case_id).await?;
        Ok(read!(self, |conn, ops| ops::events(
            conn,
            &self.inner.master,
            case_id
        )
        .await?))
    }
}
