//! Persistence: SQLite (the embedded default) and PostgreSQL from one codebase, migrations for
//! both, and the append-only audit log written in the same transaction as each change.

mod access;
mod backends;
mod error;
mod organisation;
pub mod records;

pub use access::{Access, Account, Membership, Permission, Role};
pub use error::StoreError;
pub use organisation::{NewOrganisation, Organisation};
pub use records::{
    Actor, AttachmentInfo, CaseFile, CaseFilter, CaseOrder, CaseRecord, CaseSummary, Compliment,
    EventRecord, ImportedCase, NewEvent, OpenCaseCount, RecentChange,
};

use records::CaseIndex;

use backends::{postgres, sqlite};
use chrono::{NaiveDate, Utc};
use redress_core::{Case, CaseUpdate, NewCase, Transition};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// The URL used when none is given: a file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://redress.db";

/// The most cases one list page returns.
pub const MAX_PAGE: i64 = 500;

#[derive(Clone)]
enum Db {
    /// One writer connection: SQLite allows one writer at a time, and queueing writes in the
    /// pool avoids busy errors when a reader's transaction would upgrade to a writer.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

struct Inner {
    db: Db,
    organisations: RwLock<HashMap<i64, Arc<Organisation>>>,
    /// Sessions and tokens checked in the last few seconds.
    auth: auth_cache::AuthCache,
    /// Reads of cases on their way to the audit log.
    views: tokio::sync::mpsc::UnboundedSender<group_commit::Pending<NewEvent, ()>>,
    /// New cases on their way to the database.
    cases: tokio::sync::mpsc::UnboundedSender<group_commit::Pending<group_commit::NewCaseJob, i64>>,
}

/// The store. Cheap to clone; all clones share the pools and the organisation cache.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

/// Runs `$body` on a read connection, with `$ops` naming the backend's operations.
macro_rules! read {
    ($store:expr, |$conn:ident, $ops:ident| $body:expr) => {
        match &$store.inner.db {
            Db::Sqlite { read, .. } => {
                let mut connection = read.acquire().await?;
                let $conn: &mut sqlx::SqliteConnection = &mut connection;
                #[allow(unused_imports)]
                use sqlite as $ops;
                $body
            }
            Db::Postgres(pool) => {
                let mut connection = pool.acquire().await?;
                let $conn: &mut sqlx::PgConnection = &mut connection;
                #[allow(unused_imports)]
                use postgres as $ops;
                $body
            }
        }
    };
}

/// Runs `$body` in a write transaction, committed only if `$body` does not return early.
macro_rules! write {
    ($store:expr, |$conn:ident, $ops:ident| $body:expr) => {
        match &$store.inner.db {
            Db::Sqlite { write, .. } => {
                let mut transaction = write.begin().await?;
                let out = {
                    let $conn: &mut sqlx::SqliteConnection = &mut transaction;
                    #[allow(unused_imports)]
                    use sqlite as $ops;
                    $body
                };
                transaction.commit().await?;
                out
            }
            Db::Postgres(pool) => {
                let mut transaction = pool.begin().await?;
                let out = {
                    let $conn: &mut sqlx::PgConnection = &mut transaction;
                    #[allow(unused_imports)]
                    use postgres as $ops;
                    $body
                };
                transaction.commit().await?;
                out
            }
        }
    };
}

mod accounts;
pub mod attachments;
mod auth_cache;
mod backup;
mod group_commit;
pub mod secrets;
mod settings;

pub use accounts::{
    AddedUser, AuditEntry, AuditFilter, NewSession, NewUser, SignIn, TokenHolder, TokenInfo,
    UserSummary,
};

/// The top-level fields that differ between two versions of a case, as (before, after).
fn changes(before: &Case, after: &Case) -> (serde_json::Value, serde_json::Value) {
    let before = serde_json::to_value(before).expect("cases serialise");
    let after = serde_json::to_value(after).expect("cases serialise");
    let (mut old, mut new) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (key, value) in a {
            if b.get(key) != Some(value) {
                old.insert(key.clone(), b.get(key).cloned().unwrap_or_default());
                new.insert(key.clone(), value.clone());
            }
        }
    }
    (old.into(), new.into())
}

impl Store {
    /// Connects to `url` (`sqlite://FILE`, `sqlite:///ABS/PATH`, `postgres://...`) and runs the
    /// migrations. A SQLite file that does not exist is created.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let store = Self::open(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let db = if url.starts_with("sqlite:") {
            // WAL with synchronous=FULL: a commit is on disk before it is acknowledged.
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
                // 8 MB of pages per connection (nine of them): the operating system caches the
                // file as well, and the server stays well under 150 MB at a million cases.
                .pragma("cache_size", "-8192");
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await?;
            let read = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options.read_only(true))
                .await?;
            Db::Sqlite { read, write }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(options)
                .await?;
            Db::Postgres(pool)
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        Ok(Store {
            inner: Arc::new(Inner {
                views: group_commit::spawn_view_writer(db.clone()),
                cases: group_commit::spawn_case_writer(db.clone()),
                auth: auth_cache::AuthCache::default(),
                db,
                organisations: RwLock::new(HashMap::new()),
            }),
        })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.inner.db {
            Db::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Whether the database answers and every migration this build knows is applied: what a
    /// load balancer's readiness check asks.
    pub async fn ready(&self) -> Result<(), StoreError> {
        let (migrator, applied): (sqlx::migrate::Migrator, Option<i64>) = match &self.inner.db {
            Db::Sqlite { read, .. } => (
                sqlx::migrate!("./migrations/sqlite"),
                sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                    .fetch_one(read)
                    .await?,
            ),
            Db::Postgres(pool) => (
                sqlx::migrate!("./migrations/postgres"),
                sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                    .fetch_one(pool)
                    .await?,
            ),
        };
        let wanted = migrator.iter().map(|m| m.version).max();
        if applied < wanted {
            return Err(StoreError::Corrupt(format!(
                "the database schema is at migration {} but this build needs {}: run `redress migrate`",
                applied.unwrap_or(0),
                wanted.unwrap_or(0)
            )));
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match &self.inner.db {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        match &self.inner.db {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }

    // ---- organisations ----

    async fn load_organisations(&self) -> Result<(), StoreError> {
        let rows = read!(self, |conn, ops| {
            let mut loaded = Vec::new();
            for row in ops::organisations(conn).await? {
                let procedures = ops::procedures(conn, row.id).await?;
                loaded.push(Organisation::from_row(
                    row.id,
                    row.slug,
                    row.name,
                    row.reference_prefix,
                    &row.division,
                    &row.closures,
                    row.calendar_json.as_deref(),
                    row.version,
                    &procedures,
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

    fn cached(&self, find: impl Fn(&Organisation) -> bool) -> Option<Arc<Organisation>> {
        let cache = self.inner.organisations.read().expect("cache lock");
        cache.values().find(|o| find(o)).cloned()
    }

    async fn organisation_where(
        &self,
        find: impl Fn(&Organisation) -> bool,
    ) -> Result<Option<Arc<Organisation>>, StoreError> {
        if let Some(found) = self.cached(&find) {
            return Ok(Some(found));
        }
        self.load_organisations().await?;
        Ok(self.cached(&find))
    }

    pub async fn organisation(&self, slug: &str) -> Result<Arc<Organisation>, StoreError> {
        self.organisation_where(|o| o.slug == slug)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation '{slug}'")))
    }

    pub async fn find_organisation(
        &self,
        slug: &str,
    ) -> Result<Option<Arc<Organisation>>, StoreError> {
        self.organisation_where(|o| o.slug == slug).await
    }

    async fn organisation_by_id(&self, id: i64) -> Result<Arc<Organisation>, StoreError> {
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
        if self.find_organisation(&new.slug).await?.is_some() {
            return Err(StoreError::invalid(
                "slug",
                format!("organisation '{}' already exists", new.slug),
            ));
        }
        write!(self, |conn, ops| {
            ops::create_organisation(conn, new, actor, Utc::now()).await?;
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

    pub async fn add_team(&self, slug: &str, name: &str) -> Result<(), StoreError> {
        let organisation = self.organisation(slug).await?;
        if name.trim().is_empty() {
            return Err(StoreError::invalid("name", "must not be empty"));
        }
        redress_core::limits::within("name", name, redress_core::limits::NAME)?;
        write!(self, |conn, ops| {
            ops::ensure_named(conn, "teams", organisation.id, name.trim()).await?;
        });
        Ok(())
    }

    pub async fn add_reason(&self, slug: &str, name: &str) -> Result<(), StoreError> {
        let organisation = self.organisation(slug).await?;
        if name.trim().is_empty() {
            return Err(StoreError::invalid("name", "must not be empty"));
        }
        redress_core::limits::within("name", name, redress_core::limits::NAME)?;
        write!(self, |conn, ops| {
            ops::ensure_named(conn, "reasons", organisation.id, name.trim()).await?;
        });
        Ok(())
    }

    // ---- cases ----

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

    /// Records a new complaint. Team and reason must already exist in the organisation.
    pub async fn create_case(
        &self,
        access: &Access,
        slug: &str,
        new: NewCase,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<CaseRecord, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::RecordCases)
            .await?;
        let procedure = organisation.procedure(&new.procedure)?.clone();
        let given_reference = new.reference.clone().filter(|r| !r.trim().is_empty());
        let case = new.into_case(given_reference.clone().unwrap_or_default(), today)?;
        let due_on = organisation.due_on(&case, &procedure, today)?;
        let job = group_commit::NewCaseJob {
            organisation,
            case,
            numbered: given_reference.is_none(),
            due_on,
            actor: actor.clone(),
        };
        let id = group_commit::submit(&self.inner.cases, job).await?;
        self.case(&Access::System, id).await
    }

    /// A case, if `access` reaches it; otherwise NotFound, whether or not it exists.
    pub async fn case(&self, access: &Access, id: i64) -> Result<CaseRecord, StoreError> {
        let scope = access.case_scope();
        let loaded = read!(self, |conn, ops| ops::load_case(conn, id, &scope).await?)
            .ok_or_else(|| StoreError::NotFound(format!("case {id}")))?;
        self.record_of(loaded).await
    }

    /// A case with its timeline and attachments, read on one connection: the case page.
    pub async fn case_file(&self, access: &Access, id: i64) -> Result<CaseFile, StoreError> {
        let scope = access.case_scope();
        let (loaded, events, attachments) = read!(self, |conn, ops| {
            let loaded = ops::load_case(conn, id, &scope)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("case {id}")))?;
            let events = ops::events(conn, id).await?;
            (loaded, events, ops::attachments(conn, id).await?)
        });
        Ok(CaseFile {
            record: self.record_of(loaded).await?,
            events,
            attachments,
        })
    }

    async fn record_of(&self, loaded: records::LoadedCase) -> Result<CaseRecord, StoreError> {
        let organisation = self.organisation_by_id(loaded.organisation_id).await?;
        Ok(CaseRecord {
            id: loaded.id,
            organisation: organisation.slug.clone(),
            version: loaded.version,
            created_at: loaded.created_at,
            updated_at: loaded.updated_at,
            case: loaded.case,
        })
    }

    /// The organisation a case belongs to, with its calendar and procedures.
    pub async fn organisation_of(
        &self,
        record: &CaseRecord,
    ) -> Result<Arc<Organisation>, StoreError> {
        self.organisation(&record.organisation).await
    }

    /// Applies `change` to the case as of `expected_version` and saves it with an audit event,
    /// or refuses with `Conflict` when the case has moved on.
    #[allow(clippy::too_many_arguments)]
    async fn change_case(
        &self,
        access: &Access,
        id: i64,
        expected_version: i64,
        actor: &Actor,
        kind: &str,
        today: NaiveDate,
        change: impl FnOnce(&mut Case, &Organisation) -> Result<(), StoreError>,
    ) -> Result<CaseRecord, StoreError> {
        let current = self.case(access, id).await?;
        if current.version != expected_version {
            return Err(StoreError::Conflict {
                expected: expected_version,
                current: current.version,
            });
        }
        let organisation = self.organisation(&current.organisation).await?;
        let mut case = current.case.clone();
        change(&mut case, &organisation)?;
        let procedure = organisation.procedure(&case.procedure)?;
        let due_on = organisation.due_on(&case, procedure, today)?;
        let (before, after) = changes(&current.case, &case);
        write!(self, |conn, ops| {
            let (team_id, reason_id) =
                ops::team_and_reason_ids(conn, organisation.id, &organisation.slug, &case).await?;
            let index = CaseIndex {
                team_id,
                reason_id,
                due_on,
            };
            let now = Utc::now();
            if !ops::update_case(conn, id, expected_version, &case, &index, now).await? {
                // Read again inside the transaction for the version that won.
                let current = ops::load_case(conn, id, &access::CaseScope::Everything)
                    .await?
                    .map_or(expected_version, |c| c.version);
                return Err(StoreError::Conflict {
                    expected: expected_version,
                    current,
                });
            }
            ops::write_parts(conn, id, &case).await?;
            let event = actor
                .event(kind, now)
                .about_case(organisation.id, id)
                .before(before)
                .after(after);
            ops::insert_event(conn, &event).await?;
        });
        self.case(&Access::System, id).await
    }

    pub async fn transition(
        &self,
        access: &Access,
        id: i64,
        expected_version: i64,
        transition: &Transition,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<CaseRecord, StoreError> {
        self.change_case(
            access,
            id,
            expected_version,
            actor,
            transition.name(),
            today,
            |case, org| {
                let rules = org.rules_of(case, today)?;
                case.apply(transition, &rules)?;
                Ok(())
            },
        )
        .await
    }

    pub async fn update_case(
        &self,
        access: &Access,
        id: i64,
        expected_version: i64,
        update: &CaseUpdate,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<CaseRecord, StoreError> {
        self.change_case(
            access,
            id,
            expected_version,
            actor,
            "updated",
            today,
            |case, _| {
                case.update(update)?;
                Ok(())
            },
        )
        .await
    }

    /// Adds a note to a case's history; the case itself (and its version) is unchanged.
    pub async fn add_note(
        &self,
        access: &Access,
        id: i64,
        text: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let record = self.case(access, id).await?;
        let text = text.trim();
        if text.is_empty() {
            return Err(StoreError::invalid("text", "write the note"));
        }
        redress_core::limits::within("text", text, redress_core::limits::LONG_TEXT)?;
        let organisation = self.organisation(&record.organisation).await?;
        let event = actor
            .event("note", Utc::now())
            .about_case(organisation.id, id)
            .after(serde_json::json!({ "text": text }));
        self.log(event).await
    }

    /// The changes to a case, oldest first (reads of it are in the audit log, not here).
    pub async fn events(
        &self,
        access: &Access,
        case_id: i64,
    ) -> Result<Vec<EventRecord>, StoreError> {
        self.case(access, case_id).await?;
        Ok(read!(self, |conn, ops| ops::events(conn, case_id).await?))
    }

    /// Counts of the open cases `access` reaches, by stage, added up over its organisations;
    /// "this week" is the next five working days on each organisation's own calendar.
    pub async fn open_case_counts(
        &self,
        access: &Access,
        today: NaiveDate,
    ) -> Result<Vec<OpenCaseCount>, StoreError> {
        let scope = access.case_scope();
        let mut organisation_ids: Vec<i64> = match &scope {
            access::CaseScope::Everything => {
                self.organisations().await?.iter().map(|o| o.id).collect()
            }
            access::CaseScope::Only(grants) => grants.iter().map(|g| g.organisation_id()).collect(),
        };
        organisation_ids.sort_unstable();
        organisation_ids.dedup();
        let mut totals: BTreeMap<i64, OpenCaseCount> = BTreeMap::new();
        for id in organisation_ids {
            let organisation = self.organisation_by_id(id).await?;
            let week_end = organisation
                .calendar
                .add_working_days(today, 5)
                .unwrap_or(today);
            let counts = read!(self, |conn, ops| ops::open_case_counts(
                conn, id, &scope, today, week_end
            )
            .await?);
            for count in counts {
                let total = totals.entry(count.stage).or_insert_with(|| OpenCaseCount {
                    stage: count.stage,
                    ..OpenCaseCount::default()
                });
                total.open += count.open;
                total.overdue += count.overdue;
                total.due_today += count.due_today;
                total.due_this_week += count.due_this_week;
            }
        }
        Ok(totals.into_values().collect())
    }

    /// A page of the cases `access` reaches and the cursor for the next page, if there is one.
    pub async fn list_cases(
        &self,
        access: &Access,
        filter: &CaseFilter,
        today: NaiveDate,
    ) -> Result<(Vec<CaseSummary>, Option<i64>), StoreError> {
        let organisation_id = match &filter.organisation {
            Some(slug) => Some(
                self.authorise(access, slug, Permission::ReadCases)
                    .await?
                    .id,
            ),
            None if !access.reads_cases() => {
                return Err(StoreError::Forbidden(
                    Permission::ReadCases.refusal().to_string(),
                ))
            }
            None => None,
        };
        let scope = access.case_scope();
        let limit = filter.limit.unwrap_or(50);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(StoreError::invalid(
                "limit",
                format!("must be between 1 and {MAX_PAGE}"),
            ));
        }
        let mut rows = read!(self, |conn, ops| {
            ops::list_cases(conn, filter, &scope, organisation_id, today, limit + 1).await?
        });
        let next = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|r| r.id)
        } else {
            None
        };
        Ok((rows, next))
    }

    /// The ids of every open case of an organisation.
    pub async fn open_case_ids(
        &self,
        slug: &str,
        today: NaiveDate,
    ) -> Result<Vec<i64>, StoreError> {
        let mut ids = Vec::new();
        let mut filter = CaseFilter {
            organisation: Some(slug.to_string()),
            open: true,
            limit: Some(MAX_PAGE),
            ..CaseFilter::default()
        };
        loop {
            let (page, next) = self.list_cases(&Access::System, &filter, today).await?;
            ids.extend(page.iter().map(|c| c.id));
            match next {
                Some(after) => filter.after = Some(after),
                None => return Ok(ids),
            }
        }
    }

    /// The latest changes to the cases `access` reaches.
    pub async fn recent_changes(
        &self,
        access: &Access,
        limit: i64,
    ) -> Result<Vec<RecentChange>, StoreError> {
        let scope = access.case_scope();
        Ok(read!(self, |conn, ops| ops::recent_changes(
            conn, &scope, limit
        )
        .await?))
    }

    /// The cases `access` reaches (in one organisation, if given) that carry actions,
    /// recommendations or ombudsman remedies.
    pub async fn cases_with_actions(
        &self,
        access: &Access,
        slug: Option<&str>,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        let organisation_id = match slug {
            Some(slug) => Some(
                self.authorise(access, slug, Permission::ReadCases)
                    .await?
                    .id,
            ),
            None => None,
        };
        let scope = access.case_scope();
        let ids = read!(self, |conn, ops| ops::cases_with_actions(
            conn,
            &scope,
            organisation_id
        )
        .await?);
        let mut records = Vec::with_capacity(ids.len());
        for id in ids {
            records.push(self.case(access, id).await?);
        }
        Ok(records)
    }

    /// Logs one compliment.
    pub async fn add_compliment(
        &self,
        slug: &str,
        compliment: Compliment,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self.organisation(slug).await?;
        if compliment.summary.trim().is_empty() {
            return Err(StoreError::invalid("summary", "say what the compliment is"));
        }
        redress_core::limits::within(
            "summary",
            &compliment.summary,
            redress_core::limits::LONG_TEXT,
        )?;
        if let Some(team) = &compliment.team {
            redress_core::limits::within("team", team, redress_core::limits::NAME)?;
        }
        write!(self, |conn, ops| {
            let team_id = match &compliment.team {
                Some(team) => Some(
                    ops::named_id(conn, "teams", organisation.id, team)
                        .await?
                        .ok_or_else(|| {
                            StoreError::invalid("team", format!("'{team}' is not a team of {slug}"))
                        })?,
                ),
                None => None,
            };
            let now = Utc::now();
            ops::insert_compliments(conn, organisation.id, &[(compliment.clone(), team_id)], now)
                .await?;
            let event = actor
                .event("compliment_logged", now)
                .in_organisation(organisation.id);
            ops::insert_event(conn, &event).await?;
        });
        Ok(())
    }

    /// Every case of an organisation, in the order they were stored, a thousand at a time.
    pub async fn export_cases(&self, slug: &str) -> Result<Vec<Case>, StoreError> {
        let organisation = self.organisation(slug).await?;
        let mut cases = Vec::new();
        let mut after = 0;
        loop {
            let page = read!(self, |conn, ops| {
                let ids = ops::case_ids(conn, organisation.id, after, 1000).await?;
                match ids.last() {
                    None => Vec::new(),
                    Some(upto) => {
                        let selection = ops::Selection::IdRange {
                            organisation_id: organisation.id,
                            after,
                            upto: *upto,
                        };
                        ops::load_cases(conn, &selection, true).await?
                    }
                }
            });
            let Some(last) = page.last() else { break };
            after = last.id;
            cases.extend(page.into_iter().map(|loaded| loaded.case));
        }
        Ok(cases)
    }

    /// Every case a report on `from` to `to` needs, without personal details: those received in it, and those
    /// received since `lookback` with a stage started or an ombudsman decision made in it.
    pub async fn cases_active_between(
        &self,
        slug: &str,
        lookback: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Case>, StoreError> {
        let organisation = self.organisation(slug).await?;
        let organisation_id = organisation.id;
        let loaded = read!(self, |conn, ops| {
            let selection = ops::Selection::ActiveBetween {
                organisation_id,
                lookback,
                from,
                to,
            };
            ops::load_cases(conn, &selection, false).await?
        });
        Ok(loaded.into_iter().map(|l| l.case).collect())
    }

    pub async fn compliments_between(
        &self,
        slug: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Compliment>, StoreError> {
        let organisation = self.organisation(slug).await?;
        Ok(read!(self, |conn, ops| {
            ops::compliments_between(conn, organisation.id, from, to).await?
        }))
    }

    /// Sets one narrative section of a year's report; the change is logged.
    pub async fn set_narrative(
        &self,
        slug: &str,
        year: i32,
        section: &str,
        body: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let organisation = self.organisation(slug).await?;
        write!(self, |conn, ops| {
            let now = Utc::now();
            ops::set_narrative(conn, organisation.id, year as i64, section, body, now).await?;
            let event = actor
                .event("narrative_set", now)
                .in_organisation(organisation.id)
                .after(serde_json::json!({"year": year, "section": section, "body": body}));
            ops::insert_event(conn, &event).await?;
        });
        Ok(())
    }

    /// The narrative sections of a year's report, by section name.
    pub async fn narratives(
        &self,
        slug: &str,
        year: i32,
    ) -> Result<BTreeMap<String, String>, StoreError> {
        let organisation = self.organisation(slug).await?;
        let rows = read!(self, |conn, ops| ops::narratives(
            conn,
            organisation.id,
            year as i64
        )
        .await?);
        Ok(rows.into_iter().collect())
    }

    // ---- import ----

    /// Imports cases in one transaction: every row goes in or none does. A reference already
    /// in the organisation is refused, so importing a file twice never duplicates a case.
    /// Creates the organisation (with `spec`) if it does not exist yet.
    pub async fn import_cases(
        &self,
        spec: &NewOrganisation,
        rows: Vec<ImportedCase>,
        actor: &str,
        source: &str,
        today: NaiveDate,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<usize, ImportRefused> {
        let existing = self.find_organisation(&spec.slug).await?;
        let organisation = match &existing {
            Some(o) => o.clone(),
            None => Arc::new(Organisation::unsaved(spec)?),
        };
        let mut index_rows = Vec::with_capacity(rows.len());
        let mut refusals = Vec::new();
        for row in rows {
            let procedure = match organisation.procedure(&row.case.procedure) {
                Ok(p) => p,
                Err(e) => {
                    refusals.push((row.line, "procedure".to_string(), e.to_string()));
                    continue;
                }
            };
            match organisation.due_on(&row.case, procedure, today) {
                Ok(due_on) => index_rows.push((row, due_on)),
                Err(e) => refusals.push((row.line, "received_on".to_string(), e.to_string())),
            }
        }
        if !refusals.is_empty() {
            return Err(ImportRefused::Rows(refusals));
        }
        let count = index_rows.len();
        let result: Result<(), ImportRefused> = write!(self, |conn, ops| {
            let organisation_id = match &existing {
                Some(o) => o.id,
                None => {
                    ops::create_organisation(conn, spec, &Actor::system(actor), Utc::now()).await?
                }
            };
            let references: Vec<&str> = index_rows
                .iter()
                .map(|(r, _)| r.case.reference.as_str())
                .collect();
            let taken = ops::existing_references(conn, organisation_id, &references).await?;
            if !taken.is_empty() {
                let taken: std::collections::HashSet<String> = taken.into_iter().collect();
                let refusals = index_rows
                    .iter()
                    .filter(|(r, _)| taken.contains(&r.case.reference))
                    .map(|(r, _)| {
                        (
                            r.line,
                            "reference".to_string(),
                            format!(
                                "{} already exists in {}: it was imported before",
                                r.case.reference, spec.slug
                            ),
                        )
                    })
                    .collect();
                return Err(ImportRefused::Rows(refusals));
            }
            let mut team_ids: BTreeMap<String, i64> = BTreeMap::new();
            let mut reason_ids: BTreeMap<String, i64> = BTreeMap::new();
            for (row, _) in &index_rows {
                if let Some(team) = &row.case.team {
                    if !team_ids.contains_key(team) {
                        team_ids.insert(
                            team.clone(),
                            ops::ensure_named(conn, "teams", organisation_id, team).await?,
                        );
                    }
                }
                if let Some(reason) = &row.case.reason {
                    if !reason_ids.contains_key(reason) {
                        reason_ids.insert(
                            reason.clone(),
                            ops::ensure_named(conn, "reasons", organisation_id, reason).await?,
                        );
                    }
                }
            }
            let mut sequence: BTreeMap<i64, i64> = BTreeMap::new();
            let prefix = format!("{}-", organisation.reference_prefix);
            let now = Utc::now();
            let mut done = 0;
            let mut rows = index_rows.into_iter().peekable();
            while rows.peek().is_some() {
                let batch: Vec<(ImportedCase, CaseIndex)> = rows
                    .by_ref()
                    .take(10_000)
                    .map(|(row, due_on)| {
                        if let Some((year, number)) = reference_number(&prefix, &row.case.reference)
                        {
                            let highest = sequence.entry(year).or_insert(number);
                            *highest = (*highest).max(number);
                        }
                        let index = CaseIndex {
                            team_id: row.case.team.as_ref().map(|t| team_ids[t]),
                            reason_id: row.case.reason.as_ref().map(|r| reason_ids[r]),
                            due_on,
                        };
                        (row, index)
                    })
                    .collect();
                ops::insert_imported(conn, organisation_id, &batch, actor, source, now).await?;
                done += batch.len();
                progress(done);
            }
            for (year, number) in sequence {
                ops::raise_reference_counter(conn, organisation_id, year, number).await?;
            }
            Ok(())
        });
        result?;
        if existing.is_none() {
            self.load_organisations().await?;
        }
        Ok(count)
    }

    pub async fn import_compliments(
        &self,
        spec: &NewOrganisation,
        compliments: Vec<Compliment>,
        actor: &str,
    ) -> Result<usize, ImportRefused> {
        let existing = self.find_organisation(&spec.slug).await?;
        let count = compliments.len();
        write!(self, |conn, ops| {
            let organisation_id = match &existing {
                Some(o) => o.id,
                None => {
                    ops::create_organisation(conn, spec, &Actor::system(actor), Utc::now()).await?
                }
            };
            let mut team_ids: BTreeMap<String, i64> = BTreeMap::new();
            let mut with_ids = Vec::with_capacity(compliments.len());
            for compliment in compliments {
                let team_id = match &compliment.team {
                    None => None,
                    Some(team) => {
                        if !team_ids.contains_key(team) {
                            team_ids.insert(
                                team.clone(),
                                ops::ensure_named(conn, "teams", organisation_id, team).await?,
                            );
                        }
                        Some(team_ids[team])
                    }
                };
                with_ids.push((compliment, team_id));
            }
            ops::insert_compliments(conn, organisation_id, &with_ids, Utc::now()).await?;
        });
        if existing.is_none() {
            self.load_organisations().await?;
        }
        Ok(count)
    }

    pub async fn compliments(&self, slug: &str) -> Result<Vec<Compliment>, StoreError> {
        let organisation = self.organisation(slug).await?;
        Ok(read!(self, |conn, ops| ops::compliments(
            conn,
            organisation.id
        )
        .await?))
    }
}

/// `WCC-2020-0042` with prefix `WCC-` gives (2020, 42).
fn reference_number(prefix: &str, reference: &str) -> Option<(i64, i64)> {
    let rest = reference.strip_prefix(prefix)?;
    let (year, number) = rest.split_once('-')?;
    if year.len() != 4 {
        return None;
    }
    Some((year.parse().ok()?, number.parse().ok()?))
}

/// Why an import was refused: rows at fault (line, column, message), or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportRefused {
    #[error("{} rows refused", .0.len())]
    Rows(Vec<(u64, String, String)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ImportRefused {
    fn from(e: sqlx::Error) -> Self {
        ImportRefused::Store(e.into())
    }
}

/// `Status::OPEN` as a SQL list, `('received', 'acknowledged', 'in_stage')`: written out, not
/// bound, so that queries match the partial index of migration 0007 word for word.
pub(crate) fn open_statuses_sql() -> String {
    let names: Vec<String> = redress_core::Status::OPEN
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("({})", names.join(", "))
}

#[cfg(test)]
mod open_statuses {
    /// The index that finds open cases by due date must name the statuses the queries use.
    #[test]
    fn the_open_cases_index_names_status_open() {
        let list = super::open_statuses_sql();
        for migration in [
            include_str!("../migrations/sqlite/20261126000007_open_cases_by_due.sql"),
            include_str!("../migrations/postgres/20261126000007_open_cases_by_due.sql"),
        ] {
            assert!(
                migration.contains(&format!("WHERE status IN {list}")),
                "migration 0007 must say {list}:\n{migration}"
            );
        }
        for ops in [include_str!("ops.rs"), include_str!("ops/lists.rs")] {
            assert!(
                !ops.contains("'received', 'acknowledged', 'in_stage'"),
                "the queries build the open list from Status::OPEN"
            );
        }
    }
}
