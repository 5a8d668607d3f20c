//! Crypto-shredding. The personal values an audit event holds are sealed with a key of their
//! case's own (AES-256-GCM); that key is kept wrapped by the master key. Deleting a case's key
//! erases its personal values from every event while the events themselves, append-only, stay
//! readable for who did what and when.

use crate::records::NewEvent;
use crate::StoreError;
use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable holding the master key (64 hex digits).
pub const MASTER_KEY_ENV: &str = "REDRESS_MASTER_KEY";
/// The environment variable naming the master key's file.
pub const MASTER_KEY_FILE_ENV: &str = "REDRESS_MASTER_KEY_FILE";
/// The environment variable naming the data directory of a PostgreSQL installation.
pub const DATA_DIR_ENV: &str = "REDRESS_DATA_DIR";
/// The key file's name in the data directory.
pub const MASTER_KEY_FILE: &str = "redress-master.key";

/// What a sealed value reads as in an event's JSON until its key is used to open it.
pub const SEALED: &str = "[sealed]";

/// The top-level fields of a case event that hold personal data: the personal details, and
/// the free text of reg. 9 grounds and the s26(3)(e) decision, which describe people.
const CASE_PERSONAL_FIELDS: [&str; 3] =
    ["personal", "late_complaint_grounds", "sufficient_interest"];

/// The fields of an event of `kind` that are sealed.
fn personal_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        // A note is free text about the case; a file's name can name a person.
        "note" => &["text"],
        "attachment_added" => &["name"],
        // A message to or from the complainant, by mail: its sender, words and files.
        "correspondence" => &["from", "subject", "text", "files", "not_kept"],
        // Reasons typed by staff name people ("requested by ..., who threatens litigation"):
        // personal data of the case (UK GDPR Art. 4(1)), shredded with it (Art. 17).
        "legal_hold_placed" | "rectification_reason" | "personal_data_erased" => &["reason"],
        _ => &CASE_PERSONAL_FIELDS,
    }
}

/// The refusal of a start with another master key than the database's.
pub(crate) fn wrong_key() -> StoreError {
    StoreError::invalid(
        "master_key",
        "this is not the master key this database's personal data was sealed with: \
         give the right one in REDRESS_MASTER_KEY or REDRESS_MASTER_KEY_FILE",
    )
}

/// The key that wraps every case's key. Never stored in the database.
pub struct MasterKey {
    cipher: Aes256Gcm,
    mac_key: [u8; 32],
}

/// Where the master key came from, for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    File(PathBuf),
    /// Made now and written to this file: it must be backed up.
    Generated(PathBuf),
    /// An in-memory database's: gone with the process, as the database is.
    Ephemeral,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; 32]) -> MasterKey {
        MasterKey {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)),
            mac_key: bytes,
        }
    }

    /// A new random key.
    pub fn generate() -> MasterKey {
        MasterKey::from_bytes(Aes256Gcm::generate_key(OsRng).into())
    }

    /// A key written as 64 hex digits.
    pub fn parse(text: &str) -> Result<MasterKey, StoreError> {
        let bytes: [u8; 32] = unhex(text)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| StoreError::invalid("master_key", "a master key is 64 hex digits"))?;
        Ok(MasterKey::from_bytes(bytes))
    }

    /// The key as a file holds it.
    pub fn to_hex(&self) -> String {
        hex(&self.mac_key)
    }

    /// The master key for the database at `url`: `REDRESS_MASTER_KEY`, else the file
    /// `REDRESS_MASTER_KEY_FILE` names, else `redress-master.key` in the data directory (a
    /// SQLite file's own directory; for PostgreSQL `REDRESS_DATA_DIR` or the working
    /// directory), made there on first use.
    pub fn resolve(url: &str) -> Result<(MasterKey, KeySource), StoreError> {
        if let Some(found) = MasterKey::find(url)? {
            return Ok(found);
        }
        match MasterKey::key_file(url) {
            Some(path) => MasterKey::from_file(&path),
            None => Ok((MasterKey::generate(), KeySource::Ephemeral)),
        }
    }

    /// The master key `resolve` would use, without making one: `None` when none is set and
    /// the key file does not exist yet.
    pub fn find(url: &str) -> Result<Option<(MasterKey, KeySource)>, StoreError> {
        if let Ok(text) = std::env::var(MASTER_KEY_ENV) {
            return Ok(Some((MasterKey::parse(&text)?, KeySource::Environment)));
        }
        match MasterKey::key_file(url) {
            Some(path) if path.exists() => MasterKey::from_file(&path).map(Some),
            _ => Ok(None),
        }
    }

    /// The key file for the database at `url`: `REDRESS_MASTER_KEY_FILE`, or
    /// `redress-master.key` in its data directory (none for an in-memory database).
    pub fn key_file(url: &str) -> Option<PathBuf> {
        if let Ok(path) = std::env::var(MASTER_KEY_FILE_ENV) {
            return Some(PathBuf::from(path));
        }
        data_directory(url).map(|dir| dir.join(MASTER_KEY_FILE))
    }

    /// Reads the key file, or makes it (readable by its owner only) if there is none. Two
    /// processes starting at once agree: the file appears whole or not at all.
    pub fn from_file(path: &Path) -> Result<(MasterKey, KeySource), StoreError> {
        let unreadable = |e: std::io::Error| {
            StoreError::invalid(
                "master_key",
                format!("the master key file {} cannot be read: {e}", path.display()),
            )
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let key = MasterKey::parse(&text).map_err(|_| {
                    StoreError::invalid(
                        "master_key",
                        format!(
                            "{} does not hold a master key (64 hex digits)",
                            path.display()
                        ),
                    )
                })?;
                return Ok((key, KeySource::File(path.to_path_buf())));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(unreadable(e)),
        }
        let key = MasterKey::generate();
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(unreadable)?;
        let temporary = dir.join(format!(
            ".{MASTER_KEY_FILE}.{}.{}",
            std::process::id(),
            hex(&rand_bytes())
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary).map_err(unreadable)?;
        file.write_all(format!("{}\n", key.to_hex()).as_bytes())
            .and_then(|_| file.sync_all())
            .map_err(unreadable)?;
        let linked = std::fs::hard_link(&temporary, path);
        let _ = std::fs::remove_file(&temporary);
        match linked {
            Ok(()) => Ok((key, KeySource::Generated(path.to_path_buf()))),
            // Another process made it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => MasterKey::from_file(path),
            Err(e) => Err(unreadable(e)),
        }
    }

    /// Says which master key this is without revealing it; kept in the database so that a
    /// start with the wrong key is refused.
    pub fn fingerprint(&self) -> String {
        self.mac(b"redress master key check")
    }

    /// A keyed digest of a search term, for the audit log: who searched for whom can be
    /// checked by someone holding the key, and the log itself names no one.
    pub fn term_digest(&self, term: &str) -> String {
        let normalised = term.trim().to_lowercase();
        self.mac(format!("subject access term\0{normalised}").as_bytes())
    }

    /// A keyed digest of what was typed as the email of an account that does not exist.
    pub fn sign_in_digest(&self, typed: &str) -> String {
        self.mac(format!("sign-in email\0{typed}").as_bytes())
    }

    fn mac(&self, message: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key).expect("any length");
        mac.update(message);
        hex(&mac.finalize().into_bytes())
    }

    /// A new case key, and the same wrapped by this key for keeping.
    pub(crate) fn new_data_key(&self) -> (DataKey, String) {
        let bytes: [u8; 32] = Aes256Gcm::generate_key(OsRng).into();
        (DataKey::from_bytes(&bytes), self.seal_bytes(&bytes))
    }

    /// A case key from its wrapped form.
    pub(crate) fn open_data_key(&self, wrapped: &str) -> Result<DataKey, StoreError> {
        let bytes = open_with(&self.cipher, wrapped)?;
        Ok(DataKey::from_bytes(&bytes))
    }

    fn seal_bytes(&self, plain: &[u8]) -> String {
        seal_with(&self.cipher, plain)
    }
}

fn rand_bytes() -> [u8; 8] {
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let mut out = [0u8; 8];
    out.copy_from_slice(&nonce[..8]);
    out
}

/// Nonce and ciphertext, base64.
fn seal_with(cipher: &Aes256Gcm, plain: &[u8]) -> String {
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let mut sealed = nonce.to_vec();
    sealed.extend(
        cipher
            .encrypt(&nonce, plain)
            .expect("AES-GCM seals any length"),
    );
    base64::engine::general_purpose::STANDARD.encode(sealed)
}

fn open_with(cipher: &Aes256Gcm, sealed: &str) -> Result<Vec<u8>, StoreError> {
    let corrupt =
        || StoreError::Corrupt("sealed personal data cannot be opened with its key".into());
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(sealed)
        .map_err(|_| corrupt())?;
    if bytes.len() < 12 {
        return Err(corrupt());
    }
    let (nonce, body) = bytes.split_at(12);
    cipher
        .decrypt(Nonce::from_slice(nonce), body)
        .map_err(|_| corrupt())
}

/// The key of one case's personal data.
pub(crate) struct DataKey(Aes256Gcm);

impl DataKey {
    fn from_bytes(bytes: &[u8]) -> DataKey {
        DataKey(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(bytes)))
    }

    /// Takes the personal fields out of `event` and seals them into its `sealed`.
    pub fn seal_event(&self, event: &mut NewEvent) {
        if let Some(personal) = take_personal(event) {
            event.sealed = Some(self.seal(&personal));
        }
    }

    pub fn seal(&self, value: &serde_json::Value) -> String {
        seal_with(&self.0, value.to_string().as_bytes())
    }

    pub fn open(&self, sealed: &str) -> Result<serde_json::Value, StoreError> {
        let plain = open_with(&self.0, sealed)?;
        serde_json::from_slice(&plain)
            .map_err(|_| StoreError::Corrupt("sealed personal data is not JSON".into()))
    }
}

/// The data directory of a database: a SQLite file's directory, PostgreSQL's `REDRESS_DATA_DIR`
/// or the working directory; none for an in-memory database.
fn data_directory(url: &str) -> Option<PathBuf> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() || path.contains(":memory:") || url.contains("mode=memory") {
            return None;
        }
        let parent = Path::new(path).parent().unwrap_or(Path::new(""));
        return Some(if parent.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            parent.to_path_buf()
        });
    }
    Some(
        std::env::var(DATA_DIR_ENV)
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from(".")),
    )
}

/// Takes the personal fields out of a case event's before and after, leaving [`SEALED`] in
/// their place, and returns them as `{"before": {...}, "after": {...}}`; `None` when the event
/// holds none.
pub(crate) fn take_personal(event: &mut NewEvent) -> Option<serde_json::Value> {
    event.case_id?;
    let fields = personal_fields(&event.kind);
    let mut taken = serde_json::Map::new();
    for (side, value) in [("before", &mut event.before), ("after", &mut event.after)] {
        let Some(serde_json::Value::Object(object)) = value else {
            continue;
        };
        let mut part = serde_json::Map::new();
        for field in fields {
            if let Some(found) = object.get_mut(*field) {
                if found.is_null() || found.as_str() == Some(SEALED) {
                    continue;
                }
                part.insert(field.to_string(), std::mem::replace(found, SEALED.into()));
            }
        }
        if !part.is_empty() {
            taken.insert(side.to_string(), part.into());
        }
    }
    (!taken.is_empty()).then(|| taken.into())
}

/// Whether an event about to be written still holds personal fields in the clear.
pub(crate) fn holds_unsealed(event: &NewEvent) -> bool {
    event.case_id.is_some() && take_personal(&mut event.clone()).is_some()
}

/// Puts opened personal fields back where [`take_personal`] took them.
pub(crate) fn restore(
    before: &mut Option<serde_json::Value>,
    after: &mut Option<serde_json::Value>,
    opened: &serde_json::Value,
) {
    for (side, value) in [("before", before), ("after", after)] {
        if let (Some(serde_json::Value::Object(object)), Some(serde_json::Value::Object(part))) =
            (value.as_mut(), opened.get(side))
        {
            for (field, v) in part {
                object.insert(field.clone(), v.clone());
            }
        }
    }
}

/// Marks the sealed fields of an event whose key is gone: "erased on DATE".
pub(crate) fn mark_erased(
    before: &mut Option<serde_json::Value>,
    after: &mut Option<serde_json::Value>,
    erased_on: Option<NaiveDate>,
) {
    let note = match erased_on {
        Some(day) => format!("erased on {day}"),
        None => "erased".to_string(),
    };
    for value in [before, after].into_iter().flatten() {
        if let serde_json::Value::Object(object) = value {
            for v in object.values_mut() {
                if v.as_str() == Some(SEALED) {
                    *v = note.clone().into();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Actor;
    use chrono::Utc;

    #[test]
    fn a_wrapped_key_opens_only_with_its_master_key() {
        let master = MasterKey::generate();
        let (key, wrapped) = master.new_data_key();
        let sealed = key.seal(&serde_json::json!({"name": "Graham Osei"}));
        assert!(!sealed.contains("Graham"));
        let reopened = master.open_data_key(&wrapped).unwrap();
        assert_eq!(reopened.open(&sealed).unwrap()["name"], "Graham Osei");
        assert!(MasterKey::generate().open_data_key(&wrapped).is_err());
    }

    #[test]
    fn personal_fields_are_taken_and_put_back() {
        let mut event = Actor::system("t")
            .event("updated", Utc::now())
            .about_case(1, 2)
            .before(serde_json::json!({"personal": {"complainant_name": "A"}, "team": "X"}))
            .after(serde_json::json!({"personal": {"complainant_name": "B"}, "team": "Y"}));
        let original = (event.before.clone(), event.after.clone());
        assert!(holds_unsealed(&event));
        let taken = take_personal(&mut event).unwrap();
        assert!(!holds_unsealed(&event));
        assert_eq!(event.after.as_ref().unwrap()["personal"], SEALED);
        assert_eq!(event.after.as_ref().unwrap()["team"], "Y");
        let (mut before, mut after) = (event.before.clone(), event.after.clone());
        restore(&mut before, &mut after, &taken);
        assert_eq!((before, after), original);
        let (mut before, mut after) = (event.before.clone(), event.after.clone());
        mark_erased(&mut before, &mut after, "2030-01-01".parse().ok());
        assert_eq!(after.unwrap()["personal"], "erased on 2030-01-01");
    }

    #[test]
    fn keys_are_64_hex_digits() {
        let key = MasterKey::generate();
        assert_eq!(
            MasterKey::parse(&key.to_hex()).unwrap().fingerprint(),
            key.fingerprint()
        );
        assert!(MasterKey::parse("abc").is_err());
        assert!(MasterKey::parse(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn a_sqlite_file_keeps_its_key_beside_it() {
        assert_eq!(
            data_directory("sqlite:///var/lib/redress/council.db"),
            Some(PathBuf::from("/var/lib/redress"))
        );
        assert_eq!(
            data_directory("sqlite://redress.db"),
            Some(PathBuf::from("."))
        );
        assert_eq!(data_directory("sqlite::memory:"), None);
    }
}
