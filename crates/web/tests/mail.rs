//! Mail through a real SMTP server on loopback (Python's aiosmtpd, `tests/smtp_sink.py`): the
//! acknowledgement a public complaint causes, retries after a refusal, and a sender stopped
//! before or while sending. Each message must arrive exactly once, or (stopped mid-send) be
//! left for a person to resend rather than sent twice.

mod common;

use redress_core::{MessageKind, MessageStatus};

use common::{App, Credentials};
use redress_store::Access;
use redress_testkit::{on_both_backends, TestDatabase};
use redress_web::mail::Mailer;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The test SMTP server, stopped when dropped.
struct Sink {
    child: Child,
    out: std::path::PathBuf,
    port: u16,
}

impl Sink {
    fn start(refusals: u32) -> Sink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let out =
            std::env::temp_dir().join(format!("redress-mail-{}-{port}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&out);
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        // Debian's Python, where apt installs aiosmtpd (another python3 may be first on PATH).
        let python = ["/usr/bin/python3", "python3"]
            .into_iter()
            .find(|p| !p.starts_with('/') || std::path::Path::new(p).exists())
            .unwrap();
        let mut child = Command::new(python)
            .args([
                script,
                &port.to_string(),
                out.to_str().unwrap(),
                &refusals.to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/bootstrap installs python3-aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Sink { child, out, port }
    }

    fn mailer(&self) -> Mailer {
        let mut mailer = Mailer::new(
            &format!("smtp://127.0.0.1:{}", self.port),
            "Complaints <complaints@testshire.test>",
        )
        .unwrap();
        mailer.retry_base = Duration::ZERO;
        mailer.poll = Duration::from_millis(50);
        mailer.site = Some("https://complaints.testshire.test/".into());
        mailer
    }

    /// Every message accepted so far.
    fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn to(&self, address: &str) -> Vec<String> {
        self.received()
            .into_iter()
            .filter(|m| m["to"][0] == address)
            .map(|m| m["data"].as_str().unwrap().to_string())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.out);
    }
}

/// A complaint through the public form with an email address; answers its reference.
async fn complain(app: &App) -> String {
    app.form_as(
        &Credentials::None,
        "/complain/testshire",
        &[
            ("complainant_name", "Sam Parent"),
            ("complainant_role", "parent"),
            ("contact_email", "Sam.Parent@Example.org"),
            (
                "summary",
                "Nobody returned my calls about contact arrangements",
            ),
        ],
    )
    .await
    .expect(200);
    let (cases, _) = app
        .store
        .list_cases(
            &Access::System,
            &Default::default(),
            redress_web::Clock::system().today(),
        )
        .await
        .unwrap();
    cases.last().unwrap().reference.clone()
}

/// Lettre folds long lines; the tests read the body as one line.
fn unfolded(data: &str) -> String {
    data.replace("=\r\n", "").replace("\r\n", "\n")
}

async fn acknowledgement_with_reference_and_date(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let reference = complain(&app).await;
    // This app was started with no mail server: the outbox says why nothing has gone.
    app.sign_in_as("operator@redress.test").await;
    let waiting = app
        .get("/api/v1/organisations/testshire/outbox")
        .await
        .expect(200);
    assert_eq!(waiting.body.as_array().unwrap().len(), 2);
    for message in waiting.body.as_array().unwrap() {
        assert_eq!(
            message["status_text"],
            "not sent: no mail server configured"
        );
    }
    let sink = Sink::start(0);
    assert_eq!(sink.mailer().send_due(&app.store).await.unwrap(), 2);

    let acknowledgements = sink.to("sam.parent@example.org");
    assert_eq!(acknowledgements.len(), 1, "{:?}", sink.received());
    let body = unfolded(&acknowledgements[0]);
    // Stage 1 of the statutory procedure: 10 working days, the day of receipt day zero.
    let today = redress_web::Clock::system().today();
    let due = redress_calendar::Calendar::built_in(redress_calendar::Division::EnglandAndWales)
        .add_working_days(today, 10)
        .unwrap();
    assert!(
        body.contains(&format!("Your reference is {reference}")),
        "{body}"
    );
    assert!(
        body.contains(&due.format("%A %-d %B %Y").to_string()),
        "{body}"
    );
    assert!(body.contains("Message-ID: <"), "{body}");

    // The officers' notice links to the case and never quotes the complaint.
    let notices = sink.to("officer@testshire.test");
    assert_eq!(notices.len(), 1);
    let notice = unfolded(&notices[0]);
    assert!(notice.contains(&reference), "{notice}");
    assert!(
        notice.contains(" https://complaints.testshire.test/cases/"),
        "{notice}"
    );
    assert!(!notice.contains("contact arrangements"), "{notice}");

    // The outbox says what went, with the server's reply.
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    assert!(
        outbox.iter().all(|m| m.status == MessageStatus::Sent),
        "{outbox:?}"
    );
    assert!(outbox[0].last_reply.as_deref().unwrap().contains("250"));
    app.store.close().await;
}

async fn refused_then_accepted_is_sent_once(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    complain(&app).await;
    // Two refusals (451), then acceptance: the two messages are refused once each, then sent.
    let sink = Sink::start(2);
    let mailer = sink.mailer();
    mailer.send_due(&app.store).await.unwrap();
    mailer.send_due(&app.store).await.unwrap();
    assert_eq!(sink.received().len(), 2, "{:?}", sink.received());
    assert_eq!(sink.to("sam.parent@example.org").len(), 1);
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    assert!(
        outbox.iter().all(|m| m.status == MessageStatus::Sent),
        "{outbox:?}"
    );
    assert_eq!(
        outbox.iter().map(|m| m.attempts).sum::<i64>(),
        4,
        "{outbox:?}"
    );
    app.store.close().await;
}

async fn stopped_sender_sends_after_restart_once(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let sink = Sink::start(0);
    // Written while no sender runs (stopped between the outbox write and the send).
    complain(&app).await;
    assert!(sink.received().is_empty());
    // Started again: the worker sends it.
    let worker = tokio::spawn(sink.mailer().run(app.store.clone()));
    for _ in 0..100 {
        if sink.received().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    worker.abort();
    // A second restart sends nothing more.
    let worker = tokio::spawn(sink.mailer().run(app.store.clone()));
    tokio::time::sleep(Duration::from_millis(300)).await;
    worker.abort();
    assert_eq!(sink.to("sam.parent@example.org").len(), 1);
    assert_eq!(sink.received().len(), 2);

    // Stopped while sending (claimed, not marked): never sent again by itself; it fails
    // with the reason, and a resend by the officer (who uses the outbox too) sends it.
    complain(&app).await;
    let claimed = app.store.claim_message().await.unwrap().unwrap();
    sink.mailer().send_due(&app.store).await.unwrap();
    assert_eq!(sink.received().len(), 3, "only the unclaimed message went");
    app.store
        .fail_interrupted(chrono::Utc::now() + chrono::Duration::seconds(1))
        .await
        .unwrap();
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    let failed = outbox.iter().find(|m| m.id == claimed.id).unwrap();
    assert_eq!(failed.status, MessageStatus::Failed);
    app.post(
        &format!(
            "/api/v1/organisations/testshire/outbox/{}/resend",
            claimed.id
        ),
        serde_json::json!({}),
    )
    .await
    .expect(200);
    sink.mailer().send_due(&app.store).await.unwrap();
    assert_eq!(sink.received().len(), 4);
    app.store.close().await;
}

async fn reminders_twice_on_one_date_send_once(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    app.add_user(
        "manager@testshire.test",
        Some("testshire"),
        Some(redress_store::Role::TeamManager),
        &["Access & Assessment Team"],
        false,
    )
    .await;
    // Received Friday 27 November 2026: Stage 1 is due Friday 11 December; Friday 4 December
    // is five working days before.
    let (id, _) = app.at_stage1("statutory", "2026-11-27").await;
    let on: chrono::NaiveDate = "2026-12-04".parse().unwrap();
    let first = app.store.queue_reminders(on).await.unwrap();
    assert_eq!((first.reminders, first.digests), (1, 2), "{first:?}");
    let again = app.store.queue_reminders(on).await.unwrap();
    assert_eq!(
        (again.reminders, again.digests),
        (0, 0),
        "a second run queues nothing"
    );

    let sink = Sink::start(0);
    sink.mailer().send_due(&app.store).await.unwrap();
    app.store.queue_reminders(on).await.unwrap();
    sink.mailer().send_due(&app.store).await.unwrap();
    let to_manager = sink.to("manager@testshire.test");
    let reminders: Vec<_> = to_manager
        .iter()
        .filter(|m| m.contains("Subject: Reminder"))
        .collect();
    assert_eq!(reminders.len(), 1, "{to_manager:?}");
    let reminder = unfolded(reminders[0]);
    assert!(reminder.contains("is due in 5 working days"), "{reminder}");
    assert!(reminder.contains(&format!("/cases/{id}")), "{reminder}");
    assert!(reminder.contains("Friday 11 December 2026"), "{reminder}");
    // The digest, per team, to the manager and to the complaints officer.
    for reader in ["manager@testshire.test", "officer@testshire.test"] {
        let digests: Vec<String> = sink
            .to(reader)
            .into_iter()
            .filter(|m| m.contains("Subject: Complaints due"))
            .map(|m| unfolded(&m))
            .collect();
        assert_eq!(digests.len(), 1, "{reader}: {digests:?}");
        assert!(
            digests[0].contains("Access & Assessment Team"),
            "{}",
            digests[0]
        );
        assert!(
            digests[0].contains("Due within 5 working days"),
            "{}",
            digests[0]
        );
    }
    // A deadline with no one to remind (no manager of its team, the only officer disabled)
    // is kept and listed as not sent.
    let created = app
        .post(
            "/api/v1/cases",
            serde_json::json!({
                "organisation": "testshire", "procedure": "statutory",
                "received_on": "2026-11-27", "channel": "email", "complainant_role": "parent",
                "team": "Fostering and Adoption Team", "reason": "Communication",
            }),
        )
        .await
        .expect(201);
    let lonely = created.id();
    let v = app
        .step(
            lonely,
            created.etag(),
            serde_json::json!({"transition": "acknowledge", "on": "2026-11-27"}),
        )
        .await;
    app.step(lonely, v, serde_json::json!({"transition": "open_stage1"}))
        .await;
    db.execute_directly("UPDATE users SET disabled = TRUE WHERE email = 'officer@testshire.test'")
        .await
        .unwrap();
    assert_eq!(app.store.queue_reminders(on).await.unwrap().reminders, 1);
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    let kept = outbox
        .iter()
        .find(|m| m.case_id == Some(lonely) && m.kind == MessageKind::Reminder)
        .expect("the reminder is kept");
    assert_eq!(
        (kept.status.as_str(), kept.recipient.as_deref()),
        ("not_sent", None)
    );

    // The next point, the day before, is a new reminder for each deadline.
    let later = app
        .store
        .queue_reminders("2026-12-10".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(later.reminders, 2);

    // The organisation's own points: three working days before is now one.
    app.sign_in_as("operator@redress.test").await;
    let path = "/api/v1/organisations/testshire/reminders";
    app.put(path, serde_json::json!({"points": [31]}))
        .await
        .refused(422, Some("points"), "between 1 and 30");
    let set = app
        .put(path, serde_json::json!({"points": [1, 3, 3]}))
        .await
        .expect(200);
    assert_eq!(set.body["points"], serde_json::json!([3, 1]));
    let three_before = app
        .store
        .queue_reminders("2026-12-08".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(three_before.reminders, 2, "{three_before:?}");
    app.store.close().await;
}

async fn an_action_due_reminds_its_owner_team(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    app.add_user(
        "manager@testshire.test",
        Some("testshire"),
        Some(redress_store::Role::TeamManager),
        &["Access & Assessment Team"],
        false,
    )
    .await;
    let (id, v) = app.at_stage1("statutory", "2026-11-27").await;
    app.step(
        id,
        v,
        serde_json::json!({
            "transition": "add_action", "kind": "learning", "description": "Share the learning",
            "owner_team": "Access & Assessment Team", "due_on": "2026-12-11",
        }),
    )
    .await;
    let on: chrono::NaiveDate = "2026-12-04".parse().unwrap();
    // The stage's reminder and the action's, both to the team's manager; once.
    assert_eq!(app.store.queue_reminders(on).await.unwrap().reminders, 2);
    assert_eq!(app.store.queue_reminders(on).await.unwrap().reminders, 0);
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    let action = outbox
        .iter()
        .find(|m| m.kind == MessageKind::Reminder && m.subject.contains("learning"))
        .expect("the action's reminder");
    assert_eq!(action.recipient.as_deref(), Some("manager@testshire.test"));
    assert!(
        action.body.contains("Friday 11 December 2026"),
        "{}",
        action.body
    );
    app.store.close().await;
}

/// Appointing someone by their email address tells them, in the same transaction, with a link
/// and nothing of the complaint; appointing them again (a later step) does not write twice.
async fn an_appointment_tells_the_people_appointed(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let (id, v) = app.at_stage1("statutory", "2024-01-08").await;
    let v = app
        .step(id, v, serde_json::json!({"transition": "respond", "on": "2024-01-19", "outcome": "not_upheld"}))
        .await;
    let v = app
        .step(
            id,
            v,
            serde_json::json!({"transition": "escalate", "requested_on": "2024-01-25"}),
        )
        .await;
    app.step(
        id,
        v,
        serde_json::json!({"transition": "appoint_investigator",
            "investigating_officer": "IO@Example.org", "independent_person": "Pat Person"}),
    )
    .await;
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    let appointed: Vec<_> = outbox
        .iter()
        .filter(|m| m.kind == MessageKind::Appointment)
        .collect();
    assert_eq!(
        appointed.len(),
        1,
        "only the one named by an address: {appointed:?}"
    );
    let message = appointed[0];
    assert_eq!(message.recipient.as_deref(), Some("io@example.org"));
    assert!(
        message.body.contains("Investigating Officer at Stage 2"),
        "{}",
        message.body
    );
    assert!(
        message.body.contains(&format!("/cases/{id}")),
        "{}",
        message.body
    );
    assert!(!message.body.contains("Real complaint"), "{}", message.body);
    app.store.close().await;
}

/// A letter sent by email goes through the outbox with its PDF attached; with no address on
/// the case it is refused naming the choice, and nothing is kept.
async fn a_letter_by_email_carries_its_pdf(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let reference = complain(&app).await;
    let (cases, _) = app
        .store
        .list_cases(
            &Access::System,
            &Default::default(),
            redress_web::Clock::system().today(),
        )
        .await
        .unwrap();
    let id = cases.iter().find(|c| c.reference == reference).unwrap().id;
    app.post(
        &format!("/api/v1/cases/{id}/letters"),
        serde_json::json!({"kind": "acknowledgement", "send_by_email": true}),
    )
    .await
    .expect(201);
    let sink = Sink::start(0);
    sink.mailer().send_due(&app.store).await.unwrap();
    let to_complainant = sink.to("sam.parent@example.org");
    let letter = to_complainant
        .iter()
        .find(|m| m.contains("application/pdf"))
        .unwrap_or_else(|| panic!("a message with the PDF: {to_complainant:?}"));
    // "%PDF" in base64, at the start of the attachment.
    assert!(letter.contains("JVBERi"), "{letter}");
    assert!(unfolded(letter).contains(&reference), "{letter}");

    let (no_email, v) = app.at_stage1("statutory", "2024-01-08").await;
    let _ = v;
    let refused = app
        .post(
            &format!("/api/v1/cases/{no_email}/letters"),
            serde_json::json!({"kind": "withdrawal", "send_by_email": true}),
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    assert_eq!(refused.body["field"], "send_by_email");
    let files = app
        .get(&format!("/api/v1/cases/{no_email}/attachments"))
        .await
        .expect(200);
    assert_eq!(files.body.as_array().unwrap().len(), 0, "nothing kept");
    app.store.close().await;
}

on_both_backends!(
    a_letter_by_email_carries_its_pdf,
    an_appointment_tells_the_people_appointed,
    acknowledgement_with_reference_and_date,
    refused_then_accepted_is_sent_once,
    stopped_sender_sends_after_restart_once,
    reminders_twice_on_one_date_send_once,
    an_action_due_reminds_its_owner_team
);

on_both_backends!(a_refusal_quoting_the_recipient_is_kept_without_it);

on_both_backends!(a_stopped_clock_is_never_overdue);

/// Queues the reminders due on `day`; the subjects of every reminder queued for case `id`.
async fn reminders_on(app: &App, id: i64, day: &str) -> Vec<String> {
    app.store
        .queue_reminders(day.parse().unwrap())
        .await
        .unwrap();
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    outbox
        .into_iter()
        .filter(|m| m.case_id == Some(id) && m.kind == MessageKind::Reminder)
        .map(|m| m.subject)
        .collect()
}

/// Issue 24: reminders judge a case from its facts as of the run's day, not a stored due date
/// that went stale when its clock stopped.
async fn a_stopped_clock_is_never_overdue(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    // Corporate, received Monday 2 November 2026: Stage 1 due Monday 16 November.
    let (id, v) = app.at_stage1("corporate", "2026-11-02").await;
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(
        case.body["deadline"]["due_on"], "2026-11-16",
        "{}",
        case.body
    );
    let v = app
        .step(
            id,
            v,
            serde_json::json!({"transition": "stop_clock", "on": "2026-11-10", "reason": "Waiting for the complainant's documents"}),
        )
        .await;
    // Friday 20 November, past the original due date with the clock still stopped: no
    // reminder at all for the case, least of all "is overdue".
    let stopped = reminders_on(&app, id, "2026-11-20").await;
    assert!(stopped.is_empty(), "{stopped:?}");
    // Restarted Monday 23 November: nine working days stopped move the due date to Friday
    // 27 November, so Friday 4 December is overdue.
    app.step(
        id,
        v,
        serde_json::json!({"transition": "restart_clock", "on": "2026-11-23"}),
    )
    .await;
    let case = app.get(&format!("/api/v1/cases/{id}")).await.expect(200);
    assert_eq!(
        case.body["deadline"]["due_on"], "2026-11-27",
        "{}",
        case.body
    );
    let restarted = reminders_on(&app, id, "2026-12-04").await;
    assert!(
        restarted.iter().any(|s| s.contains("is overdue")),
        "{restarted:?}"
    );
    app.store.close().await;
}

/// Issue 23: the mail server's refusal quotes the recipient, and reached the server log. The
/// reply logged is the one kept, with every address redacted.
async fn a_refusal_quoting_the_recipient_is_kept_without_it(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    complain(&app).await;
    let sink = Sink::start(10);
    let mut mailer = sink.mailer();
    mailer.max_attempts = 1;
    mailer.send_due(&app.store).await.unwrap();
    let outbox = app
        .store
        .outbox(&Access::System, "testshire")
        .await
        .unwrap();
    let replies: Vec<&str> = outbox
        .iter()
        .filter_map(|m| m.last_reply.as_deref())
        .collect();
    assert!(!replies.is_empty() && outbox.iter().all(|m| m.status == MessageStatus::Failed));
    for reply in replies {
        assert!(
            reply.contains("451") && reply.contains("<[address]>"),
            "{reply}"
        );
        assert!(!reply.contains('@'), "{reply}");
    }
    app.store.close().await;
}
