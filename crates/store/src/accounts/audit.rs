//! The audit log's reader, and the group-committed record of every read of a case.

use super::*;
use crate::access::{Access, Permission};
use crate::backends::{postgres, sqlite};
use crate::records::{Actor, CaseRecord};
use crate::{Db, Store, StoreError};
use chrono::Utc;

impl Store {
    /// Records that someone read a case. Reads are committed in groups, and the call returns
    /// once its group is on disk, so a read is never shown without being recorded.
    pub async fn record_view(&self, actor: &Actor, record: &CaseRecord) -> Result<(), StoreError> {
        let organisation = self.organisation(&record.organisation).await?;
        let event = actor
            .event("viewed", Utc::now())
            .about_case(organisation.id, record.id);
        crate::group_commit::submit(&self.inner.views, event).await
    }

    /// A page of an organisation's audit log, newest first, and the cursor for the next.
    pub async fn audit(
        &self,
        access: &Access,
        slug: &str,
        filter: &AuditFilter,
        limit: i64,
    ) -> Result<(Vec<AuditEntry>, Option<i64>), StoreError> {
        let organisation = self.authorise(access, slug, Permission::ReadAudit).await?;
        if !(1..=crate::MAX_PAGE * 10).contains(&limit) {
            return Err(StoreError::invalid(
                "limit",
                format!("must be between 1 and {}", crate::MAX_PAGE * 10),
            ));
        }
        let mut rows = read!(self, |conn, ops| ops::audit(
            conn,
            organisation.id,
            filter,
            limit + 1
        )
        .await?);
        let next = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|r| r.id)
        } else {
            None
        };
        Ok((rows, next))
    }
}
