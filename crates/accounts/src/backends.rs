//! The account queries, compiled once per backend from `ops.rs`, as the store compiles its own.

pub(crate) mod sqlite {
    type Conn = sqlx::SqliteConnection;
    type Db = sqlx::Sqlite;
    pub use redress_store::shared_ops::sqlite::{
        complaints_officers, insert_event, insert_messages, named_id,
    };
    /// SQLite has one writer at a time: a write transaction is already exclusive.
    const PASSWORD_CHECK_LOCK: Option<&str> = None;
    include!("ops.rs");
}

pub(crate) mod postgres {
    type Conn = sqlx::PgConnection;
    type Db = sqlx::Postgres;
    pub use redress_store::shared_ops::postgres::{
        complaints_officers, insert_event, insert_messages, named_id,
    };
    /// Serialises the count-then-record of password checks; released at commit.
    const PASSWORD_CHECK_LOCK: Option<&str> =
        Some("SELECT pg_advisory_xact_lock(7265647265737301)");
    include!("ops.rs");
}
