//! Roles and what each may do in an organisation: the council's access policy, in one place.
//! The store writes the case scope a role implies into every query; the web layer asks
//! [`Role::allows`] before anything else.

use serde::{Deserialize, Serialize};

/// A user's role in one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Organisation settings and users; no cases.
    Admin,
    /// Every case of the organisation.
    ComplaintsOfficer,
    /// The cases of their teams.
    TeamManager,
    /// Only the cases they are appointed to.
    Investigator,
    /// Reports and dashboards, with no personal data.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::ComplaintsOfficer,
        Role::TeamManager,
        Role::Investigator,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ComplaintsOfficer => "complaints_officer",
            Role::TeamManager => "team_manager",
            Role::Investigator => "investigator",
            Role::Viewer => "viewer",
        }
    }

    /// How much a role reaches, for deciding whether one token may manage another: a token
    /// manages only tokens whose role ranks no higher than its own.
    pub fn rank(self) -> u8 {
        match self {
            Role::Viewer => 0,
            Role::Investigator => 1,
            Role::TeamManager => 2,
            Role::ComplaintsOfficer => 3,
            Role::Admin => 4,
        }
    }

    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            ReadCases => matches!(
                self,
                Role::ComplaintsOfficer | Role::TeamManager | Role::Investigator
            ),
            RecordCases => self == Role::ComplaintsOfficer,
            ManageOrganisation | ReadAudit => self == Role::Admin,
            ViewReports => true,
            EditNarrative | HandlePersonalData => {
                matches!(self, Role::Admin | Role::ComplaintsOfficer)
            }
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "'{text}' is not a role: use one of {}",
                    Role::ALL.map(Role::as_str).join(", ")
                )
            })
    }
}

/// What a request wants to do in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ReadCases,
    RecordCases,
    ManageOrganisation,
    ViewReports,
    EditNarrative,
    ReadAudit,
    /// Subject access, rectification, erasure on request and legal holds (UK GDPR Art. 15-17):
    /// the data protection work of the council's administrators and complaints officers.
    HandlePersonalData,
}

impl Permission {
    /// Says what was refused, for the 403.
    pub fn refusal(self) -> &'static str {
        match self {
            Permission::ReadCases => "your role does not give access to cases",
            Permission::RecordCases => "only a complaints officer may record a new case",
            Permission::ManageOrganisation => {
                "only an administrator may change the organisation's settings and users"
            }
            Permission::ViewReports => "your role does not give access to reports",
            Permission::EditNarrative => {
                "only an administrator or a complaints officer may edit the report's narrative"
            }
            Permission::ReadAudit => "only an administrator may read the audit log",
            Permission::HandlePersonalData => {
                "only an administrator or a complaints officer may search, export, correct or erase personal data"
            }
        }
    }
}

/// A user's place in one organisation.
#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    #[serde(skip)]
    pub organisation_id: i64,
    /// The organisation's slug.
    pub organisation: String,
    pub organisation_name: String,
    pub role: Role,
    #[serde(skip)]
    pub team_ids: Vec<i64>,
    /// Team names (a team manager sees these teams' cases).
    pub teams: Vec<String>,
}

/// A signed-in user, as a session or a token presents them.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    #[serde(skip)]
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    /// May create organisations and manage any organisation's users; sees no cases by it.
    pub system_admin: bool,
    /// Signed in with a one-time password: nothing else is allowed until it is changed.
    pub must_change_password: bool,
    pub memberships: Vec<Membership>,
}

impl Account {
    pub fn membership(&self, organisation_id: i64) -> Option<&Membership> {
        self.memberships
            .iter()
            .find(|m| m.organisation_id == organisation_id)
    }
}
