//! Which values in a subject access bundle are the person's, and which are marked for
//! redaction (other people's details) or review (free text that may name anyone).

use serde_json::Value;

/// Says which values are the person's and which are marked for redaction or review.
pub(super) struct Marker {
    term: String,
    /// The term without spaces, for phone numbers.
    digits: String,
}

pub(super) const REVIEW: &str = "[REVIEW for third-party data before release]";

impl Marker {
    pub(super) fn new(term: &str) -> Self {
        let term = term.trim().to_lowercase();
        Marker {
            digits: term.replace(' ', ""),
            term,
        }
    }

    /// Whether the term matches the value, as the search compares them.
    pub(super) fn matches(&self, value: &str) -> bool {
        let value = value.to_lowercase();
        value.contains(&self.term)
            || (!self.digits.is_empty() && value.replace(' ', "").contains(&self.digits))
    }

    /// The value as the PDF prints it, under `key` at `path` (dotted, from the case or the
    /// event's root).
    pub(super) fn mark(&self, path: &str, key: &str, value: &str) -> String {
        let redact = |what: &str| format!("[REDACT: {what}] {value}");
        let personal = match key {
            "complainant_name" => Some("name not matched by the search"),
            "contact_email" | "recipient" => Some("email not matched by the search"),
            "contact_phone" => Some("phone number not matched by the search"),
            "contact_address" => Some("address: check it is the person's own"),
            "children" => Some("child's identifier"),
            _ => None,
        };
        if let Some(what) = personal {
            return if self.matches(value) {
                value.to_string()
            } else {
                redact(what)
            };
        }
        match key {
            "investigating_officer" => redact("investigating officer's name"),
            "independent_person" => redact("independent person's name"),
            "panel_members" => redact("panel member's name"),
            "panel_chair" => redact("panel chair's name"),
            // The case's reason is a category of the organisation's list, not free text.
            "reason" if path == "reason" => value.to_string(),
            "summary"
            | "outcome_wanted"
            | "reason"
            | "late_complaint_grounds"
            | "description"
            | "text"
            | "rejected_reason"
            | "extension_reason"
            | "late_request_reason"
            | "body"
            | "note" => format!("{REVIEW} {value}"),
            _ => value.to_string(),
        }
    }

    /// Every value under `value` as "label: value" lines, marked.
    pub(super) fn lines(&self, value: &Value, path: &str, out: &mut Vec<String>) {
        let key = path.rsplit('.').next().unwrap_or(path);
        match value {
            Value::Null => {}
            Value::Object(map) => {
                for (k, v) in map {
                    let inner = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    self.lines(v, &inner, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.lines(item, path, out);
                }
            }
            Value::String(text) if text.trim().is_empty() => {}
            scalar => {
                let text = match scalar {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                // A code of the vocabulary ("in_stage") reads as words; a person's value is
                // printed exactly as held.
                let code = !PERSONAL_KEYS.contains(&key)
                    && text.contains('_')
                    && text
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                let text = if code { text.replace('_', " ") } else { text };
                out.push(format!(
                    "{}: {}",
                    path_label(path),
                    self.mark(path, key, &text)
                ));
            }
        }
    }

    /// Every text under `value` (at `path`) marked as the PDF marks it, in place.
    pub(super) fn mark_json(&self, value: &mut Value, path: &str) {
        match value {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    let inner = match path {
                        "" => k.clone(),
                        _ => format!("{path}.{k}"),
                    };
                    self.mark_json(v, &inner);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.mark_json(v, path)),
            Value::String(text) if !text.trim().is_empty() => {
                let key = path.rsplit('.').next().unwrap_or(path);
                *text = self.mark(path, key, text);
            }
            _ => {}
        }
    }

    pub(super) fn lines_of(&self, value: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.lines(value, "", &mut out);
        out
    }
}

/// The keys whose values are a person's details or name.
pub(super) const PERSONAL_KEYS: [&str; 10] = [
    "complainant_name",
    "contact_email",
    "recipient",
    "contact_phone",
    "contact_address",
    "children",
    "investigating_officer",
    "independent_person",
    "panel_members",
    "panel_chair",
];

/// "contact_email" as "Contact email".
pub(super) fn label(key: &str) -> String {
    let text = key.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "sufficient_interest.reason" as "Sufficient interest reason"; the containers a value sits
/// in ("personal", "stages", ...) are left out.
pub(super) fn path_label(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('.')
        .filter(|p| {
            ![
                "personal",
                "stages",
                "ombudsman",
                "actions",
                "after",
                "before",
            ]
            .contains(p)
        })
        .collect();
    match parts.as_slice() {
        [] => label(path.rsplit('.').next().unwrap_or(path)),
        parts => label(&parts.join(" ")),
    }
}
