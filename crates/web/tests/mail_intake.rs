//! Mail to the complaints mailbox through the mail gate (`POST /organisations/{slug}/inbound`):
//! a message makes one draft case, with the day it reached the council and its files; the
//! same message again makes nothing; machines' mail makes nothing and sends nothing; a reply
//! joins its case; an officer accepts a draft, which sends the acknowledgement once.

mod common;

use common::{App, Credentials, Reply};
use redress_core::MessageKind;
use redress_store::{Access, Role};
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;

on_both_backends!(a_message_makes_one_draft_dated_by_its_arrival_and_nothing_is_sent);
on_both_backends!(an_html_message_keeps_its_pdf_and_drops_scripts);
on_both_backends!(the_same_message_twice_makes_one_case);
on_both_backends!(machines_mail_makes_no_case_and_sends_nothing);
on_both_backends!(a_reply_joins_its_case_by_in_reply_to_and_by_subject_reference);
on_both_backends!(accepting_a_draft_acknowledges_it_once_and_reports_count_it_only_then);
on_both_backends!(a_draft_takes_no_procedure_step_and_can_be_found_not_a_complaint);
on_both_backends!(unreadable_messages_are_refused_with_their_reason_and_change_nothing);
on_both_backends!(only_a_mail_gate_token_hands_in_mail_and_it_reads_nothing);

/// Testshire, its officer signed in, and a mail gate token its administrator made.
async fn set_up(db: &TestDatabase) -> (App, Credentials) {
    let app = App::start(db).await;
    app.seed().await;
    app.add_user(
        "admin@testshire.test",
        Some("testshire"),
        Some(Role::Admin),
        &[],
        false,
    )
    .await;
    let admin = app.session_for("admin@testshire.test").await;
    let token = app
        .call_as(
            &admin,
            "POST",
            "/api/v1/tokens",
            Some(json!({"organisation": "testshire", "role": "mail_gate", "name": "mail server"})),
            None,
        )
        .await
        .expect(201);
    let gate = Credentials::Token(token.body["token"].as_str().unwrap().to_string());
    (app, gate)
}

async fn hand_in(app: &App, gate: &Credentials, raw: &str) -> Reply {
    app.raw_as(
        gate,
        "POST",
        "/api/v1/organisations/testshire/inbound",
        "message/rfc822",
        raw.replace('\n', "\r\n").into_bytes(),
    )
    .await
}

/// A plain message from Ann, taken in by the council's server at 23:30 UTC on 1 October 2026:
/// 00:30 on 2 October in London (BST), the day its clock runs from.
fn plain(message_id: &str) -> String {
    format!(
        "Received: from mx.example.org by mail.testshire.test; Thu, 1 Oct 2026 23:30:00 +0000\n\
         From: Ann Smith <ann@example.org>\n\
         To: complaints@testshire.test\n\
         Subject: No one has called me back\n\
         Date: Thu, 1 Oct 2026 22:00:00 +0000\n\
         Message-ID: <{message_id}>\n\
         \n\
         My son's social worker has not returned my calls for three weeks.\n"
    )
}

fn acknowledgements(outbox: &[redress_store::OutboxMessage], case_id: i64) -> usize {
    outbox
        .iter()
        .filter(|m| m.kind == MessageKind::Acknowledgement && m.case_id == Some(case_id))
        .count()
}

async fn a_message_makes_one_draft_dated_by_its_arrival_and_nothing_is_sent(db: &TestDatabase) {
    let (app, gate) = set_up(db).await;
    let filed = hand_in(&app, &gate, &plain("one@example.org"))
        .await
        .expect(201);
    assert_eq!(filed.body["disposition"], "draft");
    assert_eq!(filed.body["duplicate"], false);
    let id = filed.body["case_id"].as_i64().expect("a case");
    assert!(filed.body["reference"]
        .as_str()
        .unwrap()
        .starts_with("TCC-2026-"));

    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(case.body["status"], "draft");
    assert_eq!(case.body["received_on"], "2026-10-02");
    assert_eq!(case.body["channel"], "email");
    assert_eq!(case.body["personal"]["complainant_name"], "Ann Smith");
    assert_eq!(case.body["personal"]["contact_email"], "ann@example.org");
    let summary = case.body["personal"]["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("No one has called me back"),
        "{summary}"
    );
    assert!(summary.contains("three weeks"), "{summary}");

    let drafts = app
        .get("/api/v1/cases?organisation=testshire&status=draft")
        .await
        .expect(200);
    let listed: Vec<i64> = drafts.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [id]);

    // Nothing is acknowledged or sent until an officer accepts it.
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    assert!(outbox.iter().all(|m| m.case_id != Some(id)), "{outbox:?}");

    // The message is on the case's timeline.
    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    let mail = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "correspondence");
    let mail = mail.expect("the message on the timeline");
    assert_eq!(mail["after"]["from"], "Ann Smith <ann@example.org>");
}

async fn an_html_message_keeps_its_pdf_and_drops_scripts(db: &TestDatabase) {
    let (app, gate) = set_up(db).await;
    let pdf = "JVBERi0xLjQKJSBhIGxldHRlcgo="; // "%PDF-1.4\n% a letter\n"
    let raw = format!(
        "From: Bob <bob@example.org>\n\
         Subject: Complaint\n\
         Message-ID: <html@example.org>\n\
         MIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"XX\"\n\
         \n\
         --XX\n\
         Content-Type: text/html; charset=utf-8\n\
         \n\
         <html><head><style>p {{ color: red }}</style><script>alert('x')</script></head>\
         <body><p>The <b>respite</b> care was cancelled.</p></body></html>\n\
         --XX\n\
         Content-Type: application/pdf; name=\"letter.pdf\"\n\
         Content-Disposition: attachment; filename=\"letter.pdf\"\n\
         Content-Transfer-Encoding: base64\n\
         \n\
         {pdf}\n\
         --XX--\n"
    );
    let filed = hand_in(&app, &gate, &raw).await.expect(201);
    let id = filed.body["case_id"].as_i64().unwrap();
    let files = app
        .get(&format!("/api/v1/cases/{id}/attachments"))
        .await
        .expect(200);
    let files = files.body.as_array().unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["name"], "letter.pdf");
    assert_eq!(files[0]["content_type"], "application/pdf");
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    let summary = case.body["personal"]["summary"].as_str().unwrap();
    assert!(summary.contains("respite care was cancelled"), "{summary}");
    assert!(
        !summary.contains("alert") && !summary.contains("color"),
        "{summary}"
    );
}

async fn the_same_message_twice_makes_one_case(db: &TestDatabase) {
    let (app, gate) = set_up(db).await;
    let first = hand_in(&app, &gate, &plain("twice@example.org"))
        .await
        .expect(201);
    let again = hand_in(&app, &gate, &plain("twice@example.org"))
        .await
        .expect(200);
    assert_eq!(again.body["duplicate"], true);
    assert_eq!(again.body["case_id"], first.body["case_id"]);
    // Delivered twice at once, it still makes one.
    let raw = plain("race@example.org");
    let (a, b) = tokio::join!(hand_in(&app, &gate, &raw), hand_in(&app, &gate, &raw));
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 201], "{a:?} {b:?}");
    assert_eq!(a.body["case_id"], b.body["case_id"]);
    let drafts = app
        .get("/api/v1/cases?organisation=testshire&status=draft")
        .await
        .expect(200);
    assert_eq!(drafts.body["items"].as_array().unwrap().len(), 2);
}

async fn machines_mail_makes_no_case_and_sends_nothing(db: &TestDatabase) {
    let (app, gate) = set_up(db).await;
    let before = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap()
        .len();
    for (n, header) in [
        "Auto-Submitted: auto-replied",
        "Precedence: bulk",
        "Return-Path: <>",
    ]
    .iter()
    .enumerate()
    {
        let raw = format!(
            "From: ann@example.org\n{header}\nSubject: Out of office\nMessage-ID: <auto{n}@example.org>\n\nI am away."
        );
        let filed = hand_in(&app, &gate, &raw).await.expect(201);
        assert_eq!(filed.body["disposition"], "ignored", "{header}");
        assert!(filed.body["case_id"].is_null(), "{header}");
        assert!(filed.body["reason"].as_str().is_some(), "{header}");
    }
    let drafts = app
        .get("/api/v1/cases?organisation=testshire&status=draft")
        .await
        .expect(200);
    assert!(drafts.body["items"].as_array().unwrap().is_empty());
    let after = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap()
        .len();
    assert_eq!(after, before, "nothing is sent in answer to a machine");
}

async fn a_reply_joins_its_case_by_in_reply_to_and_by_subject_reference(db: &TestDatabase) {
    let (app, gate) = set_up(db).await;
    let created = app
        .post(
            "/api/v1/cases",
            json!({
                "organisation": "testshire", "procedure": "statutory", "received_on": "2026-11-02",
                "channel": "phone", "complainant_role": "parent",
                "personal": {"complainant_name": "Cat", "contact_email": "cat@example.org"}
            }),
        )
        .await
        .expect(201);
    let id = created.id();
    let reference = created.body["reference"].as_str().unwrap().to_string();
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    let acknowledgement = outbox
        .iter()
        .find(|m| m.kind == MessageKind::Acknowledgement && m.case_id == Some(id))
        .expect("an acknowledgement");
    assert!(acknowledgement.subject.contains(&format!("[{reference}]")));

    let by_header = format!(
        "From: Cat <cat@example.org>\nSubject: Re: your letter\nMessage-ID: <r1@example.org>\n\
         In-Reply-To: {}\n\nHere is more about what happened.",
        acknowledgement.message_id
    );
    let filed = hand_in(&app, &gate, &by_header).await.expect(201);
    assert_eq!(filed.body["disposition"], "reply");
    assert_eq!(filed.body["case_id"], id);

    let by_subject = format!(
        "From: Cat <cat@example.org>\nSubject: RE: [{reference}] one more thing\nMessage-ID: <r2@example.org>\n\nAnd this."
    );
    let filed = hand_in(&app, &gate, &by_subject).await.expect(201);
    assert_eq!(filed.body["disposition"], "reply");
    assert_eq!(filed.body["case_id"], id);

    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    let replies: Vec<&str> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "correspondence")
        .map(|e| e["after"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(replies, ["Here is more about what happened.", "And this."]);
    // The officers are told, and no new case was made.
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    assert_eq!(
        outbox
            .iter()
            .filter(|m| m.kind == MessageKind::Correspondence && m.case_id == Some(id))
            .count(),
        2
    );
    let drafts = app
        .get("/api/v1/cases?organisation=testshire&status=draft")
        .await
        .expect(200);
    assert!(drafts.body["items"].as_array().unwrap().is_empty());

    // A reply to a closed case is flagged, and does not reopen it.
    let v = app
        .step(
            id,
            created.etag(),
            json!({"transition": "withdraw", "on": "2026-11-03"}),
        )
        .await;
    let v = app
        .step(id, v, json!({"transition": "close", "on": "2026-11-04"}))
        .await;
    let late = format!(
        "From: cat@example.org\nSubject: [{reference}] still unhappy\nMessage-ID: <r3@example.org>\n\nStill unhappy."
    );
    hand_in(&app, &gate, &late).await.expect(201);
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(case.body["status"], "closed");
    assert_eq!(case.etag(), v, "the reply changed nothing about the case");
    let events = app
        .get(&format!("/api/v1/cases/{id}/events"))
        .await
        .expect(200);
    let last = events.body.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "correspondence");
    assert_eq!(last["after"]["case_was"], "closed");
}

async fn accepting_a_draft_acknowledges_it_once_and_reports_count_it_only_then(db: &TestDatabase) {
    let (app, gate) = set_up(db).await;
    let filed = hand_in(&app, &gate, &plain("accept@example.org"))
        .await
        .expect(201);
    let id = filed.body["case_id"].as_i64().unwrap();
    let received = |report: &Reply| report.body["complaints"]["received"].as_i64().unwrap();
    let report = app
        .get("/api/v1/organisations/testshire/reports/2026?format=json")
        .await
        .expect(200);
    assert_eq!(received(&report), 0, "a draft is not a complaint received");

    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    let accept = json!({
        "transition": "accept_draft", "on": "2026-10-06", "procedure": "statutory",
        "complainant_role": "parent", "team": "Access & Assessment Team",
    });
    let accepted = app
        .transition(id, case.etag(), accept.clone())
        .await
        .expect(200);
    assert_eq!(accepted.body["status"], "received");
    assert_eq!(accepted.body["procedure"], "statutory");
    // The clock runs from the day the email arrived, not the day it was accepted.
    assert_eq!(accepted.body["received_on"], "2026-10-02");
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    assert_eq!(acknowledgements(&outbox, id), 1);
    let acknowledgement = outbox
        .iter()
        .find(|m| m.kind == MessageKind::Acknowledgement && m.case_id == Some(id))
        .unwrap();
    assert_eq!(
        acknowledgement.recipient.as_deref(),
        Some("ann@example.org")
    );

    // Accepting again is refused, and sends nothing more.
    app.transition(id, accepted.etag(), accept)
        .await
        .refused(409, None, "draft");
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    assert_eq!(acknowledgements(&outbox, id), 1);

    let report = app
        .get("/api/v1/organisations/testshire/reports/2026?format=json")
        .await
        .expect(200);
    assert_eq!(received(&report), 1, "accepted, it is a complaint received");
}

async fn a_draft_takes_no_procedure_step_and_can_be_found_not_a_complaint(db: &TestDatabase) {
    let (app, gate) = set_up(db).await;
    let filed = hand_in(&app, &gate, &plain("thanks@example.org"))
        .await
        .expect(201);
    let id = filed.body["case_id"].as_i64().unwrap();
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    app.transition(
        id,
        case.etag(),
        json!({"transition": "acknowledge", "on": "2026-10-05"}),
    )
    .await
    .refused(409, None, "accept it as a complaint first");
    app.transition(
        id,
        case.etag(),
        json!({"transition": "not_a_complaint", "on": "2026-10-05", "reason": " "}),
    )
    .await
    .refused(422, Some("reason"), "must not be empty");
    let found = app
        .transition(
            id,
            case.etag(),
            json!({"transition": "not_a_complaint", "on": "2026-10-05", "reason": "A compliment for the team"}),
        )
        .await
        .expect(200);
    assert_eq!(found.body["status"], "not_a_complaint");
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    assert!(outbox.iter().all(|m| m.case_id != Some(id)));
    app.transition(
        id,
        found.etag(),
        json!({"transition": "accept_draft", "on": "2026-10-06", "procedure": "statutory", "complainant_role": "parent"}),
    )
    .await
    .refused(409, None, "not a complaint");
}

async fn unreadable_messages_are_refused_with_their_reason_and_change_nothing(db: &TestDatabase) {
    let (app, gate) = set_up(db).await;
    hand_in(&app, &gate, "")
        .await
        .refused(422, Some("message"), "no headers");
    hand_in(&app, &gate, "Subject: who?\n\nno sender")
        .await
        .refused(422, Some("message"), "From");
    // A 30 MB file is more than a case keeps: the whole message is refused, naming the file.
    let big = "A".repeat(30 * 1024 * 1024 / 3 * 4);
    let raw = format!(
        "From: d@example.org\nMessage-ID: <big@example.org>\nContent-Type: multipart/mixed; boundary=\"B\"\n\n\
         --B\nContent-Type: text/plain\n\nSee attached.\n--B\nContent-Type: application/pdf; name=\"scan.pdf\"\n\
         Content-Transfer-Encoding: base64\n\n{big}\n--B--\n"
    );
    hand_in(&app, &gate, &raw)
        .await
        .refused(422, Some("message"), "scan.pdf");
    let drafts = app
        .get("/api/v1/cases?organisation=testshire&status=draft")
        .await
        .expect(200);
    assert!(drafts.body["items"].as_array().unwrap().is_empty());
    // Refused, it was not recorded: the mail server may hand it in again.
    let record = app
        .store
        .inbound_record(
            &app.store.organisation("testshire").await.unwrap(),
            "<big@example.org>",
        )
        .await
        .unwrap();
    assert!(record.is_none());
}

async fn only_a_mail_gate_token_hands_in_mail_and_it_reads_nothing(db: &TestDatabase) {
    let (app, gate) = set_up(db).await;
    let officer = app.session_for("officer@testshire.test").await;
    app.raw_as(
        &officer,
        "POST",
        "/api/v1/organisations/testshire/inbound",
        "message/rfc822",
        plain("officer@example.org").into_bytes(),
    )
    .await
    .refused(403, None, "mail gate");
    app.call_as(
        &gate,
        "GET",
        "/api/v1/cases?organisation=testshire",
        None,
        None,
    )
    .await
    .expect(403);
    app.call_as(
        &gate,
        "GET",
        "/api/v1/organisations/testshire/reports/2026?format=json",
        None,
        None,
    )
    .await
    .expect(403);
    // An officer may not make a mail gate token; an administrator may.
    app.call_as(
        &officer,
        "POST",
        "/api/v1/tokens",
        Some(json!({"organisation": "testshire", "role": "mail_gate", "name": "x"})),
        None,
    )
    .await
    .refused(422, Some("role"), "own role");
    // The administrator sees what became of each message.
    hand_in(&app, &gate, &plain("listed@example.org"))
        .await
        .expect(201);
    let admin = app.session_for("admin@testshire.test").await;
    let listed = app
        .call_as(
            &admin,
            "GET",
            "/api/v1/organisations/testshire/inbound",
            None,
            None,
        )
        .await
        .expect(200);
    assert_eq!(listed.body[0]["message_id"], "<listed@example.org>");
    assert_eq!(listed.body[0]["disposition"], "draft");
}
