//! Values parsed once at the edge into types that cannot hold a wrong one: an email address, an
//! organisation's slug, a case reference, a case id, a name that is not blank, a number of
//! working days. Each has one constructor that checks it; serde goes through that constructor,
//! so a request body cannot smuggle in what `parse` would refuse. The caller names the field.

use crate::lifecycle::CaseError;
use crate::limits;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why a text is not a value of its type. The field is named by whoever parsed it, since one
/// type serves several fields (`email`, `contact_email`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(String);

impl ValueError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ValueError(message.into())
    }

    /// The error for `field`, as the API, the pages and the CSV import report it.
    pub fn field(self, field: &str) -> CaseError {
        CaseError::invalid(field, self.0)
    }
}

/// The shared plumbing of a value that is a checked text: reading it, printing it, serde
/// through `parse`, and (with the `sqlx` feature) storing it as its text.
macro_rules! text_value {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(text: &str) -> Result<Self, ValueError> {
                $name::parse(text)
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// An email address, trimmed and lower-cased, so that two spellings of one address are one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
pub struct Email(String);

impl Email {
    /// What a typed address is compared as, whether or not it is a valid one: for finding
    /// an account or counting failed sign-ins by what was typed (bounded, so a megabyte
    /// typed is not a megabyte stored).
    pub fn lookup_key(text: &str) -> String {
        text.trim()
            .to_lowercase()
            .chars()
            .take(limits::EMAIL)
            .collect()
    }

    pub fn parse(text: &str) -> Result<Email, ValueError> {
        let email = text.trim().to_lowercase();
        let valid = email.len() <= limits::EMAIL
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && (domain.contains('.') || domain == "localhost")
            });
        if valid {
            Ok(Email(email))
        } else {
            Err(ValueError(format!("'{email}' is not an email address")))
        }
    }
}
text_value!(Email);

/// An organisation's short name in addresses: lower-case letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
pub struct Slug(String);

impl Slug {
    /// Long enough for any council's name, short enough for an address bar.
    pub const MAX: usize = 64;

    pub fn parse(text: &str) -> Result<Slug, ValueError> {
        let valid = !text.is_empty()
            && text.len() <= Slug::MAX
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if valid {
            Ok(Slug(text.to_string()))
        } else {
            Err(ValueError(format!(
                "'{text}' is not a valid slug: use up to {} lower-case letters, digits and hyphens",
                Slug::MAX
            )))
        }
    }
}
text_value!(Slug);

/// A case's reference: generated as `PREFIX-YEAR-NUMBER` (`WCC-2026-0042`), or given by a
/// council's old system on import, when it is any short text without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
pub struct Reference(String);

impl Reference {
    pub fn parse(text: &str) -> Result<Reference, ValueError> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > limits::NAME {
            return Err(ValueError(format!(
                "must be between 1 and {} characters",
                limits::NAME
            )));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ValueError(format!("'{text}' must not contain spaces")));
        }
        Ok(Reference(text.to_string()))
    }

    /// The reference generated for the `number`th case received in `year`.
    pub fn generated(prefix: &str, year: i32, number: i64) -> Reference {
        Reference(format!("{prefix}-{year}-{number:04}"))
    }

    /// The year and number of a reference generated with `prefix`; None for any other
    /// reference (an old system's, or another prefix).
    pub fn generated_parts(&self, prefix: &str) -> Option<(i64, i64)> {
        let rest = self.0.strip_prefix(prefix)?.strip_prefix('-')?;
        let (year, number) = rest.split_once('-')?;
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if year.len() != 4 || !digits(year) || !digits(number) {
            return None;
        }
        Some((year.parse().ok()?, number.parse().ok()?))
    }
}
text_value!(Reference);

/// A name a person reads (a team, a complaint reason, an organisation, a token): trimmed, not
/// blank, and no longer than [`limits::NAME`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
pub struct NonEmptyText(String);

impl NonEmptyText {
    pub fn parse(text: &str) -> Result<NonEmptyText, ValueError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ValueError("must not be empty".into()));
        }
        if text.chars().count() > limits::NAME {
            return Err(ValueError(format!(
                "must be {} characters or fewer",
                limits::NAME
            )));
        }
        Ok(NonEmptyText(text.to_string()))
    }
}
text_value!(NonEmptyText);

/// A case's id: a positive whole number. A path with anything else names no case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
#[serde(transparent)]
pub struct CaseId(i64);

impl CaseId {
    pub fn new(id: i64) -> Result<CaseId, ValueError> {
        if id > 0 {
            Ok(CaseId(id))
        } else {
            Err(ValueError(format!("{id} is not a case id")))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl FromStr for CaseId {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<CaseId, ValueError> {
        let id: i64 = text
            .parse()
            .map_err(|_| ValueError(format!("'{text}' is not a case id")))?;
        CaseId::new(id)
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<CaseId> for i64 {
    fn from(id: CaseId) -> i64 {
        id.0
    }
}

impl<'de> Deserialize<'de> for CaseId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        CaseId::new(i64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A limit in working days, as a procedure sets one: at least 1 and at most a year's worth
/// (261), so that no setting can push a deadline past the calendars the council holds.
/// (Kept inside a procedure's JSON, never a column of its own, so it has no sqlx mapping.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct WorkingDays(u32);

impl WorkingDays {
    pub const MAX: u32 = 261;

    pub fn new(days: u32) -> Result<WorkingDays, ValueError> {
        if (1..=WorkingDays::MAX).contains(&days) {
            Ok(WorkingDays(days))
        } else {
            Err(ValueError(format!(
                "{days} is not between 1 and {} working days",
                WorkingDays::MAX
            )))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl<'de> Deserialize<'de> for WorkingDays {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        WorkingDays::new(u32::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            Email::parse(" Jo@Example.GOV.uk ").unwrap().as_str(),
            "jo@example.gov.uk"
        );
        assert_eq!(
            Email::parse("admin@localhost").unwrap().as_str(),
            "admin@localhost"
        );
        for bad in ["", "jo", "@example.org", "jo@example", "j o@example.org"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }

    #[test]
    fn slugs_are_lower_case_letters_digits_and_hyphens() {
        assert!(Slug::parse("westminster-2").is_ok());
        for bad in ["", "West", "a b", "a/b", "é", &"a".repeat(65)] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_generated_reference_reads_back_its_year_and_number() {
        let reference = Reference::generated("WCC", 2026, 42);
        assert_eq!(reference.as_str(), "WCC-2026-0042");
        assert_eq!(reference.generated_parts("WCC"), Some((2026, 42)));
        assert_eq!(reference.generated_parts("WC"), None, "another prefix");
        let old = Reference::parse("OLD/123").unwrap();
        assert_eq!(old.generated_parts("OLD"), None);
        let long_number = Reference::generated("WCC", 2026, 12345);
        assert_eq!(long_number.generated_parts("WCC"), Some((2026, 12345)));
        for bad in ["WCC-26-0001", "WCC-2026-", "WCC-2026-00x1"] {
            assert_eq!(Reference::parse(bad).unwrap().generated_parts("WCC"), None);
        }
        assert!(Reference::parse("   ").is_err());
        assert!(Reference::parse("A B").is_err());
    }

    #[test]
    fn names_are_trimmed_and_never_blank() {
        assert_eq!(
            NonEmptyText::parse("  Fostering ").unwrap().as_str(),
            "Fostering"
        );
        assert!(NonEmptyText::parse(" \t ").is_err());
        assert!(NonEmptyText::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn case_ids_are_positive() {
        assert_eq!("17".parse::<CaseId>().unwrap().get(), 17);
        for bad in ["0", "-3", "x", "", "99999999999999999999"] {
            assert!(bad.parse::<CaseId>().is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<CaseId>("0").is_err());
    }

    #[test]
    fn working_days_are_within_a_year() {
        assert_eq!(WorkingDays::new(10).unwrap().get(), 10);
        assert!(WorkingDays::new(0).is_err());
        assert!(WorkingDays::new(262).is_err());
        assert!(serde_json::from_str::<WorkingDays>("400").is_err());
        let error = serde_json::from_str::<Email>("\"nobody\"").unwrap_err();
        assert!(
            error.to_string().contains("not an email address"),
            "{error}"
        );
    }
}
