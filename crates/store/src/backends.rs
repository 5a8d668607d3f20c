//! The database operations, compiled once per backend from the same source, so SQLite and
//! PostgreSQL run one codebase with their native types (PostgreSQL keeps real `DATE` and
//! `TIMESTAMPTZ` columns). `ops.rs` (organisations, procedures, references) and the files in
//! `ops/` hold the case queries. (`redress-accounts` compiles its own the same way.)

/// Includes every operations file into a backend's module.
macro_rules! operations {
    () => {
        include!("ops.rs");
        include!("ops/scope.rs");
        include!("ops/case_writes.rs");
        include!("ops/case_reads.rs");
        include!("ops/lists.rs");
        include!("ops/events.rs");
        include!("ops/compliments.rs");
        include!("ops/narratives.rs");
        include!("ops/attachments.rs");
        include!("ops/letters.rs");
        include!("ops/outbox.rs");
        include!("ops/reminders.rs");
        include!("ops/data_protection.rs");
        include!("ops/subject_search.rs");
        include!("ops/retention_approval.rs");
        include!("ops/statistics.rs");
        include!("ops/report_counts.rs");
        include!("ops/intake.rs");
    };
}

pub(crate) mod sqlite {
    type Conn = sqlx::SqliteConnection;
    type Db = sqlx::Sqlite;
    const BACKEND: &str = "sqlite";
    operations!();
}

pub(crate) mod postgres {
    type Conn = sqlx::PgConnection;
    type Db = sqlx::Postgres;
    const BACKEND: &str = "postgres";
    operations!();
}
