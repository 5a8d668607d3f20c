//! The references of a file read so far, each with the line it first appeared on, kept small:
//! a check of a million rows holds them in tens of megabytes, not the rows themselves.

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

/// Ends each reference in `text`: a byte that never occurs in UTF-8.
const END: u8 = 0xFF;

pub(crate) struct References {
    /// Every reference, one after the other, each followed by `END`.
    text: Vec<u8>,
    /// (where the reference starts in `text`, its first line).
    table: HashTable<(u32, u32)>,
    hasher: DefaultHashBuilder,
}

/// What recording a reference found.
pub(crate) enum Seen {
    First,
    /// It appeared before, first on this line.
    Again(u64),
    /// The file is beyond what the check can index (4 GB of references, or 4 billion lines).
    TooMany,
}

impl References {
    pub(crate) fn new() -> Self {
        References {
            text: Vec::new(),
            table: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// Records `reference` as seen on `line`, unless it was seen before.
    pub(crate) fn see(&mut self, reference: &str, line: u64) -> Seen {
        let References {
            text,
            table,
            hasher,
        } = self;
        let wanted = reference.as_bytes();
        let hash = hasher.hash_one(wanted);
        if let Some((_, first)) = table.find(hash, |(start, _)| at(text, *start) == wanted) {
            return Seen::Again(u64::from(*first));
        }
        let (Ok(start), Ok(line)) = (u32::try_from(text.len()), u32::try_from(line)) else {
            return Seen::TooMany;
        };
        text.extend_from_slice(wanted);
        text.push(END);
        table.insert_unique(hash, (start, line), |(start, _)| {
            hasher.hash_one(at(text, *start))
        });
        Seen::First
    }
}

/// The reference that starts at `start`.
fn at(text: &[u8], start: u32) -> &[u8] {
    let rest = text.get(start as usize..).unwrap_or_default();
    &rest[..rest.iter().position(|b| *b == END).unwrap_or(rest.len())]
}
