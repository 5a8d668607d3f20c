//! A procedure is data: its stages and their working-day timescales. The built-in presets
//! carry the figures from the regulations and codes; a council may define its own.

use serde::{Deserialize, Serialize};

/// When a stage's response clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// From the day the complaint (or the request for this stage) is received.
    Receipt,
    /// From the day it is acknowledged, as in the LGSCO Complaint Handling Code.
    Acknowledgement,
}

/// The review-panel timescales of statutory Stage 3 (regs 19 and 20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PanelRule {
    /// The panel meets within this many working days of the request.
    pub meet_within: u32,
    /// The panel reports within this many working days of meeting.
    pub report_within: u32,
    /// The council responds within this many working days of the panel's report.
    pub respond_within: u32,
}

impl PanelRule {
    /// Working days from the panel meeting to the council's response.
    pub fn response_after_panel(&self) -> u32 {
        self.report_within + self.respond_within
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StageRule {
    pub name: String,
    pub clock_start: ClockStart,
    /// Working days allowed to acknowledge, where the procedure sets a limit.
    pub acknowledge_within: Option<u32>,
    /// Working days to respond, counted from the clock start.
    pub respond_within: u32,
    /// The most the response limit may be extended to (equal to `respond_within` when it may
    /// not be extended).
    pub max_extended_to: u32,
    /// Working days the complainant has, after this stage's response, to ask for the next
    /// stage. `None` on the last stage.
    pub request_next_within: Option<u32>,
    /// Set on a review-panel stage, whose timeliness is judged by the panel rule.
    pub panel: Option<PanelRule>,
    /// Set where the response period is agreed with the complainant rather than fixed (SI
    /// 2009/309 reg. 14(2)); `respond_within` is then unused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_period: Option<AgreedPeriodRule>,
}

/// A response period agreed with the complainant, with the default where none is agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgreedPeriodRule {
    /// Calendar months from receipt when no period is agreed (6 under reg. 14(2)).
    pub default_months: u32,
}

impl StageRule {
    /// An extension "with reasons" and no fixed ceiling (Wales 2014, the SPSO model
    /// procedure, the NI HSC guidance) is capped at a working year, the most a limit may be.
    pub const NO_FIXED_MAXIMUM: u32 = crate::WorkingDays::MAX;
}

/// What kind of procedure it is: the report groups by kind, never by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureKind {
    /// The Children Act 1989 representations procedure (SI 2006/1738).
    Statutory,
    /// The council's own procedure.
    Corporate,
    /// A complaint-handling code such as the LGSCO's.
    ComplaintHandlingCode,
    /// England's adult social care procedure (SI 2009/309).
    AdultSocialCare,
    /// The Social Services Complaints Procedure (Wales) Regulations 2014.
    WalesSocialServices,
    /// The SPSO Model Complaints Handling Procedure (Scotland).
    ModelComplaintsHandling,
    /// The Health and Social Care complaints procedure (Northern Ireland).
    HealthAndSocialCare,
}

impl ProcedureKind {
    /// The name kept in the statistics table, as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcedureKind::Statutory => "statutory",
            ProcedureKind::Corporate => "corporate",
            ProcedureKind::ComplaintHandlingCode => "complaint_handling_code",
            ProcedureKind::AdultSocialCare => "adult_social_care",
            ProcedureKind::WalesSocialServices => "wales_social_services",
            ProcedureKind::ModelComplaintsHandling => "model_complaints_handling",
            ProcedureKind::HealthAndSocialCare => "health_and_social_care",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Procedure {
    /// Short machine name, e.g. `statutory`.
    pub name: String,
    pub title: String,
    /// Where the timescales come from, so a reader can check them.
    pub source: String,
    /// Absent in procedures saved before kinds existed: read from the name then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ProcedureKind>,
    /// Whether the clock may be stopped (waiting for the complainant). Absent: by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_stops: Option<bool>,
    /// Whether the council's own closure days lengthen its deadlines. Absent: by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure_days_count: Option<bool>,
    pub stages: Vec<StageRule>,
    /// Which definition of the procedure this is. A built-in preset that changes gets a new
    /// version; stages answered under an earlier one are still judged by it.
    #[serde(default = "Procedure::first_version")]
    pub version: u32,
    /// The nations whose law makes this procedure; empty for a council's own, which may run
    /// anywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nations: Vec<crate::Nation>,
    /// Months after the matter arose within which a complaint is made, beyond which it is
    /// considered only with recorded grounds. Absent: by kind (12 on the statutory one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_within_months: Option<u32>,
}

impl Procedure {
    fn first_version() -> u32 {
        1
    }

    pub const PRESETS: [&'static str; 7] = [
        "statutory",
        "corporate",
        "lgsco-code",
        "adult-social-care",
        "wales-social-services",
        "spso-mchp",
        "ni-hsc",
    ];

    pub fn preset(name: &str) -> Option<Procedure> {
        match name {
            "statutory" => Some(statutory()),
            "corporate" => Some(corporate()),
            "lgsco-code" => Some(lgsco_code()),
            "adult-social-care" => Some(crate::uk_presets::adult_social_care()),
            "wales-social-services" => Some(crate::uk_presets::wales_social_services()),
            "spso-mchp" => Some(crate::uk_presets::spso_mchp()),
            "ni-hsc" => Some(crate::uk_presets::ni_hsc()),
            _ => None,
        }
    }

    /// The time limit for making a complaint, in months after the matter arose: the
    /// procedure's own, or reg. 9's 12 months on the statutory children's procedure.
    pub fn complaint_within_months(&self) -> Option<u32> {
        self.complaint_within_months
            .or(self.is_statutory().then_some(12))
    }

    pub fn presets() -> Vec<Procedure> {
        Self::PRESETS
            .iter()
            .filter_map(|n| Self::preset(n))
            .collect()
    }

    pub fn kind(&self) -> ProcedureKind {
        self.kind.unwrap_or(match self.name.as_str() {
            "statutory" => ProcedureKind::Statutory,
            "lgsco-code" => ProcedureKind::ComplaintHandlingCode,
            _ => ProcedureKind::Corporate,
        })
    }

    /// Whether an extension needs the day the complainant was told why and when: SI
    /// 2006/1738 regs. 14(3) and 17(3); the Welsh 2014 Regulations' guide; the SPSO MCHP
    /// (Stage 2: "tell the customer of the revised timescale and why"); the NI Standards and
    /// Guidelines ("an explanation and a new date").
    pub fn extension_needs_notice(&self) -> bool {
        matches!(
            self.kind(),
            ProcedureKind::Statutory
                | ProcedureKind::WalesSocialServices
                | ProcedureKind::ModelComplaintsHandling
                | ProcedureKind::HealthAndSocialCare
        )
    }

    /// The annual report a council publishes for this kind of procedure: reg. 13 of SI
    /// 2006/1738 (children), reg. 18 of SI 2009/309 (adults), the Welsh 2014 Regulations'
    /// annual report, the SPSO's annual complaints performance report (MCHP Part 5).
    pub fn report_title(&self) -> &'static str {
        match self.kind() {
            ProcedureKind::Statutory => "Children's Social Care Annual Complaints Report",
            ProcedureKind::AdultSocialCare => {
                "Adult Social Care Annual Complaints Report (regulation 18, SI 2009/309)"
            }
            ProcedureKind::WalesSocialServices => "Social Services Annual Complaints Report",
            ProcedureKind::ModelComplaintsHandling => "Complaints Handling Annual Report",
            ProcedureKind::HealthAndSocialCare => "Social Care Complaints Annual Report",
            ProcedureKind::Corporate | ProcedureKind::ComplaintHandlingCode => {
                "Corporate Complaints Annual Report"
            }
        }
    }

    pub fn is_statutory(&self) -> bool {
        self.kind() == ProcedureKind::Statutory
    }

    /// SI 2006/1738 sets fixed limits with no clock stop: a statutory deadline never runs past
    /// its maximum. A council's own procedure may stop the clock where its policy says so.
    pub fn allows_clock_stops(&self) -> bool {
        self.clock_stops.unwrap_or(!self.is_statutory())
    }

    /// Reg. 2's definition of a working day is complete (weekends, Christmas Day, Good Friday,
    /// bank holidays), so a council's own closure days lengthen only its own procedures.
    /// The calendar this procedure's deadlines are counted on, of an organisation's two: with
    /// its own closure days only where they count here (never the statutory procedure's, whose
    /// working days are reg. 2's: weekends and bank holidays).
    pub fn calendar_of<'a>(
        &self,
        with_closures: &'a redress_calendar::Calendar,
        bank_holidays_only: &'a redress_calendar::Calendar,
    ) -> &'a redress_calendar::Calendar {
        if self.closure_days_count() {
            with_closures
        } else {
            bank_holidays_only
        }
    }

    pub fn closure_days_count(&self) -> bool {
        self.closure_days_count.unwrap_or(!self.is_statutory())
    }

    /// Stage `number`, counting from 1.
    pub fn stage(&self, number: usize) -> Option<&StageRule> {
        number.checked_sub(1).and_then(|i| self.stages.get(i))
    }

    /// Plain-English lines describing each stage's timescales, used by the command line and
    /// by the report's appendices so that neither can disagree with the rules in force.
    pub fn describe(&self) -> Vec<(String, Vec<String>)> {
        self.stages
            .iter()
            .enumerate()
            .map(|(i, stage)| {
                let number = i + 1;
                let mut lines = Vec::new();
                if let Some(ack) = stage.acknowledge_within {
                    lines.push(format!("acknowledge within {ack} working days"));
                }
                let from = match (stage.clock_start, number) {
                    (ClockStart::Acknowledgement, _) => "of acknowledgement",
                    (ClockStart::Receipt, 1) => "of receipt",
                    (ClockStart::Receipt, _) => "of the request",
                };
                match (&stage.panel, stage.agreed_period) {
                    (_, Some(agreed)) => lines.push(format!(
                        "respond within the period agreed with the complainant, or within {} months of receipt when none is agreed; a later date is agreed and the complainant told why",
                        agreed.default_months
                    )),
                    (Some(panel), None) => lines.push(format!(
                        "the panel meets within {} working days {from}; it reports within {} working days of meeting; the council responds within {} working days of the report",
                        panel.meet_within, panel.report_within, panel.respond_within
                    )),
                    (None, None) if stage.max_extended_to >= StageRule::NO_FIXED_MAXIMUM => lines.push(format!(
                        "respond within {} working days {from}; may be extended, with the reasons and a new date given to the complainant",
                        stage.respond_within
                    )),
                    (None, None) if stage.max_extended_to > stage.respond_within => lines.push(format!(
                        "respond within {} working days {from}; may be extended to {} working days at most",
                        stage.respond_within, stage.max_extended_to
                    )),
                    (None, None) => lines.push(format!(
                        "respond within {} working days {from}; no extension",
                        stage.respond_within
                    )),
                }
                if let Some(window) = stage.request_next_within {
                    lines.push(format!(
                        "the complainant may ask for Stage {} within {window} working days of the response",
                        number + 1
                    ));
                }
                (format!("Stage {number}: {}", stage.name), lines)
            })
            .collect()
    }
}

pub(crate) fn stage(name: &str, respond_within: u32, max_extended_to: u32) -> StageRule {
    StageRule {
        name: name.to_string(),
        clock_start: ClockStart::Receipt,
        acknowledge_within: None,
        respond_within,
        max_extended_to,
        request_next_within: None,
        panel: None,
        agreed_period: None,
    }
}

/// Children Act 1989 Representations Procedure (England) Regulations 2006.
fn statutory() -> Procedure {
    let panel = PanelRule {
        meet_within: 30,
        report_within: 5,
        respond_within: 15,
    };
    let total = panel.meet_within + panel.response_after_panel();
    Procedure {
        name: "statutory".into(),
        title: "Children's social care statutory complaints procedure".into(),
        kind: Some(ProcedureKind::Statutory),
        clock_stops: Some(false),
        closure_days_count: Some(false),
        version: 1,
        nations: vec![crate::Nation::England],
        complaint_within_months: None,
        source: "Children Act 1989 Representations Procedure (England) Regulations 2006 (SI 2006/1738), regs 14, 17, 19 and 20; DfES \"Getting the Best from Complaints\" (2006). The 20 working days to ask for the next stage are common council practice.".into(),
        stages: vec![
            StageRule {
                request_next_within: Some(20),
                ..stage("Local resolution", 10, 20)
            },
            StageRule {
                request_next_within: Some(20),
                ..stage("Investigation", 25, 65)
            },
            StageRule {
                panel: Some(panel),
                ..stage("Review panel", total, total)
            },
        ],
    }
}

/// City of Westminster's corporate procedure, as its 2020/21 report describes it.
fn corporate() -> Procedure {
    Procedure {
        name: "corporate".into(),
        title: "Corporate complaints procedure".into(),
        kind: Some(ProcedureKind::Corporate),
        clock_stops: Some(true),
        closure_days_count: Some(true),
        version: 1,
        nations: Vec::new(),
        complaint_within_months: None,
        source: "City of Westminster corporate complaints procedure: two stages of 10 working days, Stage 2 signed off by the Chief Executive. The 20 working days to ask for Stage 2 are a configurable default.".into(),
        stages: vec![
            StageRule {
                request_next_within: Some(20),
                ..stage("Service response", 10, 20)
            },
            stage("Chief Executive review", 10, 10),
        ],
    }
}

/// The LGSCO Complaint Handling Code (applied in casework from 1 April 2026).
fn lgsco_code() -> Procedure {
    let acknowledged = |rule: StageRule| StageRule {
        clock_start: ClockStart::Acknowledgement,
        acknowledge_within: Some(5),
        ..rule
    };
    Procedure {
        name: "lgsco-code".into(),
        title: "LGSCO Complaint Handling Code".into(),
        kind: Some(ProcedureKind::ComplaintHandlingCode),
        clock_stops: Some(true),
        closure_days_count: Some(true),
        version: 1,
        nations: vec![crate::Nation::England],
        complaint_within_months: None,
        source: "Local Government and Social Care Ombudsman, Complaint Handling Code (2024): acknowledge within 5 working days at each stage; respond within 10 (Stage 1) and 20 (Stage 2) working days of the acknowledgement; each may be extended by up to 10 more working days. The Code sets no window for asking for Stage 2; 20 working days is a configurable default.".into(),
        stages: vec![
            acknowledged(StageRule {
                request_next_within: Some(20),
                ..stage("Stage 1 response", 10, 20)
            }),
            acknowledged(stage("Stage 2 response", 20, 30)),
        ],
    }
}
