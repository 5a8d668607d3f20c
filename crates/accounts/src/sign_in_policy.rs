//! How an organisation's staff sign in: whether passwords are allowed (when not, only named
//! break-glass accounts may use one, for when the identity provider is down), and which of
//! the identity provider's groups give which role there. Group roles are applied at each
//! sign-in through the provider, so a group removed at the provider removes the role at the
//! person's next sign-in (council IT policy: access follows the council's directory).

use crate::backends::{postgres, sqlite};
use crate::Accounts;
use chrono::{DateTime, Utc};
use redress_store::{read, write, Access, Actor, Permission, Role, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most groups one organisation maps to roles.
const MAX_GROUPS: usize = 500;

fn passwords_by_default() -> bool {
    true
}

/// One organisation's sign-in policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInPolicy {
    /// Whether staff may sign in with a Redress password. Off, only `break_glass` may.
    #[serde(default = "passwords_by_default")]
    pub password_sign_in: bool,
    /// Accounts that may sign in with a password when passwords are off.
    #[serde(default)]
    pub break_glass: Vec<String>,
    /// The identity provider's group (its id or name, as the roles claim carries it) and the
    /// role it gives in this organisation.
    #[serde(default)]
    pub group_roles: BTreeMap<String, Role>,
}

impl Default for SignInPolicy {
    fn default() -> Self {
        SignInPolicy {
            password_sign_in: true,
            break_glass: Vec::new(),
            group_roles: BTreeMap::new(),
        }
    }
}

impl SignInPolicy {
    /// Checks each value, naming the one at fault; the addresses come back in their lookup
    /// form.
    fn checked(mut self) -> Result<SignInPolicy, StoreError> {
        for (i, email) in self.break_glass.iter_mut().enumerate() {
            let parsed = redress_core::Email::parse(email)
                .map_err(|e| StoreError::invalid(&format!("break_glass[{i}]"), e.to_string()))?;
            *email = redress_core::Email::lookup_key(parsed.as_str());
        }
        if self.group_roles.len() > MAX_GROUPS {
            return Err(StoreError::invalid(
                "group_roles",
                format!("at most {MAX_GROUPS} groups"),
            ));
        }
        for (group, role) in &self.group_roles {
            if group.trim().is_empty() || group.chars().count() > 200 {
                return Err(StoreError::invalid(
                    "group_roles",
                    "a group is named by 1 to 200 characters",
                ));
            }
            if *role == Role::MailGate {
                return Err(StoreError::invalid(
                    &format!("group_roles.{group}"),
                    "mail_gate is a token's role, not a person's",
                ));
            }
        }
        Ok(self)
    }

    fn from_stored(
        passwords: bool,
        break_glass: &str,
        group_roles: &str,
    ) -> Result<Self, StoreError> {
        Ok(SignInPolicy {
            password_sign_in: passwords,
            break_glass: StoreError::from_stored_json("break_glass", break_glass)?,
            group_roles: StoreError::from_stored_json("group_roles", group_roles)?,
        })
    }

    /// The role the groups give here: the highest-ranked of those mapped, if any.
    fn role_for(&self, groups: &[String]) -> Option<Role> {
        groups
            .iter()
            .filter_map(|g| self.group_roles.get(g))
            .copied()
            .max_by_key(|r| r.rank())
    }
}

impl Accounts {
    /// The organisation's sign-in policy, for its administrators.
    pub async fn sign_in_policy(
        &self,
        access: &Access,
        slug: &str,
    ) -> Result<SignInPolicy, StoreError> {
        let organisation = self
            .store
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        let stored = read!(self, |conn, ops| ops::sign_in_policy(conn, organisation.id)
            .await?);
        match stored {
            Some((passwords, break_glass, group_roles)) => {
                SignInPolicy::from_stored(passwords, &break_glass, &group_roles)
            }
            None => Ok(SignInPolicy::default()),
        }
    }

    /// Sets the organisation's sign-in policy; the change is in the audit log.
    pub async fn set_sign_in_policy(
        &self,
        access: &Access,
        slug: &str,
        policy: SignInPolicy,
        actor: &Actor,
    ) -> Result<SignInPolicy, StoreError> {
        let organisation = self
            .store
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        let policy = policy.checked()?;
        let now = self.store.clock().now();
        let break_glass = serde_json::to_string(&policy.break_glass).expect("strings serialise");
        let group_roles = serde_json::to_string(&policy.group_roles).expect("roles serialise");
        let event = actor
            .event("sign_in_policy_set", now)
            .in_organisation(organisation.id)
            .after(serde_json::to_value(&policy).expect("policies serialise"));
        write!(self, |conn, ops| {
            ops::set_sign_in_policy(
                conn,
                organisation.id,
                policy.password_sign_in,
                &break_glass,
                &group_roles,
                now,
            )
            .await?;
            ops::insert_event(conn, &event).await?;
        });
        Ok(policy)
    }

    /// Whether a password sign-in by this user is refused: one of their organisations has
    /// turned passwords off and does not name them as a break-glass account.
    pub(crate) async fn passwords_refused(
        &self,
        user_id: i64,
        email: &str,
    ) -> Result<bool, StoreError> {
        let (policies, memberships) = read!(self, |conn, ops| (
            ops::sign_in_policies(conn).await?,
            ops::memberships(conn, user_id).await?
        ));
        let key = redress_core::Email::lookup_key(email);
        for (organisation_id, passwords, break_glass, group_roles) in policies {
            if passwords || !memberships.iter().any(|m| m.0 == organisation_id) {
                continue;
            }
            let policy = SignInPolicy::from_stored(passwords, &break_glass, &group_roles)?;
            if !policy.break_glass.contains(&key) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Gives the user, in each organisation that maps groups to roles, the role their groups
    /// give there, or takes them out of it when none does. Each change is audited, and a role
    /// that reaches personal data is announced to the complaints officers, as when an
    /// administrator grants it.
    pub(crate) async fn apply_group_roles(
        &self,
        user_id: i64,
        email: &str,
        groups: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (policies, memberships) = read!(self, |conn, ops| (
            ops::sign_in_policies(conn).await?,
            ops::memberships(conn, user_id).await?
        ));
        let actor = Actor::system("identity provider groups");
        for (organisation_id, passwords, break_glass, group_roles) in policies {
            let policy = SignInPolicy::from_stored(passwords, &break_glass, &group_roles)?;
            if policy.group_roles.is_empty() {
                continue;
            }
            let current = memberships
                .iter()
                .find(|m| m.0 == organisation_id)
                .map(|m| m.3.clone());
            let wanted = policy.role_for(groups);
            if current.as_deref() == wanted.map(Role::as_str) {
                continue;
            }
            let organisation = self.store.organisation_by_id(organisation_id).await?;
            let team_ids: Vec<i64> = memberships
                .iter()
                .filter(|m| m.0 == organisation_id)
                .filter_map(|m| m.4)
                .collect();
            write!(self, |conn, ops| {
                match wanted {
                    Some(role) => {
                        let mut officers = ops::complaints_officers(conn, organisation_id).await?;
                        officers.retain(|o| o != email);
                        ops::set_membership(
                            conn,
                            user_id,
                            organisation_id,
                            role.as_str(),
                            &team_ids,
                        )
                        .await?;
                        let set = actor
                            .event("membership_set", now)
                            .in_organisation(organisation_id)
                            .after(serde_json::json!({
                                "email": email, "role": role, "was": current, "groups": groups,
                            }));
                        ops::insert_event(conn, &set).await?;
                        if role.reaches_personal_data() {
                            let notices = crate::users::role_grant_notices(
                                &organisation,
                                email,
                                role,
                                &actor,
                                &officers,
                            );
                            ops::insert_messages(conn, &notices, now).await?;
                        }
                    }
                    None => {
                        ops::remove_membership(conn, user_id, organisation_id).await?;
                        let removed = actor
                            .event("membership_removed", now)
                            .in_organisation(organisation_id)
                            .after(serde_json::json!({
                                "email": email, "was": current, "groups": groups,
                            }));
                        ops::insert_event(conn, &removed).await?;
                    }
                }
            });
        }
        self.auth.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_role_a_person_s_groups_give_wins() {
        let policy = SignInPolicy {
            group_roles: [
                ("g-viewers".to_string(), Role::Viewer),
                ("g-officers".to_string(), Role::ComplaintsOfficer),
            ]
            .into(),
            ..SignInPolicy::default()
        };
        let groups = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            policy.role_for(&groups(&["g-viewers", "g-officers"])),
            Some(Role::ComplaintsOfficer)
        );
        assert_eq!(policy.role_for(&groups(&["g-viewers"])), Some(Role::Viewer));
        assert_eq!(policy.role_for(&groups(&["other"])), None);
    }

    #[test]
    fn a_policy_names_the_value_at_fault() {
        let bad_email = SignInPolicy {
            break_glass: vec!["not an address".into()],
            ..SignInPolicy::default()
        };
        let err = bad_email.checked().unwrap_err();
        assert!(err.to_string().contains("break_glass[0]"), "{err}");
        let gate = SignInPolicy {
            group_roles: [("g".to_string(), Role::MailGate)].into(),
            ..SignInPolicy::default()
        };
        assert!(gate
            .checked()
            .unwrap_err()
            .to_string()
            .contains("group_roles.g"));
    }
}
