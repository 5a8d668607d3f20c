//! The database operations, compiled once per backend from the same source (`ops.rs`), so
//! SQLite and PostgreSQL run one codebase with their native types (PostgreSQL keeps real
//! `DATE` and `TIMESTAMPTZ` columns). `accounts_ops.rs` holds the account and audit-log queries.

pub(crate) mod sqlite {
    type Conn = sqlx::SqliteConnection;
    type Db = sqlx::Sqlite;
    include!("ops.rs");
    include!("accounts_ops.rs");
}

pub(crate) mod postgres {
    type Conn = sqlx::PgConnection;
    type Db = sqlx::Postgres;
    include!("ops.rs");
    include!("accounts_ops.rs");
}
