//! The complaints mailbox read over IMAP, against a real Dovecot started on loopback from a
//! temporary configuration (apt `dovecot-imapd`, installed by `scripts/bootstrap`). Messages are
//! delivered the way a mail server delivers them, as files in the mailbox's Maildir, and the
//! folders Redress moves them to are read back the same way.

use redress_app::intake::imap::{self, MailboxSecret, MailboxSettings, MailboxUrl};
use redress_core::{MessageKind, Status};
use redress_store::{Access, Actor, CaseFilter, NewOrganisation, Store};
use redress_testkit::{on_both_backends, TestDatabase};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const USER: &str = "complaints@testshire.test";
const PASSWORD: &str = "mailbox secret";

/// A Dovecot of its own, in the foreground, stopped when dropped.
struct Dovecot {
    dir: PathBuf,
    port: u16,
    child: Child,
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Dovecot {
    fn start(name: &str) -> Dovecot {
        let binary = Path::new("/usr/sbin/dovecot");
        assert!(
            binary.exists(),
            "!!! Dovecot is not installed: run scripts/bootstrap (apt dovecot-imapd)"
        );
        let dir = std::env::temp_dir().join(format!("redress-imap-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["run", "mail", "home"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let port = free_port();
        let d = dir.display();
        std::fs::write(dir.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        // Mail is kept by the unprivileged `nobody`, whoever runs the tests.
        let (uid, gid) = (unsafe { libc::getuid() }, unsafe { libc::getgid() });
        let (mail_uid, mail_gid) = if uid == 0 {
            ("nobody".to_string(), "nogroup".to_string())
        } else {
            (uid.to_string(), gid.to_string())
        };
        let config = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/run/state\n\
             log_path = {d}/dovecot.log\nssl = no\ndisable_plaintext_auth = no\n\
             auth_mechanisms = plain login xoauth2\nmail_location = maildir:{d}/mail/%u\n\
             first_valid_uid = 1\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={mail_uid} gid={mail_gid} home={d}/home/%u\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n\
             namespace inbox {{\n  inbox = yes\n  separator = /\n}}\n"
        );
        if uid != 0 {
            // Not root: Dovecot runs its helpers as this user.
            let me = std::env::var("USER").unwrap_or_else(|_| uid.to_string());
            let config =
                format!("{config}default_login_user = {me}\ndefault_internal_user = {me}\n");
            std::fs::write(dir.join("dovecot.conf"), config).unwrap();
        } else {
            std::fs::write(dir.join("dovecot.conf"), config).unwrap();
        }
        Command::new("chmod")
            .args(["-R", "a+rwX"])
            .arg(&dir)
            .status()
            .unwrap();
        let child = Command::new(binary)
            .args(["-F", "-c"])
            .arg(dir.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dovecot starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "Dovecot never listened: {}",
                std::fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Dovecot { dir, port, child }
    }

    fn maildir(&self) -> PathBuf {
        self.dir.join("mail").join(USER)
    }

    /// Delivers a message into the inbox, as a local delivery agent does.
    fn deliver(&self, n: usize, raw: &str) {
        let inbox = self.maildir();
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(inbox.join(sub)).unwrap();
        }
        let name = format!(
            "{}.M{n}P{}.redress-test",
            1_700_000_000 + n,
            std::process::id()
        );
        let tmp = inbox.join("tmp").join(&name);
        std::fs::write(&tmp, raw.replace('\n', "\r\n")).unwrap();
        std::fs::rename(&tmp, inbox.join("new").join(&name)).unwrap();
        Command::new("chmod")
            .args(["-R", "a+rwX"])
            .arg(&inbox)
            .status()
            .unwrap();
    }

    /// How many messages a folder holds: "" for the inbox, else e.g. "Redress/Filed".
    fn count(&self, folder: &str) -> usize {
        let dir = if folder.is_empty() {
            self.maildir()
        } else {
            self.maildir()
                .join(format!(".{}", folder.replace('/', ".")))
        };
        ["new", "cur"]
            .iter()
            .map(|sub| std::fs::read_dir(dir.join(sub)).map_or(0, |d| d.count()))
            .sum()
    }

    fn settings(&self, secret: MailboxSecret) -> MailboxSettings {
        MailboxSettings {
            url: format!(
                "imap://{}@127.0.0.1:{}/INBOX",
                USER.replace('@', "%40"),
                self.port
            )
            .parse::<MailboxUrl>()
            .unwrap(),
            organisation: "testshire".into(),
            secret,
            poll_every: Duration::from_secs(1),
        }
    }
}

async fn store_with_testshire(db: &TestDatabase) -> Store {
    let store = Store::connect(&db.url).await.unwrap();
    let mut new = NewOrganisation::with_defaults("testshire");
    new.reference_prefix = "TCC".into();
    store
        .create_organisation(&new, &Actor::system("test"))
        .await
        .unwrap();
    store
}

async fn drafts(store: &Store) -> Vec<redress_store::CaseSummary> {
    let filter = CaseFilter {
        organisation: Some("testshire".into()),
        status: Some(Status::Draft),
        limit: Some(500),
        ..CaseFilter::default()
    };
    store
        .list_cases(&Access::System, &filter, store.clock().today())
        .await
        .unwrap()
        .0
}

fn plain(n: usize) -> String {
    format!(
        "Received: from mx.example.org by mail.testshire.test; Thu, 1 Oct 2026 23:30:00 +0000\n\
         From: Parent {n} <parent{n}@example.org>\nTo: {USER}\nSubject: Complaint {n}\n\
         Message-ID: <complaint{n}@example.org>\n\nPlease call me back about my daughter.\n"
    )
}

fn html_with_pdf() -> String {
    "From: Bob <bob@example.org>\nSubject: Respite\nMessage-ID: <html@example.org>\n\
     Date: Mon, 5 Oct 2026 09:00:00 +0100\nMIME-Version: 1.0\n\
     Content-Type: multipart/mixed; boundary=\"XX\"\n\n--XX\nContent-Type: text/html; charset=utf-8\n\n\
     <p>The <b>respite</b> care was cancelled.</p><script>x()</script>\n--XX\n\
     Content-Type: application/pdf; name=\"letter.pdf\"\nContent-Disposition: attachment; filename=\"letter.pdf\"\n\
     Content-Transfer-Encoding: base64\n\nJVBERi0xLjQKJSBhIGxldHRlcgo=\n--XX--\n"
        .to_string()
}

on_both_backends!(messages_become_drafts_once_and_move_to_filed);
on_both_backends!(machines_mail_is_filed_without_a_case_and_replies_join_their_case);
on_both_backends!(unreadable_messages_go_to_failed_with_their_reason_and_reading_goes_on);
on_both_backends!(a_message_filed_but_not_moved_before_a_crash_is_not_filed_again);
on_both_backends!(xoauth2_signs_in_with_a_token_from_a_file);

async fn messages_become_drafts_once_and_move_to_filed(db: &TestDatabase) {
    let dovecot = Dovecot::start(&format!("once-{}", db.backend));
    let store = store_with_testshire(db).await;
    let settings = dovecot.settings(MailboxSecret::Password(PASSWORD.into()));
    dovecot.deliver(1, &plain(1));
    dovecot.deliver(2, &html_with_pdf());
    let report = imap::read_once(&store, &settings).await.unwrap();
    assert_eq!((report.filed, report.failed), (2, 0));
    assert_eq!(dovecot.count(""), 0, "the inbox is emptied");
    assert_eq!(dovecot.count("Redress/Filed"), 2);

    let found = drafts(&store).await;
    assert_eq!(found.len(), 2);
    let mut received: Vec<String> = found.iter().map(|c| c.received_on.to_string()).collect();
    received.sort();
    // 23:30 UTC on 1 October is 2 October in London; 09:00 BST on 5 October is the 5th.
    assert_eq!(received, ["2026-10-02", "2026-10-05"]);
    let html = found
        .iter()
        .find(|c| c.received_on.to_string() == "2026-10-05")
        .unwrap();
    let files = store.attachments(&Access::System, html.id).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].content_type, "application/pdf");
    let case = store.case(&Access::System, html.id).await.unwrap();
    assert!(case
        .case
        .personal()
        .summary
        .contains("respite care was cancelled"));
    // Nothing is sent for a draft.
    let outbox = store.outbox(&Access::System, "testshire").await.unwrap();
    assert!(
        outbox
            .iter()
            .all(|m| m.kind != MessageKind::Acknowledgement),
        "{outbox:?}"
    );

    // The same message delivered again is moved, and makes nothing new.
    dovecot.deliver(3, &plain(1));
    let report = imap::read_once(&store, &settings).await.unwrap();
    assert_eq!((report.filed, report.failed), (1, 0));
    assert_eq!(drafts(&store).await.len(), 2);
    assert_eq!(dovecot.count("Redress/Filed"), 3);
}

async fn machines_mail_is_filed_without_a_case_and_replies_join_their_case(db: &TestDatabase) {
    let dovecot = Dovecot::start(&format!("replies-{}", db.backend));
    let store = store_with_testshire(db).await;
    let settings = dovecot.settings(MailboxSecret::Password(PASSWORD.into()));
    let new = redress_core::NewCase {
        reference: None,
        procedure: "statutory".into(),
        received_on: "2026-11-02".parse().unwrap(),
        channel: redress_core::Channel::Phone,
        complainant_role: redress_core::ComplainantRole::Parent,
        child_complained: false,
        advocacy_offered: false,
        advocacy_taken_up: false,
        team: None,
        reason: None,
        personal: redress_core::PersonalDetails {
            contact_email: "cat@example.org".into(),
            ..Default::default()
        },
        matter_arose_on: None,
        language: redress_core::Language::En,
    };
    let case = store
        .create_case(
            &Access::System,
            "testshire",
            new,
            &Actor::system("test"),
            store.clock().today(),
        )
        .await
        .unwrap();
    let outbox = store.outbox(&Access::System, "testshire").await.unwrap();
    let sent = outbox
        .iter()
        .find(|m| m.kind == MessageKind::Acknowledgement)
        .unwrap()
        .clone();
    dovecot.deliver(
        1,
        "From: cat@example.org\nAuto-Submitted: auto-replied\nSubject: Out of office\nMessage-ID: <ooo@example.org>\n\nAway.",
    );
    dovecot.deliver(
        2,
        &format!(
            "From: cat@example.org\nSubject: Re: your complaint\nMessage-ID: <reply@example.org>\nIn-Reply-To: {}\n\nMore detail.",
            sent.message_id
        ),
    );
    let report = imap::read_once(&store, &settings).await.unwrap();
    assert_eq!((report.filed, report.failed), (2, 0));
    assert!(drafts(&store).await.is_empty(), "neither made a case");
    let events = store.events(&Access::System, case.id).await.unwrap();
    let replies: Vec<_> = events
        .iter()
        .filter(|e| e.kind == "correspondence")
        .collect();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].after.as_ref().unwrap()["text"], "More detail.");
    let outbox_after = store.outbox(&Access::System, "testshire").await.unwrap();
    let to_cat = |o: &[redress_store::OutboxMessage]| {
        o.iter()
            .filter(|m| m.recipient.as_deref() == Some("cat@example.org"))
            .count()
    };
    assert_eq!(
        to_cat(&outbox_after),
        to_cat(&outbox),
        "nothing is sent to a machine"
    );
}

async fn unreadable_messages_go_to_failed_with_their_reason_and_reading_goes_on(db: &TestDatabase) {
    let dovecot = Dovecot::start(&format!("failed-{}", db.backend));
    let store = store_with_testshire(db).await;
    let settings = dovecot.settings(MailboxSecret::Password(PASSWORD.into()));
    dovecot.deliver(
        1,
        "From: a@example.org\nMessage-ID: <cut@example.org>\nContent-Type: multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nThe first part, and then noth",
    );
    dovecot.deliver(
        2,
        "From: a@example.org\nMessage-ID: <charset@example.org>\nContent-Type: text/plain; charset=x-klingon\n\nQapla'",
    );
    let big = "A".repeat(30 * 1024 * 1024 / 3 * 4);
    dovecot.deliver(
        3,
        &format!(
            "From: a@example.org\nMessage-ID: <big@example.org>\nContent-Type: multipart/mixed; boundary=\"B\"\n\n\
             --B\nContent-Type: text/plain\n\nSee attached.\n--B\nContent-Type: application/pdf; name=\"scan.pdf\"\n\
             Content-Transfer-Encoding: base64\n\n{big}\n--B--\n"
        ),
    );
    dovecot.deliver(4, &plain(4));
    let report = imap::read_once(&store, &settings).await.unwrap();
    assert_eq!((report.filed, report.failed), (1, 3));
    assert_eq!(dovecot.count("Redress/Failed"), 3);
    assert_eq!(dovecot.count("Redress/Filed"), 1);
    assert_eq!(dovecot.count(""), 0);
    assert_eq!(
        drafts(&store).await.len(),
        1,
        "the good message after them was read"
    );
    let records = store
        .inbound_records(&Access::System, "testshire", 100)
        .await
        .unwrap();
    let reasons: Vec<&str> = records
        .iter()
        .filter(|r| r.disposition == "failed")
        .filter_map(|r| r.reason.as_deref())
        .collect();
    assert_eq!(reasons.len(), 3, "{records:?}");
    assert!(
        reasons.iter().any(|r| r.contains("cut short")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("x-klingon")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("scan.pdf")),
        "{reasons:?}"
    );
}

/// What a SIGKILL between the commit and the move leaves: the message filed in the database
/// and still in the inbox. The next pass moves it and files nothing.
async fn a_message_filed_but_not_moved_before_a_crash_is_not_filed_again(db: &TestDatabase) {
    let dovecot = Dovecot::start(&format!("crash-{}", db.backend));
    let store = store_with_testshire(db).await;
    let settings = dovecot.settings(MailboxSecret::Password(PASSWORD.into()));
    dovecot.deliver(1, &plain(1));
    redress_app::intake::file_message(
        &store,
        &Access::System,
        "testshire",
        plain(1).replace('\n', "\r\n").as_bytes(),
        None,
        &Actor::system("the pass that was killed"),
    )
    .await
    .unwrap();
    assert_eq!(dovecot.count(""), 1);
    let report = imap::read_once(&store, &settings).await.unwrap();
    assert_eq!((report.filed, report.failed), (1, 0));
    assert_eq!(dovecot.count(""), 0);
    assert_eq!(dovecot.count("Redress/Filed"), 1);
    assert_eq!(drafts(&store).await.len(), 1, "one case, not two");

    // And the server itself, killed at a random point of a run of messages and started again:
    // every message becomes exactly one draft.
    for n in 10..30 {
        dovecot.deliver(n, &plain(n));
    }
    let binary = env!("CARGO_BIN_EXE_redress");
    let url = format!(
        "imap://{}@127.0.0.1:{}/INBOX",
        USER.replace('@', "%40"),
        dovecot.port
    );
    let serve = || {
        Command::new(binary)
            .args(["--database", &db.url, "serve", "--listen"])
            .arg(format!("127.0.0.1:{}", free_port()))
            .args(["--imap-url", &url, "--imap-organisation", "testshire"])
            .args(["--imap-poll-seconds", "1"])
            .env("REDRESS_IMAP_PASSWORD", PASSWORD)
            .env("REDRESS_ADMIN_PASSWORD", "a long imap-test password")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut server = serve();
    let started = Instant::now();
    while drafts(&store).await.len() < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server never read the mailbox"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let mut server = serve();
    let started = Instant::now();
    while dovecot.count("") > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the inbox was never emptied"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(
        drafts(&store).await.len(),
        21,
        "each message made exactly one draft"
    );
    assert_eq!(dovecot.count("Redress/Filed"), 21);
}

async fn xoauth2_signs_in_with_a_token_from_a_file(db: &TestDatabase) {
    let dovecot = Dovecot::start(&format!("oauth-{}", db.backend));
    let store = store_with_testshire(db).await;
    // This Dovecot checks the bearer token as it would a password.
    let token = dovecot.dir.join("token");
    std::fs::write(&token, format!("{PASSWORD}\n")).unwrap();
    dovecot.deliver(1, &plain(1));
    let report = imap::read_once(
        &store,
        &dovecot.settings(MailboxSecret::OAuthTokenFile(token.clone())),
    )
    .await
    .unwrap();
    assert_eq!(report.filed, 1);
    std::fs::write(&token, "expired").unwrap();
    let refused = imap::read_once(
        &store,
        &dovecot.settings(MailboxSecret::OAuthTokenFile(token)),
    )
    .await
    .unwrap_err();
    assert!(
        refused.to_string().contains("refused to sign in"),
        "{refused}"
    );
}
