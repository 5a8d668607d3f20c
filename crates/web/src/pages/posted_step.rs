//! A posted case-page form turned into the `Transition` the API would take, or the field at
//! fault named in the page's own terms.

use super::case_actions::{ActionSpec, Kind};
use super::{FieldError, Fields};
use redress_core::Transition;

/// The form's value for a field of this step.
fn posted(fields: &Fields, step: &str, name: &str) -> String {
    fields.text(&format!("{step}-{name}"))
}

/// Turns a posted step into a transition, or names the field at fault.
pub fn transition_of(step: &ActionSpec, fields: &Fields) -> Result<Transition, FieldError> {
    let id = |name: &str| format!("{}-{name}", step.name);
    let mut object = serde_json::Map::new();
    object.insert("transition".into(), step.name.into());
    for spec in &step.fields {
        let text = posted(fields, step.name, spec.name);
        if text.is_empty() {
            if spec.required {
                let verb = if matches!(spec.parse, Kind::Select | Kind::Bool) {
                    "Select"
                } else {
                    "Enter"
                };
                return Err(FieldError::new(
                    &id(spec.name),
                    format!("{verb} {}", spec.label.to_lowercase()),
                ));
            }
            continue;
        }
        let value: serde_json::Value = match spec.parse {
            Kind::Number => text.parse::<u64>().map(Into::into).map_err(|_| {
                FieldError::new(
                    &id(spec.name),
                    format!("{} must be a whole number", spec.label),
                )
            })?,
            Kind::List => text
                .split(',')
                .map(|m| m.trim())
                .filter(|m| !m.is_empty())
                .map(|m| serde_json::Value::from(m.to_string()))
                .collect::<Vec<_>>()
                .into(),
            Kind::Bool => match text.as_str() {
                "yes" => true.into(),
                "no" => false.into(),
                _ => {
                    return Err(FieldError::new(
                        &id(spec.name),
                        format!("Select yes or no for {}", spec.label.to_lowercase()),
                    ))
                }
            },
            _ => text.into(),
        };
        object.insert(spec.name.into(), value);
    }
    match step.name {
        "record_ombudsman_decision" => {
            let mut remedies = Vec::new();
            if let Some(kind) = object.remove("remedy_kind") {
                let due_on = object.remove("remedy_due_on").ok_or_else(|| {
                    FieldError::new(&id("remedy_due_on"), "Enter the date the remedy is due by")
                })?;
                let mut remedy = serde_json::json!({
                    "kind": kind,
                    "description": object.remove("remedy_description").unwrap_or_default(),
                    "due_on": due_on,
                });
                if let Some(pounds) = object.remove("remedy_amount") {
                    let pounds: f64 = pounds
                        .as_str()
                        .unwrap_or_default()
                        .trim_start_matches('£')
                        .replace(',', "")
                        .parse()
                        .map_err(|_| {
                            FieldError::new(
                                &id("remedy_amount"),
                                "Enter the payment in pounds, for example 300 or 150.50",
                            )
                        })?;
                    remedy["amount_pence"] = ((pounds * 100.0).round() as i64).into();
                }
                remedies.push(remedy);
            }
            for unused in ["remedy_description", "remedy_amount", "remedy_due_on"] {
                object.remove(unused);
            }
            object.insert("remedies".into(), remedies.into());
        }
        "complete_remedy" => {
            let chosen = object
                .remove("remedy")
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let (o, r) = chosen
                .split_once(':')
                .and_then(|(o, r)| Some((o.parse::<u64>().ok()?, r.parse::<u64>().ok()?)))
                .ok_or_else(|| FieldError::new(&id("remedy"), "Select a remedy"))?;
            object.insert("ombudsman".into(), o.into());
            object.insert("remedy".into(), r.into());
        }
        "complete_action" => {
            let chosen = object
                .remove("action")
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let index: u64 = chosen
                .parse()
                .map_err(|_| FieldError::new(&id("action"), "Select an action"))?;
            object.insert("action".into(), index.into());
        }
        _ => {}
    }
    let value = serde_json::Value::Object(object);
    serde_path_to_error::deserialize::<_, Transition>(value).map_err(|e| {
        let path = e.path().to_string();
        let name = path
            .split(['.', '['])
            .next()
            .filter(|p| !p.is_empty() && *p != "?")
            .unwrap_or("on");
        let label = step
            .fields
            .iter()
            .find(|f| f.name == name)
            .map_or(name, |f| f.label);
        let message = if e.inner().to_string().contains("date")
            || e.inner().to_string().contains("premature end")
            || e.inner()
                .to_string()
                .contains("input contains invalid characters")
        {
            format!(
                "Enter {} as a date, for example 2026-11-27",
                label.to_lowercase()
            )
        } else {
            format!("{label}: {}", e.inner())
        };
        FieldError::new(&id(name), message)
    })
}
