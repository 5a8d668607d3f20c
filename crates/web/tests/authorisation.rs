//! Every API route × every role × own and other organisation (and own and other team for
//! cases): the exact status each gets. A route missing from the table fails the test.
//! Lists are also checked for exactly the cases each role may see.

mod common;

use common::{App, Credentials};
use redress_store::{Access, Actor, Role, Store};
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::{json, Value};
use std::collections::BTreeSet;

on_both_backends!(every_route_for_every_role);

/// Who asks, in the order of each row's statuses.
const PRINCIPALS: [&str; 9] = [
    "anonymous",
    "system_admin",
    "admin",
    "complaints_officer",
    "team_manager",
    "investigator",
    "viewer",
    "information_governance",
    "mail_gate",
];

/// What the request is aimed at.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    /// A testshire case in the manager's team, to which the investigator is appointed.
    OwnTeamCase,
    /// A testshire case in another team, with nobody appointed.
    OtherTeamCase,
    /// A case of another organisation.
    OtherOrgCase,
    /// The caller's organisation in the path, another organisation's compliment id.
    OtherOrgCompliment,
    OwnOrg,
    OtherOrg,
    /// A route about the caller only.
    Caller,
    /// The caller's own API token (one is made for each request).
    OwnToken,
    /// A token belonging to someone in another organisation.
    OthersToken,
    /// The caller themselves, given a case-reading role: refused to everyone (separation of
    /// duties), and audited.
    Yourself,
}

use Target::*;

/// Statuses for [anonymous, system_admin, admin, complaints_officer, team_manager,
/// investigator, viewer, information_governance, mail_gate].
#[rustfmt::skip]
const TABLE: &[(&str, Target, [u16; 9])] = &[
    ("GET /api/v1/cases", OwnOrg,                      [401, 404, 403, 200, 200, 200, 403, 403, 403]),
    ("GET /api/v1/cases", OtherOrg,                    [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases", OwnOrg,                     [401, 404, 403, 201, 403, 403, 403, 403, 403]),
    ("POST /api/v1/cases", OtherOrg,                   [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/cases/{id}", OwnTeamCase,            [401, 404, 404, 200, 200, 200, 404, 404, 404]),
    ("GET /api/v1/cases/{id}", OtherTeamCase,          [401, 404, 404, 200, 404, 404, 404, 404, 404]),
    ("GET /api/v1/cases/{id}", OtherOrgCase,           [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("PATCH /api/v1/cases/{id}", OwnTeamCase,          [401, 404, 404, 200, 200, 200, 404, 404, 404]),
    ("PATCH /api/v1/cases/{id}", OtherTeamCase,        [401, 404, 404, 200, 404, 404, 404, 404, 404]),
    ("PATCH /api/v1/cases/{id}", OtherOrgCase,         [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/transitions", OwnTeamCase,   [401, 404, 404, 200, 200, 200, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/transitions", OtherTeamCase, [401, 404, 404, 200, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/transitions", OtherOrgCase,  [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/events", OwnTeamCase,     [401, 404, 404, 200, 200, 200, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/events", OtherTeamCase,   [401, 404, 404, 200, 404, 404, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/events", OtherOrgCase,    [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/attachments", OwnTeamCase,     [401, 404, 404, 200, 200, 200, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/attachments", OtherTeamCase,   [401, 404, 404, 200, 404, 404, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/attachments", OtherOrgCase,    [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/attachments", OwnTeamCase,    [401, 404, 404, 201, 201, 201, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/attachments", OtherTeamCase,  [401, 404, 404, 201, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/attachments", OtherOrgCase,   [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/attachments/{attachment}", OwnTeamCase,   [401, 404, 404, 200, 200, 200, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/attachments/{attachment}", OtherTeamCase, [401, 404, 404, 200, 404, 404, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/attachments/{attachment}", OtherOrgCase,  [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/notes", OwnTeamCase,          [401, 404, 404, 204, 204, 204, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/notes", OtherTeamCase,        [401, 404, 404, 204, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/notes", OtherOrgCase,         [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/letters", OwnTeamCase,        [401, 404, 404, 201, 201, 201, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/letters", OtherTeamCase,      [401, 404, 404, 201, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/letters", OtherOrgCase,       [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/actions", OwnOrg,                    [401, 404, 403, 200, 200, 200, 403, 403, 403]),
    ("GET /api/v1/actions", OtherOrg,                  [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/compliments", OwnOrg,    [401, 404, 403, 200, 200, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/compliments", OtherOrg,  [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/organisations/{slug}/compliments", OwnOrg,   [401, 404, 403, 201, 403, 403, 403, 403, 403]),
    ("POST /api/v1/organisations/{slug}/compliments", OtherOrg, [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/compliments/{compliment}", OwnOrg,             [401, 404, 403, 200, 200, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/compliments/{compliment}", OtherOrg,           [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/compliments/{compliment}", OtherOrgCompliment, [401, 404, 403, 404, 404, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/compliments/{compliment}/published-quotation", OwnOrg,             [401, 404, 403, 200, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/compliments/{compliment}/published-quotation", OtherOrg,           [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/v1/organisations/{slug}/compliments/{compliment}/published-quotation", OtherOrgCompliment, [401, 404, 403, 404, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/calendar", OwnOrg,      [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/calendar", OtherOrg,    [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/letter-templates/{kind}", OwnOrg,   [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/letter-templates/{kind}", OtherOrg, [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/v1/organisations/{slug}/letter-templates/{kind}", OwnOrg,   [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/letter-templates/{kind}", OtherOrg, [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/v1/organisations/{slug}/users/{email}/teams", OwnOrg,   [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/users/{email}/teams", OtherOrg, [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations", Caller,              [401, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST /api/v1/organisations", Caller,             [401, 201, 403, 403, 403, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/procedures", OwnOrg,   [401, 404, 200, 200, 200, 200, 200, 200, 403]),
    ("GET /api/v1/organisations/{slug}/procedures", OtherOrg, [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/v1/organisations/{slug}/procedures", OwnOrg,   [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/procedures", OtherOrg, [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/closures", OwnOrg,     [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/closures", OtherOrg,   [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/organisations/{slug}/closures", OwnOrg,    [401, 201, 201, 403, 403, 403, 403, 403, 403]),
    ("POST /api/v1/organisations/{slug}/closures", OtherOrg,  [401, 201, 404, 404, 404, 404, 404, 404, 404]),
    ("DELETE /api/v1/organisations/{slug}/closures/{date}", OwnOrg,   [401, 204, 204, 403, 403, 403, 403, 403, 403]),
    ("DELETE /api/v1/organisations/{slug}/closures/{date}", OtherOrg, [401, 204, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/organisations/{slug}/teams", OwnOrg,       [401, 204, 204, 403, 403, 403, 403, 403, 403]),
    ("POST /api/v1/organisations/{slug}/teams", OtherOrg,     [401, 204, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/organisations/{slug}/reasons", OwnOrg,     [401, 204, 204, 403, 403, 403, 403, 403, 403]),
    ("POST /api/v1/organisations/{slug}/reasons", OtherOrg,   [401, 204, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/reports/{year}", OwnOrg,   [401, 404, 200, 200, 200, 200, 200, 200, 403]),
    ("GET /api/v1/organisations/{slug}/reports/{year}", OtherOrg, [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/narratives/{year}", OwnOrg,   [401, 404, 200, 200, 200, 200, 200, 200, 403]),
    ("GET /api/v1/organisations/{slug}/narratives/{year}", OtherOrg, [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/v1/organisations/{slug}/narratives/{year}/{section}", OwnOrg,   [401, 404, 204, 204, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/narratives/{year}/{section}", OtherOrg, [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/users", OwnOrg,         [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/users", OtherOrg,       [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/organisations/{slug}/users", OwnOrg,        [401, 201, 201, 403, 403, 403, 403, 403, 403]),
    ("POST /api/v1/organisations/{slug}/users", OtherOrg,      [401, 201, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/organisations/{slug}/users", Yourself,      [401, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("DELETE /api/v1/organisations/{slug}/users/{email}", OwnOrg,   [401, 204, 204, 403, 403, 403, 403, 403, 403]),
    ("DELETE /api/v1/organisations/{slug}/users/{email}", OtherOrg, [401, 204, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/session", Caller,                   [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET /api/v1/session", Caller,                    [401, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("DELETE /api/v1/session", Caller,                 [401, 204, 204, 204, 204, 204, 204, 204, 204]),
    ("PUT /api/v1/session/password", Caller,           [401, 422, 422, 422, 422, 422, 422, 422, 422]),
    ("GET /api/v1/tokens", Caller,                     [401, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST /api/v1/tokens", OwnOrg,                    [401, 404, 201, 201, 201, 201, 201, 201, 201]),
    ("POST /api/v1/tokens", OtherOrg,                  [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("DELETE /api/v1/tokens/{id}", OwnToken,           [401, 404, 204, 204, 204, 204, 204, 204, 204]),
    ("DELETE /api/v1/tokens/{id}", OthersToken,        [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/audit", OwnOrg,                      [401, 404, 200, 403, 403, 403, 403, 403, 403]),
    ("GET /api/v1/audit", OtherOrg,                    [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/outbox", OwnOrg,     [401, 200, 200, 200, 403, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/outbox", OtherOrg,   [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/organisations/{slug}/outbox/{id}/resend", OwnOrg,   [401, 200, 200, 200, 403, 403, 403, 403, 403]),
    ("POST /api/v1/organisations/{slug}/outbox/{id}/resend", OtherOrg, [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/reminders", OwnOrg,    [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/reminders", OtherOrg,  [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/v1/organisations/{slug}/reminders", OwnOrg,    [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/reminders", OtherOrg,  [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/retention", OwnOrg,    [401, 200, 200, 200, 403, 403, 403, 200, 403]),
    ("GET /api/v1/organisations/{slug}/retention", OtherOrg,  [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/v1/organisations/{slug}/retention", OwnOrg,    [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/retention", OtherOrg,  [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/retention/preview", OwnOrg,   [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/retention/preview", OtherOrg, [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    // The body confirms a count no dry run finds: whoever may switch the schedule on reaches
    // that check (422), and it stays off for the rows that follow.
    ("PUT /api/v1/organisations/{slug}/retention/approval", OwnOrg,   [401, 422, 422, 403, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/retention/approval", OtherOrg, [401, 422, 404, 404, 404, 404, 404, 404, 404]),
    ("DELETE /api/v1/organisations/{slug}/retention/approval", OwnOrg,   [401, 204, 204, 403, 403, 403, 403, 403, 403]),
    ("DELETE /api/v1/organisations/{slug}/retention/approval", OtherOrg, [401, 204, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/erasures", OwnOrg,     [401, 404, 200, 200, 403, 403, 403, 200, 403]),
    ("GET /api/v1/organisations/{slug}/erasures", OtherOrg,   [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/v1/cases/{id}/legal-hold", OwnTeamCase,        [401, 404, 404, 403, 403, 403, 404, 200, 404]),
    ("PUT /api/v1/cases/{id}/legal-hold", OtherTeamCase,      [401, 404, 404, 403, 404, 404, 404, 200, 404]),
    ("PUT /api/v1/cases/{id}/legal-hold", OtherOrgCase,       [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/cases/{id}/legal-hold", OwnTeamCase,        [401, 404, 404, 403, 403, 403, 404, 200, 404]),
    ("GET /api/v1/cases/{id}/legal-hold", OtherTeamCase,      [401, 404, 404, 403, 404, 404, 404, 200, 404]),
    ("GET /api/v1/cases/{id}/legal-hold", OtherOrgCase,       [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    // A hold is placed before each: lifting succeeds, and erasure is refused by it (422),
    // which shows the caller got past the role check without erasing the shared case.
    ("DELETE /api/v1/cases/{id}/legal-hold", OwnTeamCase,     [401, 404, 404, 403, 403, 403, 404, 204, 404]),
    ("DELETE /api/v1/cases/{id}/legal-hold", OtherTeamCase,   [401, 404, 404, 403, 404, 404, 404, 204, 404]),
    ("DELETE /api/v1/cases/{id}/legal-hold", OtherOrgCase,    [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/erasure", OwnTeamCase,          [401, 404, 404, 403, 403, 403, 404, 422, 404]),
    ("POST /api/v1/cases/{id}/erasure", OtherTeamCase,        [401, 404, 404, 403, 404, 404, 404, 422, 404]),
    ("POST /api/v1/cases/{id}/erasure", OtherOrgCase,         [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/cases/{id}/rectification", OwnTeamCase,    [401, 404, 404, 200, 403, 403, 404, 200, 404]),
    ("POST /api/v1/cases/{id}/rectification", OtherTeamCase,  [401, 404, 404, 200, 404, 404, 404, 200, 404]),
    ("POST /api/v1/cases/{id}/rectification", OtherOrgCase,   [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/subject-access", OwnOrg,          [401, 404, 403, 403, 403, 403, 403, 200, 403]),
    ("GET /api/v1/organisations/{slug}/subject-access", OtherOrg,        [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/subject-access/bundle", OwnOrg,   [401, 404, 403, 403, 403, 403, 403, 200, 403]),
    ("GET /api/v1/organisations/{slug}/sign-in-policy", OwnOrg,    [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/sign-in-policy", OtherOrg,  [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("PUT /api/v1/organisations/{slug}/sign-in-policy", OwnOrg,    [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("PUT /api/v1/organisations/{slug}/sign-in-policy", OtherOrg,  [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("POST /api/v1/organisations/{slug}/inbound", OwnOrg,   [401, 404, 403, 403, 403, 403, 403, 403, 201]),
    ("POST /api/v1/organisations/{slug}/inbound", OtherOrg, [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/inbound", OwnOrg,    [401, 200, 200, 403, 403, 403, 403, 403, 403]),
    ("GET /api/v1/organisations/{slug}/inbound", OtherOrg,  [401, 200, 404, 404, 404, 404, 404, 404, 404]),
    ("GET /api/v1/organisations/{slug}/subject-access/bundle", OtherOrg, [401, 404, 404, 404, 404, 404, 404, 404, 404]),
];

fn email_of(principal: &str) -> Option<String> {
    match principal {
        "anonymous" => None,
        "system_admin" => Some("operator@redress.test".into()),
        role => Some(format!("{role}@testshire.test")),
    }
}

struct World {
    own_team_case: i64,
    other_team_case: i64,
    other_org_case: i64,
    others_token: i64,
    /// A file on each case, in the order of the cases above.
    attachments: [i64; 3],
    /// A compliment of testshire and one of otherton.
    compliments: [i64; 2],
}

/// A file the store accepts (judged by its content: a PDF).
const PDF: &[u8] = b"%PDF-1.7\n% a letter\n";

async fn case_in(store: &Store, slug: &str, team: &str) -> i64 {
    let new = serde_json::from_value(json!({
        "procedure": "statutory", "received_on": "2024-10-01", "channel": "email",
        "complainant_role": "parent", "team": team, "reason": "Communication",
        "personal": {"complainant_name": "Pat Parent", "summary": "About contact"}
    }))
    .unwrap();
    store
        .create_case(
            &Access::System,
            slug,
            new,
            &Actor::system("test"),
            chrono::NaiveDate::from_ymd_opt(2024, 10, 1).unwrap(),
        )
        .await
        .expect("case made")
        .id
}

async fn step(store: &Store, id: i64, transition: Value) {
    let current = store.case(&Access::System, id).await.unwrap();
    store
        .transition(
            &Access::System,
            id,
            current.version,
            &serde_json::from_value(transition).unwrap(),
            &Actor::system("test"),
            redress_web::Clock::system().today(),
        )
        .await
        .expect("step applies");
}

/// Two organisations, a user per role in testshire, an officer in otherton, and three cases.
async fn build(app: &App) -> World {
    for (slug, prefix) in [("testshire", "TCC"), ("otherton", "OTC")] {
        app.post(
            "/api/v1/organisations",
            json!({"slug": slug, "name": format!("{slug} council"), "reference_prefix": prefix}),
        )
        .await
        .expect(201);
        for team in ["Alpha Team", "Beta Team"] {
            app.post(
                &format!("/api/v1/organisations/{slug}/teams"),
                json!({"name": team}),
            )
            .await
            .expect(204);
        }
        app.post(
            &format!("/api/v1/organisations/{slug}/reasons"),
            json!({"name": "Communication"}),
        )
        .await
        .expect(204);
    }
    for role in Role::ALL {
        let teams: &[&str] = if role == Role::TeamManager {
            &["Alpha Team"]
        } else {
            &[]
        };
        app.add_user(
            &format!("{role}@testshire.test"),
            Some("testshire"),
            Some(role),
            teams,
            false,
        )
        .await;
    }
    app.add_user(
        "officer@otherton.test",
        Some("otherton"),
        Some(Role::ComplaintsOfficer),
        &[],
        false,
    )
    .await;

    let own_team_case = case_in(&app.store, "testshire", "Alpha Team").await;
    step(
        &app.store,
        own_team_case,
        json!({"transition": "acknowledge", "on": "2024-10-02"}),
    )
    .await;
    step(
        &app.store,
        own_team_case,
        json!({"transition": "open_stage1"}),
    )
    .await;
    step(
        &app.store,
        own_team_case,
        json!({"transition": "respond", "on": "2024-10-10", "outcome": "not_upheld"}),
    )
    .await;
    step(
        &app.store,
        own_team_case,
        json!({"transition": "escalate", "requested_on": "2024-10-14"}),
    )
    .await;
    step(&app.store, own_team_case, json!({"transition": "appoint_investigator",
        "investigating_officer": "Investigator@Testshire.test", "independent_person": "Pat Independent"})).await;
    let other_team_case = case_in(&app.store, "testshire", "Beta Team").await;
    let other_org_case = case_in(&app.store, "otherton", "Alpha Team").await;

    let other_officer = app
        .accounts
        .account_by_email("officer@otherton.test")
        .await
        .unwrap()
        .unwrap();
    let (others_token, _) = app
        .accounts
        .create_token(
            &other_officer,
            "otherton",
            Role::Viewer,
            "elsewhere",
            &Actor::system("test"),
        )
        .await
        .unwrap();
    let mut attachments = [0; 3];
    for (i, case) in [own_team_case, other_team_case, other_org_case]
        .into_iter()
        .enumerate()
    {
        attachments[i] = app
            .store
            .add_attachment(
                &Access::System,
                case,
                "letter.pdf",
                PDF,
                &Actor::system("test"),
            )
            .await
            .unwrap()
            .id;
    }
    let mut compliments = [0; 2];
    for (i, slug) in ["testshire", "otherton"].into_iter().enumerate() {
        let compliment = serde_json::from_value(json!({
            "received_on": "2024-10-01", "summary": "Thank you", "team": "Alpha Team",
        }))
        .unwrap();
        compliments[i] = app
            .store
            .log_compliment(&Access::System, slug, compliment, &Actor::system("test"))
            .await
            .unwrap()
            .id;
    }
    World {
        own_team_case,
        other_team_case,
        other_org_case,
        others_token: others_token.id,
        attachments,
        compliments,
    }
}

async fn every_route_for_every_role(db: &TestDatabase) {
    let app = App::start(db).await;
    let world = build(&app).await;

    // The table names every route the API documents, and nothing else.
    let doc = app.get("/api/v1/openapi.json").await.expect(200);
    let mut documented = BTreeSet::new();
    for (path, item) in doc.body["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let tabled: BTreeSet<String> = TABLE.iter().map(|(r, _, _)| r.to_string()).collect();
    assert_eq!(
        documented, tabled,
        "every API route needs rows in the authorisation table"
    );

    let mut sessions = Vec::new();
    for principal in PRINCIPALS {
        sessions.push(match email_of(principal) {
            None => Credentials::None,
            Some(email) => app.session_for(&email).await,
        });
    }

    let mut failures = Vec::new();
    let mut counter = 0;
    for (route, target, expected) in TABLE {
        for (i, principal) in PRINCIPALS.iter().enumerate() {
            counter += 1;
            let (method, template) = route.split_once(' ').unwrap();
            let mut credentials = sessions[i].clone();
            let slug = if *target == OtherOrg {
                "otherton"
            } else {
                "testshire"
            };
            let case_id = match target {
                OwnTeamCase => world.own_team_case,
                OtherTeamCase => world.other_team_case,
                _ => world.other_org_case,
            };
            let version = app
                .store
                .case(&Access::System, case_id)
                .await
                .unwrap()
                .version;
            let mut path = template
                .replace("{slug}", slug)
                .replace("{year}", "2024")
                .replace("{section}", "learning")
                .replace("{kind}", "withdrawal");
            if template.contains("/cases/{id}") {
                path = path.replace("{id}", &case_id.to_string());
            }
            let attachment = match target {
                OwnTeamCase => world.attachments[0],
                OtherTeamCase => world.attachments[1],
                _ => world.attachments[2],
            };
            path = path.replace("{attachment}", &attachment.to_string());
            let compliment = match target {
                OwnOrg => world.compliments[0],
                _ => world.compliments[1],
            };
            path = path.replace("{compliment}", &compliment.to_string());
            // A closure day of its own for each request, on a date no other request uses.
            let closure_day = (chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
                + chrono::Duration::days(counter as i64))
            .to_string();
            if template.contains("{date}") {
                app.store
                    .add_closure(
                        &Access::System,
                        slug,
                        None,
                        redress_calendar::Closure {
                            date: closure_day.parse().unwrap(),
                            label: "Closed".into(),
                        },
                        &Actor::system("test"),
                        chrono::NaiveDate::from_ymd_opt(2024, 10, 1).unwrap(),
                    )
                    .await
                    .unwrap();
                path = path.replace("{date}", &closure_day);
            }
            if template.contains("{email}") {
                let temp = format!("temp{counter}@{slug}.test");
                app.add_user(&temp, Some(slug), Some(Role::Viewer), &[], false)
                    .await;
                path = path.replace("{email}", &temp);
            }
            if template.contains("/outbox/{id}") {
                // A failed message of its own for each request: resending queues it again.
                let id = app.failed_message(db, slug).await;
                path = path.replace("{id}", &id.to_string());
            }
            if template.contains("/tokens/{id}") {
                let id = match (target, email_of(principal)) {
                    (OwnToken, Some(email)) if *principal != "system_admin" => {
                        let account = app
                            .accounts
                            .account_by_email(&email)
                            .await
                            .unwrap()
                            .unwrap();
                        let role = account.memberships[0].role;
                        app.accounts
                            .create_token(
                                &account,
                                "testshire",
                                role,
                                "matrix",
                                &Actor::system("test"),
                            )
                            .await
                            .unwrap()
                            .0
                            .id
                    }
                    _ => world.others_token,
                };
                path = path.replace("{id}", &id.to_string());
            }
            if *route == "DELETE /api/v1/cases/{id}/legal-hold"
                || *route == "POST /api/v1/cases/{id}/erasure"
            {
                app.store
                    .place_legal_hold(
                        &Access::System,
                        case_id,
                        "Litigation",
                        &Actor::system("test"),
                    )
                    .await
                    .unwrap();
            }
            if *route == "DELETE /api/v1/session" || *route == "POST /api/v1/session" {
                // A fresh session, so the one used for the other rows lives on (signing in
                // ends the session the browser held).
                if let Some(email) = email_of(principal) {
                    credentials = app.session_for(&email).await;
                }
            }
            if *route == "GET /api/v1/cases" {
                path = format!("{path}?organisation={slug}&limit=500");
            }
            if *route == "GET /api/v1/audit" || *route == "GET /api/v1/actions" {
                path = format!("{path}?organisation={slug}");
            }
            if route.contains("/reports/") {
                path = format!("{path}?format=json");
            }
            if route.contains("/subject-access") {
                // The complainant of every case made above.
                path = format!("{path}?q=Pat%20Parent");
            }
            let body = match *route {
                "POST /api/v1/cases" => Some(json!({
                    "organisation": slug, "procedure": "statutory", "received_on": "2024-10-01",
                    "channel": "email", "complainant_role": "parent", "team": "Alpha Team",
                })),
                "PATCH /api/v1/cases/{id}" => Some(json!({"advocacy_offered": true})),
                "POST /api/v1/cases/{id}/notes" => Some(json!({"text": "Rang the family"})),
                "POST /api/v1/cases/{id}/letters" => Some(json!({"kind": "withdrawal"})),
                "PUT /api/v1/organisations/{slug}/letter-templates/{kind}" => {
                    Some(json!({"body": "Your complaint {{ reference }} is closed."}))
                }
                "POST /api/v1/organisations/{slug}/compliments" => Some(json!({
                    "received_on": "2024-10-02", "summary": "Thanks to the team",
                })),
                "PUT /api/v1/organisations/{slug}/compliments/{compliment}/published-quotation" => {
                    Some(json!({"published_quotation": null}))
                }
                "PUT /api/v1/organisations/{slug}/calendar" => Some(
                    serde_json::from_str(include_str!("../../calendar/data/bank-holidays.json"))
                        .unwrap(),
                ),
                "PUT /api/v1/organisations/{slug}/users/{email}/teams" => {
                    Some(json!({"teams": ["Alpha Team"]}))
                }
                "POST /api/v1/cases/{id}/transitions" => Some(json!({
                    "transition": "add_action", "kind": "learning", "description": "Share the learning",
                    "owner_team": "Alpha Team", "due_on": "2025-01-31",
                })),
                "POST /api/v1/organisations" => Some(json!({
                    "slug": format!("new{counter}"), "name": "New council", "reference_prefix": "NEW",
                })),
                "PUT /api/v1/organisations/{slug}/procedures" => {
                    Some(json!({"procedures": ["statutory", "corporate"]}))
                }
                "POST /api/v1/organisations/{slug}/closures" => {
                    Some(json!({"date": closure_day, "label": "Council closure"}))
                }
                "PUT /api/v1/organisations/{slug}/reminders" => Some(json!({"points": [10, 2]})),
                // Passwords stay on: the rows after this one sign in with them.
                "PUT /api/v1/organisations/{slug}/sign-in-policy" => {
                    Some(json!({"password_sign_in": true, "group_roles": {"g-1": "viewer"}}))
                }
                "PUT /api/v1/organisations/{slug}/retention" => {
                    Some(json!({"rules": [{"applies_to": "statutory", "years": 6}]}))
                }
                "PUT /api/v1/organisations/{slug}/retention/approval" => Some(json!({
                    "approved_on": "2026-01-05", "approved_by": "IG Board", "confirm_erasures": 999999,
                })),
                "PUT /api/v1/cases/{id}/legal-hold" | "POST /api/v1/cases/{id}/erasure" => {
                    Some(json!({"reason": "Litigation"}))
                }
                "POST /api/v1/cases/{id}/rectification" => Some(json!({
                    "personal": {"complainant_name": "A N Other"}, "reason": "Misspelt",
                })),
                "POST /api/v1/organisations/{slug}/teams"
                | "POST /api/v1/organisations/{slug}/reasons" => {
                    Some(json!({"name": format!("Name {counter}")}))
                }
                "PUT /api/v1/organisations/{slug}/narratives/{year}/{section}" => {
                    Some(json!({"body": "What we learned."}))
                }
                "POST /api/v1/organisations/{slug}/users" if *target == Yourself => Some(json!({
                    "email": email_of(principal).unwrap_or_default(), "role": "complaints_officer",
                })),
                "POST /api/v1/organisations/{slug}/users" => Some(json!({
                    "email": format!("added{counter}@{slug}.test"), "role": "viewer",
                })),
                "POST /api/v1/session" => Some(json!({
                    "email": "viewer@testshire.test", "password": common::PASSWORD,
                })),
                "PUT /api/v1/session/password" => Some(json!({
                    "current_password": common::PASSWORD, "new_password": common::PASSWORD,
                })),
                "POST /api/v1/tokens" => Some(json!({
                    "organisation": slug, "role": "viewer", "name": "integration",
                })),
                _ => None,
            };
            let reply = if *route == "POST /api/v1/cases/{id}/attachments" {
                app.upload_as(&credentials, &path, "letter.pdf", PDF).await
            } else if *route == "POST /api/v1/organisations/{slug}/inbound" {
                // A message of its own for each request, so none is a redelivery.
                let raw = format!(
                    "From: Pat Parent <pat{counter}@example.org>\r\nMessage-ID: <matrix{counter}@example.org>\r\nSubject: A complaint\r\n\r\nPlease call me."
                );
                app.raw_as(
                    &credentials,
                    "POST",
                    &path,
                    "message/rfc822",
                    raw.into_bytes(),
                )
                .await
            } else {
                // Organisation settings carry their own version (If-Match), read just now.
                let version = if template.starts_with("/api/v1/organisations/{slug}/") {
                    match app.store.organisation(slug).await {
                        Ok(organisation) => organisation.version,
                        Err(_) => version,
                    }
                } else {
                    version
                };
                app.call_as(&credentials, method, &path, body, Some(version))
                    .await
            };
            let got = reply.status.as_u16();
            if got != expected[i] {
                failures.push(format!(
                    "{route} [{target:?}] as {principal}: expected {}, got {got}: {}",
                    expected[i], reply.body
                ));
                continue;
            }
            if *route == "GET /api/v1/cases" && got == 200 {
                let seen: BTreeSet<i64> = reply.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_i64().unwrap())
                    .filter(|id| {
                        [
                            world.own_team_case,
                            world.other_team_case,
                            world.other_org_case,
                        ]
                        .contains(id)
                    })
                    .collect();
                let visible: BTreeSet<i64> = match *principal {
                    "complaints_officer" => [world.own_team_case, world.other_team_case].into(),
                    "team_manager" | "investigator" => [world.own_team_case].into(),
                    _ => BTreeSet::new(),
                };
                if seen != visible {
                    failures.push(format!(
                        "{route} as {principal} listed {seen:?}, not {visible:?}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} requests got the wrong answer:\n{}",
        failures.len(),
        counter,
        failures.join("\n")
    );
}
