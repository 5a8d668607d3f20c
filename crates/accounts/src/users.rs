//! Users and their memberships: the first administrator, adding (with separation of duties), removing, disabling, listing, and the account a session or token presents.

use super::*;
use crate::backends::{postgres, sqlite};
use crate::secrets;
use crate::Accounts;

use redress_core::Email;
use redress_store::Actor;
use redress_store::{read, write, ResultExt, StoreError};
use redress_store::{Account, Membership, Permission, Role};

impl Accounts {
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
        let email = String::from(Email::parse(&new.email).map_err(|e| e.field("email"))?);
        let membership = match (&new.organisation, new.role) {
            (Some(slug), Some(role)) => {
                let organisation = self.store.organisation(slug).await.map_err(|_| {
                    StoreError::invalid("organisation", format!("no organisation '{slug}'"))
                })?;
                let team_ids = self.team_ids(&organisation, &new.teams).await?;
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
        let now = self.store.clock().now();
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
                    ops::insert_user(conn, &row, now)
                        .await
                        .on_constraint("email", || {
                            format!("{email} was given an account at the same moment: try again")
                        })?
                }
            };
            let mut event = actor.event("user_added", now).after(serde_json::json!({
                "email": email,
                "system_admin": new.system_admin,
            }));
            if let Some((organisation, role, team_ids)) = &membership {
                // Told before the grant, so the account given the role is not among them.
                let mut officers = ops::complaints_officers(conn, organisation.id).await?;
                officers.retain(|o| *o != email);
                ops::set_membership(conn, user_id, organisation.id, role.as_str(), team_ids)
                    .await?;
                event = actor
                    .event("membership_set", now)
                    .in_organisation(organisation.id)
                    .after(serde_json::json!({
                        "email": email, "role": role, "teams": new.teams,
                    }));
                if role.reaches_personal_data() {
                    let notices = role_grant_notices(organisation, &email, *role, actor, &officers);
                    ops::insert_messages(conn, &notices, now).await?;
                    let granted = actor
                        .event("role_granted", now)
                        .in_organisation(organisation.id)
                        .after(serde_json::json!({
                            "email": email, "role": role, "teams": new.teams,
                            "announced_to": officers.len(),
                        }));
                    ops::insert_event(conn, &granted).await?;
                }
            }
            ops::insert_event(conn, &event).await?;
        });
        self.auth.clear();
        Ok(AddedUser {
            email,
            created: existing.is_none(),
            one_time_password: one_time,
        })
    }

    /// Separation of duties (docs/security.md): no one grants a role to themselves, so an
    /// administrator cannot make themselves a case reader; and a system administrator never
    /// reads cases. A refusal is audited.
    pub(super) async fn separate_duties(
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
            .event("role_grant_refused", self.store.clock().now())
            .in_organisation(organisation_id)
            .after(serde_json::json!({"email": email, "role": role, "why": refusal}));
        self.store.log(event).await?;
        Err(StoreError::Forbidden(refusal.into()))
    }

    /// Takes a user out of an organisation (their account and other memberships stay).
    pub async fn remove_member(
        &self,
        slug: &str,
        email: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self.store.organisation(slug).await?;
        let email = Email::lookup_key(email);
        let not_found = || StoreError::NotFound(format!("user '{email}' in {slug}"));
        let user = read!(self, |conn, ops| ops::user_by_email(conn, &email).await?)
            .ok_or_else(not_found)?;
        write!(self, |conn, ops| {
            if !ops::remove_membership(conn, user.id, organisation.id).await? {
                return Err(not_found());
            }
            let event = actor
                .event("membership_removed", self.store.clock().now())
                .in_organisation(organisation.id)
                .after(serde_json::json!({"email": email}));
            ops::insert_event(conn, &event).await?;
        });
        self.auth.clear();
        Ok(())
    }

    /// Disables an account everywhere and ends its sessions; its tokens stop working.
    pub async fn disable_user(&self, email: &str, actor: &Actor) -> Result<(), StoreError> {
        let email = Email::lookup_key(email);
        let user = read!(self, |conn, ops| ops::user_by_email(conn, &email).await?)
            .ok_or_else(|| StoreError::NotFound(format!("user '{email}'")))?;
        write!(self, |conn, ops| {
            ops::set_disabled(conn, user.id, true).await?;
            ops::delete_sessions_of(conn, user.id).await?;
            let event = actor
                .event("user_disabled", self.store.clock().now())
                .after(serde_json::json!({"email": email}));
            ops::insert_event(conn, &event).await?;
        });
        self.auth.clear();
        Ok(())
    }

    /// Every user, or an organisation's members.
    pub async fn users(&self, slug: Option<&str>) -> Result<Vec<UserSummary>, StoreError> {
        let organisation = match slug {
            Some(slug) => Some(self.store.organisation(slug).await?),
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

    pub(super) async fn memberships(&self, user_id: i64) -> Result<Vec<Membership>, StoreError> {
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
        let email = Email::lookup_key(email);
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
}

/// The notice of a role that reaches personal data, to each of the organisation's complaints
/// officers (none for the first officer: the audit log still lists it): an administrator cannot give
/// an account of their own making the run of people's records unseen (UK GDPR Art. 32(4);
/// docs/security.md, separation of duties). It names the account and the role, and who gave
/// it; nothing of any case.
pub(crate) fn role_grant_notices(
    organisation: &redress_store::Organisation,
    email: &str,
    role: Role,
    actor: &Actor,
    officers: &[String],
) -> Vec<redress_store::NewMessage> {
    let role_words = role.as_str().replace('_', " ");
    let notice = |recipient: String| {
        redress_store::NewMessage {
        organisation_id: organisation.id,
        kind: redress_core::MessageKind::RoleGranted,
        recipient: Some(recipient),
        subject: format!("{email} was given the role {role_words} in {}", organisation.name),
        body: format!(
            "{} gave {email} the role {role_words} in {}. With it they can see people's personal data.\n\nIf you did not expect this, tell your information governance officer and the administrators now. The audit log lists every role given.",
            actor.label, organisation.name
        ),
        case_id: None,
        dedupe_key: None,
        attachment_id: None,
    }
    };
    officers.iter().cloned().map(notice).collect()
}
