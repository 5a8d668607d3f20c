//! What a response letter must tell the complainant about where to go next: the next stage of
//! the procedure and how long they have to ask for it, or, after the last stage, the ombudsman
//! of the organisation's nation (LGSCO, PSOW, SPSO or NIPSO).
//!
//! Sources: SI 2006/1738 reg. 18(1) (a complainant unhappy with the Stage 1 response may ask
//! for Stage 2) and reg. 19(1) (after Stage 2, a review panel); "Getting the Best from
//! Complaints" (DfES 2006) para. 3.9.3 and the LGSCO Complaint Handling Code (2024) para. 6.16,
//! which require each response to say how to escalate and, at the final stage, how to
//! contact the Ombudsman (Local Government Act 1974 s26(2) lets it consider a complaint once
//! the council has had the chance to answer it).

use crate::procedure::Procedure;
use crate::Nation;
use serde::Serialize;

/// Where the complainant may go after a stage's response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signpost {
    /// The procedure's next stage, asked for within this many working days of the response
    /// (`None` where the procedure sets no window).
    NextStage {
        number: usize,
        name: String,
        within_working_days: Option<u32>,
    },
    /// After the last stage: the ombudsman of the organisation's nation.
    Ombudsman { nation: Nation },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the procedure '{procedure}' has no Stage {stage}")]
pub struct NoSuchStage {
    pub procedure: String,
    pub stage: usize,
}

/// Where to go after the response at `stage` (counting from 1) of `procedure`, run in
/// `nation`.
pub fn signpost(
    procedure: &Procedure,
    stage: usize,
    nation: Nation,
) -> Result<Signpost, NoSuchStage> {
    let rule = procedure.stage(stage).ok_or_else(|| NoSuchStage {
        procedure: procedure.name.clone(),
        stage,
    })?;
    Ok(match procedure.stage(stage + 1) {
        Some(next) => Signpost::NextStage {
            number: stage + 1,
            name: next.name.clone(),
            within_working_days: rule.request_next_within,
        },
        None => Signpost::Ombudsman { nation },
    })
}

impl Signpost {
    /// The block a response letter prints, in plain English.
    pub fn text(&self) -> String {
        self.text_in(crate::Language::En)
    }

    /// The block in the language the complainant is written to in.
    pub fn text_in(&self, language: crate::Language) -> String {
        if language == crate::Language::Cy {
            return self.welsh();
        }
        match self {
            Signpost::NextStage {
                number,
                name,
                within_working_days: Some(days),
            } => format!(
                "If you are not satisfied with this response, you can ask for your complaint to go to Stage {number} ({name}). Please tell us within {days} working days of the date of this letter."
            ),
            Signpost::NextStage {
                number,
                name,
                within_working_days: None,
            } => format!(
                "If you are not satisfied with this response, you can ask for your complaint to go to Stage {number} ({name})."
            ),
            Signpost::Ombudsman { nation } => format!(
                "This is our final response to your complaint. If you remain unhappy, {}",
                lowercase_first(&nation.ombudsman().paragraph())
            ),
        }
    }
}

impl Signpost {
    /// A first translation, for the council's translators to check (Welsh Language
    /// Standards).
    fn welsh(&self) -> String {
        match self {
            Signpost::NextStage {
                number,
                name,
                within_working_days: Some(days),
            } => format!(
                "Os nad ydych yn fodlon â'r ymateb hwn, gallwch ofyn i'ch cwyn fynd i Gam {number} ({name}). Rhowch wybod i ni cyn pen {days} diwrnod gwaith o ddyddiad y llythyr hwn."
            ),
            Signpost::NextStage {
                number,
                name,
                within_working_days: None,
            } => format!(
                "Os nad ydych yn fodlon â'r ymateb hwn, gallwch ofyn i'ch cwyn fynd i Gam {number} ({name})."
            ),
            Signpost::Ombudsman { nation } => format!(
                "Dyma ein hymateb terfynol i'ch cwyn. Os ydych yn dal yn anfodlon, {}",
                lowercase_first(&nation.ombudsman().paragraph_in(crate::Language::Cy))
            ),
        }
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(name: &str) -> Procedure {
        Procedure::preset(name).unwrap()
    }

    #[test]
    fn statutory_stage_1_points_to_stage_2_within_20_working_days() {
        let sign = signpost(&preset("statutory"), 1, Nation::England).unwrap();
        assert_eq!(
            sign,
            Signpost::NextStage {
                number: 2,
                name: "Investigation".into(),
                within_working_days: Some(20)
            }
        );
        assert!(sign.text().contains("Stage 2"));
        assert!(sign.text().contains("within 20 working days"));
    }

    #[test]
    fn statutory_stage_2_points_to_the_review_panel() {
        let sign = signpost(&preset("statutory"), 2, Nation::England).unwrap();
        assert!(matches!(sign, Signpost::NextStage { number: 3, .. }));
        assert!(sign.text().contains("Review panel"));
    }

    #[test]
    fn the_last_stage_points_to_the_ombudsman_with_its_contact_details() {
        for (name, last) in [("statutory", 3), ("corporate", 2), ("lgsco-code", 2)] {
            let sign = signpost(&preset(name), last, Nation::England).unwrap();
            assert_eq!(
                sign,
                Signpost::Ombudsman {
                    nation: Nation::England
                },
                "{name}"
            );
            let text = sign.text();
            for needle in [
                "Local Government and Social Care Ombudsman",
                "PO Box 4771, Coventry, CV4 0EH",
                "0300 061 0614",
                "www.lgo.org.uk",
            ] {
                assert!(text.contains(needle), "{name}: {text}");
            }
        }
    }

    #[test]
    fn the_window_comes_from_the_procedure_data() {
        let mut procedure = preset("corporate");
        procedure.stages[0].request_next_within = Some(28);
        assert!(signpost(&procedure, 1, Nation::England)
            .unwrap()
            .text()
            .contains("28 working days"));
        procedure.stages[0].request_next_within = None;
        assert!(!signpost(&procedure, 1, Nation::England)
            .unwrap()
            .text()
            .contains("working days"));
    }

    #[test]
    fn the_ombudsman_follows_the_nation() {
        for (name, last, nation, needles) in [
            (
                "wales-social-services",
                2,
                Nation::Wales,
                ["Public Services Ombudsman for Wales", "www.ombudsman.wales"],
            ),
            (
                "spso-mchp",
                2,
                Nation::Scotland,
                ["Scottish Public Services Ombudsman", "www.spso.org.uk"],
            ),
            (
                "ni-hsc",
                1,
                Nation::NorthernIreland,
                [
                    "Northern Ireland Public Services Ombudsman",
                    "www.nipso.org.uk",
                ],
            ),
            (
                "adult-social-care",
                1,
                Nation::England,
                [
                    "Local Government and Social Care Ombudsman",
                    "www.lgo.org.uk",
                ],
            ),
        ] {
            let text = signpost(&preset(name), last, nation).unwrap().text();
            for needle in needles {
                assert!(text.contains(needle), "{name}: {text}");
            }
            assert!(
                !text.contains("Local Government") || nation == Nation::England,
                "{name}: {text}"
            );
        }
    }

    #[test]
    fn a_welsh_letter_names_the_ombudsman_in_welsh() {
        let text = signpost(&preset("wales-social-services"), 2, Nation::Wales)
            .unwrap()
            .text_in(crate::Language::Cy);
        assert!(
            text.contains("Ombwdsmon Gwasanaethau Cyhoeddus Cymru"),
            "{text}"
        );
        assert!(text.contains("www.ombudsman.wales"), "{text}");
        let first = signpost(&preset("wales-social-services"), 1, Nation::Wales)
            .unwrap()
            .text_in(crate::Language::Cy);
        assert!(first.contains("Gam 2 (Formal investigation)"), "{first}");
    }

    #[test]
    fn a_stage_the_procedure_lacks_is_an_error() {
        assert!(signpost(&preset("corporate"), 0, Nation::England).is_err());
        assert!(signpost(&preset("corporate"), 3, Nation::England).is_err());
    }
}
