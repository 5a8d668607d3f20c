//! The placeholders' values for one case: every one is defined (blank where the case has no
//! such fact), so a template the check accepted always fills.

use super::LetterKind;
use chrono::NaiveDate;
use redress_core::{signpost, Language, Stage};
use redress_store::{CaseRecord, Organisation, StoreError};
use std::collections::BTreeMap;

/// Children Act 1989 s26A: the council must offer help from an advocate to a child or young
/// person making (or wanting to make) a complaint; its own procedures offer help likewise.
fn advocate(statutory: bool, language: Language) -> String {
    if language == Language::Cy {
        return if statutory {
            "Os ydych chi'n blentyn neu'n berson ifanc, neu'n cwyno ar ran un, gallwch gael eiriolwr: rhywun annibynnol ar y cyngor a fydd yn eich helpu i ddweud beth rydych chi eisiau. Rhowch wybod i ni os hoffech gael un a byddwn yn trefnu hynny am ddim.".into()
        } else {
            "Os hoffech i rywun eich helpu gyda'ch cwyn, fel eiriolwr, rhowch wybod i ni.".into()
        };
    }
    if statutory {
        "If you are a child or young person, or are complaining for one, you can have an advocate: someone independent of the council who will help you say what you want. Tell us if you would like one and we will arrange it free of charge.".into()
    } else {
        "If you would like someone to help you with your complaint, such as an advocate, please tell us.".into()
    }
}

/// The values for a `kind` of letter on `record`, dated `today`. A response to a stage the
/// procedure does not have is refused, naming `kind`.
pub fn values(
    kind: LetterKind,
    record: &CaseRecord,
    organisation: &Organisation,
    today: NaiveDate,
) -> Result<BTreeMap<&'static str, String>, StoreError> {
    let case = &record.case;
    let language = case.language();
    let date = |on: NaiveDate| language.date(on);
    let procedure = organisation.procedure(case.procedure())?;
    let calendar = organisation.calendar_for(procedure);
    let stage_number = kind
        .response_to()
        .or_else(|| case.current_stage().map(|s| s.number as usize))
        .unwrap_or(1);
    let signposting = match kind.response_to() {
        Some(stage) => signpost(procedure, stage, organisation.nation)
            .map_err(|e| StoreError::invalid("kind", e.to_string()))?
            .text_in(language),
        None => String::new(),
    };
    // Before Stage 1 opens, the date is the one it would have if it opened now.
    let would_open = {
        let mut stage = Stage::opened(1, case.received_on());
        stage.acknowledged_on = Some(case.acknowledged_on().unwrap_or(today));
        stage
    };
    let stage = case.open_stage().unwrap_or(&would_open);
    let due = stage
        .deadline(procedure, calendar, today)
        .ok()
        .flatten()
        .map(|d| date(d.due_on))
        .unwrap_or_default();
    let reason = match kind {
        LetterKind::ExtensionNotice => case
            .current_stage()
            .and_then(|s| s.extension_reason.clone()),
        LetterKind::Rejection | LetterKind::OutOfTime => case.rejected_reason().map(str::to_string),
        _ => None,
    };
    let stage_name = procedure
        .stage(stage_number)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    Ok(BTreeMap::from([
        ("council", organisation.name.clone()),
        ("date", date(today)),
        ("reference", case.reference().to_string()),
        ("complainant_name", case.personal().complainant_name.clone()),
        ("received_on", date(case.received_on())),
        ("procedure", procedure.title.clone()),
        ("stage", stage_number.to_string()),
        ("stage_name", stage_name),
        ("respond_by", due.clone()),
        ("new_date", due),
        ("reason", reason.unwrap_or_default()),
        ("advocate", advocate(procedure.is_statutory(), language)),
        ("signposting", signposting),
        (
            "ombudsman",
            organisation.nation.ombudsman().paragraph_in(language),
        ),
    ]))
}
