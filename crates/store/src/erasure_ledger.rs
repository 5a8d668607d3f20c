//! The erasure ledger: a file beside the master key with one line for each erasure on request
//! (when, the organisation, the case's id and reference; no personal data). Restoring a backup
//! made before such an erasure brings the person back (issue 23); the ledger lives with the
//! key, not in the database, so a restore does not roll it back, and `redress restore` reads it
//! to list the cases to erase again (UK GDPR Art. 17: the erasure must hold).

use crate::{MasterKey, Store};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// The ledger's name, in the master key file's directory.
pub const ERASURE_LEDGER_FILE: &str = "redress-erasures.jsonl";

/// One erasure on request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub erased_at: DateTime<Utc>,
    pub organisation: String,
    pub case_id: i64,
    pub reference: Option<String>,
}

/// The ledger of the database at `url`: beside its master key file (none in memory).
pub fn ledger_file(url: &str) -> Option<PathBuf> {
    MasterKey::key_file(url).map(|key| key.with_file_name(ERASURE_LEDGER_FILE))
}

/// Every entry of the ledger at `path`; none when it does not exist yet.
pub fn read_ledger(path: &Path) -> std::io::Result<Vec<LedgerEntry>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut entries = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let entry = serde_json::from_str(&line).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
        entries.push(entry);
    }
    Ok(entries)
}

fn append(path: &Path, entry: &LedgerEntry) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
    line.push('\n');
    file.write_all(line.as_bytes())?;
    file.sync_data()
}

impl Store {
    /// Adds an erasure on request to the ledger. The erasure is committed already: a ledger
    /// that cannot be written is reported, not a reason to say the erasure failed.
    pub(crate) async fn note_erasure(&self, entry: LedgerEntry) {
        let Some(path) = self.inner.erasure_ledger.clone() else {
            return;
        };
        let written = tokio::task::spawn_blocking(move || append(&path, &entry)).await;
        if let Err(e) = written.map_err(std::io::Error::other).and_then(|r| r) {
            tracing::error!(error = %e, "the erasure ledger could not be written");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_appended_and_read_back() {
        let dir = std::env::temp_dir().join(format!("redress-ledger-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(ERASURE_LEDGER_FILE);
        let _ = std::fs::remove_file(&path);
        assert!(read_ledger(&path).unwrap().is_empty());
        let entry = LedgerEntry {
            erased_at: chrono::Utc::now(),
            organisation: "testshire".into(),
            case_id: 7,
            reference: Some("TCC-2026-0007".into()),
        };
        append(&path, &entry).unwrap();
        append(&path, &entry).unwrap();
        assert_eq!(read_ledger(&path).unwrap(), vec![entry.clone(), entry]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
