//! The social care complaints procedures of the UK beside England's children's one: England's
//! adult social care procedure, Wales's, Scotland's and Northern Ireland's. Each figure cites
//! its regulation or paragraph; each preset works out working days on its organisation's own
//! division of the gov.uk calendar (bank holidays only: each scheme counts working days as
//! days other than weekends and bank holidays).

use crate::procedure::{stage, AgreedPeriodRule, ClockStart, Procedure, ProcedureKind, StageRule};
use crate::Nation;

/// The Local Authority Social Services and National Health Service Complaints (England)
/// Regulations 2009 (SI 2009/309). One stage.
pub(crate) fn adult_social_care() -> Procedure {
    Procedure {
        name: "adult-social-care".into(),
        title: "Adult social care complaints procedure (England)".into(),
        kind: Some(ProcedureKind::AdultSocialCare),
        clock_stops: Some(false),
        closure_days_count: Some(false),
        version: 1,
        nations: vec![Nation::England],
        // Reg. 12(1): within 12 months of the matter, or of the complainant knowing of it;
        // reg. 12(2): later where there was good reason and it can still be investigated.
        complaint_within_months: Some(12),
        source: "Local Authority Social Services and National Health Service Complaints (England) Regulations 2009 (SI 2009/309): reg. 12 (12 months, with discretion); reg. 13(2) (acknowledge within 3 working days) and 13(7) (offer to discuss how the complaint is handled and the response period); reg. 14(2) (respond within 6 months of receipt, or the longer period agreed; if not, tell the complainant why and respond as soon as reasonably practicable); reg. 18 (annual report).".into(),
        stages: vec![StageRule {
            clock_start: ClockStart::Receipt,
            acknowledge_within: Some(3),
            agreed_period: Some(AgreedPeriodRule { default_months: 6 }),
            ..stage("Response", 0, 0)
        }],
    }
}

/// The Social Services Complaints Procedure (Wales) Regulations 2014 (SI 2014/1794 (W. 187))
/// and the Welsh Government's guide "A Guide to Handling Complaints and Representations by
/// Local Authority Social Services" (2014), for children and adults alike.
pub(crate) fn wales_social_services() -> Procedure {
    Procedure {
        name: "wales-social-services".into(),
        title: "Social services complaints procedure (Wales)".into(),
        kind: Some(ProcedureKind::WalesSocialServices),
        clock_stops: Some(false),
        closure_days_count: Some(false),
        version: 1,
        nations: vec![Nation::Wales],
        // The 2014 Regulations: within 12 months of the matter or of the complainant knowing
        // of it, later at the authority's discretion where it can still be considered fairly.
        complaint_within_months: Some(12),
        source: "Social Services Complaints Procedure (Wales) Regulations 2014 (SI 2014/1794 (W. 187)) and the Welsh Government's guide to handling complaints and representations by local authority social services (2014): Stage 1 local resolution, acknowledged within 2 working days and resolved by discussion within 10 working days of the acknowledgement; Stage 2 formal investigation, a written response within 25 working days of its start, or, where that cannot be met, as soon as possible with the complainant told why and when; within 12 months of the matter, later at the authority's discretion; then the Public Services Ombudsman for Wales. The regulations set no window for asking for Stage 2.".into(),
        stages: vec![
            StageRule {
                clock_start: ClockStart::Acknowledgement,
                acknowledge_within: Some(2),
                ..stage("Local resolution", 10, 10)
            },
            stage("Formal investigation", 25, StageRule::NO_FIXED_MAXIMUM),
        ],
    }
}

/// The SPSO Model Complaints Handling Procedure for local authorities (2020 revision), which
/// covers social work complaints since 1 April 2017 (Public Services Reform (Social Work
/// Complaints Procedure) (Scotland) Order 2016).
pub(crate) fn spso_mchp() -> Procedure {
    Procedure {
        name: "spso-mchp".into(),
        title: "Model Complaints Handling Procedure (Scotland)".into(),
        kind: Some(ProcedureKind::ModelComplaintsHandling),
        clock_stops: Some(false),
        closure_days_count: Some(false),
        version: 1,
        nations: vec![Nation::Scotland],
        // MCHP Part 2, "Time limit for making complaints": six months from the event or from
        // first knowing of it, with discretion in exceptional circumstances.
        complaint_within_months: Some(6),
        source: "SPSO Model Complaints Handling Procedure for local authorities (2020), Part 3: Stage 1 frontline response within 5 working days, extendable to 10 where there are clear reasons; Part 4: Stage 2 investigation acknowledged within 3 working days and answered within 20, extendable where the complainant is told why and the new date; escalation after Stage 1 or straight to Stage 2 where the complaint is complex; Part 2: within six months of the event, with discretion; then the Scottish Public Services Ombudsman. The MCHP sets its escalation window in months, so no working-day window is set here.".into(),
        stages: vec![
            stage("Frontline response", 5, 10),
            StageRule {
                acknowledge_within: Some(3),
                ..stage("Investigation", 20, StageRule::NO_FIXED_MAXIMUM)
            },
        ],
    }
}

/// The Department of Health's "Complaints in Health and Social Care: Standards and Guidelines
/// for Resolution and Learning" (2019 revision), under the Health and Personal Social Services
/// (Quality, Improvement and Regulation) (NI) Order 2003, as the HSC Trusts run it.
pub(crate) fn ni_hsc() -> Procedure {
    Procedure {
        name: "ni-hsc".into(),
        title: "Health and Social Care complaints procedure (Northern Ireland)".into(),
        kind: Some(ProcedureKind::HealthAndSocialCare),
        clock_stops: Some(false),
        closure_days_count: Some(false),
        version: 1,
        nations: vec![Nation::NorthernIreland],
        // The Standards and Guidelines: within six months of the event or of becoming aware
        // of it, and no later than 12 months after it, with discretion.
        complaint_within_months: Some(6),
        source: "DoH Northern Ireland, Complaints in Health and Social Care: Standards and Guidelines for Resolution and Learning: acknowledge within 2 working days; respond within 20 working days, or, where more time is needed, tell the complainant why and when to expect the response; a complaint within six months of the event, with discretion; then the Northern Ireland Public Services Ombudsman.".into(),
        stages: vec![StageRule {
            acknowledge_within: Some(2),
            ..stage("Trust response", 20, StageRule::NO_FIXED_MAXIMUM)
        }],
    }
}
