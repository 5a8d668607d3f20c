//! `redress backup --out FILE` and `redress restore FILE`: a consistent copy of the embedded
//! database taken while it is in use, and putting one back.

use super::database::{open, redact};
use anyhow::{bail, Context};
use clap::Args;
use redress_store::erasure_ledger::{self, LedgerEntry};
use redress_store::{Access, MasterKey, Store};
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
    if let Some(key) = MasterKey::key_file(database) {
        println!(
            "the master key is not in the backup: keep {} backed up too, apart from it",
            key.display()
        );
    }
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
    let checked = check(&partial, database).await;
    let (organisations, erase_again) = match checked {
        Ok(checked) => checked,
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
    if !erase_again.is_empty() {
        // The backup predates erasures on request: the people are back until erased again.
        eprintln!(
            "WARNING: this backup was made before {} erasure(s) on request, and holds the \
             personal data again. Erase each of these cases again now (POST \
             /api/v1/cases/ID/erasure):",
            erase_again.len()
        );
        for entry in &erase_again {
            eprintln!(
                "  {} case {} ({}), erased on {}",
                entry.organisation,
                entry.case_id,
                entry.reference.as_deref().unwrap_or("no reference"),
                entry.erased_at.format("%-d %B %Y %H:%M UTC")
            );
        }
    }
    Ok(())
}

/// The erasures on request in the ledger beside the master key whose cases still hold personal
/// data in `store` (a backup made before them).
async fn erased_since(store: &Store, database: &str) -> anyhow::Result<Vec<LedgerEntry>> {
    let Some(ledger) = erasure_ledger::ledger_file(database) else {
        return Ok(Vec::new());
    };
    let entries = erasure_ledger::read_ledger(&ledger)
        .with_context(|| format!("cannot read the erasure ledger {}", ledger.display()))?;
    let mut again: Vec<LedgerEntry> = Vec::new();
    for entry in entries {
        if again.iter().any(|e| e.case_id == entry.case_id) {
            continue;
        }
        // A case the backup does not hold, or holds erased, needs nothing.
        let Ok(record) = store.case(&Access::System, entry.case_id).await else {
            continue;
        };
        if record.erased_on.is_none() && Some(record.case.reference()) == entry.reference.as_deref()
        {
            again.push(entry);
        }
    }
    Ok(again)
}

/// Opens a copied backup and counts its organisations, after an integrity check, and checks
/// that the master key the restored database will be opened with is the one its personal data
/// was sealed with.
async fn check(path: &Path, database: &str) -> anyhow::Result<(usize, Vec<LedgerEntry>)> {
    // Checking needs no key of its own: a throwaway one, so none is written beside the copy.
    let store = Store::open_with_key(
        &format!("sqlite://{}", path.display()),
        MasterKey::generate(),
    )
    .await?;
    let result = async {
        store.check_integrity().await?;
        let organisations = store.organisations().await?.len();
        let key_file = MasterKey::key_file(database)
            .map_or("REDRESS_MASTER_KEY".to_string(), |p| {
                p.display().to_string()
            });
        let fits = match MasterKey::find(database)? {
            Some((key, _)) => store.sealed_with(&key).await?,
            None => store.sealed_with(&MasterKey::generate()).await?,
        };
        let erase_again = erased_since(&store, database).await?;
        Ok::<_, anyhow::Error>((organisations, fits, key_file, erase_again))
    }
    .await;
    store.close().await;
    let (organisations, fits, key_file, erase_again) = result?;
    if !fits {
        bail!(
            "the backup's personal data was sealed with a master key that is not at {key_file}: \
             put the original redress-master.key there, or name it with REDRESS_MASTER_KEY_FILE"
        );
    }
    Ok((organisations, erase_again))
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
