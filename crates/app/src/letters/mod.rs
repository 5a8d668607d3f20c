//! Letters as data: built-in Markdown templates with `{{ placeholders }}`, a council's own
//! wording checked before it is saved, and a template filled from a case.
//!
//! Templates run in a sandbox: no loader (so no include or import), strict undefined (so a
//! misspelt placeholder is an error, not a blank), a fuel limit (so no loop runs away) and no
//! HTML escaping (the output is Markdown for PDF and Word, not a page).

mod compose;
mod sandbox;
mod values;

pub use compose::{
    letter_text, save_template, send_letter, template_of, write_letter, LetterError,
};
pub use values::values;

use minijinja::{Environment, UndefinedBehavior};
use redress_core::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every placeholder a template may use, and what it holds: the one list users are shown.
pub const PLACEHOLDERS: [(&str, &str); 14] = [
    ("council", "the council's name"),
    ("date", "the date of the letter"),
    ("reference", "the case's reference"),
    ("complainant_name", "the complainant's name"),
    ("received_on", "the date the complaint was received"),
    ("procedure", "the title of the procedure the complaint is under"),
    ("stage", "the number of the stage the letter is about"),
    ("stage_name", "that stage's name in the procedure"),
    ("respond_by", "the date the response is due"),
    ("new_date", "the extended date of the response"),
    (
        "reason",
        "the reason recorded on the case: for an extension or a rejection",
    ),
    (
        "advocate",
        "the offer of an advocate's help (Children Act 1989 s26A)",
    ),
    (
        "signposting",
        "where to go after a response: the next stage and its time limit, or the Ombudsman (required in responses)",
    ),
    (
        "ombudsman",
        "the contact details of the ombudsman of the council's nation (LGSCO, PSOW, SPSO or NIPSO)",
    ),
];

/// The letters Redress writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LetterKind {
    Acknowledgement,
    ExtensionNotice,
    #[serde(rename = "stage-1-response")]
    Stage1Response,
    #[serde(rename = "stage-2-adjudication")]
    Stage2Adjudication,
    #[serde(rename = "stage-3-response")]
    Stage3Response,
    Rejection,
    OutOfTime,
    Withdrawal,
}

impl LetterKind {
    pub const ALL: [LetterKind; 8] = [
        LetterKind::Acknowledgement,
        LetterKind::ExtensionNotice,
        LetterKind::Stage1Response,
        LetterKind::Stage2Adjudication,
        LetterKind::Stage3Response,
        LetterKind::Rejection,
        LetterKind::OutOfTime,
        LetterKind::Withdrawal,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => "acknowledgement",
            LetterKind::ExtensionNotice => "extension-notice",
            LetterKind::Stage1Response => "stage-1-response",
            LetterKind::Stage2Adjudication => "stage-2-adjudication",
            LetterKind::Stage3Response => "stage-3-response",
            LetterKind::Rejection => "rejection",
            LetterKind::OutOfTime => "out-of-time",
            LetterKind::Withdrawal => "withdrawal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => "Acknowledgement",
            LetterKind::ExtensionNotice => "Extension notice",
            LetterKind::Stage1Response => "Stage 1 response",
            LetterKind::Stage2Adjudication => "Stage 2 adjudication",
            LetterKind::Stage3Response => "Stage 3 response",
            LetterKind::Rejection => "Rejection",
            LetterKind::OutOfTime => "Outside the time limit",
            LetterKind::Withdrawal => "Withdrawal confirmation",
        }
    }

    pub fn parse(text: &str) -> Result<LetterKind, String> {
        LetterKind::ALL
            .into_iter()
            .find(|k| k.slug() == text)
            .ok_or_else(|| {
                let all: Vec<_> = LetterKind::ALL.iter().map(|k| k.slug()).collect();
                format!("'{text}' is not one of {}", all.join(", "))
            })
    }

    /// The stage a response answers; responses must signpost what comes after it.
    pub fn response_to(self) -> Option<usize> {
        match self {
            LetterKind::Stage1Response => Some(1),
            LetterKind::Stage2Adjudication => Some(2),
            LetterKind::Stage3Response => Some(3),
            _ => None,
        }
    }

    /// The built-in template in `language`: the Welsh ones are a first translation for the
    /// council's translators to check (`letters/cy/README.md`).
    pub fn builtin_in(self, language: Language) -> &'static str {
        match language {
            Language::En => self.builtin(),
            Language::Cy => match self {
                LetterKind::Acknowledgement => include_str!("../../letters/cy/acknowledgement.md"),
                LetterKind::ExtensionNotice => {
                    include_str!("../../letters/cy/extension-notice.md")
                }
                LetterKind::Stage1Response => include_str!("../../letters/cy/stage-1-response.md"),
                LetterKind::Stage2Adjudication => {
                    include_str!("../../letters/cy/stage-2-adjudication.md")
                }
                LetterKind::Stage3Response => include_str!("../../letters/cy/stage-3-response.md"),
                LetterKind::Rejection => include_str!("../../letters/cy/rejection.md"),
                LetterKind::OutOfTime => include_str!("../../letters/cy/out-of-time.md"),
                LetterKind::Withdrawal => include_str!("../../letters/cy/withdrawal.md"),
            },
        }
    }

    pub fn builtin(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => include_str!("../../letters/acknowledgement.md"),
            LetterKind::ExtensionNotice => include_str!("../../letters/extension-notice.md"),
            LetterKind::Stage1Response => include_str!("../../letters/stage-1-response.md"),
            LetterKind::Stage2Adjudication => {
                include_str!("../../letters/stage-2-adjudication.md")
            }
            LetterKind::Stage3Response => include_str!("../../letters/stage-3-response.md"),
            LetterKind::Rejection => include_str!("../../letters/rejection.md"),
            LetterKind::OutOfTime => include_str!("../../letters/out-of-time.md"),
            LetterKind::Withdrawal => include_str!("../../letters/withdrawal.md"),
        }
    }
}

/// Why a template is refused: a message naming its line, for the field `body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

/// The longest template accepted.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_fuel(Some(50_000));
    env
}

/// The first line on which `name` appears as a word, counting from 1.
fn line_of(body: &str, name: &str) -> usize {
    body.lines()
        .position(|line| {
            line.match_indices(name).any(|(i, _)| {
                let word = |c: char| c.is_alphanumeric() || c == '_';
                let before = line[..i].chars().next_back().is_none_or(|c| !word(c));
                let after = line[i + name.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !word(c));
                before && after
            })
        })
        .map_or(1, |i| i + 1)
}

/// Checks a template: it parses, uses only what [`sandbox`] allows and the known
/// placeholders, fills with sample values, and a response carries the signposting block
/// outside any condition.
pub fn check(kind: LetterKind, body: &str) -> Result<(), TemplateError> {
    if body.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(TemplateError(format!(
            "the template must be {MAX_TEMPLATE_CHARS} characters or fewer"
        )));
    }
    let outline = sandbox::outline(body)?;
    let env = environment();
    let template = env
        .template_from_str(body)
        .map_err(|e| TemplateError(described(&e)))?;
    let mut unknown: Vec<String> = template
        .undeclared_variables(false)
        .into_iter()
        .filter(|name| !PLACEHOLDERS.iter().any(|(p, _)| p == name))
        .collect();
    unknown.sort_by_key(|name| (line_of(body, name), name.clone()));
    if let Some(name) = unknown.first() {
        return Err(TemplateError(format!(
            "line {}: unknown placeholder '{name}'",
            line_of(body, name)
        )));
    }
    // Statutory responses must signpost the next step (reg. 17(3)/19; LGSCO Complaint
    // Handling Code 5.5): a condition could drop it, so it must stand on its own.
    if kind.response_to().is_some() && !outline.signposting_always {
        return Err(TemplateError(
            "line 1: a response must contain the signposting block {{ signposting }}, outside any {% if %}".into(),
        ));
    }
    // A trial fill finds what the check of each part cannot; every filter's arguments, in
    // every branch, were counted above.
    render(&template, &sample_values()).map(|_| ())
}

fn sample_values() -> BTreeMap<&'static str, String> {
    PLACEHOLDERS
        .iter()
        .map(|(name, _)| (*name, format!("[{name}]")))
        .collect()
}

/// The longest letter a template may make: a letter too big to lay out is refused.
pub const MAX_LETTER_CHARS: usize = 100_000;

/// Renders into a writer with a budget, so a letter stops at its limit rather than growing.
fn render(
    template: &minijinja::Template<'_, '_>,
    values: &BTreeMap<&'static str, String>,
) -> Result<String, TemplateError> {
    let too_long = || {
        TemplateError(format!(
            "line 1: the letter would be longer than {MAX_LETTER_CHARS} characters"
        ))
    };
    let mut out = sandbox::Budgeted {
        bytes: Vec::new(),
        left: MAX_LETTER_CHARS * 4,
    };
    match template.render_captured_to(values, &mut out) {
        Ok(_) => {}
        Err(e) if e.kind() == minijinja::ErrorKind::WriteFailure => return Err(too_long()),
        Err(e) => return Err(TemplateError(described(&e))),
    }
    let letter = String::from_utf8(out.bytes).map_err(|_| too_long())?;
    if letter.chars().count() > MAX_LETTER_CHARS {
        return Err(too_long());
    }
    Ok(letter)
}

/// A letter's text as kept: without control characters (Word's XML cannot hold them), with
/// line breaks and tabs kept.
pub fn cleaned(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

fn described(error: &minijinja::Error) -> String {
    let what = error.detail().unwrap_or("the template could not be read");
    format!("line {}: {what}", error.line().unwrap_or(1))
}

/// Fills a template with a case's values. The template is checked again first: one saved
/// before a rule was added is refused with the reason, never run.
pub fn fill(
    kind: LetterKind,
    body: &str,
    values: &BTreeMap<&'static str, String>,
) -> Result<String, TemplateError> {
    check(kind, body)?;
    let env = environment();
    let template = env
        .template_from_str(body)
        .map_err(|e| TemplateError(described(&e)))?;
    let letter = cleaned(&render(&template, values)?);
    // The signposting must reach the letter itself, not only its source.
    if let Some(signposting) = values.get("signposting").filter(|s| !s.is_empty()) {
        if kind.response_to().is_some() && !letter.contains(&cleaned(signposting)) {
            return Err(TemplateError(
                "line 1: the letter lost its signposting block {{ signposting }}".into(),
            ));
        }
    }
    Ok(letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_template_passes_its_own_check() {
        for kind in LetterKind::ALL {
            assert_eq!(check(kind, kind.builtin()), Ok(()), "{kind:?}");
            assert_eq!(
                check(kind, kind.builtin_in(Language::Cy)),
                Ok(()),
                "Welsh {kind:?}"
            );
            assert_eq!(LetterKind::parse(kind.slug()), Ok(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.slug());
        }
    }

    #[test]
    fn an_unknown_placeholder_is_named_with_its_line() {
        let refused = check(
            LetterKind::Withdrawal,
            "Dear {{ council }},\n\nHello\n{{ foo }}",
        );
        assert_eq!(
            refused,
            Err(TemplateError("line 4: unknown placeholder 'foo'".into()))
        );
    }

    #[test]
    fn a_response_without_signposting_is_refused() {
        let refused = check(LetterKind::Stage1Response, "Dear {{ complainant_name }}").unwrap_err();
        assert!(refused.0.contains("signposting"), "{refused:?}");
        assert!(check(LetterKind::Withdrawal, "Dear {{ complainant_name }}").is_ok());
    }

    #[test]
    fn broken_syntax_and_runaway_loops_are_refused_not_run() {
        assert!(check(LetterKind::Withdrawal, "ok\n{{ council ")
            .unwrap_err()
            .0
            .starts_with("line 2"));
        let runaway =
            "{% for a in range(1000) %}{% for b in range(1000) %}x{% endfor %}{% endfor %}";
        assert!(check(LetterKind::Withdrawal, runaway).is_err());
        assert!(check(LetterKind::Withdrawal, "{% include 'x' %}").is_err());
        assert!(check(LetterKind::Withdrawal, "{{ council * 100000000000 }}").is_err());
        let long = "{% for a in range(20000) %}{{ ombudsman }}{% endfor %}";
        assert!(check(LetterKind::Withdrawal, long).is_err());
    }

    #[test]
    fn what_repeats_or_grows_text_is_refused_naming_its_line() {
        let refused = |body: &str| check(LetterKind::Withdrawal, body).unwrap_err().0;
        assert!(refused("a\n{{ council|replace('', council) }}")
            .starts_with("line 2: the filter 'replace' is not allowed"));
        assert!(refused("{% set a = council %}").contains("{% set %} is not allowed"));
        assert!(refused("{{ council * 3 }}").contains("arithmetic"));
        assert!(refused("{{ range(3) }}").contains("function call"));
        assert!(refused("{% macro m() %}x{% endmacro %}").contains("macro"));
        assert!(refused("{% with a = 1 %}{% endwith %}").contains("with"));
        assert!(refused("{{ council[0] }}").contains("index"));
        // What a council needs is allowed: conditions, concatenation, case filters, defaults.
        let wording = "{% if reason %}Because {{ reason|lower }}.{% else %}{{ council ~ ' ' ~ date }}{% endif %}{{ complainant_name|default('Sir or Madam')|title }}";
        assert_eq!(check(LetterKind::Withdrawal, wording), Ok(()));
    }

    #[test]
    fn every_branch_is_checked_not_only_the_one_sample_values_take() {
        let body = "{% if council == 'nobody' %}\n{{ council|default(1, 2, 3) }}{% endif %}";
        let refused = check(LetterKind::Withdrawal, body).unwrap_err().0;
        assert_eq!(refused, "line 2: the filter 'default' takes 0 to 2 values");
    }

    #[test]
    fn a_response_must_signpost_in_every_letter_it_makes() {
        let hidden = "{% if false %}{{ signposting }}{% endif %}";
        assert!(check(LetterKind::Stage1Response, hidden).is_err());
        let conditional = "{{ signposting if council == 'x' }}";
        assert!(check(LetterKind::Stage1Response, conditional).is_err());
        assert_eq!(
            check(LetterKind::Stage1Response, "{{ signposting }}"),
            Ok(())
        );
        let mut values = BTreeMap::new();
        values.insert("signposting", "Go to the Ombudsman.".to_string());
        let letter = fill(
            LetterKind::Stage1Response,
            "Dear all,\n{{ signposting }}",
            &values,
        );
        assert_eq!(letter, Ok("Dear all,\nGo to the Ombudsman.".to_string()));
    }

    #[test]
    fn a_letter_stops_at_its_budget() {
        let mut values = BTreeMap::new();
        values.insert("reason", "x".repeat(MAX_LETTER_CHARS / 4));
        let body = "{{ reason }}{{ reason }}{{ reason }}{{ reason }}{{ reason }}";
        let refused = fill(LetterKind::Withdrawal, body, &values).unwrap_err();
        assert!(refused.0.contains("longer than"), "{refused:?}");
    }

    #[test]
    fn control_characters_are_dropped_from_a_letter() {
        assert_eq!(cleaned("a\u{0}b\r\n\tc\u{1b}"), "ab\n\tc");
    }
}
