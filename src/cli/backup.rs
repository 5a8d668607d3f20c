//! `redress backup --out FILE` and `redress restore FILE`: a consistent copy of the embedded
//! database taken while it is in use, and putting one back.

use super::database::{open, redact};
use anyhow::{bail, Context};
use clap::Args;
use redress_store::Store;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `redress backup`.
    file: PathBuf,
    /// Replace a database that already exists (stop the server first).
    #[arg(long)]
    force: bool,
}

pub async fn backup(database: &str, args: BackupArgs) -> anyhow::Result<()> {
    let store = open(database).await?;
    store
        .backup_to(&args.out)
        .await
        .with_context(|| format!("cannot back up {}", redact(database)))?;
    store.close().await;
    let size = std::fs::metadata(&args.out)?.len();
    println!(
        "backed up {} to {} ({} KB)",
        redact(database),
        args.out.display(),
        size.div_ceil(1024)
    );
    Ok(())
}

/// The file a `sqlite://` URL names.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://")?;
    let path = rest.split('?').next()?;
    Some(PathBuf::from(path))
}

pub async fn restore(database: &str, args: RestoreArgs) -> anyhow::Result<()> {
    let Some(target) = sqlite_path(database) else {
        bail!(
            "restore puts back a SQLite backup; a PostgreSQL database is restored with \
             `pg_restore --clean --dbname=DBNAME FILE` (see the README)"
        );
    };
    if !args.file.exists() {
        bail!("{}: no such file", args.file.display());
    }
    if target.exists() && !args.force {
        bail!(
            "{} already exists: stop the server and add --force to replace it",
            target.display()
        );
    }
    // Check a copy beside the target, so neither the backup nor the database is touched
    // until the copy is known to be whole.
    let partial = with_suffix(&target, ".restoring");
    std::fs::copy(&args.file, &partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let checked = check(&partial).await;
    let organisations = match checked {
        Ok(n) => n,
        Err(e) => {
            remove_with_journal(&partial);
            return Err(e.context(format!(
                "{} is not a whole Redress backup",
                args.file.display()
            )));
        }
    };
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&target, suffix));
    }
    std::fs::rename(&partial, &target)
        .with_context(|| format!("cannot replace {}", target.display()))?;
    // Bring the schema up to date, in case the backup came from an older release.
    let store = open(database).await?;
    store.check_integrity().await?;
    store.close().await;
    println!(
        "restored {} into {} ({} organisations)",
        args.file.display(),
        target.display(),
        organisations
    );
    Ok(())
}

/// Opens a copied backup and counts its organisations, after an integrity check.
async fn check(path: &Path) -> anyhow::Result<usize> {
    let store = Store::open(&format!("sqlite://{}", path.display())).await?;
    let result = async {
        store.check_integrity().await?;
        Ok::<usize, redress_store::StoreError>(store.organisations().await?.len())
    }
    .await;
    store.close().await;
    Ok(result?)
}

fn remove_with_journal(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
