//! A correction of a case's personal details as a JSON merge patch (RFC 7396 §2): a field left
//! out stays as it is, `null` clears it, a value replaces it. Every value is checked against its
//! limit while it is read, so a patch that exists can be applied.

use crate::limits::{ADDRESS, CHILDREN, EMAIL, LONG_TEXT, NAME, PHONE};
use crate::PersonalDetails;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a merge patch says of one field (RFC 7396 §2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Change<T> {
    /// The field was not sent: it stays as it is.
    #[default]
    Keep,
    /// The field was sent as `null`: it is emptied.
    Clear,
    Set(T),
}

impl<T> Change<T> {
    pub fn is_keep(&self) -> bool {
        matches!(self, Change::Keep)
    }
}

// Only a present field reaches this (`#[serde(default)]` makes an absent one `Keep`), so
// `null` here is RFC 7396's "remove".
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Change<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            None => Change::Clear,
            Some(value) => Change::Set(value),
        })
    }
}

impl<T: Serialize> Serialize for Change<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Change::Set(value) => value.serialize(serializer),
            Change::Keep | Change::Clear => serializer.serialize_none(),
        }
    }
}

/// Text of at most `MAX` characters: it cannot be made or read longer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Bounded<const MAX: usize>(String);

impl<const MAX: usize> Bounded<MAX> {
    pub fn new(text: impl Into<String>) -> Result<Self, String> {
        let text = text.into();
        match text.chars().count() > MAX {
            true => Err(format!("must be {MAX} characters or fewer")),
            false => Ok(Bounded(text)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Bounded<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Bounded::new(String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// The children concerned, by their ids in the council's social care system: at most
/// [`CHILDREN`], each a name's length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ChildIds(Vec<Bounded<NAME>>);

impl<'de> Deserialize<'de> for ChildIds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ids = Vec::<Bounded<NAME>>::deserialize(deserializer)?;
        if ids.len() > CHILDREN {
            return Err(serde::de::Error::custom(format!(
                "at most {CHILDREN} children may be named on one case"
            )));
        }
        Ok(ChildIds(ids))
    }
}

/// Corrected personal details: only the fields sent change (RFC 7396). Unknown fields are
/// refused, so a misspelt field is not a correction silently lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PersonalPatch {
    #[serde(skip_serializing_if = "Change::is_keep")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub complainant_name: Change<Bounded<NAME>>,
    #[serde(skip_serializing_if = "Change::is_keep")]
    #[schema(value_type = Option<String>, max_length = 254)]
    pub contact_email: Change<Bounded<EMAIL>>,
    #[serde(skip_serializing_if = "Change::is_keep")]
    #[schema(value_type = Option<String>, max_length = 40)]
    pub contact_phone: Change<Bounded<PHONE>>,
    #[serde(skip_serializing_if = "Change::is_keep")]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub contact_address: Change<Bounded<ADDRESS>>,
    #[serde(skip_serializing_if = "Change::is_keep")]
    #[schema(value_type = Option<Vec<String>>, max_items = 50)]
    pub children: Change<ChildIds>,
    #[serde(skip_serializing_if = "Change::is_keep")]
    #[schema(value_type = Option<String>, max_length = 20000)]
    pub summary: Change<Bounded<LONG_TEXT>>,
    #[serde(skip_serializing_if = "Change::is_keep")]
    #[schema(value_type = Option<String>, max_length = 20000)]
    pub outcome_wanted: Change<Bounded<LONG_TEXT>>,
}

fn text<const MAX: usize>(field: &mut String, change: &Change<Bounded<MAX>>) {
    match change {
        Change::Keep => {}
        Change::Clear => field.clear(),
        Change::Set(value) => *field = value.0.clone(),
    }
}

impl PersonalPatch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == PersonalPatch::default()
    }

    /// `current` with the patch applied.
    pub fn apply(&self, current: &PersonalDetails) -> PersonalDetails {
        let mut next = current.clone();
        text(&mut next.complainant_name, &self.complainant_name);
        text(&mut next.contact_email, &self.contact_email);
        text(&mut next.contact_phone, &self.contact_phone);
        text(&mut next.contact_address, &self.contact_address);
        text(&mut next.summary, &self.summary);
        text(&mut next.outcome_wanted, &self.outcome_wanted);
        match &self.children {
            Change::Keep => {}
            Change::Clear => next.children.clear(),
            Change::Set(ids) => next.children = ids.0.iter().map(|c| c.0.clone()).collect(),
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn details() -> PersonalDetails {
        PersonalDetails {
            complainant_name: "Grahm Osei".into(),
            contact_email: "g@example.org".into(),
            contact_phone: "020 7946 0000".into(),
            contact_address: "1 High Street".into(),
            children: vec!["C-1".into()],
            summary: "Transport cancelled".into(),
            outcome_wanted: "An apology".into(),
        }
    }

    #[test]
    fn absent_fields_stay_null_clears_a_value_sets() {
        let patch: PersonalPatch = serde_json::from_value(
            json!({"complainant_name": "Graham Osei", "contact_phone": null}),
        )
        .unwrap();
        let next = patch.apply(&details());
        assert_eq!(next.complainant_name, "Graham Osei");
        assert_eq!(next.contact_phone, "");
        assert_eq!(
            PersonalDetails {
                complainant_name: "Grahm Osei".into(),
                contact_phone: "020 7946 0000".into(),
                ..next
            },
            details()
        );
    }

    #[test]
    fn unknown_fields_and_long_values_are_refused_when_read() {
        let err = serde_json::from_value::<PersonalPatch>(json!({"complainant_nmae": "x"}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("complainant_nmae"), "{err}");
        let err = serde_json::from_value::<PersonalPatch>(json!({"contact_phone": "1".repeat(41)}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("40 characters"), "{err}");
        let many: Vec<String> = (0..51).map(|i| i.to_string()).collect();
        assert!(serde_json::from_value::<PersonalPatch>(json!({"children": many})).is_err());
    }

    #[test]
    fn a_patch_serialises_back_to_what_was_sent() {
        let sent = json!({"summary": null, "children": ["C-2"]});
        let patch: PersonalPatch = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(serde_json::to_value(&patch).unwrap(), sent);
    }
}
