//! The language a complainant chose to be written to in: English, or Welsh, which the Welsh
//! Language Standards (Welsh Language (Wales) Measure 2011) oblige Welsh councils to offer in
//! their forms and correspondence.

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Cy,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Cy];

    /// The BCP 47 tag, as `<html lang>` and the `lang` parameter write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Cy => "cy",
        }
    }

    /// A date as a letter or an email prints it: "6 December 2026", "6 Rhagfyr 2026".
    pub fn date(self, on: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        const MISOEDD: [&str; 12] = [
            "Ionawr",
            "Chwefror",
            "Mawrth",
            "Ebrill",
            "Mai",
            "Mehefin",
            "Gorffennaf",
            "Awst",
            "Medi",
            "Hydref",
            "Tachwedd",
            "Rhagfyr",
        ];
        match self {
            Language::En => on.format("%-d %B %Y").to_string(),
            Language::Cy => format!(
                "{} {} {}",
                on.day(),
                MISOEDD[on.month0() as usize],
                on.year()
            ),
        }
    }

    pub fn parse(text: &str) -> Option<Language> {
        match text {
            "en" => Some(Language::En),
            "cy" => Some(Language::Cy),
            _ => None,
        }
    }
}
