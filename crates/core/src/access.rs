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
    /// The council's data protection work (UK GDPR Art. 15-17): subject access, rectification,
    /// erasure on request and legal holds. Reads no case lists; reaches a person's records
    /// through subject access only.
    InformationGovernance,
    /// A service credential for the council's mail server (`redress mailgate`, an IMAP
    /// poller elsewhere): files messages to the complaints mailbox, and reads nothing.
    MailGate,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::ComplaintsOfficer,
        Role::TeamManager,
        Role::Investigator,
        Role::Viewer,
        Role::InformationGovernance,
        Role::MailGate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ComplaintsOfficer => "complaints_officer",
            Role::TeamManager => "team_manager",
            Role::Investigator => "investigator",
            Role::Viewer => "viewer",
            Role::InformationGovernance => "information_governance",
            Role::MailGate => "mail_gate",
        }
    }

    /// How much a role reaches, for deciding whether one token may manage another: a token
    /// manages only tokens whose role ranks no higher than its own.
    pub fn rank(self) -> u8 {
        match self {
            Role::Viewer | Role::MailGate => 0,
            Role::Investigator => 1,
            Role::TeamManager => 2,
            Role::ComplaintsOfficer | Role::InformationGovernance => 3,
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
            RecordCases | ReadMailRecipients => self == Role::ComplaintsOfficer,
            ManageOrganisation | ReadAudit => self == Role::Admin,
            // A mail gate files mail and does nothing else, reports included.
            ViewReports => self != Role::MailGate,
            FileInboundMail => self == Role::MailGate,
            EditNarrative | UseOutbox => matches!(self, Role::Admin | Role::ComplaintsOfficer),
            HandlePersonalData => self == Role::InformationGovernance,
            RectifyPersonalData => {
                matches!(self, Role::InformationGovernance | Role::ComplaintsOfficer)
            }
            ReadRetention => matches!(
                self,
                Role::Admin | Role::ComplaintsOfficer | Role::InformationGovernance
            ),
            // A team manager reads their own teams' compliments only: the store narrows it.
            ReadCompliments => matches!(self, Role::ComplaintsOfficer | Role::TeamManager),
        }
    }

    /// Whether a member holding this role may make an API token carrying `token`: their own
    /// role or viewer; and an administrator, who sets up the council's mail, a mail gate
    /// token for its mail server.
    pub fn may_issue_token(self, token: Role) -> bool {
        token == self || token == Role::Viewer || (self == Role::Admin && token == Role::MailGate)
    }

    /// Whether granting this role must be announced to the organisation's complaints officers
    /// and listed in the audit log: it opens people's personal data to the holder (UK GDPR
    /// Art. 32(4); council policy: no one reaches personal data unseen, docs/security.md).
    pub fn reaches_personal_data(self) -> bool {
        self.allows(Permission::ReadCases) || self.allows(Permission::HandlePersonalData)
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
    /// Subject access, erasure on request and legal holds (UK GDPR Art. 15, 17, 18): the
    /// information governance role's work. Not the administrators': they hold the keys to
    /// accounts, and the council's policy keeps them from people's records (docs/security.md).
    HandlePersonalData,
    /// Correcting a person's details on a case (UK GDPR Art. 16): information governance, and
    /// complaints officers, who take the corrections people send in.
    RectifyPersonalData,
    /// The retention schedule and the log of erasures, which hold no personal data.
    ReadRetention,
    /// Compliments, which name people: those who handle them (a team manager, their teams').
    ReadCompliments,
    /// The outbox: what was sent, and resending what failed.
    UseOutbox,
    /// The addresses mail went to, which are complainants' (UK GDPR Art. 5(1)(c), data
    /// minimisation): complaints officers, who write to them.
    ReadMailRecipients,
    /// Handing in a message to the complaints mailbox (the mail gate).
    FileInboundMail,
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
                "only information governance may search, export, hold or erase personal data"
            }
            Permission::RectifyPersonalData => {
                "only information governance or a complaints officer may correct personal data"
            }
            Permission::ReadRetention => {
                "your role does not give access to the retention schedule and erasures"
            }
            Permission::ReadCompliments => "your role does not give access to compliments",
            Permission::UseOutbox => {
                "only an administrator or a complaints officer may see the outbox"
            }
            Permission::FileInboundMail => "only a mail gate token may hand in mail",
            Permission::ReadMailRecipients => {
                "only a complaints officer may see the addresses mail went to"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_reach_no_personal_data() {
        for permission in [
            Permission::ReadCases,
            Permission::HandlePersonalData,
            Permission::RectifyPersonalData,
            Permission::ReadCompliments,
            Permission::ReadMailRecipients,
        ] {
            assert!(!Role::Admin.allows(permission), "{permission:?}");
        }
        assert!(!Role::Admin.reaches_personal_data());
    }

    #[test]
    fn information_governance_does_data_protection_work_and_reads_no_cases() {
        let ig = Role::InformationGovernance;
        assert!(ig.allows(Permission::HandlePersonalData));
        assert!(ig.allows(Permission::RectifyPersonalData));
        assert!(!ig.allows(Permission::ReadCases));
        assert!(!ig.allows(Permission::ManageOrganisation));
        assert!(ig.reaches_personal_data());
        assert_eq!("information_governance".parse::<Role>(), Ok(ig));
    }

    #[test]
    fn only_complaints_officers_and_information_governance_rectify() {
        let rectifiers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.allows(Permission::RectifyPersonalData))
            .collect();
        assert_eq!(
            rectifiers,
            [Role::ComplaintsOfficer, Role::InformationGovernance]
        );
    }

    #[test]
    fn granting_a_case_reader_is_announced() {
        let announced: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.reaches_personal_data())
            .collect();
        assert_eq!(
            announced,
            [
                Role::ComplaintsOfficer,
                Role::TeamManager,
                Role::Investigator,
                Role::InformationGovernance
            ]
        );
    }
}
