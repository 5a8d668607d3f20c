//! Organisations: the cache of their settings, teams and reasons, and whether an access may act in one.

use crate::backends::{postgres, sqlite};
use crate::records::*;
use crate::*;
use redress_core::NonEmptyText;

impl Store {
    pub(crate) async fn load_organisations(&self) -> Result<(), StoreError> {
        self.inner
            .organisation_reads
            .reloads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let rows = read!(self, |conn, ops| {
            let mut procedures: HashMap<i64, Vec<String>> = HashMap::new();
            for (organisation_id, definition) in ops::all_procedures(conn).await? {
                procedures
                    .entry(organisation_id)
                    .or_default()
                    .push(definition);
            }
            let mut history: HashMap<i64, Vec<String>> = HashMap::new();
            for (organisation_id, definition) in ops::procedure_history(conn).await? {
                history.entry(organisation_id).or_default().push(definition);
            }
            let mut loaded = Vec::new();
            for row in ops::organisations(conn).await? {
                let procedures = procedures.remove(&row.id).unwrap_or_default();
                let history = history.remove(&row.id).unwrap_or_default();
                loaded.push(Organisation::from_row(
                    row.id,
                    row.slug,
                    row.name,
                    row.reference_prefix,
                    &row.division,
                    row.nation.as_deref(),
                    &row.closures,
                    row.calendar_json.as_deref(),
                    row.version,
                    &procedures,
                    &history,
                )?);
            }
            loaded
        });
        let mut cache = self.inner.organisations.write().expect("cache lock");
        cache.clear();
        for organisation in rows {
            cache.insert(organisation.id, Arc::new(organisation));
        }
        Ok(())
    }

    pub(crate) fn cached(&self, find: impl Fn(&Organisation) -> bool) -> Option<Arc<Organisation>> {
        let cache = self.inner.organisations.read().expect("cache lock");
        cache.values().find(|o| find(o)).cloned()
    }

    pub(crate) async fn organisation_where(
        &self,
        find: impl Fn(&Organisation) -> bool,
    ) -> Result<Option<Arc<Organisation>>, StoreError> {
        if let Some(found) = self.cached(&find) {
            return Ok(Some(found));
        }
        self.load_organisations().await?;
        Ok(self.cached(&find))
    }

    /// How often the organisation cache missed: single indexed lookups, and full reloads.
    pub fn organisation_reads(&self) -> OrganisationReads {
        use std::sync::atomic::Ordering::Relaxed;
        OrganisationReads {
            lookups: self.inner.organisation_reads.lookups.load(Relaxed),
            reloads: self.inner.organisation_reads.reloads.load(Relaxed),
        }
    }

    pub async fn organisation(&self, slug: &str) -> Result<Arc<Organisation>, StoreError> {
        self.find_organisation(slug)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation '{slug}'")))
    }

    /// An organisation by slug. One not in the cache costs one indexed lookup, and a reload
    /// only when it exists (made by another process): a visitor naming organisations that do
    /// not exist cannot make the server reread them all.
    pub async fn find_organisation(
        &self,
        slug: &str,
    ) -> Result<Option<Arc<Organisation>>, StoreError> {
        if let Some(found) = self.cached(|o| o.slug == slug) {
            return Ok(Some(found));
        }
        self.inner
            .organisation_reads
            .lookups
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if !read!(self, |conn, ops| ops::organisation_exists(conn, slug)
            .await?)
        {
            return Ok(None);
        }
        self.organisation_where(|o| o.slug == slug).await
    }

    pub async fn organisation_by_id(&self, id: i64) -> Result<Arc<Organisation>, StoreError> {
        self.organisation_where(|o| o.id == id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("case refers to missing organisation {id}")))
    }

    pub async fn organisations(&self) -> Result<Vec<Arc<Organisation>>, StoreError> {
        self.load_organisations().await?;
        let cache = self.inner.organisations.read().expect("cache lock");
        let mut all: Vec<_> = cache.values().cloned().collect();
        all.sort_by(|a, b| a.slug.cmp(&b.slug));
        Ok(all)
    }

    pub async fn create_organisation(
        &self,
        new: &NewOrganisation,
        actor: &Actor,
    ) -> Result<Arc<Organisation>, StoreError> {
        new.validate()?;
        write!(self, |conn, ops| {
            ops::create_organisation(conn, new, actor, self.now())
                .await
                .on_constraint("slug", || {
                    format!("organisation '{}' already exists", new.slug)
                })?;
        });
        self.organisation(&new.slug).await
    }

    /// An organisation's teams and reasons, in one read.
    pub async fn teams_and_reasons(
        &self,
        slug: &str,
    ) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let organisation = self.organisation(slug).await?;
        let rows = read!(self, |conn, ops| ops::teams_and_reasons(
            conn,
            organisation.id
        )
        .await?);
        let (teams, reasons): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(team, _)| *team);
        Ok((
            teams.into_iter().map(|(_, name)| name).collect(),
            reasons.into_iter().map(|(_, name)| name).collect(),
        ))
    }

    pub async fn names(&self, slug: &str, teams: bool) -> Result<Vec<String>, StoreError> {
        let organisation = self.organisation(slug).await?;
        let table = if teams { "teams" } else { "reasons" };
        Ok(read!(self, |conn, ops| ops::names(
            conn,
            table,
            organisation.id
        )
        .await?))
    }

    /// Adds a team (nothing if it exists); a new one is in the audit log.
    pub async fn add_team(
        &self,
        access: &Access,
        slug: &str,
        name: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        self.add_name(access, slug, "teams", "team", name, actor)
            .await
    }

    /// Adds a complaint reason (nothing if it exists); a new one is in the audit log.
    pub async fn add_reason(
        &self,
        access: &Access,
        slug: &str,
        name: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        self.add_name(access, slug, "reasons", "reason", name, actor)
            .await
    }

    /// `table` is `teams` or `reasons`, and `field` (`team`, `reason`) names the value in an
    /// error and the event (`team_added`). Every change is an event (DESIGN.md), written in
    /// the same transaction. Only those who manage the organisation may.
    async fn add_name(
        &self,
        access: &Access,
        slug: &str,
        table: &'static str,
        field: &str,
        name: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        let name = NonEmptyText::parse(name).map_err(|e| e.field(field))?;
        let name = name.as_str();
        let kind = format!("{field}_added");
        write!(self, |conn, ops| {
            if ops::named_id(conn, table, organisation.id, name)
                .await?
                .is_none()
            {
                ops::ensure_named(conn, table, organisation.id, name).await?;
                let event = actor
                    .event(&kind, self.now())
                    .in_organisation(organisation.id)
                    .after(serde_json::json!({ "name": name }));
                ops::insert_event(conn, &event).await?;
            }
        });
        Ok(())
    }

    /// The organisation `slug` if `access` may do `permission` in it. Not a member (or no such
    /// organisation): NotFound, the same answer either way. A member whose role does not allow
    /// it: Forbidden.
    pub async fn authorise(
        &self,
        access: &Access,
        slug: &str,
        permission: Permission,
    ) -> Result<Arc<Organisation>, StoreError> {
        let not_found = || StoreError::NotFound(format!("organisation '{slug}'"));
        let organisation = self.find_organisation(slug).await?.ok_or_else(not_found)?;
        let Access::Account(account) = access else {
            return Ok(organisation);
        };
        if account.system_admin && permission == Permission::ManageOrganisation {
            return Ok(organisation);
        }
        let membership = account.membership(organisation.id).ok_or_else(not_found)?;
        if membership.role.allows(permission) {
            Ok(organisation)
        } else {
            Err(StoreError::Forbidden(permission.refusal().to_string()))
        }
    }

    /// The organisations `access` belongs to (all of them for the system and a system
    /// administrator).
    pub async fn organisations_for(
        &self,
        access: &Access,
    ) -> Result<Vec<Arc<Organisation>>, StoreError> {
        let all = self.organisations().await?;
        Ok(match access {
            Access::System => all,
            Access::Account(a) if a.system_admin => all,
            Access::Account(a) => all
                .into_iter()
                .filter(|o| a.membership(o.id).is_some())
                .collect(),
        })
    }
}

/// Counts of the organisation cache's misses since the store opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrganisationReads {
    /// One indexed lookup of a slug not in the cache.
    pub lookups: u64,
    /// Every organisation read again from the database.
    pub reloads: u64,
}

/// The counters behind [`OrganisationReads`].
#[derive(Debug, Default)]
pub(crate) struct OrganisationReadCounters {
    pub(crate) lookups: std::sync::atomic::AtomicU64,
    pub(crate) reloads: std::sync::atomic::AtomicU64,
}
