//! The four UK nations, each with its own social care complaints law, bank holidays and
//! ombudsman. An organisation's nation sets its calendar division, the ombudsman its letters
//! name, and which procedures it may run.

use crate::Procedure;
use redress_calendar::Division;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Nation {
    England,
    Wales,
    Scotland,
    NorthernIreland,
}

/// An ombudsman's published contact details, for the letters and the public pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Ombudsman {
    /// The short name used in the pages and the API, e.g. `LGSCO`.
    pub short_name: &'static str,
    pub name: &'static str,
    /// The name in Welsh, for Welsh-language letters (the English name where the ombudsman
    /// publishes none).
    pub name_cy: &'static str,
    pub post: &'static str,
    pub phone: &'static str,
    pub website: &'static str,
    /// What the ombudsman's case reference looks like, as a hint on the form.
    pub reference_hint: &'static str,
    /// Where the details and the ombudsman's jurisdiction come from.
    pub source: &'static str,
}

/// Local Government Act 1974 Part III, as amended for adult social care by the Health Act
/// 2009; contact details from www.lgo.org.uk ("Contact us").
const LGSCO: Ombudsman = Ombudsman {
    short_name: "LGSCO",
    name: "Local Government and Social Care Ombudsman",
    name_cy: "Local Government and Social Care Ombudsman",
    post: "PO Box 4771, Coventry, CV4 0EH",
    phone: "0300 061 0614",
    website: "www.lgo.org.uk",
    reference_hint: "e.g. 24 012 345",
    source: "Local Government Act 1974 Part III (s26(2): after the council has had the chance to answer); www.lgo.org.uk",
};

/// Public Services Ombudsman (Wales) Act 2019; contact details from www.ombudsman.wales.
const PSOW: Ombudsman = Ombudsman {
    short_name: "PSOW",
    name: "Public Services Ombudsman for Wales",
    name_cy: "Ombwdsmon Gwasanaethau Cyhoeddus Cymru",
    post: "1 Ffordd yr Hen Gae, Pencoed, CF35 5LJ",
    phone: "0300 790 0203",
    website: "www.ombudsman.wales",
    reference_hint: "as on the Ombudsman's letter, e.g. 202401234",
    source: "Public Services Ombudsman (Wales) Act 2019; Social Services Complaints Procedure (Wales) Regulations 2014; www.ombudsman.wales",
};

/// Scottish Public Services Ombudsman Act 2002; contact details from www.spso.org.uk.
const SPSO: Ombudsman = Ombudsman {
    short_name: "SPSO",
    name: "Scottish Public Services Ombudsman",
    name_cy: "Scottish Public Services Ombudsman",
    post: "Freepost SPSO (Bridgeside House, 99 McDonald Road, Edinburgh, EH7 4NS)",
    phone: "0800 377 7330",
    website: "www.spso.org.uk",
    reference_hint: "as on the Ombudsman's letter, e.g. 202401234",
    source: "Scottish Public Services Ombudsman Act 2002 (social work complaints since 1 April 2017); www.spso.org.uk",
};

/// Public Services Ombudsman Act (Northern Ireland) 2016; contact details from
/// www.nipso.org.uk.
const NIPSO: Ombudsman = Ombudsman {
    short_name: "NIPSO",
    name: "Northern Ireland Public Services Ombudsman",
    name_cy: "Northern Ireland Public Services Ombudsman",
    post: "Freepost NIPSO (Progressive House, 33 Wellington Place, Belfast, BT1 6HN)",
    phone: "0800 34 34 24",
    website: "www.nipso.org.uk",
    reference_hint: "as on the Ombudsman's letter, e.g. 202401234",
    source: "Public Services Ombudsman Act (Northern Ireland) 2016; www.nipso.org.uk",
};

impl Ombudsman {
    /// The paragraph a final response letter prints.
    pub fn paragraph(&self) -> String {
        self.paragraph_in(crate::Language::En)
    }

    /// The paragraph in the language the complainant is written to in.
    pub fn paragraph_in(&self, language: crate::Language) -> String {
        match language {
            crate::Language::En => format!(
                "You can ask the {} to look at your complaint. The Ombudsman is independent and free to use. Write to {}, telephone {}, or complain online at {}.",
                self.name, self.post, self.phone, self.website
            ),
            crate::Language::Cy => format!(
                "Gallwch ofyn i {} edrych ar eich cwyn. Mae'r Ombwdsmon yn annibynnol ac mae'n rhad ac am ddim. Ysgrifennwch at {}, ffoniwch {}, neu cwynwch ar-lein yn {}.",
                self.name_cy, self.post, self.phone, self.website
            ),
        }
    }
}

/// A procedure that the organisation's nation does not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{procedure}' is {law}, which does not apply in {nation}")]
pub struct WrongNation {
    /// The index of the procedure in the list checked.
    pub position: usize,
    pub procedure: String,
    pub law: String,
    pub nation: Nation,
}

impl Nation {
    pub const ALL: [Nation; 4] = [
        Nation::England,
        Nation::Wales,
        Nation::Scotland,
        Nation::NorthernIreland,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Nation::England => "england",
            Nation::Wales => "wales",
            Nation::Scotland => "scotland",
            Nation::NorthernIreland => "northern-ireland",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Nation::England => "England",
            Nation::Wales => "Wales",
            Nation::Scotland => "Scotland",
            Nation::NorthernIreland => "Northern Ireland",
        }
    }

    /// The gov.uk bank-holiday list its working days are counted on: England and Wales share
    /// one.
    pub fn division(self) -> Division {
        match self {
            Nation::England | Nation::Wales => Division::EnglandAndWales,
            Nation::Scotland => Division::Scotland,
            Nation::NorthernIreland => Division::NorthernIreland,
        }
    }

    /// The nation of an organisation recorded before nations existed: England where the
    /// division is England and Wales, as every such organisation then ran England's law.
    pub fn of_division(division: Division) -> Nation {
        match division {
            Division::EnglandAndWales => Nation::England,
            Division::Scotland => Nation::Scotland,
            Division::NorthernIreland => Nation::NorthernIreland,
        }
    }

    pub fn ombudsman(self) -> &'static Ombudsman {
        match self {
            Nation::England => &LGSCO,
            Nation::Wales => &PSOW,
            Nation::Scotland => &SPSO,
            Nation::NorthernIreland => &NIPSO,
        }
    }

    /// The presets a new organisation in this nation starts with: the social care procedures
    /// its law requires, and in England the council's corporate procedure beside them.
    pub fn default_presets(self) -> &'static [&'static str] {
        match self {
            Nation::England => &["statutory", "adult-social-care", "corporate"],
            Nation::Wales => &["wales-social-services"],
            Nation::Scotland => &["spso-mchp"],
            Nation::NorthernIreland => &["ni-hsc"],
        }
    }

    pub fn default_procedures(self) -> Vec<Procedure> {
        self.default_presets()
            .iter()
            .filter_map(|name| Procedure::preset(name))
            .collect()
    }

    /// Refuses a procedure made by the law of another nation, e.g. England's statutory
    /// children's procedure in Scotland. A procedure that names no nation (a council's own)
    /// may run anywhere.
    pub fn check_procedures(self, procedures: &[Procedure]) -> Result<(), WrongNation> {
        match procedures
            .iter()
            .enumerate()
            .find(|(_, p)| !p.nations.is_empty() && !p.nations.contains(&self))
        {
            None => Ok(()),
            Some((position, p)) => Err(WrongNation {
                position,
                procedure: p.name.clone(),
                law: format!(
                    "{} ({})",
                    p.title,
                    p.nations
                        .iter()
                        .map(|n| n.title())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                nation: self,
            }),
        }
    }
}

impl fmt::Display for Nation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

impl FromStr for Nation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Nation::ALL
            .into_iter()
            .find(|n| n.as_str() == s)
            .ok_or_else(|| {
                format!("unknown nation '{s}': expected one of england, wales, scotland, northern-ireland")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_nation_has_its_own_ombudsman_and_calendar() {
        let shorts: Vec<_> = Nation::ALL
            .iter()
            .map(|n| n.ombudsman().short_name)
            .collect();
        assert_eq!(shorts, ["LGSCO", "PSOW", "SPSO", "NIPSO"]);
        assert_eq!(Nation::Wales.division(), Division::EnglandAndWales);
        assert_eq!(Nation::Scotland.division(), Division::Scotland);
        assert_eq!(
            Nation::NorthernIreland.division(),
            Division::NorthernIreland
        );
    }

    #[test]
    fn english_childrens_procedure_is_refused_in_scotland_naming_it() {
        let procedures = vec![
            Procedure::preset("spso-mchp").unwrap(),
            Procedure::preset("statutory").unwrap(),
        ];
        let err = Nation::Scotland.check_procedures(&procedures).unwrap_err();
        assert_eq!(err.position, 1);
        assert_eq!(err.procedure, "statutory");
        assert!(err.to_string().contains("Scotland"), "{err}");
        assert!(Nation::England
            .check_procedures(&Nation::England.default_procedures())
            .is_ok());
    }

    #[test]
    fn every_nations_defaults_are_its_own_and_exist() {
        for nation in Nation::ALL {
            let procedures = nation.default_procedures();
            assert_eq!(procedures.len(), nation.default_presets().len(), "{nation}");
            assert!(nation.check_procedures(&procedures).is_ok(), "{nation}");
            assert_eq!(nation.as_str().parse::<Nation>(), Ok(nation));
        }
        assert!("cymru".parse::<Nation>().unwrap_err().contains("cymru"));
    }
}
