//! `redress notify run` through the real binary, on the demo's live cases, sending to a real
//! SMTP server on loopback (`crates/web/tests/smtp_sink.py`): run twice on one date, every
//! reminder and digest is sent once.

use redress_testkit::{on_both_backends, TestDatabase};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

fn redress(db: &TestDatabase, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redress"))
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .env_remove("REDRESS_SMTP_URL")
        .output()
        .expect("the redress binary runs")
}

/// The test SMTP server, stopped when dropped.
struct Sink {
    child: Child,
    out: std::path::PathBuf,
    port: u16,
}

impl Sink {
    fn start() -> Sink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let out = std::env::temp_dir().join(format!(
            "redress-notify-{}-{port}.jsonl",
            std::process::id()
        ));
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/web/tests/smtp_sink.py");
        // Debian's Python, where apt installs aiosmtpd (scripts/bootstrap).
        let python = if std::path::Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3"
        } else {
            "python3"
        };
        let mut child = Command::new(python)
            .args([script, &port.to_string(), out.to_str().unwrap(), "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Sink { child, out, port }
    }

    fn count(&self) -> usize {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .count()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.out);
    }
}

on_both_backends!(notify_run_twice_on_one_date_sends_once);

async fn notify_run_twice_on_one_date_sends_once(db: &TestDatabase) {
    assert!(redress(db, &["demo", "--no-serve"]).status.success());
    let sink = Sink::start();
    let url = format!("smtp://127.0.0.1:{}", sink.port);
    let run = || {
        redress(
            db,
            &[
                "notify",
                "run",
                "--smtp-url",
                &url,
                "--mail-from",
                "complaints@westminster.example",
            ],
        )
    };
    let first = run();
    let said = String::from_utf8_lossy(&first.stdout).to_string();
    assert!(
        first.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let sent = sink.count();
    assert!(
        sent > 0,
        "the demo's live cases have deadlines near: {said}"
    );
    let second = run();
    let again = String::from_utf8_lossy(&second.stdout).to_string();
    assert!(second.status.success());
    assert!(
        again.contains("queued 0 reminders and 0 digests"),
        "{again}"
    );
    assert_eq!(sink.count(), sent, "nothing is sent twice");

    // A date that is not a date is refused naming the option.
    let bad = redress(db, &["notify", "run", "--on", "2026-13-01"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--on"));
}
