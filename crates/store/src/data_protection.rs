//! Data protection: the master key check and sealing at start, the retention schedule and its
//! runs, legal holds, erasure and rectification on request, and subject access searches.

use crate::access::Access;
use crate::backends::{postgres, sqlite};
use crate::records::{Actor, CaseRecord, Erasure};
use crate::{Permission, Store, StoreError};
use chrono::{Datelike, NaiveDate};
use redress_core::retention::{self, RetentionRule, COMPLIMENTS};
use redress_core::PersonalPatch;
use serde::Serialize;
use std::sync::Arc;

/// What a retention run did, or would do with `--dry-run`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RetentionRun {
    pub on: Option<NaiveDate>,
    pub dry_run: bool,
    /// One line per case or compliment erased (or due).
    pub erased: Vec<Erasure>,
    /// Cases due but kept by a legal hold: (organisation, reference, reason).
    pub held: Vec<(String, String, String)>,
    /// Organisations whose schedule is off (not approved): nothing of theirs was looked at.
    pub not_approved: Vec<String>,
    /// For each line of `erased`: the year the record was received and what the rule applies
    /// to (a procedure, or `compliments`), for the dry run's counts.
    #[serde(skip)]
    pub(crate) tally: Vec<(i32, String)>,
}

/// The rule an erasure on request records: the person's reason is sealed in its event, and
/// erased with the case.
pub const ON_REQUEST: &str = "on request";

impl Store {
    /// Checks the master key against the one recorded and seals the personal values of events
    /// written before sealing existed (one transaction per organisation, progress on stderr).
    pub(crate) async fn prepare_sealing(&self) -> Result<(), StoreError> {
        let master = self.inner.master.clone();
        // Read first: a start of an established database writes nothing.
        let (recorded, pending) = read!(self, |conn, ops| {
            (
                ops::recorded_fingerprint(conn).await?,
                ops::pending_work(conn, "seal_events").await?,
            )
        });
        match recorded {
            Some(fingerprint) if fingerprint == master.fingerprint() => {}
            Some(_) => return Err(crate::sealing::wrong_key()),
            None => write!(self, |conn, ops| ops::check_master_key(conn, &master)
                .await?),
        }
        self.build_statistics_if_pending().await?;
        if !pending {
            return Ok(());
        }
        let organisations = self.organisations().await?;
        for (i, organisation) in organisations.iter().enumerate() {
            let now = self.now();
            let sealed = write!(self, |conn, ops| {
                ops::seal_old_events(conn, &master, organisation.id, now).await?
            });
            eprintln!(
                "sealing personal data in the audit log: {} ({} of {}), {sealed} events sealed",
                organisation.slug,
                i + 1,
                organisations.len()
            );
        }
        write!(self, |conn, ops| ops::finish_work(conn, "seal_events")
            .await?);
        // Sealing changed events in place, and migration 0018 erasures and compliments: their
        // old versions go from PostgreSQL's files too.
        let mut tables = vec!["events"];
        tables.extend(crate::erased_rows::ERASED_TABLES);
        self.remove_erased_rows_from(&tables).await
    }

    /// Whether `master` is the key this database's personal data was sealed with (a database
    /// from before sealing, or never started, has no record and any key fits).
    pub async fn sealed_with(&self, master: &crate::MasterKey) -> Result<bool, StoreError> {
        // A backup from before migration 0013 has no such table: nothing was sealed.
        // Any other failure is an error, never "any key fits".
        let recorded = read!(self, |conn, ops| {
            match ops::recorded_fingerprint(conn).await {
                Ok(recorded) => recorded,
                Err(StoreError::Database(e)) if crate::error::is_missing_table(&e) => None,
                Err(e) => return Err(e),
            }
        });
        Ok(recorded.is_none_or(|r| r == master.fingerprint()))
    }

    /// The organisation's schedule: its own lines, and core's default for every procedure and
    /// for compliments it has not set.
    pub async fn retention_schedule(&self, slug: &str) -> Result<Vec<RetentionRule>, StoreError> {
        let organisation = self.organisation(slug).await?;
        let own = read!(self, |conn, ops| ops::retention_rules(
            conn,
            organisation.id
        )
        .await?);
        let mut names: Vec<String> = organisation
            .procedures
            .iter()
            .map(|p| p.name.clone())
            .collect();
        names.push(COMPLIMENTS.to_string());
        Ok(names
            .into_iter()
            .map(|name| {
                own.iter()
                    .find(|r| r.applies_to == name)
                    .cloned()
                    .unwrap_or_else(|| RetentionRule::default_for(&name))
            })
            .collect())
    }

    /// Replaces the organisation's schedule (administrators only); each line is checked by core.
    pub async fn set_retention_schedule(
        &self,
        access: &Access,
        slug: &str,
        rules: &[RetentionRule],
        actor: &Actor,
    ) -> Result<Vec<RetentionRule>, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        let procedures: Vec<&str> = organisation
            .procedures
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        for (i, rule) in rules.iter().enumerate() {
            retention::check_rule(rule, &procedures)
                .map_err(|e| StoreError::invalid(&format!("rules[{i}].{}", e.field), e.message))?;
            if rules[..i].iter().any(|r| r.applies_to == rule.applies_to) {
                return Err(StoreError::invalid(
                    &format!("rules[{i}].applies_to"),
                    format!("'{}' is given twice", rule.applies_to),
                ));
            }
        }
        write!(self, |conn, ops| {
            ops::set_retention_rules(conn, organisation.id, rules).await?;
            let event = actor
                .event("retention_schedule_set", self.now())
                .in_organisation(organisation.id)
                .after(serde_json::to_value(rules).expect("rules serialise"));
            ops::insert_event(conn, &event).await?;
        });
        self.retention_schedule(slug).await
    }

    /// A case the access reaches, for data protection work (`permission`: information
    /// governance, and complaints officers for rectification): information governance, which
    /// reads no cases, reaches every case of its organisation here and nowhere else.
    pub(crate) async fn personal_data_case(
        &self,
        access: &Access,
        case_id: i64,
        permission: Permission,
    ) -> Result<(CaseRecord, Arc<crate::Organisation>), StoreError> {
        let record = self.case(&Access::System, case_id).await?;
        let organisation = match self
            .authorise(access, &record.organisation, permission)
            .await
        {
            Ok(organisation) => organisation,
            // Another organisation's case does not exist, as far as the caller can tell.
            Err(StoreError::NotFound(_)) => {
                return Err(StoreError::NotFound(format!("case {case_id}")))
            }
            // Nor does a case the caller's role does not reach; one it does is refused.
            Err(forbidden) => {
                self.case(access, case_id).await?;
                return Err(forbidden);
            }
        };
        Ok((record, organisation))
    }

    /// Erases one case's personal data ahead of its schedule, on the person's request (UK GDPR
    /// Art. 17), with the reason. Refused while a legal hold stands. The reason (which often
    /// names the person) is sealed with the case's key and so erased with the rest; the
    /// erasure record keeps only the rule, "on request", and who.
    pub async fn erase_on_request(
        &self,
        access: &Access,
        case_id: i64,
        reason: &str,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<Erasure, StoreError> {
        let (record, organisation) = self
            .personal_data_case(access, case_id, Permission::HandlePersonalData)
            .await?;
        let reason = reason_given(
            reason,
            "say why the personal data is erased ahead of its schedule",
        )?;
        if let Some(on) = record.erased_on {
            return Err(StoreError::invalid(
                "case",
                format!("this case's personal data was erased on {on}"),
            ));
        }
        let master = &self.inner.master;
        let now = self.now();
        let erasure = write!(self, |conn, ops| {
            if let Some(hold) = ops::legal_hold(conn, record.id).await? {
                return Err(StoreError::invalid(
                    "legal_hold",
                    format!(
                        "the case is under a legal hold ({}): lift it before erasing",
                        hold.reason
                    ),
                ));
            }
            // The key is taken before the erasure deletes it: the reason goes with the case.
            let key = ops::case_key(conn, master, record.id, now).await?;
            let Some(files) = ops::erase_case(conn, record.id, today).await? else {
                return Err(StoreError::invalid(
                    "case",
                    "this case's personal data was erased a moment ago",
                ));
            };
            let erasure = Erasure {
                organisation_id: organisation.id,
                case_id: Some(record.id),
                compliment_id: None,
                reference: Some(record.case.reference().to_string()),
                erased_on: today,
                rule: ON_REQUEST.to_string(),
                files,
                actor: actor.label.clone(),
            };
            ops::record_erasure(conn, &erasure, self.now()).await?;
            let mut event = erasure_event(actor, &erasure, self.now());
            if let Some(serde_json::Value::Object(after)) = event.after.as_mut() {
                after.insert("reason".into(), reason.into());
            }
            key.seal_event(&mut event);
            ops::insert_event(conn, &event).await?;
            erasure
        });
        self.remove_erased_rows().await?;
        self.note_erasure(crate::erasure_ledger::LedgerEntry {
            erased_at: self.now(),
            organisation: organisation.slug.clone(),
            case_id: record.id,
            reference: Some(record.case.reference().to_string()),
        })
        .await;
        Ok(erasure)
    }

    /// Corrects a person's details on a case (UK GDPR Art. 16), with the reason, as one audited
    /// change of the case ("rectified").
    #[allow(clippy::too_many_arguments)]
    pub async fn rectify(
        &self,
        access: &Access,
        case_id: i64,
        expected_version: i64,
        personal: PersonalPatch,
        reason: &str,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<CaseRecord, StoreError> {
        let (record, _) = self
            .personal_data_case(access, case_id, Permission::RectifyPersonalData)
            .await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::invalid("reason", "say what was wrong"));
        }
        redress_core::limits::within("reason", reason, redress_core::limits::ADDRESS)?;
        if let Some(on) = record.erased_on {
            return Err(StoreError::invalid(
                "case",
                format!("this case's personal data was erased on {on}"),
            ));
        }
        let update = redress_core::CaseUpdate {
            personal,
            ..Default::default()
        };
        let kind = "rectified";
        self.change_case(
            &Access::System,
            case_id,
            expected_version,
            actor,
            kind,
            today,
            |case, _| {
                case.update(&update)?;
                Ok(())
            },
        )
        .await?;
        let organisation = self.organisation(&record.organisation).await?;
        // Sealed with the case's key: the reason describes the person (Art. 17).
        let event = actor
            .event("rectification_reason", self.now())
            .about_case(organisation.id, case_id)
            .after(serde_json::json!({ "reason": reason }));
        let master = &self.inner.master;
        write!(self, |conn, ops| ops::log_case_event(conn, master, event)
            .await?);
        self.case(&Access::System, case_id).await
    }

    /// Erases what the schedule says is due on `on`, in every organisation (or, with
    /// `dry_run`, only says what it would erase). Each case goes in a transaction of its own.
    pub async fn run_retention(
        &self,
        on: NaiveDate,
        dry_run: bool,
        actor: &Actor,
    ) -> Result<RetentionRun, StoreError> {
        let approved = self.retention_approvals().await?;
        let mut organisations = Vec::new();
        let mut not_approved = Vec::new();
        for organisation in self.organisations().await? {
            match approved.iter().any(|(id, _)| *id == organisation.id) {
                true => organisations.push(organisation),
                false => not_approved.push(organisation.slug.clone()),
            }
        }
        let mut run = self
            .apply_schedule(organisations, on, dry_run, actor)
            .await?;
        run.not_approved = not_approved;
        Ok(run)
    }

    /// Erases (or, with `dry_run`, lists) what the schedule says is due on `on` in each of
    /// `organisations`, whether or not its schedule is approved: the caller decides that.
    pub(crate) async fn apply_schedule(
        &self,
        organisations: Vec<Arc<crate::Organisation>>,
        on: NaiveDate,
        dry_run: bool,
        actor: &Actor,
    ) -> Result<RetentionRun, StoreError> {
        let mut run = RetentionRun {
            on: Some(on),
            dry_run,
            ..Default::default()
        };
        for organisation in organisations {
            let schedule = self.retention_schedule(&organisation.slug).await?;
            let rule_for = |name: &str| {
                schedule
                    .iter()
                    .find(|r| r.applies_to == name)
                    .cloned()
                    .unwrap_or_else(|| RetentionRule::default_for(name))
            };
            let candidates = read!(self, |conn, ops| {
                ops::erasure_candidates(conn, organisation.id).await?
            });
            for chunk in candidates.chunks(500) {
                let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
                    continue;
                };
                let loaded = read!(self, |conn, ops| {
                    let selection = ops::Selection::IdRange {
                        organisation_id: organisation.id,
                        after: first - 1,
                        upto: *last,
                    };
                    ops::load_cases(conn, &selection, false).await?
                });
                for case in loaded.iter().filter(|c| chunk.binary_search(&c.id).is_ok()) {
                    let rule = rule_for(case.case.procedure());
                    let due = retention::case_erasure_due(&case.case, &rule);
                    if due.is_none_or(|due| due > on) {
                        continue;
                    }
                    let erasure = Erasure {
                        organisation_id: organisation.id,
                        case_id: Some(case.id),
                        compliment_id: None,
                        reference: Some(case.case.reference().to_string()),
                        erased_on: on,
                        rule: rule.describe(),
                        files: Vec::new(),
                        actor: actor.label.clone(),
                    };
                    let tally = (
                        case.case.received_on().year(),
                        case.case.procedure().to_string(),
                    );
                    if dry_run {
                        run.erased.push(erasure);
                        run.tally.push(tally);
                        continue;
                    }
                    let erasure = write!(self, |conn, ops| {
                        // A hold placed since the candidates were read still keeps the case.
                        if let Some(hold) = ops::legal_hold(conn, case.id).await? {
                            run.held.push((
                                organisation.slug.clone(),
                                case.case.reference().to_string(),
                                hold.reason,
                            ));
                            continue;
                        }
                        let Some(files) = ops::erase_case(conn, case.id, on).await? else {
                            continue;
                        };
                        let erasure = Erasure { files, ..erasure };
                        ops::record_erasure(conn, &erasure, self.now()).await?;
                        ops::insert_event(conn, &erasure_event(actor, &erasure, self.now()))
                            .await?;
                        erasure
                    });
                    run.erased.push(erasure);
                    run.tally.push(tally);
                }
            }
            let held = read!(self, |conn, ops| ops::held_cases(conn, organisation.id)
                .await?);
            for (case_id, reference, reason) in held {
                let Ok(record) = self.case(&Access::System, case_id).await else {
                    continue;
                };
                let rule = rule_for(record.case.procedure());
                if record.erased_on.is_none()
                    && retention::case_erasure_due(&record.case, &rule).is_some_and(|d| d <= on)
                {
                    run.held
                        .push((organisation.slug.clone(), reference, reason));
                }
            }
            let rule = rule_for(COMPLIMENTS);
            let compliments = read!(self, |conn, ops| {
                ops::compliments_unerased(conn, organisation.id).await?
            });
            for (id, received_on) in compliments {
                if retention::compliment_erasure_due(received_on, &rule) > on {
                    continue;
                }
                let erasure = Erasure {
                    organisation_id: organisation.id,
                    case_id: None,
                    compliment_id: Some(id),
                    reference: None,
                    erased_on: on,
                    rule: rule.describe(),
                    files: Vec::new(),
                    actor: actor.label.clone(),
                };
                if !dry_run {
                    write!(self, |conn, ops| {
                        ops::erase_compliment(conn, id, on).await?;
                        ops::record_erasure(conn, &erasure, self.now()).await?;
                        ops::insert_event(conn, &erasure_event(actor, &erasure, self.now()))
                            .await?;
                    });
                }
                run.erased.push(erasure);
                run.tally
                    .push((received_on.year(), COMPLIMENTS.to_string()));
            }
        }
        let pending = read!(self, |conn, ops| {
            ops::pending_work(conn, crate::erased_rows::PENDING).await?
        });
        if !dry_run && (pending || !run.erased.is_empty()) {
            self.remove_erased_rows().await?;
        }
        Ok(run)
    }

    /// The organisation's erasures, newest first (no personal data: administrators, complaints
    /// officers and information governance).
    pub async fn erasures(&self, access: &Access, slug: &str) -> Result<Vec<Erasure>, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ReadRetention)
            .await?;
        Ok(read!(self, |conn, ops| ops::erasures(
            conn,
            organisation.id
        )
        .await?))
    }

    /// How the audit log and the sign-in throttle name an account that does not exist: a
    /// keyed digest of what was typed, the same each time it is typed, never the text.
    pub fn unknown_account_label(&self, typed: &str) -> String {
        format!(
            "unknown account {}",
            &self.inner.master.sign_in_digest(typed)[..32]
        )
    }
}

/// The reason a hold or an erasure on request records, trimmed and within its length; refused
/// with `ask` when empty.
pub(crate) fn reason_given<'a>(reason: &'a str, ask: &str) -> Result<&'a str, StoreError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::invalid("reason", ask));
    }
    redress_core::limits::within("reason", reason, redress_core::limits::ADDRESS)?;
    Ok(reason)
}

/// The audit event of an erasure: the reference and the rule, never a personal value.
fn erasure_event(
    actor: &Actor,
    erasure: &Erasure,
    at: chrono::DateTime<chrono::Utc>,
) -> crate::NewEvent {
    let event = actor.event(
        if erasure.case_id.is_some() {
            "personal_data_erased"
        } else {
            "compliment_erased"
        },
        at,
    );
    let event = match erasure.case_id {
        Some(case_id) => event.about_case(erasure.organisation_id, case_id),
        None => event.in_organisation(erasure.organisation_id),
    };
    event.after(serde_json::json!({
        "reference": erasure.reference,
        "compliment": erasure.compliment_id,
        "rule": erasure.rule,
        "erased_on": erasure.erased_on,
        "files_deleted": erasure.files.len(),
    }))
}
