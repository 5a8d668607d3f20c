//! Erased values gone from the database's own files, not only from its answers (UK GDPR
//! Art. 17; ICO guidance on erasure: "put beyond use" is the floor, deletion the aim).
//!
//! - SQLite runs with `secure_delete`, which overwrites what a change frees; the write-ahead
//!   log is then checkpointed and truncated, so the overwritten pages are in the file now.
//! - PostgreSQL keeps a row's old versions in its table files after `UPDATE`/`DELETE`, and a
//!   plain `VACUUM` only marks their space free (measured: the values stay readable in the
//!   files). `VACUUM (FULL)` writes each table and its indexes anew with the live rows only,
//!   and truncates the old files. It keeps a dead row that an older open transaction could
//!   still see (in this database by its snapshot; in any database of the server by its
//!   transaction id), so it first waits, for a bounded time, for those transactions to end.

use crate::{Db, Store, StoreError};
use chrono::{DateTime, Utc};
use std::time::{Duration, Instant};

/// The tables an erasure changes. (`events` is not rewritten: it is append-only, and what it
/// holds of a case is sealed with the case's key, which goes with `data_keys`.)
pub(crate) const ERASED_TABLES: [&str; 8] = [
    "cases",
    "case_personal",
    "case_attachments",
    "data_keys",
    "outbox",
    "legal_holds",
    "compliments",
    "erasures",
];

/// How long an erasure waits for transactions older than it to end before rewriting the
/// tables anyway (those rows are then removed by the next erasure or the daily run).
const WAIT_FOR_OLDER_TRANSACTIONS: Duration = Duration::from_secs(20);

/// How long one rewrite waits for its table's lock, and how often it tries.
const LOCK_TIMEOUT: &str = "5s";
const LOCK_TRIES: u32 = 5;

/// The pending work recorded when the rewrite could not finish: done at the next retention run.
pub(crate) const PENDING: &str = "remove_erased_rows";

impl Store {
    /// Removes what erasures left in the database's files (see the module's note). Never
    /// fails the erasure for a busy database: what cannot be done now is recorded as pending
    /// and done by the next retention run.
    pub(crate) async fn remove_erased_rows(&self) -> Result<(), StoreError> {
        self.remove_erased_rows_from(&ERASED_TABLES).await
    }

    /// The same for `tables`.
    pub(crate) async fn remove_erased_rows_from(&self, tables: &[&str]) -> Result<(), StoreError> {
        match self.db() {
            Db::Sqlite { write, .. } => {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(write)
                    .await?;
            }
            Db::Postgres(pool) => {
                let complete = rewrite_tables(pool, tables).await?;
                let statement = match complete {
                    true => "DELETE FROM pending_work WHERE name = $1",
                    false => {
                        "INSERT INTO pending_work (name) VALUES ($1) ON CONFLICT (name) DO NOTHING"
                    }
                };
                sqlx::query(statement).bind(PENDING).execute(pool).await?;
            }
        }
        Ok(())
    }
}

/// `VACUUM (FULL)` of each erased table, once no transaction that began before now is still
/// open (or the wait's bound has passed). Answers whether every dead row could go.
async fn rewrite_tables(pool: &sqlx::PgPool, tables: &[&str]) -> Result<bool, StoreError> {
    let mut conn = pool.acquire().await?;
    // Every transaction before this one has ended: the erasure's among them.
    let (erased_at, first_after): (DateTime<Utc>, String) = sqlx::query_as(
        "SELECT clock_timestamp(), CAST(pg_snapshot_xmax(pg_current_snapshot()) AS TEXT)",
    )
    .fetch_one(&mut *conn)
    .await?;
    let deadline = Instant::now() + WAIT_FOR_OLDER_TRANSACTIONS;
    let mut complete = loop {
        // A dead row stays while a snapshot may see it: this database's older transactions
        // (by their snapshots), and any database's older transactions still running (every
        // snapshot taken since, the rewrite's own too, counts them as running).
        let clear: bool = sqlx::query_scalar(
            "SELECT pg_snapshot_xmin(pg_current_snapshot()) >= CAST($1 AS xid8)
                AND NOT EXISTS (SELECT 1 FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                      AND backend_xmin IS NOT NULL AND xact_start < $2)",
        )
        .bind(&first_after)
        .bind(erased_at)
        .fetch_one(&mut *conn)
        .await?;
        if clear {
            break true;
        }
        if Instant::now() >= deadline {
            tracing::warn!(
                "erasure: transactions older than the erasure are still open; \
                 the rows they can see are removed at the next retention run"
            );
            break false;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    sqlx::query(&format!("SET lock_timeout = '{LOCK_TIMEOUT}'"))
        .execute(&mut *conn)
        .await?;
    for &table in tables {
        let mut tries = 0;
        loop {
            tries += 1;
            match sqlx::query(&format!("VACUUM (FULL) {table}"))
                .execute(&mut *conn)
                .await
            {
                Ok(_) => break,
                // 55P03: lock_not_available. Readers hold the table; try again.
                Err(sqlx::Error::Database(e))
                    if e.code().as_deref() == Some("55P03") && tries < LOCK_TRIES =>
                {
                    continue
                }
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55P03") => {
                    tracing::warn!(table, "erasure: the table stayed busy; rewritten later");
                    complete = false;
                    break;
                }
                Err(e) => {
                    let _ = sqlx::query("RESET lock_timeout").execute(&mut *conn).await;
                    return Err(e.into());
                }
            }
        }
    }
    sqlx::query("RESET lock_timeout")
        .execute(&mut *conn)
        .await?;
    Ok(complete)
}
