//! Persistence: SQLite (the embedded default) and PostgreSQL from one codebase, migrations for
//! both, and the append-only audit log written in the same transaction as each change.

mod access;
mod backends;
mod error;
mod organisation;
pub mod records;

pub use access::{Access, Account, Membership, Permission, Role};
pub use error::{ResultExt, StoreError};
pub use organisation::{NewOrganisation, Organisation};
pub use records::{
    Actor, AttachmentInfo, CaseFile, CaseFilter, CaseOrder, CaseRecord, CaseSummary, Compliment,
    ErasedFile, Erasure, EventRecord, ImportedCase, LegalHold, LoggedCompliment, NewEvent,
    OpenCaseCount, RecentChange,
};

use chrono::NaiveDate;
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

/// The page cache of each SQLite connection, in KiB.
pub(crate) const PAGE_CACHE_KIB: i64 = 8192;

/// The most cases one list page returns.
pub const MAX_PAGE: i64 = 500;

/// Cuts rows read with `limit + 1` to a page of `limit`, with the cursor for the next page
/// (the last row's id) when there were more.
pub fn page_with_cursor<T>(
    mut rows: Vec<T>,
    limit: i64,
    id: impl Fn(&T) -> i64,
) -> (Vec<T>, Option<i64>) {
    if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        let next = rows.last().map(id);
        (rows, next)
    } else {
        (rows, None)
    }
}

/// The pools, for the crates that keep their own tables in this database (`redress-accounts`)
/// and run their queries through [`read!`] and [`write!`].
#[doc(hidden)]
#[derive(Clone)]
pub enum Db {
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
    /// Wraps each case's key for its personal values in the audit log.
    master: Arc<MasterKey>,
    organisations: RwLock<HashMap<i64, Arc<Organisation>>>,
    organisation_reads: organisations::OrganisationReadCounters,
    /// Where "now" comes from: the system clock, or one a test set (Europe/London dates).
    clock: RwLock<redress_calendar::Clock>,
    /// Reads of cases on their way to the audit log.
    views: group_commit::Queue<NewEvent, ()>,
    /// New cases on their way to the database.
    cases: group_commit::Queue<group_commit::NewCaseJob, i64>,
    /// Where erasures on request are noted, beside the master key (none in memory).
    erasure_ledger: Option<std::path::PathBuf>,
}

/// The store. Cheap to clone; all clones share the pools and the organisation cache.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

/// Runs `$body` on a read connection of `$store.db()`, with `$ops` naming the backend's
/// operations module (`sqlite` or `postgres` in the caller's scope).
#[macro_export]
macro_rules! read {
    ($store:expr, |$conn:ident, $ops:ident| $body:expr) => {
        match $store.db() {
            $crate::Db::Sqlite { read, .. } => {
                let mut connection = read.acquire().await?;
                let $conn: &mut sqlx::SqliteConnection = &mut connection;
                #[allow(unused_imports)]
                use sqlite as $ops;
                $body
            }
            $crate::Db::Postgres(pool) => {
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
#[macro_export]
macro_rules! write {
    ($store:expr, |$conn:ident, $ops:ident| $body:expr) => {
        match $store.db() {
            $crate::Db::Sqlite { write, .. } => {
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
            $crate::Db::Postgres(pool) => {
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

pub mod attachments;
mod backup;
mod cases;
mod compliments;
mod exports;
mod group_commit;
mod import;
mod intake;
pub use intake::{
    Filed, Filing, InboundFailure, InboundMessage, InboundRecord, MailFile, MailboxPlace,
};
mod letters;
pub use letters::LetterEmail;
mod data_protection;
mod erased_rows;
mod retention_approval;
pub use retention_approval::{PreviewLine, RetentionApproval, RetentionPreview};
pub mod erasure_ledger;
mod lists;
mod narratives;
mod organisations;
pub use organisations::OrganisationReads;
pub mod outbox;
pub mod sealing;
pub use data_protection::RetentionRun;
mod legal_holds;
mod subject_search;
pub use sealing::MasterKey;
pub use subject_search::{SubjectCase, SubjectCompliment, SubjectMatches, SubjectMessage};
mod reminders;
mod report_counts;
pub use report_counts::ReportSpans;
mod settings;
mod statistics;
pub use statistics::{NationalCounts, StatisticsCheck};
mod tracker;

pub use import::{ImportRefused, Refusals};
pub use outbox::{NewMessage, OutboxMessage};
pub use reminders::Queued;
pub use tracker::{TrackedItem, TrackedKind};

/// The operations other crates' queries share: the audit event insert and name lookups.
#[doc(hidden)]
pub mod shared_ops {
    pub mod sqlite {
        pub use crate::backends::sqlite::{
            complaints_officers, insert_event, insert_messages, named_id,
        };
    }
    pub mod postgres {
        pub use crate::backends::postgres::{
            complaints_officers, insert_event, insert_messages, named_id,
        };
    }
}

impl Store {
    /// The clock the store dates what it records by.
    pub fn clock(&self) -> redress_calendar::Clock {
        self.inner.clock.read().expect("clock lock").clone()
    }

    /// Sets the clock (a test's fixed one, or the server's): every date and time the store
    /// records or judges by comes from it.
    pub fn set_clock(&self, clock: redress_calendar::Clock) {
        *self.inner.clock.write().expect("clock lock") = clock;
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock().now()
    }

    /// Today in Europe/London (not UTC: between midnight and 1 a.m. in summer UTC is still
    /// yesterday there).
    pub(crate) fn today(&self) -> chrono::NaiveDate {
        self.clock().today()
    }

    /// Connects to `url` (`sqlite://FILE`, `sqlite:///ABS/PATH`, `postgres://...`) and runs the
    /// migrations. A SQLite file that does not exist is created.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let store = Self::open(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects and migrates with the master key given, not looked up.
    pub async fn connect_with_key(url: &str, master: MasterKey) -> Result<Store, StoreError> {
        let store = Self::open_with_key(url, master).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating, with the master key `MasterKey::resolve` finds for `url`
    /// (made on first use, with a warning to back it up).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let (master, source) = MasterKey::resolve(url)?;
        if let sealing::KeySource::Generated(path) = &source {
            tracing::warn!(
                path = %path.display(),
                "made a new master key: back it up apart from the database; without it the \
                 personal data in the audit log cannot be read"
            );
            eprintln!(
                "WARNING: made a new master key in {}. Back it up, apart from the database: \
                 without it the personal data in the audit log cannot be read.",
                path.display()
            );
        }
        Self::open_with_key(url, master).await
    }

    /// Connects and migrates as `connect` does, with at most `queue_limit` writes waiting for
    /// each group writer (`group_commit::DEFAULT_QUEUE_LIMIT` otherwise): for load tests.
    pub async fn connect_with_write_queue(
        url: &str,
        queue_limit: usize,
    ) -> Result<Store, StoreError> {
        let (master, _) = MasterKey::resolve(url)?;
        let store = Self::open_configured(url, master, queue_limit).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating, with the master key given.
    pub async fn open_with_key(url: &str, master: MasterKey) -> Result<Store, StoreError> {
        Self::open_configured(url, master, group_commit::DEFAULT_QUEUE_LIMIT).await
    }

    async fn open_configured(
        url: &str,
        master: MasterKey,
        queue_limit: usize,
    ) -> Result<Store, StoreError> {
        let master = Arc::new(master);
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
                .pragma("cache_size", format!("-{PAGE_CACHE_KIB}"))
                // Erased personal data is overwritten, not left in free pages.
                .pragma("secure_delete", "on");
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
            // PostgreSQL's notices ("relation _sqlx_migrations already exists, skipping", at
            // every start) are not news to an operator: only its warnings and errors are logged.
            let options =
                PgConnectOptions::from_str(url)?.options([("client_min_messages", "warning")]);
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
                views: group_commit::spawn_view_writer(db.clone(), queue_limit),
                cases: group_commit::spawn_case_writer(db.clone(), master.clone(), queue_limit),
                db,
                master,
                organisations: RwLock::new(HashMap::new()),
                organisation_reads: Default::default(),
                clock: RwLock::new(redress_calendar::Clock::system()),
                erasure_ledger: erasure_ledger::ledger_file(url),
            }),
        })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.inner.db {
            Db::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        self.prepare_sealing().await?;
        self.upgrade_presets().await
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

    #[doc(hidden)]
    pub fn db(&self) -> &Db {
        &self.inner.db
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
}

/// Splits `rows` into statements of `max` rows and the rest into statements of a power of two
/// rows each: whatever the count, a few statement shapes, each prepared once and reused (a
/// multi-row statement of a new length is parsed and planned again, and kept in the cache).
pub(crate) fn statement_chunks<T>(rows: &[T], max: usize) -> impl Iterator<Item = &[T]> {
    let mut rest = rows;
    std::iter::from_fn(move || {
        let size = match rest.len() {
            0 => return None,
            n if n >= max => max,
            n => 1 << n.ilog2(),
        };
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
        Some(chunk)
    })
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
mod statement_chunks {
    #[test]
    fn every_row_goes_in_one_chunk_of_a_reusable_length() {
        for count in [0, 1, 2, 3, 7, 1023, 1024, 1025, 3000] {
            let rows: Vec<usize> = (0..count).collect();
            let chunks: Vec<&[usize]> = super::statement_chunks(&rows, 1000).collect();
            assert_eq!(chunks.concat(), rows);
            for chunk in chunks {
                assert!(
                    chunk.len() == 1000 || chunk.len().is_power_of_two(),
                    "{count}"
                );
            }
        }
    }
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
