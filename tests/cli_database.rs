//! Where the database lives: the default file in the working directory, the environment
//! variable, an absolute path, and the durable WAL mode.

use std::path::Path;
use std::process::Command;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("redress-db-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// SQLite's header says WAL when bytes 18 and 19 (the read and write versions) are 2.
fn is_wal(path: &Path) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.starts_with(b"SQLite format 3\0") && bytes[18] == 2 && bytes[19] == 2
}

#[test]
fn default_database_is_redress_db_in_the_working_directory() {
    let dir = temp_dir("default");
    let out = Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("migrate")
        .current_dir(&dir)
        .env_remove("REDRESS_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "database sqlite://redress.db is up to date (sqlite)\n"
    );
    assert!(
        is_wal(&dir.join("redress.db")),
        "the database is in WAL mode"
    );
}

#[test]
fn environment_variable_and_absolute_paths() {
    let dir = temp_dir("env");
    let path = dir.join("nested.db");
    let out = Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("migrate")
        .env(
            "REDRESS_DATABASE_URL",
            format!("sqlite://{}", path.display()),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(path.exists(), "sqlite:///abs/path.db is an absolute path");
    // --database wins over the environment.
    let other = dir.join("other.db");
    let out = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args([
            "--database",
            &format!("sqlite://{}", other.display()),
            "migrate",
        ])
        .env("REDRESS_DATABASE_URL", "sqlite:///nonexistent/dir/x.db")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(other.exists());
}

#[test]
fn unsupported_urls_are_refused_clearly() {
    let out = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["--database", "mysql://localhost/x", "migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unsupported database URL 'mysql://localhost/x': expected sqlite://FILE or postgres://..."),
        "{err}"
    );
}
