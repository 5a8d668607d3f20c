//! Backups of the embedded database, taken while it is in use.

use crate::{Db, Store, StoreError};
use std::path::Path;

impl Store {
    /// Writes a consistent copy of a SQLite database to `path` while the server may be
    /// running (`VACUUM INTO` reads one snapshot and writes a compact new file). PostgreSQL is
    /// backed up with its own tools: `pg_dump`.
    pub async fn backup_to(&self, path: &Path) -> Result<(), StoreError> {
        let Db::Sqlite { write, .. } = &self.inner.db else {
            return Err(StoreError::invalid(
                "database",
                "a PostgreSQL database is backed up with pg_dump, e.g. \
                 `pg_dump --format=custom --file=redress.dump DBNAME`, and restored with \
                 `pg_restore --clean --dbname=DBNAME redress.dump` (see the README)",
            ));
        };
        if path.exists() {
            return Err(StoreError::invalid(
                "out",
                format!("{} already exists: choose a new file", path.display()),
            ));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.display().to_string())
            .execute(write)
            .await?;
        Ok(())
    }

    /// Checks that a SQLite file is a whole, readable Redress database.
    pub async fn check_integrity(&self) -> Result<(), StoreError> {
        let Db::Sqlite { read, .. } = &self.inner.db else {
            return Ok(());
        };
        let result: (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(read)
            .await?;
        if result.0 != "ok" {
            return Err(StoreError::Corrupt(format!(
                "the database failed its integrity check: {}",
                result.0
            )));
        }
        Ok(())
    }
}
