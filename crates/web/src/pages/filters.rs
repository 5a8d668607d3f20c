//! A page's query-string filters, read so that a value that cannot be read is an error naming
//! the filter (issue 23: `status=zzz` showed every case, as though no filter were set).

use super::{capitalise, words, FieldError, PageError};
use axum::http::StatusCode;
use std::collections::HashMap;

pub(crate) struct Filters<'a> {
    query: &'a HashMap<String, String>,
    errors: Vec<FieldError>,
}

impl<'a> Filters<'a> {
    pub fn new(query: &'a HashMap<String, String>) -> Self {
        Filters {
            query,
            errors: Vec::new(),
        }
    }

    /// The filter's value, trimmed; none when absent or blank ("Any").
    pub fn text(&self, name: &str) -> Option<String> {
        self.query
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// The filter read by `parse`; a value it refuses is recorded as the filter's error.
    pub fn read<T>(
        &mut self,
        name: &str,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.text(name)?;
        let value = parse(&text);
        if value.is_none() {
            let shown: String = text.chars().take(40).collect();
            self.refuse(name, format!("“{shown}” is not {what}"));
        }
        value
    }

    /// The filter, which must be one of `allowed`.
    pub fn one_of(&mut self, name: &str, what: &str, allowed: &[&str]) -> Option<String> {
        self.read(name, what, |v| allowed.contains(&v).then(|| v.to_string()))
    }

    /// The errors for the GOV.UK error summary, each naming its filter.
    pub fn summary(&mut self) -> Vec<FieldError> {
        self.errors
            .drain(..)
            .map(|e| {
                let message = format!("{} filter: {}", capitalise(&words(&e.field)), e.message);
                FieldError::new(&e.field, message)
            })
            .collect()
    }

    /// For a page with no form to show them on: the first error, as a 400 naming the filter.
    pub fn refusal(&mut self) -> Result<(), PageError> {
        match self.errors.drain(..).next() {
            Some(error) => Err(PageError::Invalid {
                status: StatusCode::BAD_REQUEST,
                field: error.field,
                message: error.message,
            }),
            None => Ok(()),
        }
    }

    pub fn refuse(&mut self, name: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(name, message));
    }
}

/// The organisation a page was asked for, which must be one of `allowed` (a page used to fall
/// back to the first silently); none when not asked.
pub(crate) fn chosen_organisation(
    query: &HashMap<String, String>,
    allowed: &[String],
) -> Result<Option<String>, PageError> {
    let mut filters = Filters::new(query);
    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let chosen = filters.one_of("organisation", "one of your organisations", &allowed);
    filters.refusal()?;
    Ok(chosen)
}
