//! Server-side sessions: opened at sign-in with a new id, checked (and remembered for a few seconds), closed.

use super::*;
use crate::auth_cache::CachedSession;
use crate::backends::{postgres, sqlite};
use crate::secrets;
use crate::Accounts;
use chrono::{DateTime, Duration, Utc};
use redress_store::Account;
use redress_store::Actor;
use redress_store::{read, write, StoreError};

impl Accounts {
    /// Opens a session for a user who has just signed in. A session the browser already held
    /// is ended, so the id changes at sign-in.
    pub async fn open_session(
        &self,
        user_id: i64,
        previous: Option<&str>,
        lifetime: std::time::Duration,
        now: DateTime<Utc>,
    ) -> Result<NewSession, StoreError> {
        let session = NewSession {
            id: secrets::random_secret(),
            csrf_token: secrets::random_secret(),
            expires_at: now + Duration::from_std(lifetime).unwrap_or(Duration::hours(8)),
        };
        write!(self, |conn, ops| {
            if let Some(previous) = previous {
                ops::delete_session(conn, &secrets::digest(previous)).await?;
            }
            // Sessions past their lifetime are swept here, so the table stays small.
            ops::delete_sessions_expired_by(conn, now).await?;
            ops::insert_session(
                conn,
                &secrets::digest(&session.id),
                user_id,
                &session.csrf_token,
                now,
                session.expires_at,
            )
            .await?;
        });
        self.auth.clear();
        Ok(session)
    }

    /// The account and CSRF token of a live session. A session past its absolute expiry or
    /// idle for longer than `idle` is ended and answers None.
    pub async fn session(
        &self,
        id: &str,
        idle: std::time::Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let hash = secrets::digest(id);
        let session = match self.auth.session(&hash) {
            Some(session) => session,
            None => {
                let generation = self.auth.generation();
                let Some(row) = read!(self, |conn, ops| ops::session(conn, &hash).await?) else {
                    return Ok(None);
                };
                let Some(account) = self.account(row.user_id).await? else {
                    return Ok(None);
                };
                let session = CachedSession {
                    account,
                    csrf_token: row.csrf_token,
                    last_seen_at: row.last_seen_at,
                    expires_at: row.expires_at,
                };
                self.auth.keep_session(&hash, session.clone(), generation);
                session
            }
        };
        let idle = Duration::from_std(idle).unwrap_or(Duration::minutes(30));
        if now >= session.expires_at || now - session.last_seen_at > idle {
            write!(self, |conn, ops| ops::delete_session(conn, &hash).await?);
            self.auth.clear();
            return Ok(None);
        }
        if now - session.last_seen_at > Duration::seconds(TOUCH_EVERY_SECONDS) {
            write!(self, |conn, ops| ops::touch_session(conn, &hash, now)
                .await?);
            self.auth.touched(&hash, now);
        }
        Ok(Some((session.account, session.csrf_token)))
    }

    /// Forgets the sessions and tokens checked in the last few seconds, so the next request
    /// reads them again: for changes made to the database by something other than this store.
    pub fn forget_cached_sign_ins(&self) {
        self.auth.clear();
    }

    /// Ends a session; true when there was one.
    pub async fn close_session(&self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let hash = secrets::digest(id);
        let closed = write!(self, |conn, ops| {
            let closed = ops::delete_session(conn, &hash).await?;
            if closed {
                ops::insert_event(conn, &actor.event("signed_out", self.store.clock().now()))
                    .await?;
            }
            closed
        });
        self.auth.clear();
        Ok(closed)
    }
}
