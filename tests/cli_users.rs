//! `redress user add|list|disable`, the demo's users, and the first administrator made when a
//! server starts with no users: through the real binary.

use redress_testkit::{on_both_backends, TestDatabase};
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

fn redress(db: &TestDatabase, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .env_remove("REDRESS_USER_PASSWORD")
        .env_remove("REDRESS_ADMIN_PASSWORD")
        .output()
        .expect("the redress binary runs")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

on_both_backends!(users_are_managed_from_the_command_line);

async fn users_are_managed_from_the_command_line(db: &TestDatabase) {
    let demo = redress(db, &["demo", "--no-serve"]);
    let (said, _) = text(&demo);
    assert!(demo.status.success());
    assert!(said.contains("officer@westminster.example"), "{said}");
    assert!(
        said.contains("westminster-demo"),
        "the demo prints its sign-ins"
    );

    let list = redress(db, &["user", "list", "--organisation", "westminster"]);
    let (listed, _) = text(&list);
    for role in [
        "admin",
        "complaints_officer",
        "team_manager",
        "investigator",
        "viewer",
        "information_governance",
    ] {
        assert!(listed.contains(&format!("westminster:{role}")), "{listed}");
    }
    assert!(listed.contains("(Looked After Children & Leaving Care)"));

    // Mistakes are named and change nothing.
    let bad_role = redress(
        db,
        &[
            "user",
            "add",
            "x@westminster.example",
            "--organisation",
            "westminster",
            "--role",
            "boss",
        ],
    );
    assert!(!bad_role.status.success());
    assert!(
        text(&bad_role).1.contains("--role: 'boss' is not a role"),
        "{:?}",
        text(&bad_role)
    );
    let no_team = redress(
        db,
        &[
            "user",
            "add",
            "x@westminster.example",
            "--organisation",
            "westminster",
            "--role",
            "team_manager",
        ],
    );
    assert!(!no_team.status.success());
    assert!(
        text(&no_team)
            .1
            .contains("teams: a team manager needs at least one team"),
        "{:?}",
        text(&no_team)
    );
    let bad_team = redress(
        db,
        &[
            "user",
            "add",
            "x@westminster.example",
            "--organisation",
            "westminster",
            "--role",
            "team_manager",
            "--team",
            "Nowhere",
        ],
    );
    assert!(
        text(&bad_team)
            .1
            .contains("teams[0]: 'Nowhere' is not a team of westminster"),
        "{:?}",
        text(&bad_team)
    );
    let bad_email = redress(
        db,
        &[
            "user",
            "add",
            "not-an-email",
            "--organisation",
            "westminster",
            "--role",
            "viewer",
        ],
    );
    assert!(text(&bad_email)
        .1
        .contains("email: 'not-an-email' is not an email address"));
    let after = text(&redress(db, &["user", "list"])).0;
    assert!(!after.contains("x@westminster.example") && !after.contains("not-an-email"));

    let added = redress(
        db,
        &[
            "user",
            "add",
            "X@Westminster.example",
            "--organisation",
            "westminster",
            "--role",
            "team_manager",
            "--team",
            "Localities",
        ],
    );
    let (said, err) = text(&added);
    assert!(added.status.success(), "{err}");
    assert!(
        said.contains("added x@westminster.example with the one-time password "),
        "{said}"
    );
    // A case-reading role, given from the command line too, is emailed to the complaints
    // officers and audited (issue 23: no one reaches personal data unseen).
    let told = db
        .texts_directly(
            "SELECT recipient FROM outbox WHERE kind = 'role_granted' AND subject LIKE 'x@westminster.example %'",
        )
        .await
        .unwrap();
    assert_eq!(told, ["officer@westminster.example"]);
    let audited = db
        .texts_directly("SELECT after_json FROM events WHERE kind = 'role_granted'")
        .await
        .unwrap();
    assert!(
        audited
            .iter()
            .any(|e| e.contains("x@westminster.example") && e.contains("team_manager")),
        "{audited:?}"
    );

    let disabled = redress(db, &["user", "disable", "x@westminster.example"]);
    assert!(disabled.status.success());
    let after = text(&redress(db, &["user", "list"])).0;
    let line = after
        .lines()
        .find(|l| l.starts_with("x@westminster.example"))
        .unwrap();
    assert!(
        line.contains("\tdisabled\t") && line.contains("westminster:team_manager (Localities)"),
        "{line}"
    );
    let missing = redress(db, &["user", "disable", "nobody@westminster.example"]);
    assert!(!missing.status.success());
    assert!(text(&missing)
        .1
        .contains("user 'nobody@westminster.example' not found"));
}

#[test]
fn the_first_server_start_makes_an_administrator_once() {
    let db = TestDatabase::sqlite();
    let port = 20000 + (std::process::id() % 20000) as u16;
    let mut server = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args([
            "--database",
            &db.url,
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env_remove("REDRESS_ADMIN_PASSWORD")
        .env_remove("REDRESS_ADMIN_EMAIL")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        said.push_str(&line);
        said.push('\n');
        if line.contains("Redress is serving") {
            break;
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        said.contains("made the system administrator admin@localhost with the one-time password"),
        "{said}"
    );
    let password = said
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 20 && !l.contains(' '))
        .expect("the password on a line of its own");
    assert!(!password.is_empty());

    let list = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["--database", &db.url, "user", "list"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(
        listed.contains("admin@localhost\tAdministrator\tactive\tsystem administrator"),
        "{listed}"
    );

    // A second start makes no second administrator and prints no password.
    let mut again = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args([
            "--database",
            &db.url,
            "serve",
            "--listen",
            &format!("127.0.0.1:{}", port + 1),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut second = String::new();
    for line in BufReader::new(again.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        second.push_str(&line);
        if line.contains("Redress is serving") {
            break;
        }
    }
    again.kill().unwrap();
    again.wait().unwrap();
    assert!(!second.contains("one-time password"), "{second}");
}
