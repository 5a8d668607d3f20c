//! The fixed vocabularies a case is recorded in. Their snake_case names are a public contract:
//! the CSV import, the JSON API and the database all use them.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize,
            strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantNames,
            strum::EnumIter, utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            /// Every snake_case name, in declaration order.
            pub fn names() -> &'static [&'static str] {
                <Self as strum::VariantNames>::VARIANTS
            }

            /// Parses the snake_case name, or says which names are allowed.
            pub fn parse(text: &str) -> Result<Self, String> {
                text.parse().map_err(|_| {
                    format!(
                        "'{text}' is not one of {}",
                        <Self as strum::VariantNames>::VARIANTS.join(", ")
                    )
                })
            }
        }
    };
}

vocabulary!(
    /// How the complaint reached the council.
    Channel { Email, Web, Phone, Post, InPerson, CouncillorOrMp, Advocate, Other }
);

vocabulary!(
    /// The complainant's relationship to the child.
    ComplainantRole {
        Child, Parent, Carer, FosterCarer, SpecialGuardian, CareLeaver, Relative,
        ProspectiveAdopter, Advocate, Professional, Other,
        ParentalResponsibility, SpecialGuardianshipChild, AdoptedPerson, AdoptiveParent,
        BirthParent,
    }
);

vocabulary!(
    /// The outcome of a stage. `rejected` closes a stage open when the complaint was found not
    /// to be one the procedure considers (reg. 8); it is set only by the `reject` step.
    Outcome { Upheld, PartiallyUpheld, NotUpheld, Withdrawn, NotRespondedInTime, Rejected }
);

vocabulary!(
    /// The LGSCO's decision categories.
    OmbudsmanDecision {
        OutOfJurisdiction, AssessedAndClosed, Premature, NoFault, FaultNoInjustice, FaultInjustice,
    }
);

vocabulary!(
    /// What the LGSCO asked the council to do.
    RemedyKind { Apology, Payment, ServiceImprovement }
);

vocabulary!(
    /// A recommendation (from a Stage 2 investigation or a Stage 3 panel) or learning.
    ActionKind { Recommendation, Learning }
);

vocabulary!(
    /// What a message in the outbox is.
    MessageKind {
        Acknowledgement, NewComplaint, Letter, Reminder, Digest, Appointment, RoleGranted,
        Correspondence,
    }
);

vocabulary!(
    /// Where a message is in the outbox: `not_sent` when there was no one to send it to.
    MessageStatus { Queued, Sending, Sent, Failed, NotSent }
);

vocabulary!(
    /// Where a case is in its lifecycle.
    Status {
        Received, Acknowledged, ResolvedAtInitialContact, Rejected, InStage, StageResponded,
        Withdrawn, Closed, Draft, NotAComplaint,
    }
);

impl OmbudsmanDecision {
    /// The order reports list decisions in: from outside the remit to fault found.
    pub const VARIANTS_IN_ORDER: [OmbudsmanDecision; 6] = [
        OmbudsmanDecision::OutOfJurisdiction,
        OmbudsmanDecision::AssessedAndClosed,
        OmbudsmanDecision::Premature,
        OmbudsmanDecision::NoFault,
        OmbudsmanDecision::FaultNoInjustice,
        OmbudsmanDecision::FaultInjustice,
    ];
}

impl Outcome {
    /// Whether the `respond` step may record it: a stage is closed as not responded in time
    /// by escalating it, and as rejected by rejecting the complaint (reg. 8), never by a
    /// response.
    pub fn recorded_by_response(self) -> bool {
        !matches!(self, Outcome::NotRespondedInTime | Outcome::Rejected)
    }

    /// The snake_case names a response may record, in declaration order: what the forms offer.
    pub fn response_names() -> Vec<&'static str> {
        <Self as strum::IntoEnumIterator>::iter()
            .filter(|o| o.recorded_by_response())
            .map(|o| o.as_str())
            .collect()
    }

    /// Upheld, partially upheld or not upheld: a response on the merits. Withdrawals are
    /// counted apart.
    pub fn is_response(self) -> bool {
        !matches!(
            self,
            Outcome::Withdrawn | Outcome::NotRespondedInTime | Outcome::Rejected
        )
    }
}

impl ComplainantRole {
    /// Who may make representations under Children Act 1989 s26(3) (with s26(3A)-(3C) and the
    /// adoption support and special guardianship regulations): the child, a parent, anyone with
    /// parental responsibility, a local authority foster carer, a special guardian and a child
    /// under a special guardianship order, a care leaver, and, for adoption support, adopted
    /// people, adoptive and prospective adoptive parents and birth parents. An advocate acts
    /// for one of them. Anyone else needs the council's decision that they have sufficient
    /// interest in the child's welfare (s26(3)(e)).
    pub fn may_complain_as_of_right(self) -> bool {
        use ComplainantRole::*;
        matches!(
            self,
            Child
                | Parent
                | ParentalResponsibility
                | FosterCarer
                | SpecialGuardian
                | SpecialGuardianshipChild
                | CareLeaver
                | ProspectiveAdopter
                | AdoptedPerson
                | AdoptiveParent
                | BirthParent
                | Advocate
        )
    }
}

impl Status {
    /// The statuses of a case the council is working on (a responded stage waits on the
    /// complainant): the one list the store's queries, its index and the tests use.
    pub const OPEN: [Status; 3] = [Status::Received, Status::Acknowledged, Status::InStage];

    /// No further stage work can happen (a closed case may still get an ombudsman decision).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::ResolvedAtInitialContact
                | Status::Rejected
                | Status::Withdrawn
                | Status::Closed
                | Status::NotAComplaint
        )
    }

    /// A message drafted as a case that an officer has not accepted as a complaint, or found
    /// not to be one: no procedure runs, and no report counts it.
    pub fn is_unaccepted_draft(self) -> bool {
        matches!(self, Status::Draft | Status::NotAComplaint)
    }
}
