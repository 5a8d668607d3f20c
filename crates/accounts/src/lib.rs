//! Users, memberships, sessions, API tokens, sign-in throttling and the audit log's reader.
//! Their tables live in the store's database (its migrations make them); this crate keeps
//! the queries and rules for them, and the few seconds' memory of checked sign-ins.

mod audit;
mod auth_cache;
mod backends;
mod memberships;
pub mod oidc;
pub mod secrets;
mod sessions;
mod sign_in;
mod sign_in_policy;
mod single_sign_on;
pub use sign_in_policy::SignInPolicy;
pub use single_sign_on::ProviderSignIn;
mod tokens;
mod users;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use redress_store::{Account, Db, Membership, Role, Store, StoreError};
use serde::Serialize;
use std::sync::Arc;

/// Accounts over a store. Cheap to clone; every clone shares the store and the memory of
/// checked sessions and tokens, so make one per process and hand out clones.
#[derive(Clone)]
pub struct Accounts {
    store: Store,
    auth: Arc<auth_cache::AuthCache>,
}

impl Accounts {
    pub fn new(store: Store) -> Self {
        Accounts {
            store,
            auth: Arc::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The pools the `read!` and `write!` macros run on.
    fn db(&self) -> &Db {
        self.store.db()
    }
}

/// Failed sign-ins older than this no longer count.
const THROTTLE_WINDOW_MINUTES: i64 = 15;
/// Failures allowed before each further attempt must wait, per account and per address (an
/// office shares one address, so it gets more).
const FREE_FAILURES_PER_ACCOUNT: usize = 5;
const FREE_FAILURES_PER_ADDRESS: usize = 20;
/// The longest wait, in seconds.
const MAX_WAIT_SECONDS: i64 = 15 * 60;
/// A session's last-seen time is written at most this often, to spare the database a write
/// per request; the idle timeout is exact to within it.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// A row as stored.
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) email: String,
    pub(crate) display_name: String,
    pub(crate) password_hash: Option<String>,
    pub(crate) must_change_password: bool,
    pub(crate) system_admin: bool,
    pub(crate) disabled: bool,
}

/// A row as stored.
pub(crate) struct SessionRow {
    pub(crate) user_id: i64,
    pub(crate) csrf_token: String,
    pub(crate) last_seen_at: DateTime<Utc>,
    pub(crate) expires_at: DateTime<Utc>,
}

/// A row as stored.
pub(crate) struct TokenRow {
    pub(crate) id: i64,
    pub(crate) user_id: i64,
    pub(crate) organisation_id: i64,
    pub(crate) role: String,
    pub(crate) name: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) revoked_at: Option<DateTime<Utc>>,
}

/// A user to add, or a membership to give an existing user.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub display_name: Option<String>,
    /// The organisation (slug) and role; a system administrator may have none.
    pub organisation: Option<String>,
    pub role: Option<Role>,
    pub teams: Vec<String>,
    /// Used only when the user is new; without it a one-time password is made.
    pub password: Option<String>,
    pub system_admin: bool,
}

/// What adding a user did.
#[derive(Debug, Clone, Serialize)]
pub struct AddedUser {
    pub email: String,
    /// True when the account was made now; false when an existing user got a membership.
    pub created: bool,
    /// The one-time password, shown once, when one was made.
    pub one_time_password: Option<String>,
}

/// One user as an administrator sees them.
#[derive(Debug, Clone, Serialize)]
pub struct UserSummary {
    pub email: String,
    pub display_name: String,
    pub disabled: bool,
    pub system_admin: bool,
    pub memberships: Vec<Membership>,
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    Accepted {
        user_id: i64,
    },
    /// Wrong email or password (the two are not told apart).
    Refused,
    /// Too many recent failures: try again after this many seconds.
    Throttled {
        retry_after: u64,
    },
    /// The password was right, but the user's organisation signs in with the council account
    /// only, and does not name them as a break-glass account.
    PasswordsOff,
}

/// A session just opened: the id goes in the cookie and is never stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// An API token as its owner sees it (never the secret, after creation).
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Who a bearer token acts as, and which token it is.
#[derive(Debug, Clone)]
pub struct TokenHolder {
    /// The owner, in the token's organisation only, with the token's role.
    pub account: Account,
    pub name: String,
    pub id: i64,
}

/// Which audit entries to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub case_id: Option<i64>,
    /// A user's email.
    pub user: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Entries older than this id (the cursor).
    pub before: Option<i64>,
    /// Only entries of this kind (`role_granted`).
    pub kind: Option<String>,
}

/// One entry of the audit log: a change, a read of a case, a sign-in, a token, a user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub actor: String,
    /// The signed-in user's email, when a user acted.
    pub user: Option<String>,
    pub case_id: Option<i64>,
    pub case_reference: Option<String>,
    pub address: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// The seconds still to wait after `failures` (newest first), allowing `free` of them.
pub(crate) fn wait_after(
    failures: &[DateTime<Utc>],
    free: usize,
    now: DateTime<Utc>,
) -> Option<u64> {
    if failures.len() < free {
        return None;
    }
    let doublings = (failures.len() - free).min(20) as u32;
    let wait = (1i64 << doublings).min(MAX_WAIT_SECONDS);
    let until = failures[0] + Duration::seconds(wait);
    (until > now).then(|| (until - now).num_seconds().max(1) as u64)
}

pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Corrupt(format!("a background task failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_failures() {
        let now = chrono::Utc::now();
        let failures = |n: usize| vec![now; n];
        assert_eq!(wait_after(&failures(4), 5, now), None);
        assert_eq!(wait_after(&failures(5), 5, now), Some(1));
        assert_eq!(wait_after(&failures(7), 5, now), Some(4));
        assert_eq!(wait_after(&failures(40), 5, now), Some(900));
        let old = vec![now - Duration::seconds(10); 6];
        assert_eq!(wait_after(&old, 5, now), None, "2 s have long passed");
    }
}
