//! The public pages' language, and their words: the language is chosen from `?lang=`, else the
//! `lang` cookie, else the browser's Accept-Language, else English (Welsh Language Standards:
//! the public can use the council's forms in Welsh); the words are looked up in the Project
//! Fluent catalogues under `crates/web/locales/`, embedded in the binary. Staff pages stay in
//! English: a template without a language is rendered in English.

use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::response::Response;
use chrono::Datelike;
use cookie::{Cookie, SameSite};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use minijinja::value::Kwargs;
use minijinja::{context, State, Value};
use std::convert::Infallible;
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

/// The cookie that remembers a visitor's choice.
const COOKIE_NAME: &str = "lang";
/// How long the choice is remembered: a year, as GOV.UK services do.
const REMEMBERED_FOR_DAYS: i64 = 365;

/// A language the public pages are written in: core's, the one a case records its
/// complainant is written to in.
pub(crate) use redress_core::Language;

/// The public pages' words in a language, from its Fluent catalogue.
pub(crate) trait PublicText: Sized {
    /// The language a tag such as "cy", "CY-gb" or "en-GB" names, if it is one of ours.
    fn from_tag(tag: &str) -> Option<Self>;
    /// A message with no arguments, as plain text (the template escapes it).
    fn text(self, id: &str) -> String;
    /// A message with its arguments, as plain text (the template escapes it).
    fn text_with(self, id: &str, args: &[(&str, &str)]) -> String;
    /// "Wednesday 25 November 2026", or "Dydd Mercher 25 Tachwedd 2026".
    fn long_date(self, date: chrono::NaiveDate) -> String;
}

impl PublicText for Language {
    fn from_tag(tag: &str) -> Option<Language> {
        let id: LanguageIdentifier = tag.trim().parse().ok()?;
        Language::ALL
            .into_iter()
            .find(|l| id.language.as_str() == l.as_str())
    }

    fn text(self, id: &str) -> String {
        self.text_with(id, &[])
    }

    fn text_with(self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        format(self, id, &fluent_args)
    }

    fn long_date(self, date: chrono::NaiveDate) -> String {
        let weekday = self.text(&format!("weekday-{}", date.weekday().number_from_monday()));
        let month = self.text(&format!("month-{}", date.month()));
        self.text_with(
            "long-date",
            &[
                ("weekday", &weekday),
                ("day", &date.day().to_string()),
                ("month", &month),
                ("year", &date.year().to_string()),
            ],
        )
    }
}

/// The language the switch link offers.
fn other(language: Language) -> Language {
    match language {
        Language::En => Language::Cy,
        Language::Cy => Language::En,
    }
}

fn catalogue(language: Language) -> &'static str {
    match language {
        Language::En => include_str!("../../locales/en/public.ftl"),
        Language::Cy => include_str!("../../locales/cy/public.ftl"),
    }
}

/// The message `id`, from this language's catalogue, else the English one (a message not yet
/// translated shows in English rather than not at all), else the id itself.
fn format(language: Language, id: &str, args: &FluentArgs) -> String {
    for language in [language, Language::En] {
        let bundle = bundle(language);
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(message = id, ?errors, "a message's arguments were wrong");
            }
            return text.into_owned();
        }
    }
    tracing::warn!(message = id, "no such message in the catalogues");
    id.to_string()
}

/// Both catalogues, parsed once. A fault in one is logged and the rest of it used (the unit
/// tests below refuse any fault, so none ships).
fn bundle(language: Language) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| Language::ALL.map(load));
    match language {
        Language::En => &bundles[0],
        Language::Cy => &bundles[1],
    }
}

fn load(language: Language) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = language.as_str().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // The words go into HTML, not bidirectional text: no Unicode isolation marks around values.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(catalogue(language).to_string()).unwrap_or_else(
        |(partial, errors)| {
            tracing::error!(language = language.as_str(), ?errors, "catalogue faults");
            partial
        },
    );
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(language = language.as_str(), ?errors, "catalogue faults");
    }
    bundle
}

/// The template function `t("id", name=value, ...)`: the message in the page's language (its
/// `lang` value; English without one). Catalogue text is trusted and may hold markup such as
/// `<strong>`; the values passed in are escaped.
pub(crate) fn template_text(
    state: &State,
    id: &str,
    values: Kwargs,
) -> Result<Value, minijinja::Error> {
    let language = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Language::from_tag))
        .unwrap_or_default();
    let mut args = FluentArgs::new();
    for name in values.args() {
        let value: Value = values.get(name)?;
        let escaped = minijinja::HtmlEscape(&value.to_string()).to_string();
        args.set(name.to_string(), FluentValue::from(escaped));
    }
    values.assert_all_used()?;
    Ok(Value::from_safe_string(format(language, id, &args)))
}

/// The language a public page is shown in, as the request chose it, and where the page is (for
/// the link that shows it in the other language).
pub(crate) struct ChosenLanguage {
    pub language: Language,
    /// Chosen now with `?lang=`: the answer sets the cookie.
    chosen_now: bool,
    /// Over TLS (or so configured): the cookie is marked Secure, as the session's is.
    secure: bool,
    path: String,
}

impl ChosenLanguage {
    /// The values every public page's templates take: the language and the link to the other.
    pub fn context(&self, language: Language) -> Value {
        let other = other(language);
        context! {
            lang => language.as_str(),
            language_switch => context! {
                href => format!("{}?lang={}", self.path, other.as_str()),
                code => other.as_str(),
                name => other.text("language-name"),
            },
        }
    }

    /// Remembers a choice made with `?lang=` in the `lang` cookie.
    pub fn remember(&self, mut response: Response) -> Response {
        if self.chosen_now {
            let cookie = Cookie::build((COOKIE_NAME, self.language.as_str()))
                .path("/")
                .same_site(SameSite::Lax)
                .http_only(true)
                .secure(self.secure)
                .max_age(cookie::time::Duration::days(REMEMBERED_FOR_DAYS))
                .build();
            if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
                response.headers_mut().append(SET_COOKIE, value);
            }
        }
        response
    }
}

/// `?lang=` first (an unknown value reads as English, never a refusal), then the cookie, then
/// the browser's preference, then English.
fn choose(parts: &Parts) -> (Language, bool) {
    let asked = parts.uri.query().and_then(|query| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .into_iter()
            .find(|(name, _)| name == "lang")
            .map(|(_, value)| value)
    });
    if let Some(asked) = asked {
        return match Language::from_tag(&asked) {
            Some(language) => (language, true),
            None => (Language::En, false),
        };
    }
    let remembered = parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == COOKIE_NAME)
        .and_then(|c| Language::from_tag(c.value()));
    let preferred = || {
        parts
            .headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(preferred_language)
    };
    (remembered.or_else(preferred).unwrap_or_default(), false)
}

/// Of our languages, the one an Accept-Language header ranks highest ("en;q=0.8, cy" is
/// Welsh); on a tie, the one listed first.
fn preferred_language(header: &str) -> Option<Language> {
    let mut best: Option<(Language, f32)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let Some(language) = parts.next().and_then(Language::from_tag) else {
            continue;
        };
        let quality = match parts.find_map(|p| p.trim().strip_prefix("q=")) {
            Some(q) => q.trim().parse::<f32>().unwrap_or(0.0),
            None => 1.0,
        };
        // q=0 means "not this one"; a value out of range is ignored.
        if !(quality > 0.0 && quality <= 1.0) {
            continue;
        }
        if best.is_none_or(|(_, b)| quality > b) {
            best = Some((language, quality));
        }
    }
    best.map(|(language, _)| language)
}

impl FromRequestParts<AppState> for ChosenLanguage {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let (language, chosen_now) = choose(parts);
        let secure = state.auth.secure_cookies.unwrap_or_else(|| {
            parts
                .headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https"))
        });
        Ok(ChosenLanguage {
            language,
            chosen_now,
            secure,
            path: parts.uri.path().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of a catalogue's messages, which parses without a fault.
    fn message_ids(language: Language) -> Vec<String> {
        if let Err((_, errors)) = FluentResource::try_new(catalogue(language).to_string()) {
            panic!("{language:?} catalogue: {errors:?}");
        }
        catalogue(language)
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once(" ="))
            .map(|(id, _)| id.trim().to_string())
            .collect()
    }

    #[test]
    fn both_catalogues_parse_and_hold_the_same_messages() {
        let (mut english, mut welsh) = (message_ids(Language::En), message_ids(Language::Cy));
        english.sort();
        welsh.sort();
        assert_eq!(english, welsh, "every message is in both catalogues");
    }

    #[test]
    fn the_welsh_catalogue_says_it_is_to_be_checked() {
        assert!(catalogue(Language::Cy).starts_with("# This is a first translation"));
    }

    #[test]
    fn messages_format_in_each_language() {
        assert_eq!(Language::En.text("skip-link"), "Skip to main content");
        assert_eq!(Language::Cy.text("skip-link"), "Neidio i'r prif gynnwys");
        assert_eq!(Language::Cy.text("no-such-message"), "no-such-message");
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(Language::En.long_date(date), "Wednesday 25 November 2026");
        assert_eq!(
            Language::Cy.long_date(date),
            "Dydd Mercher 25 Tachwedd 2026"
        );
    }

    #[test]
    fn accept_language_ranks_the_languages() {
        assert_eq!(preferred_language("cy"), Some(Language::Cy));
        assert_eq!(preferred_language("cy-GB,en;q=0.8"), Some(Language::Cy));
        assert_eq!(preferred_language("en;q=0.8, cy"), Some(Language::Cy));
        assert_eq!(preferred_language("en-GB,cy;q=0.5"), Some(Language::En));
        assert_eq!(preferred_language("fr, cy;q=0"), None);
        assert_eq!(preferred_language("cy;q=nonsense, *"), None);
        assert_eq!(preferred_language(""), None);
        assert_eq!(preferred_language(";;;,,,q=1"), None);
    }
}
