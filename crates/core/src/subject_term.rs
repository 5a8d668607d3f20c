//! A subject access search term: what identifies one person (UK GDPR Art. 15; ICO, "Right of
//! access", on finding the requester's data without disclosing others'). A term is a whole
//! email address, a phone number, or part of a name or a child's identifier, with at least
//! [`MIN_MEANINGFUL`] letters or digits. Punctuation alone (`.co`, `@@@`, `---`) matches
//! nearly everyone's address and names no one, so it is refused.

use crate::limits;
use crate::values::{Email, ValueError};
use std::fmt;

/// The fewest letters or digits a term may hold: fewer would find almost everyone.
pub const MIN_MEANINGFUL: usize = 3;

/// What a term looks like, which says how it is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// A whole email address: a part of one (`@example.org`) finds everyone at a domain.
    Email,
    /// Digits, with the spaces, `+`, `-`, `(`, `)` people write them with.
    Phone,
    /// Part of a name or of a child's identifier: letters and digits, joined by spaces,
    /// hyphens, apostrophes, full stops or slashes, starting and ending with one.
    NameOrIdentifier,
}

/// A checked search term, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectTerm {
    text: String,
    kind: TermKind,
}

impl SubjectTerm {
    /// The term, or why it is not one; the caller names the field (`q`).
    pub fn parse(text: &str) -> Result<SubjectTerm, ValueError> {
        let text = text.trim();
        let refuse = |why: &str| {
            Err(ValueError::new(format!(
                "{why}: search for a name, an email address, a phone number or a child's identifier, with at least {MIN_MEANINGFUL} letters or digits"
            )))
        };
        if text.chars().count() > limits::ADDRESS {
            return Err(ValueError::new(format!(
                "must be {} characters or fewer",
                limits::ADDRESS
            )));
        }
        // PostgreSQL refuses a NUL in text; no name holds a control character.
        if text.chars().any(char::is_control) {
            return refuse("the search term must not hold control characters");
        }
        let meaningful = text.chars().filter(|c| c.is_alphanumeric()).count();
        if meaningful < MIN_MEANINGFUL {
            return refuse(&format!("'{text}' is too short"));
        }
        let kind = if text.contains('@') {
            if Email::parse(text).is_err() {
                return refuse(&format!("'{text}' is not a whole email address"));
            }
            TermKind::Email
        } else if text.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '(')
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c))
        {
            TermKind::Phone
        } else if text.starts_with(char::is_alphanumeric)
            && text.ends_with(char::is_alphanumeric)
            && text
                .chars()
                .all(|c| c.is_alphanumeric() || " -'./’".contains(c))
        {
            TermKind::NameOrIdentifier
        } else {
            return refuse(&format!(
                "'{text}' is not a name, email address, phone number or identifier"
            ));
        };
        Ok(SubjectTerm {
            text: text.to_string(),
            kind,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn kind(&self) -> TermKind {
        self.kind
    }
}

impl fmt::Display for SubjectTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_fragments_are_refused() {
        for term in [
            ".co",
            "@@@",
            "---",
            "",
            "   ",
            "ab",
            ".com",
            "@example.org",
            "a@b",
            "%%%",
            "___",
            "a%b%c",
            "Gr",
            "G r",
            "'''",
            "..a..",
            "jo\u{0}hn",
        ] {
            assert!(SubjectTerm::parse(term).is_err(), "{term:?} was accepted");
        }
    }

    #[test]
    fn names_emails_phones_and_identifiers_are_terms() {
        for (term, kind) in [
            ("Graham", TermKind::NameOrIdentifier),
            ("  Graham Osei ", TermKind::NameOrIdentifier),
            ("O'Brien", TermKind::NameOrIdentifier),
            ("Quixotic-Falstaff", TermKind::NameOrIdentifier),
            ("Zoë", TermKind::NameOrIdentifier),
            ("CH-1234", TermKind::NameOrIdentifier),
            ("Pat", TermKind::NameOrIdentifier),
            ("jane@example.org", TermKind::Email),
            ("07700 900123", TermKind::Phone),
            ("+44 (0)20 7946 0000", TermKind::Phone),
            ("123", TermKind::Phone),
        ] {
            let parsed = SubjectTerm::parse(term).unwrap_or_else(|e| panic!("{term:?}: {e}"));
            assert_eq!(parsed.kind(), kind, "{term:?}");
            assert_eq!(parsed.as_str(), term.trim());
        }
    }

    #[test]
    fn the_refusal_says_what_a_term_is() {
        let refusal = SubjectTerm::parse(".co").unwrap_err().to_string();
        assert!(
            refusal.contains("at least 3 letters or digits"),
            "{refusal}"
        );
    }

    #[test]
    fn a_term_longer_than_an_address_is_refused() {
        assert!(SubjectTerm::parse(&"a".repeat(limits::ADDRESS + 1)).is_err());
    }
}
