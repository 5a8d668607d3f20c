//! The database operations, compiled once per backend from the same source (`ops.rs`), so
//! SQLite and PostgreSQL run one codebase with their native types (PostgreSQL keeps real
//! `DATE` and `TIMESTAMPTZ` columns). `accounts_ops.rs` holds the account and audit-log queries.

pub(crate) mod sqlite {
    type Conn = sqlx::SqliteConnection;
    type Db = sqlx::Sqlite;
    /// SQLite has one writer at a time: a write transaction is already exclusive.
    const PASSWORD_CHECK_LOCK: Option<&str> = None;
    include!("ops.rs");
    include!("accounts_ops.rs");
}

pub(crate) mod postgres {
    type Conn = sqlx::PgConnection;
    type Db = sqlx::Postgres;
    /// Serialises the count-then-record of password checks; released at commit.
    const PASSWORD_CHECK_LOCK: Option<&str> =
        Some("SELECT pg_advisory_xact_lock(7265647265737301)");
    include!("ops.rs");
    include!("accounts_ops.rs");
}
