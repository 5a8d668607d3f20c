//! `redress mailgate`, as Postfix's pipe runs it: a message on standard input handed to a
//! running server, the exit status telling the mail server what to do with it (sysexits).

use redress_accounts::{Accounts, NewUser};
use redress_store::{Actor, NewOrganisation, Role, Store};
use redress_testkit::{on_both_backends, TestDatabase};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `redress mailgate` with `message` on its standard input: (exit status, stdout, stderr).
fn mailgate(port: u16, token: &str, message: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["mailgate", "--url", &format!("http://127.0.0.1:{port}")])
        .args(["--organisation", "testshire", "--timeout", "10"])
        .env("REDRESS_MAILGATE_TOKEN", token)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(message.replace('\n', "\r\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

on_both_backends!(a_piped_message_becomes_a_draft_once_and_failures_say_what_to_do);

async fn a_piped_message_becomes_a_draft_once_and_failures_say_what_to_do(db: &TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    store
        .create_organisation(
            &NewOrganisation::with_defaults("testshire"),
            &Actor::system("test"),
        )
        .await
        .unwrap();
    let accounts = Accounts::new(store.clone());
    let admin = NewUser {
        email: "admin@testshire.test".into(),
        display_name: None,
        organisation: Some("testshire".into()),
        role: Some(Role::Admin),
        teams: Vec::new(),
        password: Some("a long mailgate test password".into()),
        system_admin: false,
    };
    accounts
        .add_user(&admin, &Actor::system("test"))
        .await
        .unwrap();
    let account = accounts
        .account_by_email("admin@testshire.test")
        .await
        .unwrap()
        .unwrap();
    let (_, token) = accounts
        .create_token(
            &account,
            "testshire",
            Role::MailGate,
            "postfix",
            &Actor::system("test"),
        )
        .await
        .unwrap();
    store.close().await;

    let port = free_port();
    // The server is down: the mail server is told to keep the message and try again.
    let message = "From: Ann <ann@example.org>\nSubject: My complaint\nMessage-ID: <piped@example.org>\n\nPlease call.\n";
    let (status, _, said) = mailgate(port, &token, message);
    assert_eq!(status, 75, "EX_TEMPFAIL while the server is down: {said}");

    let mut server = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["--database", &db.url, "serve", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    let (status, said, errors) = mailgate(port, &token, message);
    assert_eq!(status, 0, "{said} {errors}");
    assert!(said.starts_with("201 "), "{said}");
    assert!(said.contains("\"disposition\":\"draft\""), "{said}");
    let (status, said, _) = mailgate(port, &token, message);
    assert_eq!(status, 0);
    assert!(
        said.starts_with("200 ") && said.contains("\"duplicate\":true"),
        "{said}"
    );

    let (status, _, said) = mailgate(port, &token, "Subject: no sender\n\nwho?\n");
    assert_eq!(status, 65, "EX_DATAERR: {said}");
    assert!(said.contains("From"), "{said}");
    let (status, _, said) = mailgate(port, "rdr_not_a_token", message);
    assert_eq!(status, 77, "EX_NOPERM: {said}");

    server.kill().unwrap();
    server.wait().unwrap();
    let store = Store::connect(&db.url).await.unwrap();
    let filter = redress_store::CaseFilter {
        organisation: Some("testshire".into()),
        status: Some(redress_core::Status::Draft),
        ..Default::default()
    };
    let (drafts, _) = store
        .list_cases(
            &redress_store::Access::System,
            &filter,
            store.clock().today(),
        )
        .await
        .unwrap();
    assert_eq!(drafts.len(), 1);
}
