//! The API's reference page: every operation, its parameters, body and answers, and every
//! schema, rendered on the server in the GOV.UK style from the same OpenAPI document that
//! `/api/v1/openapi.json` serves to tools. No script, so nothing to fail an accessibility check.

use super::{render, PageError};
use crate::AppState;
use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct Parameter {
    name: String,
    location: String,
    required: bool,
    kind: String,
    description: String,
}

#[derive(Serialize)]
struct Answer {
    status: String,
    description: String,
    body: String,
}

#[derive(Serialize)]
struct Operation {
    anchor: String,
    method: String,
    path: String,
    summary: String,
    description: String,
    open: bool,
    parameters: Vec<Parameter>,
    body: String,
    answers: Vec<Answer>,
}

#[derive(Serialize)]
struct Tag {
    name: String,
    description: String,
    operations: Vec<Operation>,
}

#[derive(Serialize)]
struct Schema {
    name: String,
    description: String,
    kind: String,
    properties: Vec<Parameter>,
}

fn text(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_string()
}

/// A schema in a few words: `Case`, `array of Stage`, `string (date)`, `one of a, b, c`.
fn kind_of(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
    }
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect();
        return format!("one of {}", values.join(", "));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(choices) = schema[key].as_array() {
            let kinds: Vec<String> = choices
                .iter()
                .map(kind_of)
                .filter(|k| k != "null")
                .collect();
            return kinds.join(" or ");
        }
    }
    let kind = match &schema["type"] {
        Value::String(kind) => kind.clone(),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .filter(|k| *k != "null")
            .collect::<Vec<_>>()
            .join(" or "),
        _ => String::new(),
    };
    match kind.as_str() {
        "array" => format!("array of {}", kind_of(&schema["items"])),
        "" => "any".into(),
        _ => {
            let mut words = kind;
            if let Some(format) = schema["format"].as_str() {
                words.push_str(&format!(" ({format})"));
            }
            let (min, max) = (&schema["minimum"], &schema["maximum"]);
            if !min.is_null() || !max.is_null() {
                words.push_str(&format!(", {} to {}", min, max).replace("null", "…"));
            }
            if let Some(max) = schema["maxLength"].as_u64() {
                words.push_str(&format!(", at most {max} characters"));
            }
            words
        }
    }
}

fn body_of(content: &Value) -> String {
    content
        .as_object()
        .and_then(|types| types.iter().next())
        .map(|(media, body)| format!("{} ({media})", kind_of(&body["schema"])))
        .unwrap_or_default()
}

fn operations(document: &Value) -> Vec<Tag> {
    let mut tags: Vec<Tag> = document["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| Tag {
            name: text(t, "name"),
            description: text(t, "description"),
            operations: Vec::new(),
        })
        .collect();
    let paths = document["paths"].as_object().cloned().unwrap_or_default();
    for (path, item) in &paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            let operation = &item[method];
            if operation.is_null() {
                continue;
            }
            let parameters = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| Parameter {
                    name: text(p, "name"),
                    location: text(p, "in"),
                    required: p["required"].as_bool().unwrap_or(false),
                    kind: kind_of(&p["schema"]),
                    description: text(p, "description"),
                })
                .collect();
            let answers = operation["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, answer)| Answer {
                    status: status.clone(),
                    description: text(answer, "description"),
                    body: body_of(&answer["content"]),
                })
                .collect();
            let open = operation["security"].as_array().is_some_and(|s| {
                s.iter()
                    .all(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
            let found = Operation {
                anchor: format!("{method}-{path}")
                    .replace(['/', '{', '}'], "-")
                    .replace("--", "-"),
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(operation, "summary"),
                description: text(operation, "description"),
                open,
                parameters,
                body: body_of(&operation["requestBody"]["content"]),
                answers,
            };
            let tag = operation["tags"][0].as_str().unwrap_or("other").to_string();
            match tags.iter_mut().find(|t| t.name == tag) {
                Some(t) => t.operations.push(found),
                None => tags.push(Tag {
                    name: tag,
                    description: String::new(),
                    operations: vec![found],
                }),
            }
        }
    }
    tags.retain(|t| !t.operations.is_empty());
    tags
}

fn schemas(document: &Value) -> Vec<Schema> {
    document["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let properties = schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(field, property)| Parameter {
                    name: field.clone(),
                    location: String::new(),
                    required: required.contains(&field.as_str()),
                    kind: kind_of(property),
                    description: text(property, "description"),
                })
                .collect();
            Schema {
                name: name.clone(),
                description: text(schema, "description"),
                kind: kind_of(schema),
                properties,
            }
        })
        .collect()
}

/// `GET /api/v1/docs`.
pub(crate) async fn api_docs(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    let document = serde_json::to_value(state.openapi.as_ref())
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let common = context! { service_name => "Redress", home => "/" };
    let own = context! {
        title => text(&document["info"], "title"),
        version => text(&document["info"], "version"),
        description => text(&document["info"], "description"),
        tags => operations(&document),
        schemas => schemas(&document),
    };
    render("api_docs.html", common, own)
}
