//! Signing in and changing a password: every password check counted before it is made, so that guesses sent in parallel are throttled, and audited.

use super::*;
use crate::backends::{postgres, sqlite};
use crate::secrets;
use crate::Accounts;
use chrono::{DateTime, Duration, Utc};
use redress_store::Actor;
use redress_store::{read, write, StoreError};

impl Accounts {
    /// Records a password check before the password is compared, unless too many recent
    /// checks for this account or from this address did not succeed. Counting and recording
    /// happen under one lock, so checks sent in parallel count one each. Answers the check's
    /// id, or the seconds to wait.
    pub(super) async fn begin_password_check(
        &self,
        email: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<i64, u64>, StoreError> {
        let since = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
        let limit = (FREE_FAILURES_PER_ADDRESS + 21) as i64;
        Ok(write!(self, |conn, ops| {
            ops::lock_password_checks(conn).await?;
            let by_account =
                ops::unsuccessful_password_checks(conn, "email", email, since, limit).await?;
            let by_address =
                ops::unsuccessful_password_checks(conn, "address", address, since, limit).await?;
            let wait = wait_after(&by_account, FREE_FAILURES_PER_ACCOUNT, now).max(wait_after(
                &by_address,
                FREE_FAILURES_PER_ADDRESS,
                now,
            ));
            match wait {
                Some(retry_after) => Err(retry_after),
                None => Ok(ops::insert_password_check(conn, email, address, now, since).await?),
            }
        }))
    }

    /// Compares a password with the stored hash, counted by the throttle: the one way Redress
    /// checks a password. `Err(seconds)` when throttled; `Ok(false)` for a wrong password.
    pub(super) async fn check_password(
        &self,
        email: &str,
        password: &str,
        stored: Option<String>,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<bool, u64>, StoreError> {
        let attempt = match self.begin_password_check(email, address, now).await? {
            Ok(id) => id,
            Err(retry_after) => return Ok(Err(retry_after)),
        };
        let password = password.to_string();
        let accepted =
            blocking(move || secrets::verify_password(&password, stored.as_deref())).await?;
        if accepted {
            write!(self, |conn, ops| ops::mark_password_check_succeeded(
                conn, attempt
            )
            .await?);
        }
        Ok(Ok(accepted))
    }

    /// Checks an email and password, slowing down repeated failures per account and per
    /// address. Every failure and every success is written to the audit log.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<SignIn, StoreError> {
        let email = redress_core::Email::lookup_key(email);
        let user = read!(self, |conn, ops| ops::user_by_email(conn, &email).await?);
        // What is typed for an account that does not exist may be a password or someone
        // else's address: the log and the throttle keep a keyed digest of it, never the text
        // (UK GDPR Art. 5(1)(c), data minimisation). An existing account is named.
        let email = match &user {
            Some(_) => email,
            None => self.store.unknown_account_label(&email),
        };
        let actor = Actor {
            label: email.clone(),
            user_id: user.as_ref().map(|u| u.id),
            address: Some(address.to_string()),
        };
        let stored = user
            .as_ref()
            .filter(|u| !u.disabled)
            .and_then(|u| u.password_hash.clone());
        match self
            .check_password(&email, password, stored, address, now)
            .await?
        {
            Err(retry_after) => {
                self.store
                    .log(actor.event("sign_in_throttled", now))
                    .await?;
                Ok(SignIn::Throttled { retry_after })
            }
            Ok(true) => match user {
                Some(user) if self.passwords_refused(user.id, &user.email).await? => {
                    let why =
                        serde_json::json!({"why": "password sign-in is off for the organisation"});
                    self.store
                        .log(actor.event("sign_in_refused", now).after(why))
                        .await?;
                    Ok(SignIn::PasswordsOff)
                }
                Some(user) => {
                    self.store.log(actor.event("signed_in", now)).await?;
                    Ok(SignIn::Accepted { user_id: user.id })
                }
                None => Ok(SignIn::Refused),
            },
            Ok(false) => {
                self.store.log(actor.event("sign_in_failed", now)).await?;
                Ok(SignIn::Refused)
            }
        }
    }

    /// Changes a user's own password, given the current one. The new password's rules are
    /// checked first, on what was sent alone, so the answer never tells whether the current
    /// password was right; the check of the current one is throttled and audited like a
    /// sign-in. Every other session of the account, and every API token, ends with the old
    /// password (issue 23: whoever had the password kept a session): `keep_session`, the
    /// session making the change, stays.
    pub async fn change_password(
        &self,
        user_id: i64,
        keep_session: &str,
        current: &str,
        new: &str,
        actor: &Actor,
        address: &str,
    ) -> Result<(), StoreError> {
        let user = read!(self, |conn, ops| ops::user_by_id(conn, user_id).await?)
            .ok_or_else(|| StoreError::NotFound("user".into()))?;
        if let Some(problem) = secrets::password_problem(new) {
            return Err(StoreError::invalid("new_password", problem));
        }
        if new == current {
            return Err(StoreError::invalid(
                "new_password",
                "must differ from the current password",
            ));
        }
        let now = self.store.clock().now();
        let checked = self
            .check_password(
                &user.email,
                current,
                user.password_hash.clone(),
                address,
                now,
            )
            .await?;
        match checked {
            Err(retry_after) => {
                self.store
                    .log(actor.event("password_change_throttled", now))
                    .await?;
                return Err(StoreError::Throttled { retry_after });
            }
            Ok(false) => {
                self.store
                    .log(actor.event("password_change_failed", now))
                    .await?;
                return Err(StoreError::invalid("current_password", "is not right"));
            }
            Ok(true) => {}
        }
        let new = new.to_string();
        let hash = blocking(move || secrets::hash_password(&new)).await?;
        write!(self, |conn, ops| {
            ops::set_password_hash(conn, user_id, &hash, false).await?;
            ops::delete_sessions_of_except(conn, user_id, &secrets::digest(keep_session)).await?;
            ops::revoke_tokens_of(conn, user_id, now).await?;
            ops::insert_event(conn, &actor.event("password_changed", now)).await?;
        });
        self.auth.clear();
        Ok(())
    }
}
