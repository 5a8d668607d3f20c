//! Who may see and do what. Every store query that reads cases takes an [`Access`], and the
//! case scope it implies is written into the query's WHERE clause, so a handler that forgets a
//! check still cannot return a case the user may not see.

pub use redress_core::access::{Account, Membership, Permission, Role};
use std::sync::Arc;

/// On whose behalf the store is asked.
#[derive(Debug, Clone)]
pub enum Access {
    /// The operator at the command line, and the demo loader: the whole database.
    System,
    Account(Arc<Account>),
}

impl Access {
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Access::System => None,
            Access::Account(a) => Some(a.user_id),
        }
    }

    /// The cases this access reaches, as the store writes it into queries.
    pub(crate) fn case_scope(&self) -> CaseScope {
        let Access::Account(account) = self else {
            return CaseScope::Everything;
        };
        let grants = account
            .memberships
            .iter()
            .filter_map(|m| match m.role {
                Role::ComplaintsOfficer => Some(Grant::Organisation(m.organisation_id)),
                Role::TeamManager => Some(Grant::Teams(m.organisation_id, m.team_ids.clone())),
                Role::Investigator => Some(Grant::Appointed(
                    m.organisation_id,
                    redress_core::Email::lookup_key(&account.email),
                )),
                Role::Admin | Role::Viewer | Role::InformationGovernance | Role::MailGate => None,
            })
            .collect();
        CaseScope::Only(grants)
    }

    /// Whether any membership lets this access read cases at all.
    pub fn reads_cases(&self) -> bool {
        match self {
            Access::System => true,
            Access::Account(a) => a
                .memberships
                .iter()
                .any(|m| m.role.allows(Permission::ReadCases)),
        }
    }
}

/// The cases a query may return.
#[derive(Debug, Clone)]
pub(crate) enum CaseScope {
    Everything,
    /// Any of these; none means no case at all.
    Only(Vec<Grant>),
}

#[derive(Debug, Clone)]
pub(crate) enum Grant {
    Organisation(i64),
    Teams(i64, Vec<i64>),
    /// Cases in the organisation whose stages name this sign-in email.
    Appointed(i64, String),
}

impl Grant {
    pub(crate) fn organisation_id(&self) -> i64 {
        match self {
            Grant::Organisation(id) | Grant::Teams(id, _) | Grant::Appointed(id, _) => *id,
        }
    }
}
