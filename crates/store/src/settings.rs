//! An organisation's calendar settings: its closure days and a newer bank-holiday file. Both
//! move deadlines, so open cases' due dates are worked out again in the same transaction.

use crate::access::{Access, Permission};
use crate::backends::{postgres, sqlite};
use crate::organisation::Organisation;
use crate::records::Actor;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use redress_calendar::{Closure, HolidaySource};
use redress_core::{NonEmptyText, Procedure};

impl Store {
    /// Adds a day the organisation is closed.
    pub async fn add_closure(
        &self,
        access: &Access,
        slug: &str,
        expected_version: Option<i64>,
        closure: Closure,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let Closure { date, label } = closure;
        let label = NonEmptyText::parse(&label).map_err(|_| {
            StoreError::invalid("label", "say what the day is, in 200 characters or fewer")
        })?;
        self.change_closures(access, slug, expected_version, actor, today, |closures| {
            if closures.iter().any(|c| c.date == date) {
                return Err(StoreError::invalid(
                    "date",
                    format!("{date} is already a closure day"),
                ));
            }
            closures.push(Closure {
                date,
                label: label.into(),
            });
            closures.sort_by_key(|c| c.date);
            Ok(())
        })
        .await
    }

    /// Removes a closure day; open cases are re-dated.
    pub async fn remove_closure(
        &self,
        access: &Access,
        slug: &str,
        expected_version: Option<i64>,
        date: NaiveDate,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        self.change_closures(access, slug, expected_version, actor, today, |closures| {
            let before = closures.len();
            closures.retain(|c| c.date != date);
            if closures.len() == before {
                return Err(StoreError::NotFound(format!("closure day {date}")));
            }
            Ok(())
        })
        .await
    }

    /// Edits the organisation's closure days and saves them, re-dating open cases.
    async fn change_closures(
        &self,
        access: &Access,
        slug: &str,
        expected_version: Option<i64>,
        actor: &Actor,
        today: NaiveDate,
        edit: impl FnOnce(&mut Vec<Closure>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let organisation = self.settings_at(access, slug, expected_version).await?;
        let mut closures = organisation.closures.clone();
        edit(&mut closures)?;
        let calendar_json = self.calendar_json(organisation.id).await?;
        self.save_calendar(&organisation, closures, calendar_json, actor, today)
            .await
    }

    /// Brings every organisation's built-in procedures up to the preset's current version, at
    /// start: new and open stages then run under it, and a stage answered under an earlier
    /// version keeps being judged by that one (kept in the history). Writes nothing when every
    /// procedure is current.
    pub(crate) async fn upgrade_presets(&self) -> Result<(), StoreError> {
        let today = self.today();
        let mut upgraded_any = false;
        for organisation in self.organisations().await? {
            let upgrades: Vec<(Procedure, u32)> = organisation
                .procedures
                .iter()
                .filter_map(|p| {
                    Procedure::preset(&p.name)
                        .filter(|preset| preset.version > p.version)
                        .map(|preset| (preset, p.version))
                })
                .collect();
            if upgrades.is_empty() {
                continue;
            }
            let procedures: Vec<String> = organisation
                .procedures
                .iter()
                .map(|p| {
                    let current = upgrades
                        .iter()
                        .find(|(preset, _)| preset.name == p.name)
                        .map_or(p, |(preset, _)| preset);
                    serde_json::to_string(current).expect("procedures serialise")
                })
                .collect();
            let updated = organisation.rebuilt(
                &serde_json::to_string(&organisation.closures).expect("closures serialise"),
                self.calendar_json(organisation.id).await?.as_deref(),
                organisation.version,
                &procedures,
            )?;
            write!(self, |conn, ops| {
                for (preset, from) in &upgrades {
                    let definition = serde_json::to_string(preset).expect("procedures serialise");
                    ops::save_procedure(
                        conn,
                        organisation.id,
                        &preset.name,
                        preset.version,
                        &definition,
                    )
                    .await?;
                    let event = Actor::system("upgrade")
                        .event("procedure_upgraded", self.now())
                        .in_organisation(organisation.id)
                        .before(serde_json::json!({"procedure": preset.name, "version": from}))
                        .after(serde_json::json!({"procedure": preset.name, "version": preset.version}));
                    ops::insert_event(conn, &event).await?;
                }
                ops::refresh_organisation_statistics(conn, &updated, today).await?;
            });
            eprintln!(
                "upgraded the built-in procedures of {}: {}",
                organisation.slug,
                upgrades
                    .iter()
                    .map(|(p, from)| format!("{} version {from} to {}", p.name, p.version))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            upgraded_any = true;
        }
        if upgraded_any {
            self.load_organisations().await?;
        }
        Ok(())
    }

    /// Chooses which of the preset procedures the organisation runs. A procedure that still
    /// has open cases cannot be removed; a procedure kept keeps its own definition.
    pub async fn set_procedures(
        &self,
        access: &Access,
        slug: &str,
        expected_version: Option<i64>,
        names: &[String],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self.settings_at(access, slug, expected_version).await?;
        if names.is_empty() {
            return Err(StoreError::invalid(
                "procedures",
                "choose at least one procedure",
            ));
        }
        for (i, name) in names.iter().enumerate() {
            if Procedure::preset(name).is_none() {
                return Err(StoreError::invalid(
                    &format!("procedures[{i}]"),
                    format!("'{name}' is not one of {}", Procedure::PRESETS.join(", ")),
                ));
            }
        }
        let chosen: Vec<Procedure> = names.iter().filter_map(|n| Procedure::preset(n)).collect();
        organisation.nation.check_procedures(&chosen).map_err(|e| {
            StoreError::invalid(&format!("procedures[{}]", e.position), e.to_string())
        })?;
        let current: Vec<&str> = organisation
            .procedures
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        let removed: Vec<&str> = current
            .iter()
            .copied()
            .filter(|c| !names.iter().any(|n| n == c))
            .collect();
        let added: Vec<Procedure> = names
            .iter()
            .filter(|n| !current.contains(&n.as_str()))
            .filter_map(|n| Procedure::preset(n))
            .collect();
        // The organisation as it will be, to judge the cases' figures with.
        let definitions: Vec<String> = organisation
            .procedures
            .iter()
            .filter(|p| !removed.contains(&p.name.as_str()))
            .chain(added.iter())
            .map(|p| serde_json::to_string(p).expect("procedures serialise"))
            .collect();
        let updated = organisation
            .rebuilt(
                &serde_json::to_string(&organisation.closures).expect("closures serialise"),
                self.calendar_json(organisation.id).await?.as_deref(),
                organisation.version + 1,
                &definitions,
            )
            .map_err(|e| StoreError::invalid("procedures", e.to_string()))?;
        // A stale version is found inside the transaction and answered after it, so no second
        // connection is taken while this one is held.
        let saved = write!(self, |conn, ops| {
            let bumped =
                ops::bump_organisation_version(conn, organisation.id, organisation.version).await?;
            if bumped {
                for name in &removed {
                    let open = ops::open_cases_under(conn, organisation.id, name).await?;
                    if open > 0 {
                        return Err(StoreError::invalid(
                        "procedures",
                        format!("the {name} procedure still has {open} open cases: move or close them first"),
                    ));
                    }
                    ops::delete_procedure(conn, organisation.id, name).await?;
                }
                for procedure in &added {
                    let definition = serde_json::to_string(procedure)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    ops::save_procedure(
                        conn,
                        organisation.id,
                        &procedure.name,
                        procedure.version,
                        &definition,
                    )
                    .await?;
                }
                // Statutory or not, and timeliness, are judged by procedure: judged again.
                ops::refresh_organisation_statistics(conn, &updated, self.today()).await?;
                let event = actor
                    .event("procedures_changed", self.now())
                    .in_organisation(organisation.id)
                    .before(serde_json::json!({"procedures": current}))
                    .after(serde_json::json!({"procedures": names}));
                ops::insert_event(conn, &event).await?;
            }
            bumped
        });
        if !saved {
            return Err(self.settings_changed(&organisation).await);
        }
        self.load_organisations().await
    }

    /// Replaces the bank-holiday data with a newer gov.uk file.
    pub async fn set_calendar(
        &self,
        access: &Access,
        slug: &str,
        expected_version: Option<i64>,
        json: &str,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let organisation = self.settings_at(access, slug, expected_version).await?;
        HolidaySource::from_gov_uk_json(json)
            .map_err(|e| StoreError::invalid("calendar", e.to_string()))?;
        self.save_calendar(
            &organisation,
            organisation.closures.clone(),
            Some(json.to_string()),
            actor,
            today,
        )
        .await
    }

    /// The organisation, for its administrators, if its settings are still at the version the
    /// caller read (If-Match); otherwise a conflict naming both versions.
    async fn settings_at(
        &self,
        access: &Access,
        slug: &str,
        expected_version: Option<i64>,
    ) -> Result<std::sync::Arc<Organisation>, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        match expected_version {
            Some(expected) if expected != organisation.version => {
                Err(StoreError::SettingsChanged {
                    expected,
                    current: organisation.version,
                })
            }
            _ => Ok(organisation),
        }
    }

    /// The conflict when the settings moved on between reading and writing them: the cache is
    /// reloaded so the error, and the next read, give the version now stored.
    async fn settings_changed(&self, organisation: &Organisation) -> StoreError {
        let current = match self.load_organisations().await {
            Ok(()) => self
                .organisation(&organisation.slug)
                .await
                .map_or(organisation.version + 1, |o| o.version),
            Err(e) => return e,
        };
        StoreError::SettingsChanged {
            expected: organisation.version,
            current,
        }
    }

    async fn calendar_json(&self, organisation_id: i64) -> Result<Option<String>, StoreError> {
        Ok(read!(self, |conn, ops| ops::organisations(conn)
            .await?
            .into_iter()
            .find(|r| r.id == organisation_id)
            .and_then(|r| r.calendar_json)))
    }

    async fn save_calendar(
        &self,
        organisation: &Organisation,
        closures: Vec<Closure>,
        calendar_json: Option<String>,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let closures_text = serde_json::to_string(&closures).expect("closures serialise");
        let procedures: Vec<String> = organisation
            .procedures
            .iter()
            .map(|p| serde_json::to_string(p).expect("procedures serialise"))
            .collect();
        // The organisation as it will be, to work out the new due dates with.
        let updated = organisation
            .rebuilt(
                &closures_text,
                calendar_json.as_deref(),
                organisation.version + 1,
                &procedures,
            )
            .map_err(|e| StoreError::invalid("calendar", e.to_string()))?;
        // A stale version is answered after the transaction: no second connection is taken
        // while this one is held.
        let saved = write!(self, |conn, ops| {
            let saved = ops::set_calendar_settings(
                conn,
                organisation.id,
                organisation.version,
                &closures_text,
                calendar_json.as_deref(),
            )
            .await?;
            if saved {
                // Read and re-dated in the same transaction, so a case changed meanwhile is not
                // given a due date worked out from its older state.
                let open = ops::Selection::Open {
                    organisation_id: organisation.id,
                };
                let mut due_dates = Vec::new();
                for loaded in ops::load_cases(conn, &open, false).await? {
                    let procedure = updated.procedure(loaded.case.procedure())?;
                    due_dates.push((loaded.id, updated.due_on(&loaded.case, procedure, today)?));
                }
                ops::set_due_dates(conn, &due_dates).await?;
                // Timeliness is judged on the calendar: every case's figures are judged again.
                ops::refresh_organisation_statistics(conn, &updated, today).await?;
                let event = actor
                    .event("calendar_changed", self.now())
                    .in_organisation(organisation.id)
                    .after(serde_json::json!({
                        "closures": closures,
                        "calendar_uploaded": calendar_json.is_some(),
                        "cases_redated": due_dates.len(),
                    }));
                ops::insert_event(conn, &event).await?;
            }
            saved
        });
        if !saved {
            return Err(self.settings_changed(organisation).await);
        }
        self.load_organisations().await
    }
}
