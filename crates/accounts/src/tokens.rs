//! Personal API tokens: made once, kept as a hash, scoped to one organisation and role, revoked at once.

use super::*;
use crate::auth_cache::CachedToken;
use crate::backends::{postgres, sqlite};
use crate::secrets;
use crate::Accounts;
use chrono::{DateTime, Utc};
use redress_store::Actor;
use redress_store::{read, write, StoreError};
use redress_store::{Account, Role};

impl Accounts {
    /// Makes a token for the account in one of its organisations, with its own role or
    /// `viewer`. Returns the secret, which is shown once and kept only as a hash.
    pub async fn create_token(
        &self,
        account: &Account,
        slug: &str,
        role: Role,
        name: &str,
        actor: &Actor,
    ) -> Result<(TokenInfo, String), StoreError> {
        // Any member may make a token (a mail gate's member, who reads nothing, included);
        // anyone else is told the organisation is not there.
        let organisation = self.store.organisation(slug).await?;
        let membership = account
            .membership(organisation.id)
            .ok_or_else(|| StoreError::NotFound(format!("organisation '{slug}'")))?;
        redress_core::limits::within("name", name, redress_core::limits::NAME)?;
        if !membership.role.may_issue_token(role) {
            return Err(StoreError::invalid(
                "role",
                format!(
                    "a token may carry your own role ({}) or viewer{}",
                    membership.role,
                    if membership.role == Role::Admin {
                        ", or mail_gate"
                    } else {
                        ""
                    }
                ),
            ));
        }
        let name = name.trim();
        if name.is_empty() || name.len() > 100 {
            return Err(StoreError::invalid(
                "name",
                "must be 1 to 100 characters, saying what the token is for",
            ));
        }
        let secret = secrets::new_token();
        let now = self.store.clock().now();
        let id = write!(self, |conn, ops| {
            let id = ops::insert_token(
                conn,
                account.user_id,
                organisation.id,
                role.as_str(),
                name,
                &secrets::digest(&secret),
                now,
            )
            .await?;
            let event = actor
                .event("token_created", now)
                .in_organisation(organisation.id)
                .after(serde_json::json!({"token_id": id, "name": name, "role": role}));
            ops::insert_event(conn, &event).await?;
            id
        });
        let info = TokenInfo {
            id,
            name: name.to_string(),
            organisation: organisation.slug.clone(),
            role,
            created_at: now,
            revoked_at: None,
        };
        Ok((info, secret))
    }

    pub async fn tokens(&self, user_id: i64) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = read!(self, |conn, ops| ops::tokens_of(conn, user_id).await?);
        let mut tokens = Vec::with_capacity(rows.len());
        for row in rows {
            tokens.push(
                self.token_info(
                    row.organisation_id,
                    &row.role,
                    row.id,
                    row.name,
                    row.created_at,
                    row.revoked_at,
                )
                .await?,
            );
        }
        Ok(tokens)
    }

    pub(super) async fn token_info(
        &self,
        organisation_id: i64,
        role: &str,
        id: i64,
        name: String,
        created_at: DateTime<Utc>,
        revoked_at: Option<DateTime<Utc>>,
    ) -> Result<TokenInfo, StoreError> {
        Ok(TokenInfo {
            id,
            name,
            organisation: self
                .store
                .organisation_by_id(organisation_id)
                .await?
                .slug
                .clone(),
            role: role
                .parse()
                .map_err(|e: String| StoreError::Corrupt(format!("token role: {e}")))?,
            created_at,
            revoked_at,
        })
    }

    /// Revokes one of the user's own tokens at once.
    pub async fn revoke_token(
        &self,
        user_id: i64,
        token_id: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let now = self.store.clock().now();
        write!(self, |conn, ops| {
            let Some(row) = ops::revoke_token(conn, token_id, user_id, now).await? else {
                return Err(StoreError::NotFound(format!("token {token_id}")));
            };
            let event = actor
                .event("token_revoked", now)
                .in_organisation(row.organisation_id)
                .after(serde_json::json!({"token_id": row.id, "name": row.name}));
            ops::insert_event(conn, &event).await?;
        });
        self.auth.clear();
        Ok(())
    }

    /// The account a bearer token acts as: its owner, in the token's organisation only, with
    /// the token's role. None for an unknown or revoked token, a disabled owner, or an owner
    /// whose role there has changed since the token was made.
    pub async fn token_account(&self, secret: &str) -> Result<Option<TokenHolder>, StoreError> {
        if !secret.starts_with(secrets::TOKEN_PREFIX) {
            return Ok(None);
        }
        let hash = secrets::digest(secret);
        if let Some(token) = self.auth.token(&hash) {
            return Ok(Some(TokenHolder {
                account: token.account,
                name: token.name,
                id: token.id,
            }));
        }
        let generation = self.auth.generation();
        let Some(row) = read!(self, |conn, ops| ops::token_by_hash(conn, &hash).await?) else {
            return Ok(None);
        };
        if row.revoked_at.is_some() {
            return Ok(None);
        }
        let Some(mut account) = self.account(row.user_id).await? else {
            return Ok(None);
        };
        let role: Role = row
            .role
            .parse()
            .map_err(|e: String| StoreError::Corrupt(format!("token role: {e}")))?;
        let Some(mut membership) = account.membership(row.organisation_id).cloned() else {
            return Ok(None);
        };
        // A token whose role its holder may no longer issue (the holder's role changed) is
        // dead.
        if !membership.role.may_issue_token(role) {
            return Ok(None);
        }
        membership.role = role;
        account.memberships = vec![membership];
        account.system_admin = false;
        account.must_change_password = false;
        self.auth.keep_token(
            &hash,
            CachedToken {
                account: account.clone(),
                name: row.name.clone(),
                id: row.id,
            },
            generation,
        );
        Ok(Some(TokenHolder {
            account,
            name: row.name,
            id: row.id,
        }))
    }
}
