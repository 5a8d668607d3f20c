//! Sessions and tokens checked in the last few seconds, so a busy screen does not read the same
//! account on every request. Any change to accounts, sessions or tokens made through this store
//! empties it at once; a change made by another server on the same database is seen within
//! [`FRESH_FOR`].

use chrono::{DateTime, Utc};
use redress_store::Account;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a checked session or token is trusted without reading it again.
pub const FRESH_FOR: Duration = Duration::from_secs(5);
/// Past this many entries, stale ones are swept before another is added.
const SWEEP_ABOVE: usize = 10_000;

/// A live session as last read.
#[derive(Clone)]
pub(crate) struct CachedSession {
    pub(crate) account: Account,
    pub(crate) csrf_token: String,
    pub(crate) last_seen_at: DateTime<Utc>,
    pub(crate) expires_at: DateTime<Utc>,
}

/// What a token acts as, as last read.
#[derive(Clone)]
pub(crate) struct CachedToken {
    pub(crate) account: Account,
    pub(crate) name: String,
    pub(crate) id: i64,
}

struct Entry<T> {
    value: T,
    read_at: Instant,
}

fn fresh<T: Clone>(map: &HashMap<String, Entry<T>>, hash: &str) -> Option<T> {
    map.get(hash)
        .filter(|e| e.read_at.elapsed() < FRESH_FOR)
        .map(|e| e.value.clone())
}

fn keep<T>(map: &mut HashMap<String, Entry<T>>, hash: &str, value: T) {
    if map.len() > SWEEP_ABOVE {
        map.retain(|_, e| e.read_at.elapsed() < FRESH_FOR);
    }
    map.insert(
        hash.to_string(),
        Entry {
            value,
            read_at: Instant::now(),
        },
    );
}

/// Counts changes, so that a read begun before a change is not kept after it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Generation(u64);

#[derive(Default)]
pub(crate) struct AuthCache {
    sessions: Mutex<HashMap<String, Entry<CachedSession>>>,
    tokens: Mutex<HashMap<String, Entry<CachedToken>>>,
    generation: AtomicU64,
}

impl AuthCache {
    /// Taken before reading the database for an entry to keep.
    pub(crate) fn generation(&self) -> Generation {
        Generation(self.generation.load(Ordering::SeqCst))
    }

    fn current(&self, read_in: Generation) -> bool {
        self.generation() == read_in
    }

    pub(crate) fn session(&self, hash: &str) -> Option<CachedSession> {
        fresh(&self.sessions.lock().expect("auth cache lock"), hash)
    }

    pub(crate) fn keep_session(&self, hash: &str, session: CachedSession, read_in: Generation) {
        let mut sessions = self.sessions.lock().expect("auth cache lock");
        if self.current(read_in) {
            keep(&mut sessions, hash, session);
        }
    }

    /// Notes a session's new last-seen time without making the entry fresher.
    pub(crate) fn touched(&self, hash: &str, at: DateTime<Utc>) {
        if let Some(entry) = self.sessions.lock().expect("auth cache lock").get_mut(hash) {
            entry.value.last_seen_at = at;
        }
    }

    pub(crate) fn token(&self, hash: &str) -> Option<CachedToken> {
        fresh(&self.tokens.lock().expect("auth cache lock"), hash)
    }

    pub(crate) fn keep_token(&self, hash: &str, token: CachedToken, read_in: Generation) {
        let mut tokens = self.tokens.lock().expect("auth cache lock");
        if self.current(read_in) {
            keep(&mut tokens, hash, token);
        }
    }

    /// Forgets everything: called after any change to users, memberships, sessions or tokens.
    pub(crate) fn clear(&self) {
        let mut sessions = self.sessions.lock().expect("auth cache lock");
        let mut tokens = self.tokens.lock().expect("auth cache lock");
        self.generation.fetch_add(1, Ordering::SeqCst);
        sessions.clear();
        tokens.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        Account {
            user_id: 1,
            email: "jo@example.org".into(),
            display_name: "Jo".into(),
            system_admin: false,
            must_change_password: false,
            memberships: Vec::new(),
        }
    }

    #[test]
    fn entries_are_trusted_only_while_fresh_and_cleared_on_change() {
        let cache = AuthCache::default();
        let token = CachedToken {
            account: account(),
            name: "nightly export".into(),
            id: 1,
        };
        let before = cache.generation();
        cache.keep_token("h", token.clone(), before);
        assert_eq!(cache.token("h").unwrap().name, "nightly export");
        cache.clear();
        assert!(cache.token("h").is_none(), "a change empties the cache");
        cache.keep_token("h", token.clone(), before);
        assert!(
            cache.token("h").is_none(),
            "a read begun before a change is not kept after it"
        );

        let mut tokens = cache.tokens.lock().unwrap();
        tokens.insert(
            "old".into(),
            Entry {
                value: token,
                read_at: Instant::now() - FRESH_FOR - Duration::from_millis(1),
            },
        );
        assert!(
            fresh(&tokens, "old").is_none(),
            "stale entries are read again"
        );
    }
}
