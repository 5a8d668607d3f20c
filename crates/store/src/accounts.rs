//! Users, memberships, sessions, API tokens, sign-in throttling and the audit log's reader.

use crate::access::{Access, Account, Membership, Permission, Role};
use crate::auth_cache::{CachedSession, CachedToken};
use crate::backends::{postgres, sqlite};
use crate::records::{Actor, CaseRecord, NewEvent};
use crate::secrets;
use crate::{Db, Store, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use std::sync::Arc;

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
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AddedUser {
    pub email: String,
    /// True when the account was made now; false when an existing user got a membership.
    pub created: bool,
    /// The one-time password, shown once, when one was made.
    pub one_time_password: Option<String>,
}

/// One user as an administrator sees them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
}

/// A session just opened: the id goes in the cookie and is never stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// An API token as its owner sees it (never the secret, after creation).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
}

/// One entry of the audit log: a change, a read of a case, a sign-in, a token, a user.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// Emails are compared in lower case.
fn normalise_email(email: &str) -> Result<String, StoreError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && (domain.contains('.') || domain == "localhost")
        });
    if valid {
        Ok(email)
    } else {
        Err(StoreError::invalid(
            "email",
            format!("'{email}' is not an email address"),
        ))
    }
}

/// The seconds still to wait after `failures` (newest first), allowing `free` of them.
fn wait_after(failures: &[DateTime<Utc>], free: usize, now: DateTime<Utc>) -> Option<u64> {
    if failures.len() < free {
        return None;
    }
    let doublings = (failures.len() - free).min(20) as u32;
    let wait = (1i64 << doublings).min(MAX_WAIT_SECONDS);
    let until = failures[0] + Duration::seconds(wait);
    (until > now).then(|| (until - now).num_seconds().max(1) as u64)
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Corrupt(format!("a background task failed: {e}")))
}

impl Store {
    // ---- users ----

    /// Makes the first administrator when there are no users at all; returns the email and
    /// the one-time password when one was made.
    pub async fn bootstrap_admin(
        &self,
        email: &str,
        password: Option<String>,
    ) -> Result<Option<AddedUser>, StoreError> {
        let count = read!(self, |conn, ops| ops::user_count(conn).await?);
        if count > 0 {
            return Ok(None);
        }
        let added = self
            .add_user(
                &NewUser {
                    email: email.to_string(),
                    display_name: Some("Administrator".into()),
                    password,
                    system_admin: true,
                    ..NewUser::default()
                },
                &Actor::system("bootstrap"),
            )
            .await?;
        Ok(Some(added))
    }

    /// Adds a user, or gives an existing one a membership (their password is left alone).
    pub async fn add_user(&self, new: &NewUser, actor: &Actor) -> Result<AddedUser, StoreError> {
        let email = normalise_email(&new.email)?;
        let membership = match (&new.organisation, new.role) {
            (Some(slug), Some(role)) => {
                let organisation = self.organisation(slug).await.map_err(|_| {
                    StoreError::invalid("organisation", format!("no organisation '{slug}'"))
                })?;
                let known = self.names(slug, true).await?;
                let mut team_ids = Vec::new();
                for (i, team) in new.teams.iter().enumerate() {
                    if !known.iter().any(|k| k == team.trim()) {
                        return Err(StoreError::invalid(
                            &format!("teams[{i}]"),
                            format!("'{team}' is not a team of {slug}"),
                        ));
                    }
                    let id = read!(self, |conn, ops| ops::named_id(
                        conn,
                        "teams",
                        organisation.id,
                        team.trim()
                    )
                    .await?);
                    team_ids.extend(id);
                }
                if role == Role::TeamManager && team_ids.is_empty() {
                    return Err(StoreError::invalid(
                        "teams",
                        "a team manager needs at least one team, whose cases they will see",
                    ));
                }
                Some((organisation, role, team_ids))
            }
            (None, None) if new.system_admin => None,
            (None, _) => return Err(StoreError::invalid("organisation", "is required")),
            (Some(_), None) => return Err(StoreError::invalid("role", "is required")),
        };
        let existing = read!(self, |conn, ops| ops::user_by_email(conn, &email).await?);
        if let Some((organisation, role, _)) = &membership {
            self.separate_duties(
                &email,
                existing.as_ref(),
                new.system_admin,
                organisation.id,
                *role,
                actor,
            )
            .await?;
        }
        let mut one_time = None;
        let hash = match (&existing, &new.password) {
            (Some(_), _) => None,
            (None, Some(password)) => {
                if let Some(problem) = secrets::password_problem(password) {
                    return Err(StoreError::invalid("password", problem));
                }
                let password = password.clone();
                Some(blocking(move || secrets::hash_password(&password)).await?)
            }
            (None, None) => {
                let password = secrets::one_time_password();
                one_time = Some(password.clone());
                Some(blocking(move || secrets::hash_password(&password)).await?)
            }
        };
        redress_core::limits::within(
            "display_name",
            new.display_name.as_deref().unwrap_or(""),
            redress_core::limits::NAME,
        )?;
        let display_name = new
            .display_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_string());
        let now = Utc::now();
        write!(self, |conn, ops| {
            let user_id = match &existing {
                Some(user) => user.id,
                None => {
                    let row = UserRow {
                        id: 0,
                        email: email.clone(),
                        display_name: display_name.trim().to_string(),
                        password_hash: hash.clone(),
                        must_change_password: one_time.is_some(),
                        system_admin: new.system_admin,
                        disabled: false,
                    };
                    ops::insert_user(conn, &row, now).await?
                }
            };
            let mut event = actor.event("user_added", now).after(serde_json::json!({
                "email": email,
                "system_admin": new.system_admin,
            }));
            if let Some((organisation, role, team_ids)) = &membership {
                ops::set_membership(conn, user_id, organisation.id, role.as_str(), team_ids)
                    .await?;
                event = actor
                    .event("membership_set", now)
                    .in_organisation(organisation.id)
                    .after(serde_json::json!({
                        "email": email, "role": role, "teams": new.teams,
                    }));
            }
            ops::insert_event(conn, &event).await?;
        });
        self.inner.auth.clear();
        Ok(AddedUser {
            email,
            created: existing.is_none(),
            one_time_password: one_time,
        })
    }

    /// Separation of duties (docs/security.md): no one grants a role to themselves, so an
    /// administrator cannot make themselves a case reader; and a system administrator never
    /// reads cases. A refusal is audited.
    async fn separate_duties(
        &self,
        email: &str,
        existing: Option<&UserRow>,
        system_admin: bool,
        organisation_id: i64,
        role: Role,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let own = existing.is_some_and(|u| Some(u.id) == actor.user_id);
        let is_system_admin = system_admin || existing.is_some_and(|u| u.system_admin);
        let refusal = if own {
            "no one can give themselves a role: ask another administrator"
        } else if is_system_admin && role.allows(Permission::ReadCases) {
            "a system administrator never reads cases: case work needs an account of its own"
        } else {
            return Ok(());
        };
        let event = actor
            .event("role_grant_refused", Utc::now())
            .in_organisation(organisation_id)
            .after(serde_json::json!({"email": email, "role": role, "why": refusal}));
        self.log(event).await?;
        Err(StoreError::Forbidden(refusal.into()))
    }

    /// Takes a user out of an organisation (their account and other memberships stay).
    pub async fn remove_member(
        &self,
        slug: &str,
        email: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self.organisation(slug).await?;
        let email = email.trim().to_lowercase();
        let not_found = || StoreError::NotFound(format!("user '{email}' in {slug}"));
        let user = read!(self, |conn, ops| ops::user_by_email(conn, &email).await?)
            .ok_or_else(not_found)?;
        write!(self, |conn, ops| {
            if !ops::remove_membership(conn, user.id, organisation.id).await? {
                return Err(not_found());
            }
            let event = actor
                .event("membership_removed", Utc::now())
                .in_organisation(organisation.id)
                .after(serde_json::json!({"email": email}));
            ops::insert_event(conn, &event).await?;
        });
        self.inner.auth.clear();
        Ok(())
    }

    /// Disables an account everywhere and ends its sessions; its tokens stop working.
    pub async fn disable_user(&self, email: &str, actor: &Actor) -> Result<(), StoreError> {
        let email = email.trim().to_lowercase();
        let user = read!(self, |conn, ops| ops::user_by_email(conn, &email).await?)
            .ok_or_else(|| StoreError::NotFound(format!("user '{email}'")))?;
        write!(self, |conn, ops| {
            ops::set_disabled(conn, user.id, true).await?;
            ops::delete_sessions_of(conn, user.id).await?;
            let event = actor
                .event("user_disabled", Utc::now())
                .after(serde_json::json!({"email": email}));
            ops::insert_event(conn, &event).await?;
        });
        self.inner.auth.clear();
        Ok(())
    }

    /// Every user, or an organisation's members.
    pub async fn users(&self, slug: Option<&str>) -> Result<Vec<UserSummary>, StoreError> {
        let organisation = match slug {
            Some(slug) => Some(self.organisation(slug).await?),
            None => None,
        };
        let rows = read!(self, |conn, ops| ops::all_users(conn).await?);
        let mut users = Vec::new();
        for row in rows {
            let mut memberships = self.memberships(row.id).await?;
            if let Some(organisation) = &organisation {
                memberships.retain(|m| m.organisation_id == organisation.id);
                if memberships.is_empty() {
                    continue;
                }
            }
            users.push(UserSummary {
                email: row.email,
                display_name: row.display_name,
                disabled: row.disabled,
                system_admin: row.system_admin,
                memberships,
            });
        }
        Ok(users)
    }

    async fn memberships(&self, user_id: i64) -> Result<Vec<Membership>, StoreError> {
        let rows = read!(self, |conn, ops| ops::memberships(conn, user_id).await?);
        let mut memberships: Vec<Membership> = Vec::new();
        for (organisation_id, slug, organisation_name, role, team_id, team_name) in rows {
            let role: Role = role
                .parse()
                .map_err(|e: String| StoreError::Corrupt(format!("membership role: {e}")))?;
            if memberships.last().map(|m| m.organisation_id) != Some(organisation_id) {
                memberships.push(Membership {
                    organisation_id,
                    organisation: slug,
                    organisation_name,
                    role,
                    team_ids: Vec::new(),
                    teams: Vec::new(),
                });
            }
            let last = memberships.last_mut().expect("just pushed");
            if let (Some(id), Some(name)) = (team_id, team_name) {
                last.team_ids.push(id);
                last.teams.push(name);
            }
        }
        Ok(memberships)
    }

    /// The account of an enabled user, by email.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let email = email.trim().to_lowercase();
        match read!(self, |conn, ops| ops::user_by_email(conn, &email).await?) {
            Some(user) => self.account(user.id).await,
            None => Ok(None),
        }
    }

    /// The account of an enabled user.
    pub async fn account(&self, user_id: i64) -> Result<Option<Account>, StoreError> {
        let Some(user) = read!(self, |conn, ops| ops::user_by_id(conn, user_id).await?) else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        Ok(Some(Account {
            user_id: user.id,
            email: user.email,
            display_name: user.display_name,
            system_admin: user.system_admin,
            must_change_password: user.must_change_password,
            memberships: self.memberships(user.id).await?,
        }))
    }

    // ---- signing in ----

    /// Records a password check before the password is compared, unless too many recent
    /// checks for this account or from this address did not succeed. Counting and recording
    /// happen under one lock, so checks sent in parallel count one each. Answers the check's
    /// id, or the seconds to wait.
    async fn begin_password_check(
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
    async fn check_password(
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
        let email = email
            .trim()
            .to_lowercase()
            .chars()
            .take(254)
            .collect::<String>();
        let user = read!(self, |conn, ops| ops::user_by_email(conn, &email).await?);
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
                self.log(actor.event("sign_in_throttled", now)).await?;
                Ok(SignIn::Throttled { retry_after })
            }
            Ok(true) => match user {
                Some(user) => {
                    self.log(actor.event("signed_in", now)).await?;
                    Ok(SignIn::Accepted { user_id: user.id })
                }
                None => Ok(SignIn::Refused),
            },
            Ok(false) => {
                self.log(actor.event("sign_in_failed", now)).await?;
                Ok(SignIn::Refused)
            }
        }
    }

    /// Writes one audit event on its own.
    pub async fn log(&self, event: NewEvent) -> Result<(), StoreError> {
        write!(self, |conn, ops| ops::insert_event(conn, &event).await?);
        Ok(())
    }

    /// Changes a user's own password, given the current one. The new password's rules are
    /// checked first, on what was sent alone, so the answer never tells whether the current
    /// password was right; the check of the current one is throttled and audited like a
    /// sign-in.
    pub async fn change_password(
        &self,
        user_id: i64,
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
        let now = Utc::now();
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
                self.log(actor.event("password_change_throttled", now))
                    .await?;
                return Err(StoreError::Throttled { retry_after });
            }
            Ok(false) => {
                self.log(actor.event("password_change_failed", now)).await?;
                return Err(StoreError::invalid("current_password", "is not right"));
            }
            Ok(true) => {}
        }
        let new = new.to_string();
        let hash = blocking(move || secrets::hash_password(&new)).await?;
        write!(self, |conn, ops| {
            ops::set_password_hash(conn, user_id, &hash, false).await?;
            ops::insert_event(conn, &actor.event("password_changed", now)).await?;
        });
        self.inner.auth.clear();
        Ok(())
    }

    // ---- sessions ----

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
        self.inner.auth.clear();
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
        let session = match self.inner.auth.session(&hash) {
            Some(session) => session,
            None => {
                let generation = self.inner.auth.generation();
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
                self.inner
                    .auth
                    .keep_session(&hash, session.clone(), generation);
                session
            }
        };
        let idle = Duration::from_std(idle).unwrap_or(Duration::minutes(30));
        if now >= session.expires_at || now - session.last_seen_at > idle {
            write!(self, |conn, ops| ops::delete_session(conn, &hash).await?);
            self.inner.auth.clear();
            return Ok(None);
        }
        if now - session.last_seen_at > Duration::seconds(TOUCH_EVERY_SECONDS) {
            write!(self, |conn, ops| ops::touch_session(conn, &hash, now)
                .await?);
            self.inner.auth.touched(&hash, now);
        }
        Ok(Some((session.account, session.csrf_token)))
    }

    /// Forgets the sessions and tokens checked in the last few seconds, so the next request
    /// reads them again: for changes made to the database by something other than this store.
    pub fn forget_cached_sign_ins(&self) {
        self.inner.auth.clear();
    }

    /// Ends a session; true when there was one.
    pub async fn close_session(&self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let hash = secrets::digest(id);
        let closed = write!(self, |conn, ops| {
            let closed = ops::delete_session(conn, &hash).await?;
            if closed {
                ops::insert_event(conn, &actor.event("signed_out", Utc::now())).await?;
            }
            closed
        });
        self.inner.auth.clear();
        Ok(closed)
    }

    // ---- API tokens ----

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
        let organisation = self
            .authorise(
                &Access::Account(Arc::new(account.clone())),
                slug,
                Permission::ViewReports,
            )
            .await?;
        let membership = account
            .membership(organisation.id)
            .ok_or_else(|| StoreError::NotFound(format!("organisation '{slug}'")))?;
        redress_core::limits::within("name", name, redress_core::limits::NAME)?;
        if role != membership.role && role != Role::Viewer {
            return Err(StoreError::invalid(
                "role",
                format!(
                    "a token may carry your own role ({}) or viewer",
                    membership.role
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
        let now = Utc::now();
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

    async fn token_info(
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
            organisation: self.organisation_by_id(organisation_id).await?.slug.clone(),
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
        let now = Utc::now();
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
        self.inner.auth.clear();
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
        if let Some(token) = self.inner.auth.token(&hash) {
            return Ok(Some(TokenHolder {
                account: token.account,
                name: token.name,
                id: token.id,
            }));
        }
        let generation = self.inner.auth.generation();
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
        if role != membership.role && role != Role::Viewer {
            return Ok(None);
        }
        membership.role = role;
        account.memberships = vec![membership];
        account.system_admin = false;
        account.must_change_password = false;
        self.inner.auth.keep_token(
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

    // ---- the audit log ----

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_failures() {
        let now = Utc::now();
        let failures = |n: usize| vec![now; n];
        assert_eq!(wait_after(&failures(4), 5, now), None);
        assert_eq!(wait_after(&failures(5), 5, now), Some(1));
        assert_eq!(wait_after(&failures(7), 5, now), Some(4));
        assert_eq!(wait_after(&failures(40), 5, now), Some(900));
        let old = vec![now - Duration::seconds(10); 6];
        assert_eq!(wait_after(&old, 5, now), None, "2 s have long passed");
    }

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            normalise_email(" Jo@Example.GOV.uk ").unwrap(),
            "jo@example.gov.uk"
        );
        assert_eq!(
            normalise_email("admin@localhost").unwrap(),
            "admin@localhost"
        );
        for bad in ["", "jo", "@example.org", "jo@example", "j o@example.org"] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }
}
