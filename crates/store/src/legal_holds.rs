//! Legal holds: a case kept from erasure, by the retention schedule or on request, while a
//! claim or an investigation needs it; placed and lifted with a reason, and audited.

use crate::access::Access;
use crate::backends::{postgres, sqlite};
use crate::records::{Actor, LegalHold};
use crate::{Permission, Store, StoreError};

impl Store {
    /// The case's legal hold, if one stands.
    pub async fn legal_hold(
        &self,
        access: &Access,
        case_id: i64,
    ) -> Result<Option<LegalHold>, StoreError> {
        self.personal_data_case(access, case_id, Permission::HandlePersonalData)
            .await?;
        Ok(read!(self, |conn, ops| ops::legal_hold(conn, case_id).await?))
    }

    /// Holds a case's personal data past its schedule, with a reason.
    pub async fn place_legal_hold(
        &self,
        access: &Access,
        case_id: i64,
        reason: &str,
        actor: &Actor,
    ) -> Result<LegalHold, StoreError> {
        let (record, organisation) = self
            .personal_data_case(access, case_id, Permission::HandlePersonalData)
            .await?;
        let reason = crate::data_protection::reason_given(
            reason,
            "say why the case is held (litigation, an ombudsman investigation, ...)",
        )?;
        // Nothing personal is left to hold, and a hold would keep its reason for ever.
        let erased = || match record.erased_on {
            Some(on) => StoreError::invalid(
                "case",
                format!("this case's personal data was erased on {on}: there is nothing to hold"),
            ),
            None => StoreError::invalid("case", "this case's personal data was erased"),
        };
        if record.erased_on.is_some() {
            return Err(erased());
        }
        let hold = LegalHold {
            reason: reason.to_string(),
            placed_by: actor.label.clone(),
            placed_at: self.now(),
        };
        let master = &self.inner.master;
        write!(self, |conn, ops| {
            // An erasure committed since the case was read.
            if !ops::place_hold(conn, record.id, &hold).await? {
                return Err(erased());
            }
            let event = actor
                .event("legal_hold_placed", hold.placed_at)
                .about_case(organisation.id, record.id)
                .after(serde_json::json!({ "reason": hold.reason }));
            ops::log_case_event(conn, master, event).await?;
        });
        Ok(hold)
    }

    /// Lifts a case's legal hold; its schedule applies again from the next run.
    pub async fn lift_legal_hold(
        &self,
        access: &Access,
        case_id: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let (record, organisation) = self
            .personal_data_case(access, case_id, Permission::HandlePersonalData)
            .await?;
        write!(self, |conn, ops| {
            if !ops::lift_hold(conn, record.id).await? {
                return Err(StoreError::NotFound(format!(
                    "legal hold on case {}",
                    record.id
                )));
            }
            let event = actor
                .event("legal_hold_lifted", self.now())
                .about_case(organisation.id, record.id);
            ops::insert_event(conn, &event).await?;
        });
        Ok(())
    }
}
