//! The page templates, parsed once, and rendering one with the page's values.

use super::PageError;
use axum::response::Html;
use minijinja::{context, Environment, Value};
use std::sync::OnceLock;

/// The templates, parsed once.
fn templates() -> &'static Environment<'static> {
    static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        macro_rules! add {
            ($($name:literal),+ $(,)?) => {
                $(env.add_template($name, include_str!(concat!("../../templates/", $name)))
                    .expect(concat!("template ", $name, " parses"));)+
            };
        }
        add!(
            "base.html",
            "macros.html",
            "sign_in.html",
            "change_password.html",
            "dashboard.html",
            "case_table.html",
            "cases.html",
            "new_case.html",
            "case.html",
            "complain.html",
            "complain_done.html",
            "compliment.html",
            "compliments.html",
            "actions.html",
            "reports.html",
            "admin.html",
            "outbox.html",
            "message.html",
            "api_docs.html",
            "letter.html",
            "subject_access.html",
            "retention.html",
        );
        // The public pages' words, in the page's language (English on staff pages).
        env.add_function("t", super::language::template_text);
        env
    })
}

/// Renders a template with the page's own values over the common ones.
pub(crate) fn render(name: &str, common: Value, own: Value) -> Result<Html<String>, PageError> {
    let template = templates()
        .get_template(name)
        .map_err(|e| PageError::Internal(e.to_string()))?;
    template
        .render(context! { ..own, ..common })
        .map(Html)
        .map_err(|e| PageError::Internal(format!("{e:#}")))
}
