use redress_core::CaseError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    /// A member of the organisation whose role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// No valid session or token.
    #[error("{0}")]
    Unauthenticated(String),
    /// Someone else changed the record since it was read.
    #[error("the case has changed since version {expected} was read (it is now version {current}): reload it and try again")]
    Conflict { expected: i64, current: i64 },
    /// Someone else changed the organisation's settings since they were read.
    #[error("the organisation's settings have changed since version {expected} was read (they are now version {current}): reload them and try again")]
    SettingsChanged { expected: i64, current: i64 },
    /// Too many recent failed password checks: wait this long.
    #[error("too many failed password checks: try again in {retry_after} seconds")]
    Throttled { retry_after: u64 },
    /// A step the case's state does not allow (a wrong value becomes `Invalid`).
    #[error(transparent)]
    Case(CaseError),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A value that must be unique is taken (a unique constraint said so, not a prior read).
    #[error("{field}: {message}")]
    Duplicate { field: String, message: String },
    #[error("unsupported database URL '{0}': expected sqlite://FILE or postgres://...")]
    UnsupportedUrl(String),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    /// Our side failed (a writer stopped, a commit failed): never the client's fault.
    #[error("internal error: {0}")]
    Internal(String),
    /// Too many writes are waiting: the caller may try again after `retry_after` seconds.
    #[error("the server is busy: try again in {retry_after} seconds")]
    Busy { retry_after: u64 },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Whether the database said a table does not exist (SQLite's "no such table", PostgreSQL's
/// undefined_table, 42P01): a database older than the migration that made it.
pub(crate) fn is_missing_table(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("42P01") || db.message().contains("no such table")
        }
        _ => false,
    }
}

/// A wrong value is `Invalid` whichever layer found it, so every caller handles one kind.
impl From<CaseError> for StoreError {
    fn from(err: CaseError) -> Self {
        match err {
            CaseError::Invalid { field, message } => StoreError::Invalid { field, message },
            other => StoreError::Case(other),
        }
    }
}

impl StoreError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// Reads a JSON column back, naming the column when it does not parse.
    pub fn from_stored_json<T: serde::de::DeserializeOwned>(
        column: &str,
        text: &str,
    ) -> Result<T, StoreError> {
        serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
    }
}

/// Turns a unique-constraint violation into [`StoreError::Duplicate`] naming the field, so an
/// insert needs no read first and two requests racing for one value get a 409, not a 500.
pub trait ResultExt<T> {
    fn on_constraint(self, field: &str, message: impl FnOnce() -> String) -> Result<T, StoreError>;
}

impl<T, E: Into<StoreError>> ResultExt<T> for Result<T, E> {
    fn on_constraint(self, field: &str, message: impl FnOnce() -> String) -> Result<T, StoreError> {
        self.map_err(|e| match e.into() {
            StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                StoreError::Duplicate {
                    field: field.to_string(),
                    message: message(),
                }
            }
            other => other,
        })
    }
}
