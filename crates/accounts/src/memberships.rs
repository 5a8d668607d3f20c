//! A member's teams in one organisation: which teams' cases a team manager sees.

use crate::backends::{postgres, sqlite};
use crate::Accounts;

use redress_core::Email;
use redress_store::StoreError;
use redress_store::{read, write, Access, Actor, Membership, Organisation, Permission, Role};

impl Accounts {
    /// The ids of the named teams of the organisation; an unknown one is refused by position.
    pub(super) async fn team_ids(
        &self,
        organisation: &Organisation,
        teams: &[String],
    ) -> Result<Vec<i64>, StoreError> {
        let slug = &organisation.slug;
        let known = self.store.names(slug, true).await?;
        let mut team_ids = Vec::new();
        for (i, team) in teams.iter().enumerate() {
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
        Ok(team_ids)
    }

    /// Sets the teams of a member of the organisation, keeping their role. Only the
    /// organisation's administrators may, and never for themselves (separation of duties).
    pub async fn set_member_teams(
        &self,
        access: &Access,
        slug: &str,
        email: &str,
        teams: &[String],
        actor: &Actor,
    ) -> Result<Membership, StoreError> {
        let organisation = self
            .store
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        let email = Email::lookup_key(email);
        let not_found = || StoreError::NotFound(format!("user '{email}' in {slug}"));
        let user = read!(self, |conn, ops| ops::user_by_email(conn, &email).await?)
            .ok_or_else(not_found)?;
        let role = self
            .memberships(user.id)
            .await?
            .into_iter()
            .find(|m| m.organisation_id == organisation.id)
            .ok_or_else(not_found)?
            .role;
        let team_ids = self.team_ids(&organisation, teams).await?;
        if role == Role::TeamManager && team_ids.is_empty() {
            return Err(StoreError::invalid(
                "teams",
                "a team manager needs at least one team, whose cases they will see",
            ));
        }
        self.separate_duties(&email, Some(&user), false, organisation.id, role, actor)
            .await?;
        write!(self, |conn, ops| {
            ops::set_membership(conn, user.id, organisation.id, role.as_str(), &team_ids).await?;
            let event = actor
                .event("membership_set", self.store.clock().now())
                .in_organisation(organisation.id)
                .after(serde_json::json!({"email": email, "role": role, "teams": teams}));
            ops::insert_event(conn, &event).await?;
        });
        self.auth.clear();
        self.memberships(user.id)
            .await?
            .into_iter()
            .find(|m| m.organisation_id == organisation.id)
            .ok_or_else(not_found)
    }
}
