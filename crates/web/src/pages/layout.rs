//! What every staff page shows around its content: who is signed in, the menu for their
//! roles, the CSRF token; and the options of a select.

use super::extract::Staff;
use minijinja::{context, Value};
use redress_store::{Permission, Role};
use serde::Serialize;

/// One link in the staff menu.
#[derive(Serialize)]
struct NavItem {
    href: String,
    label: &'static str,
    current: bool,
}

impl Staff {
    /// Whether any of the user's roles allows this.
    pub fn may(&self, permission: Permission) -> bool {
        self.principal
            .account
            .memberships
            .iter()
            .any(|m| m.role.allows(permission))
    }

    /// The slugs of the organisations where the user may do this.
    pub fn organisations_where(&self, permission: Permission) -> Vec<String> {
        self.principal
            .account
            .memberships
            .iter()
            .filter(|m| m.role.allows(permission))
            .map(|m| m.organisation.clone())
            .collect()
    }

    /// The organisations where the user may do this, as options named in full.
    pub fn organisation_choices(&self, permission: Permission) -> Vec<Choice> {
        self.principal
            .account
            .memberships
            .iter()
            .filter(|m| m.role.allows(permission))
            .map(|m| Choice::new(m.organisation.clone(), m.organisation_name.clone()))
            .collect()
    }

    /// Values every staff page shows: who is signed in, the menu, the CSRF token.
    pub fn common(&self) -> Value {
        let account = &self.principal.account;
        let mut navigation = vec![("/", "Dashboard")];
        if self.may(Permission::ReadCases) {
            navigation.push(("/cases", "Cases"));
            navigation.push(("/actions", "Actions"));
        }
        if self.may(Permission::ReadCompliments) {
            navigation.push(("/compliments", "Compliments"));
        }
        navigation.push(("/reports", "Reports"));
        if self.may(Permission::ManageOrganisation) || account.system_admin {
            navigation.push(("/admin", "Admin"));
        }
        let mut navigation: Vec<NavItem> = navigation
            .into_iter()
            .map(|(href, label)| NavItem {
                href: href.to_string(),
                label,
                current: if href == "/" {
                    self.path == "/"
                } else {
                    self.path.starts_with(href)
                },
            })
            .collect();
        // Subject access, in the first organisation where the user may handle personal data.
        if let Some(slug) = self
            .organisations_where(Permission::HandlePersonalData)
            .first()
        {
            navigation.push(NavItem {
                href: format!("/organisations/{slug}/subject-access"),
                label: "Subject access",
                current: self.path.starts_with("/organisations/")
                    && self.path.ends_with("/subject-access"),
            });
        }
        // The outbox, for a complaints officer (an administrator reaches it from the admin page).
        if !self.may(Permission::ManageOrganisation) {
            if let Some(slug) = self.organisations_where(Permission::UseOutbox).first() {
                navigation.push(NavItem {
                    href: format!("/admin/{slug}/outbox"),
                    label: "Outbox",
                    current: self.path.ends_with("/outbox"),
                });
            }
        }
        let organisation_name = match account.memberships.as_slice() {
            [only] => only.organisation_name.clone(),
            _ => String::new(),
        };
        context! {
            service_name => "Redress",
            home => "/",
            account => Value::from_serialize(account.as_ref()),
            csrf => self.csrf.clone(),
            navigation => Value::from_serialize(&navigation),
            organisation_name,
        }
    }

    /// A short description of the user's roles, for the dashboard.
    pub fn role_summary(&self) -> String {
        let account = &self.principal.account;
        let mut parts: Vec<String> = account
            .memberships
            .iter()
            .map(|m| {
                let role = match m.role {
                    Role::Admin => "administrator",
                    Role::ComplaintsOfficer => "complaints officer",
                    Role::TeamManager => "team manager",
                    Role::Investigator => "investigator",
                    Role::Viewer => "viewer",
                    Role::InformationGovernance => "information governance",
                    Role::MailGate => "mail gate",
                };
                if m.teams.is_empty() {
                    format!("{role} at {}", m.organisation)
                } else {
                    format!("{role} at {} ({})", m.organisation, m.teams.join(", "))
                }
            })
            .collect();
        if account.system_admin {
            parts.insert(0, "system administrator".into());
        }
        parts.join("; ")
    }
}

/// A select's option.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }

    /// Options whose value is also their label.
    pub fn same(values: &[String]) -> Vec<Choice> {
        values
            .iter()
            .map(|v| Choice::new(v.clone(), v.clone()))
            .collect()
    }
}
