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
    }
);

vocabulary!(
    /// The outcome of a stage.
    Outcome { Upheld, PartiallyUpheld, NotUpheld, Withdrawn }
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
    /// Where a case is in its lifecycle.
    Status {
        Received, Acknowledged, ResolvedAtInitialContact, Rejected, InStage, StageResponded,
        Withdrawn, Closed,
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
    /// Upheld, partially upheld or not upheld: a response on the merits. Withdrawals are
    /// counted apart.
    pub fn is_response(self) -> bool {
        !matches!(self, Outcome::Withdrawn)
    }
}

impl Status {
    /// No further stage work can happen (a closed case may still get an ombudsman decision).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::ResolvedAtInitialContact
                | Status::Rejected
                | Status::Withdrawn
                | Status::Closed
        )
    }
}
