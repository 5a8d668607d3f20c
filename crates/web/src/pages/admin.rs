//! Administration of one organisation: users, teams, reasons, the procedures (shown), closure
//! days, and a newer bank-holiday file.

use super::{render, Choice, FieldError, PageError, Staff, StaffForm, StaffUpload};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_accounts::{AddedUser, NewUser};
use redress_store::{Permission, Role, StoreError};
use std::collections::HashMap;

/// The organisations this user administers (a system administrator: every one).
async fn administered(state: &AppState, staff: &Staff) -> Result<Vec<String>, PageError> {
    if staff.principal.account.system_admin {
        return Ok(state
            .store
            .organisations()
            .await?
            .iter()
            .map(|o| o.slug.clone())
            .collect());
    }
    Ok(staff.organisations_where(Permission::ManageOrganisation))
}

async fn page(
    state: &AppState,
    staff: &Staff,
    slug: &str,
    errors: Vec<FieldError>,
    added: Option<AddedUser>,
    calendar_error: Option<String>,
) -> Result<Response, PageError> {
    let organisation = state
        .store
        .authorise(
            &staff.principal.access,
            slug,
            Permission::ManageOrganisation,
        )
        .await?;
    let users: Vec<_> = state
        .accounts
        .users(Some(slug))
        .await?
        .into_iter()
        .map(|u| {
            let membership = u.memberships.first();
            context! {
                email => u.email, display_name => u.display_name, disabled => u.disabled,
                role => membership.map(|m| super::words(m.role.as_str())).unwrap_or_default(),
                teams => membership.map(|m| m.teams.join(", ")).unwrap_or_default(),
            }
        })
        .collect();
    let procedures: Vec<_> = organisation
        .procedures
        .iter()
        .map(|p| {
            let lines: Vec<String> = p
                .describe()
                .into_iter()
                .map(|(stage, lines)| format!("{stage}: {}", lines.join("; ")))
                .collect();
            let rules = format!(
                "Clock stops: {}. The council's closure days: {}.",
                if p.allows_clock_stops() {
                    "allowed"
                } else {
                    "none (the Regulations set fixed limits)"
                },
                if p.closure_days_count() {
                    "count"
                } else {
                    "do not count (regulation 2)"
                },
            );
            context! { title => p.title.clone(), lines, rules }
        })
        .collect();
    // Only the presets the organisation's nation may run (another nation's law is refused).
    let choices: Vec<_> = redress_core::Procedure::presets()
        .into_iter()
        .filter(|p| p.nations.is_empty() || p.nations.contains(&organisation.nation))
        .map(|p| {
            let runs = organisation.procedures.iter().any(|o| o.name == p.name);
            context! { name => p.name, title => p.title, runs }
        })
        .collect();
    let (from, to) = organisation.calendar.coverage();
    let status = if errors.is_empty() && calendar_error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let titles: std::collections::HashMap<&str, &str> = organisation
        .procedures
        .iter()
        .map(|p| (p.name.as_str(), p.title.as_str()))
        .collect();
    let retention: Vec<_> = state
        .store
        .retention_schedule(slug)
        .await?
        .into_iter()
        .map(|rule| {
            let label = match titles.get(rule.applies_to.as_str()) {
                Some(title) => format!("{title}: years after a case is concluded"),
                None => "Compliments: years after one is received".to_string(),
            };
            context! { id => format!("retention-{}", rule.applies_to), label, years => rule.years }
        })
        .collect();
    let erasures: Vec<_> = state
        .store
        .erasures(&staff.principal.access, slug)
        .await
        .unwrap_or_default()
        .into_iter()
        .take(20)
        .map(|e| {
            let what = match (&e.reference, e.compliment_id) {
                (Some(reference), _) => format!("Case {reference}"),
                (None, Some(id)) => format!("Compliment {id}"),
                _ => "Record".to_string(),
            };
            context! {
                what, on => e.erased_on.to_string(), rule => e.rule,
                files => e.files.len(), actor => e.actor,
            }
        })
        .collect();
    let retention_on = state.store.retention_approval(slug).await?.is_some();
    // The roles that reach personal data given here, from the audit log: the administrators'
    // own record of what the complaints officers were told (Role::reaches_personal_data).
    let grants_only = redress_accounts::AuditFilter {
        kind: Some("role_granted".into()),
        ..Default::default()
    };
    let role_grants: Vec<_> = state
        .accounts
        .audit(&staff.principal.access, slug, &grants_only, 20)
        .await
        .map(|(entries, _)| entries)
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            let after = e.after.unwrap_or_default();
            context! {
                on => e.occurred_at.format("%-d %b %Y %H:%M").to_string(),
                by => e.actor,
                email => after["email"].as_str().unwrap_or_default().to_string(),
                role => super::words(after["role"].as_str().unwrap_or_default()),
            }
        })
        .collect();
    // What became of the latest mail to the complaints mailbox; a failure says why, and
    // waits in the mailbox's Redress/Failed folder for a person.
    let inbound: Vec<_> = state
        .store
        .inbound_records(&staff.principal.access, slug, 20)
        .await?
        .into_iter()
        .map(|r| {
            context! {
                when => r.received_at.format("%-d %b %Y %H:%M").to_string(),
                what => match r.disposition.as_str() {
                    "draft" => "A draft case",
                    "reply" => "A reply on its case",
                    "ignored" => "Left alone (sent by a machine)",
                    _ => "Not filed: in Redress/Failed",
                },
                failed => r.disposition == "failed",
                case_id => r.case_id,
                reference => r.reference,
                reason => r.reason,
                message_id => r.message_id,
            }
        })
        .collect();
    let policy = state
        .accounts
        .sign_in_policy(&staff.principal.access, slug)
        .await?;
    let sign_in = context! {
        passwords => if policy.password_sign_in { "yes" } else { "no" },
        break_glass => policy.break_glass.join("\n"),
        group_roles => policy
            .group_roles
            .iter()
            .map(|(group, role)| format!("{group} = {}", role.as_str()))
            .collect::<Vec<_>>()
            .join("\n"),
        provider => state.auth.oidc.as_ref().map(|p| p.settings().issuer.clone()),
    };
    let own = context! {
        slug,
        sign_in,
        inbound,
        retention,
        retention_on,
        erasures,
        role_grants,
        organisation_name => organisation.name.clone(),
        users,
        // A mail gate is a token the administrator makes for the mail server, not a person's role.
        roles => Role::ALL.iter().filter(|r| **r != Role::MailGate).map(|r| Choice::new(r.as_str(), super::words(r.as_str()))).collect::<Vec<_>>(),
        teams => Choice::same(&state.store.names(slug, true).await?),
        reasons => state.store.names(slug, false).await?,
        procedures,
        choices,
        nation => organisation.nation.title(),
        ombudsman => organisation.nation.ombudsman().name,
        letter_kinds => crate::letters::LetterKind::ALL
            .iter()
            .map(|k| context! { value => k.slug(), label => k.label() })
            .collect::<Vec<_>>(),
        calendar_summary => format!(
            "Working days are counted on the {} bank holidays, known from {from} to {to}.",
            organisation.division.as_str().replace('-', " ")
        ),
        settings_version => organisation.version,
        subject_access => staff
            .organisations_where(Permission::HandlePersonalData)
            .iter()
            .any(|s| s == slug),
        closures => organisation.closures.iter().map(|c| format!("{}: {}", c.date, c.label)).collect::<Vec<_>>(),
        errors,
        calendar_error,
        added_email => added.as_ref().map(|a| a.email.clone()),
        one_time_password => added.and_then(|a| a.one_time_password),
    };
    Ok((status, render("admin.html", staff.common(), own)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let slugs = administered(&state, &staff).await?;
    let slug = super::filters::chosen_organisation(&query, &slugs)?
        .or_else(|| slugs.first().cloned())
        .ok_or_else(|| PageError::Forbidden(Permission::ManageOrganisation.refusal().into()))?;
    page(&state, &staff, &slug, Vec::new(), None, None).await
}

/// Refuses anyone who may not administer the organisation.
pub(super) async fn may_administer(
    state: &AppState,
    staff: &Staff,
    slug: &str,
) -> Result<(), PageError> {
    state
        .store
        .authorise(
            &staff.principal.access,
            slug,
            Permission::ManageOrganisation,
        )
        .await?;
    Ok(())
}

/// Back to the admin page, or the page again with the store's refusal beside `field`.
async fn after(
    state: &AppState,
    staff: &Staff,
    slug: &str,
    result: Result<(), StoreError>,
    form_ids: &[(&str, &str)],
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin?organisation={slug}")).into_response()),
        Err(StoreError::Invalid { field, message }) => {
            // The store names the domain's field; the form's id for it is the page's business.
            // `break_glass[0]` and `group_roles.g` are parts of `break_glass` and `group_roles`.
            let part_of = |domain: &str| {
                field.strip_prefix(domain).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with('[') || rest.starts_with('.')
                })
            };
            let form_id = form_ids
                .iter()
                .find(|(domain, _)| part_of(domain))
                .or(form_ids.first())
                .map_or("", |(_, id)| *id);
            let errors = vec![FieldError::new(form_id, super::capitalise(&message))];
            page(state, staff, slug, errors, None, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_user(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    may_administer(&state, &staff, &slug).await?;
    let role = Role::ALL
        .into_iter()
        .find(|r| r.as_str() == fields.text("user-role"))
        .unwrap_or(Role::Viewer);
    let new = NewUser {
        email: fields.text("user-email"),
        organisation: Some(slug.clone()),
        role: Some(role),
        teams: fields.optional("user-team").into_iter().collect(),
        ..NewUser::default()
    };
    match state.accounts.add_user(&new, &staff.principal.actor).await {
        Ok(added) => page(&state, &staff, &slug, Vec::new(), Some(added), None).await,
        Err(StoreError::Invalid { field, message }) => {
            let field = if field.starts_with("team") {
                "user-team"
            } else {
                "user-email"
            };
            let errors = vec![FieldError::new(field, super::capitalise(&message))];
            page(&state, &staff, &slug, errors, None, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_user(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    may_administer(&state, &staff, &slug).await?;
    let result = state
        .accounts
        .remove_member(&slug, &fields.text("email"), &staff.principal.actor)
        .await;
    after(&state, &staff, &slug, result, &[("email", "user-email")]).await
}

pub async fn add_team(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    may_administer(&state, &staff, &slug).await?;
    let result = state
        .store
        .add_team(
            &staff.principal.access,
            &slug,
            &fields.text("team-name"),
            &staff.principal.actor,
        )
        .await;
    after(&state, &staff, &slug, result, &[("team", "team-name")]).await
}

pub async fn add_reason(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    may_administer(&state, &staff, &slug).await?;
    let result = state
        .store
        .add_reason(
            &staff.principal.access,
            &slug,
            &fields.text("reason-name"),
            &staff.principal.actor,
        )
        .await;
    after(&state, &staff, &slug, result, &[("reason", "reason-name")]).await
}

/// Sets how the organisation's staff sign in: passwords on or off, the break-glass accounts
/// (one address a line), and the provider's groups that give roles (`group = role` a line).
pub async fn set_sign_in_policy(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    may_administer(&state, &staff, &slug).await?;
    let lines = |name: &str| -> Vec<String> {
        fields
            .text(name)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut group_roles = std::collections::BTreeMap::new();
    for (i, line) in lines("group-roles").iter().enumerate() {
        let parsed = line.rsplit_once('=').and_then(|(group, role)| {
            let role: Role = role.trim().parse().ok()?;
            Some((group.trim().to_string(), role))
        });
        let Some((group, role)) = parsed else {
            let message = format!(
                "Line {} is not a group = role, with a role such as complaints_officer or viewer",
                i + 1
            );
            let errors = vec![FieldError::new("group-roles", message)];
            return page(&state, &staff, &slug, errors, None, None).await;
        };
        group_roles.insert(group, role);
    }
    let policy = redress_accounts::SignInPolicy {
        password_sign_in: fields.text("passwords") != "no",
        break_glass: lines("break-glass"),
        group_roles,
    };
    let result = state
        .accounts
        .set_sign_in_policy(
            &staff.principal.access,
            &slug,
            policy,
            &staff.principal.actor,
        )
        .await
        .map(|_| ());
    let ids = [
        ("group_roles", "group-roles"),
        ("break_glass", "break-glass"),
    ];
    after(&state, &staff, &slug, result, &ids).await
}

/// The settings version the form was drawn at, so that a change made meanwhile by someone
/// else is refused rather than overwritten. A form without it is checked against the version
/// read when it arrives.
fn settings_version(fields: &super::extract::Fields) -> Option<i64> {
    fields.text("settings-version").parse().ok()
}

/// Sets the retention schedule: years for each procedure and for compliments.
pub async fn set_retention(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    may_administer(&state, &staff, &slug).await?;
    let schedule = state.store.retention_schedule(&slug).await?;
    let mut rules = Vec::with_capacity(schedule.len());
    for rule in &schedule {
        let id = format!("retention-{}", rule.applies_to);
        // A line the form did not carry (a procedure added meanwhile) stays as it is.
        if !fields.0.contains_key(&id) {
            rules.push(rule.clone());
            continue;
        }
        match fields.text(&id).parse::<u32>() {
            Ok(years) => rules.push(redress_core::retention::RetentionRule {
                applies_to: rule.applies_to.clone(),
                years,
            }),
            Err(_) => {
                let error = FieldError::new(&id, "Enter a whole number of years, from 1 to 25");
                return page(&state, &staff, &slug, vec![error], None, None).await;
            }
        }
    }
    let result = state
        .store
        .set_retention_schedule(
            &staff.principal.access,
            &slug,
            &rules,
            &staff.principal.actor,
        )
        .await
        .map(|_| ())
        .map_err(|e| match e {
            // "rules[2].years" names the line; the form's id for it is the page's business.
            StoreError::Invalid { field, message } => {
                let line = field
                    .trim_start_matches("rules[")
                    .split(']')
                    .next()
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| rules.get(i))
                    .map_or(String::new(), |r| r.applies_to.clone());
                StoreError::Invalid {
                    field: line,
                    message,
                }
            }
            other => other,
        });
    let ids: Vec<(String, String)> = rules
        .iter()
        .map(|r| (r.applies_to.clone(), format!("retention-{}", r.applies_to)))
        .collect();
    let ids: Vec<(&str, &str)> = ids.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    after(&state, &staff, &slug, result, &ids).await
}

/// Chooses which of the preset procedures the organisation runs.
pub async fn set_procedures(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    let names: Vec<String> = redress_core::Procedure::PRESETS
        .iter()
        .filter(|name| fields.ticked(&format!("procedure-{name}")))
        .map(|name| name.to_string())
        .collect();
    let result = state
        .store
        .set_procedures(
            &staff.principal.access,
            &slug,
            settings_version(&fields),
            &names,
            &staff.principal.actor,
        )
        .await;
    after(
        &state,
        &staff,
        &slug,
        result,
        &[("procedures", "procedures")],
    )
    .await
}

pub async fn add_closure(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    let Ok(date) = fields.text("closure-date").parse::<chrono::NaiveDate>() else {
        let errors = vec![FieldError::new(
            "closure-date",
            "Enter the date as YYYY-MM-DD",
        )];
        return page(&state, &staff, &slug, errors, None, None).await;
    };
    let result = state
        .store
        .add_closure(
            &staff.principal.access,
            &slug,
            settings_version(&fields),
            redress_calendar::Closure {
                date,
                label: fields.text("closure-label"),
            },
            &staff.principal.actor,
            state.clock().today(),
        )
        .await;
    after(
        &state,
        &staff,
        &slug,
        result,
        &[("date", "closure-date"), ("label", "closure-label")],
    )
    .await
}

pub async fn upload_calendar(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    upload: StaffUpload,
) -> Result<Response, PageError> {
    let StaffUpload { staff, content, .. } = upload;
    let text = String::from_utf8(content).unwrap_or_default();
    let result = if text.trim().is_empty() {
        Err(StoreError::invalid(
            "calendar-file",
            "choose the bank-holidays.json file",
        ))
    } else {
        state
            .store
            .set_calendar(
                &staff.principal.access,
                &slug,
                None,
                &text,
                &staff.principal.actor,
                state.clock().today(),
            )
            .await
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin?organisation={slug}")).into_response()),
        Err(StoreError::Invalid { message, .. }) => {
            page(
                &state,
                &staff,
                &slug,
                Vec::new(),
                None,
                Some(super::capitalise(&message)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
