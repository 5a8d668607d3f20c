//! Deadline reminders and the daily digest, queued in the outbox. Whether a deadline has
//! reached a reminder point is core's rule, counted on the calendar of the case's procedure.
//! Each message has a key (case, stage, point, due date, recipient; or recipient and day for
//! a digest), so running twice on one day queues nothing new, and a reminder with no one to
//! send it to is kept and listed as not sent.

use crate::backends::{postgres, sqlite};
use crate::outbox::{long_date, NewMessage};
use crate::{Access, Actor, Permission, Store, StoreError};
use chrono::NaiveDate;
use redress_core::reminders::{
    deadline_in_force, digest_band, reminder_point, DigestBand, DEFAULT_POINTS,
};
use redress_core::Email;
use std::collections::BTreeMap;

/// What one run queued.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Queued {
    pub reminders: u64,
    pub digests: u64,
}

/// An open case's deadline, as the case list indexes it.
#[derive(Clone)]
pub(crate) struct OpenDeadline {
    pub(crate) case_id: i64,
    pub(crate) reference: String,
    pub(crate) procedure: String,
    pub(crate) stage: Option<i64>,
    pub(crate) due_on: NaiveDate,
    pub(crate) team_id: Option<i64>,
    pub(crate) team: Option<String>,
}

/// One deadline in a digest.
struct Line {
    team: String,
    band: DigestBand,
    text: String,
}

/// The most reminder points an organisation may set, and the furthest ahead one may be.
const MAX_POINTS: usize = 5;
const MAX_DAYS: u32 = 30;

impl Store {
    async fn points_of(&self, organisation_id: i64) -> Result<Vec<u32>, StoreError> {
        let stored = read!(self, |conn, ops| ops::reminder_days(conn, organisation_id)
            .await?);
        match stored {
            None => Ok(DEFAULT_POINTS.to_vec()),
            Some(text) => serde_json::from_str(&text)
                .map_err(|e| StoreError::Corrupt(format!("reminder points: {e}"))),
        }
    }

    /// The working days before a deadline at which its reminders go (besides the day itself
    /// and a breach), for the organisation's administrators.
    pub async fn reminder_points(
        &self,
        access: &Access,
        slug: &str,
    ) -> Result<Vec<u32>, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        self.points_of(organisation.id).await
    }

    /// Sets the reminder points: each 1 to 30 working days, at most five; kept largest first.
    pub async fn set_reminder_points(
        &self,
        access: &Access,
        slug: &str,
        points: &[u32],
        actor: &Actor,
    ) -> Result<Vec<u32>, StoreError> {
        let organisation = self
            .authorise(access, slug, Permission::ManageOrganisation)
            .await?;
        if let Some(p) = points.iter().find(|p| !(1..=MAX_DAYS).contains(*p)) {
            return Err(StoreError::invalid(
                "points",
                format!("{p} is not between 1 and {MAX_DAYS} working days"),
            ));
        }
        let mut points = points.to_vec();
        points.sort_unstable_by(|a, b| b.cmp(a));
        points.dedup();
        if points.len() > MAX_POINTS {
            return Err(StoreError::invalid(
                "points",
                format!("at most {MAX_POINTS} reminder points"),
            ));
        }
        let json = serde_json::to_string(&points).expect("numbers serialise");
        let id = organisation.id;
        let event = actor
            .event("reminder_points_changed", self.now())
            .in_organisation(id)
            .after(serde_json::json!({ "points": points }));
        write!(self, |conn, ops| {
            ops::set_reminder_days(conn, id, &json).await?;
            ops::insert_event(conn, &event).await?;
        });
        Ok(points)
    }

    /// Queues every organisation's reminders and digests due on `today`.
    pub async fn queue_reminders(&self, today: NaiveDate) -> Result<Queued, StoreError> {
        let mut queued = Queued::default();
        for organisation in self.organisations().await? {
            let organisation = self.organisation(&organisation.slug).await?;
            let (reminders, digests) = self.plan(&organisation, today).await?;
            queued.reminders += self.queue(&reminders).await?;
            queued.digests += self.queue(&digests).await?;
        }
        Ok(queued)
    }

    async fn plan(
        &self,
        organisation: &crate::Organisation,
        today: NaiveDate,
    ) -> Result<(Vec<NewMessage>, Vec<NewMessage>), StoreError> {
        let points = self.points_of(organisation.id).await?;
        let reach = points.iter().copied().max().unwrap_or(0).max(5);
        // The calendar with closure days has the fewest working days, so reaches furthest.
        let horizon = organisation
            .calendar
            .add_working_days(today, reach)
            .map_err(|e| StoreError::invalid("on", e.to_string()))?;
        let id = organisation.id;
        let (deadlines, managers, officers) = read!(self, |conn, ops| (
            ops::open_deadlines(conn, id, horizon).await?,
            ops::team_managers(conn, id).await?,
            ops::complaints_officers(conn, id).await?
        ));
        let mut reminders = Vec::new();
        let mut lines: Vec<(Option<i64>, Line)> = Vec::new();
        let wrong_date = |e: redress_core::TimescaleError| StoreError::invalid("on", e.to_string());
        for d in &deadlines {
            let procedure = organisation.procedure(&d.procedure)?;
            let calendar = organisation.calendar_for(procedure);
            // The stored due date only chooses which cases to read (it is never later than
            // the one in force); core judges each case from its facts as of today.
            let case_id = d.case_id;
            let loaded = read!(self, |conn, ops| ops::load_cases(
                conn,
                &ops::Selection::One(case_id, &crate::access::CaseScope::Everything),
                false
            )
            .await?);
            let Some(case) = loaded.first().map(|l| &l.case) else {
                continue;
            };
            let Some(deadline) =
                deadline_in_force(case, procedure, calendar, today).map_err(wrong_date)?
            else {
                continue;
            };
            let d = OpenDeadline {
                due_on: deadline.due_on,
                ..d.clone()
            };
            let d = &d;
            let stage = d.stage.unwrap_or(1);
            let team = d.team.clone().unwrap_or_else(|| "No team".into());
            let due = long_date(d.due_on);
            if let Some(band) = digest_band(calendar, d.due_on, today).map_err(wrong_date)? {
                let text = format!(
                    "{} (stage {stage}): due {due} /cases/{}",
                    d.reference, d.case_id
                );
                lines.push((
                    d.team_id,
                    Line {
                        team: team.clone(),
                        band,
                        text,
                    },
                ));
            }
            let Some(point) =
                reminder_point(calendar, d.due_on, today, &points).map_err(wrong_date)?
            else {
                continue;
            };
            // Stage 2's investigating officer, else the team's managers, else the officers.
            let investigator = if stage == 2 {
                let case_id = d.case_id;
                read!(self, |conn, ops| ops::investigating_officer(conn, case_id)
                    .await?)
                .and_then(|io| Email::parse(&io).ok())
                .map(|e| e.as_str().to_string())
            } else {
                None
            };
            let mut recipients: Vec<String> = match investigator {
                Some(io) => vec![io],
                None => managers
                    .iter()
                    .filter(|(t, _, _)| Some(*t) == d.team_id)
                    .map(|(_, _, e)| e.clone())
                    .collect(),
            };
            if recipients.is_empty() {
                recipients = officers.clone();
            }
            let targets: Vec<Option<String>> = if recipients.is_empty() {
                vec![None]
            } else {
                recipients.into_iter().map(Some).collect()
            };
            for recipient in targets {
                reminders.push(NewMessage {
                    organisation_id: id,
                    kind: redress_core::MessageKind::Reminder,
                    dedupe_key: Some(format!(
                        "reminder:{}:{stage}:{}:{}:{}",
                        d.case_id,
                        point.key(),
                        d.due_on,
                        recipient.as_deref().unwrap_or("-")
                    )),
                    attachment_id: None,
                    recipient,
                    subject: format!("Reminder: {} {}", d.reference, point.describe()),
                    body: format!(
                        "Complaint {} (stage {stage}, {team}) {}: the response is due by {due}.\n\nOpen it in Redress: /cases/{}",
                        d.reference,
                        point.describe(),
                        d.case_id
                    ),
                    case_id: Some(d.case_id),
                });
            }
        }
        reminders.extend(
            self.item_reminders(organisation, today, &points, &managers, &officers)
                .await?,
        );
        let mut digests = Vec::new();
        let readers = officers
            .iter()
            .map(|o| (o.clone(), None))
            .chain(managers.iter().map(|(t, _, e)| (e.clone(), Some(*t))));
        let mut teams_of: BTreeMap<String, Option<Vec<i64>>> = BTreeMap::new();
        for (email, team) in readers {
            let entry = teams_of.entry(email).or_insert_with(|| Some(Vec::new()));
            match (entry.as_mut(), team) {
                (Some(teams), Some(t)) => teams.push(t),
                // A complaints officer reads every team.
                (_, None) => *entry = None,
                (None, Some(_)) => {}
            }
        }
        for (email, teams) in teams_of {
            let mine: Vec<&Line> = lines
                .iter()
                .filter(|(t, _)| {
                    teams
                        .as_ref()
                        .is_none_or(|ts| t.is_some_and(|t| ts.contains(&t)))
                })
                .map(|(_, l)| l)
                .collect();
            if mine.is_empty() {
                continue;
            }
            digests.push(NewMessage {
                organisation_id: id,
                kind: redress_core::MessageKind::Digest,
                dedupe_key: Some(format!("digest:{id}:{email}:{today}")),
                attachment_id: None,
                recipient: Some(email),
                subject: format!("Complaints due: {}", long_date(today)),
                body: digest_body(&mine),
                case_id: None,
            });
        }
        Ok((reminders, digests))
    }
}

impl Store {
    /// Reminders for recommendations, learning and ombudsman remedies not yet done, on the
    /// organisation's calendar: an action's to its owner team's managers, a remedy's (and an
    /// action whose team has no manager) to the complaints officers.
    async fn item_reminders(
        &self,
        organisation: &crate::Organisation,
        today: NaiveDate,
        points: &[u32],
        managers: &[(i64, String, String)],
        officers: &[String],
    ) -> Result<Vec<NewMessage>, StoreError> {
        let items = self
            .tracked_items(&Access::System, Some(&organisation.slug), false, today)
            .await?;
        let mut out = Vec::new();
        for item in items {
            let point = reminder_point(&organisation.calendar, item.due_on, today, points)
                .map_err(|e| StoreError::invalid("on", e.to_string()))?;
            let Some(point) = point else { continue };
            let (what, place) = match item.kind {
                crate::TrackedKind::Action { kind, action } => {
                    (kind.as_str().replace('_', " "), format!("action{action}"))
                }
                crate::TrackedKind::Remedy {
                    ombudsman, remedy, ..
                } => (
                    "ombudsman remedy".to_string(),
                    format!("remedy{ombudsman}.{remedy}"),
                ),
            };
            let mut recipients: Vec<String> = managers
                .iter()
                .filter(|(_, team, _)| item.owner.as_deref() == Some(team.as_str()))
                .map(|(_, _, e)| e.clone())
                .collect();
            if recipients.is_empty() {
                recipients = officers.to_vec();
            }
            let targets: Vec<Option<String>> = if recipients.is_empty() {
                vec![None]
            } else {
                recipients.into_iter().map(Some).collect()
            };
            for recipient in targets {
                out.push(NewMessage {
                    organisation_id: organisation.id,
                    kind: redress_core::MessageKind::Reminder,
                    dedupe_key: Some(format!(
                        "item:{}:{place}:{}:{}:{}",
                        item.case_id,
                        point.key(),
                        item.due_on,
                        recipient.as_deref().unwrap_or("-")
                    )),
                    attachment_id: None,
                    recipient,
                    subject: format!("Reminder: {} {what} {}", item.reference, point.describe()),
                    body: format!(
                        "The {what} on complaint {} {}: it is due by {}.\n\nOpen it in Redress: /cases/{}",
                        item.reference,
                        point.describe(),
                        long_date(item.due_on),
                        item.case_id
                    ),
                    case_id: Some(item.case_id),
                });
            }
        }
        Ok(out)
    }
}

/// Per team: overdue, due today, due within five working days.
fn digest_body(lines: &[&Line]) -> String {
    let mut teams: BTreeMap<&str, Vec<&Line>> = BTreeMap::new();
    for line in lines {
        teams.entry(&line.team).or_default().push(line);
    }
    let mut out = String::new();
    for (team, lines) in teams {
        out.push_str(&format!("{team}\n"));
        for (band, heading) in [
            (DigestBand::Overdue, "Overdue"),
            (DigestBand::DueToday, "Due today"),
            (DigestBand::DueSoon, "Due within 5 working days"),
        ] {
            let of_band: Vec<&&Line> = lines.iter().filter(|l| l.band == band).collect();
            if !of_band.is_empty() {
                out.push_str(&format!("  {heading}:\n"));
                for l in of_band {
                    out.push_str(&format!("    {}\n", l.text));
                }
            }
        }
        out.push('\n');
    }
    out
}
