//! The database operations, compiled once per backend from the same source (`ops.rs`), so
//! SQLite and PostgreSQL run one codebase with their native types (PostgreSQL keeps real
//! `DATE` and `TIMESTAMPTZ` columns).

pub(crate) mod sqlite {
    type Conn = sqlx::SqliteConnection;
    type Db = sqlx::Sqlite;
    include!("ops.rs");
}

pub(crate) mod postgres {
    type Conn = sqlx::PgConnection;
    type Db = sqlx::Postgres;
    include!("ops.rs");
}
