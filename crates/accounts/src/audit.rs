//! The audit log's reader: changes, reads of cases, sign-ins, tokens and users, by organisation.

use super::*;
use crate::backends::{postgres, sqlite};
use crate::Accounts;
use redress_store::{read, StoreError};
use redress_store::{Access, Permission};

impl Accounts {
    /// A page of an organisation's audit log, newest first, and the cursor for the next.
    pub async fn audit(
        &self,
        access: &Access,
        slug: &str,
        filter: &AuditFilter,
        limit: i64,
    ) -> Result<(Vec<AuditEntry>, Option<i64>), StoreError> {
        let organisation = self
            .store
            .authorise(access, slug, Permission::ReadAudit)
            .await?;
        if !(1..=redress_store::MAX_PAGE * 10).contains(&limit) {
            return Err(StoreError::invalid(
                "limit",
                format!("must be between 1 and {}", redress_store::MAX_PAGE * 10),
            ));
        }
        let rows = read!(self, |conn, ops| ops::audit(
            conn,
            organisation.id,
            filter,
            limit + 1
        )
        .await?);
        Ok(redress_store::page_with_cursor(rows, limit, |r| r.id))
    }
}
