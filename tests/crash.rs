//! A complaint the system has acknowledged is never lost: complaints stream in through the
//! public form while the server is killed with SIGKILL at random moments and restarted. After
//! every restart each reference a client was given is present and intact, and the database
//! passes its integrity check. `REDRESS_CRASH_ROUNDS` sets the rounds (3 by default, as in CI;
//! `benches/crash.sh` runs 20 on each backend). A SIGTERM instead stops the server gracefully:
//! it exits 0 and has lost nothing either. And a read is never shown unaudited: staff read
//! cases while the server is killed, and every read it answered is in the audit log.

use redress_store::{Access, CaseFilter, Store};
use redress_testkit::{on_both_backends, TestDatabase};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ORGANISATION_CSV: &str = "reference,received_on,procedure,team,reason,channel,complainant_role,child_complained,advocacy_offered,advocacy_taken_up,resolved_at_initial_contact,rejected_reason,stage1_started_on,stage1_extended,stage1_responded_on,stage1_outcome,stage2_started_on,stage2_extended,stage2_responded_on,stage2_outcome,stage3_started_on,stage3_panel_on,stage3_responded_on,stage3_outcome,ombudsman_decision,ombudsman_decided_on,withdrawn_on,closed_on\n\
CRA-2024-0001,2024-05-01,statutory,Localities,Communication,email,parent,no,no,no,no,,,,,,,,,,,,,,,,,\n";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(url: &str, port: u16) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args([
            "--database",
            url,
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args(["--public-forms-per-hour", "100000000"])
        .env("REDRESS_ADMIN_PASSWORD", "a long crash-test password")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// Sends one complaint; returns the reference if the server acknowledged it.
fn submit(port: u16, summary: &str) -> Option<String> {
    let body = format!(
        "complainant_role=parent&contact_email=crash%40example.org&summary={}",
        summary.replace(' ', "+")
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!(
        "POST /complain/crashtest HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    if !response.starts_with("HTTP/1.1 200") {
        return None;
    }
    let reference = response
        .split("Your reference number<br><strong>")
        .nth(1)?
        .split("</strong>")
        .next()?;
    Some(reference.to_string())
}

/// Every acknowledged reference is stored, with its own summary, and none was given twice.
async fn assert_all_present(store: &Store, acknowledged: &[(String, String)], label: &str) {
    let today = redress_web::Clock::system().today();
    let mut stored = std::collections::HashMap::new();
    let mut filter = CaseFilter {
        organisation: Some("crashtest".into()),
        limit: Some(500),
        ..CaseFilter::default()
    };
    loop {
        let (page, next) = store
            .list_cases(&Access::System, &filter, today)
            .await
            .unwrap();
        for summary in page {
            stored.insert(summary.reference.clone(), summary.id);
        }
        match next {
            Some(after) => filter.after = Some(after),
            None => break,
        }
    }
    assert!(
        !acknowledged.is_empty(),
        "{label}: complaints were acknowledged"
    );
    for (reference, summary) in acknowledged {
        let id = stored
            .get(reference)
            .unwrap_or_else(|| panic!("{label}: acknowledged {reference} was lost"));
        let case = store.case(&Access::System, *id).await.unwrap();
        assert_eq!(
            &case.case.personal().summary,
            summary,
            "{reference} is intact"
        );
    }
    let unique: std::collections::HashSet<_> = acknowledged.iter().map(|(r, _)| r).collect();
    assert_eq!(
        unique.len(),
        acknowledged.len(),
        "no reference was given twice"
    );
}

/// A folder for the test, and the organisation `crashtest` imported into the database.
fn prepare(db: &TestDatabase, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "redress-{name}-{}-{}",
        std::process::id(),
        db.backend
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("organisation.csv");
    std::fs::write(&csv, ORGANISATION_CSV).unwrap();
    let import = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args([
            "--database",
            &db.url,
            "import",
            "cases",
            &csv.display().to_string(),
        ])
        .args(["--organisation", "crashtest", "--reference-prefix", "CRA"])
        .output()
        .unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );

    dir
}

/// Four clients sending complaints until `stop`, each acknowledged one recorded.
fn stream_complaints(
    port: u16,
    label: &str,
    stop: &Arc<AtomicBool>,
    acknowledged: &Arc<Mutex<Vec<(String, String)>>>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..4)
        .map(|client| {
            let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
            let label = label.to_string();
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let summary = format!("{label} client {client} complaint {n}");
                    if let Some(reference) = submit(port, &summary) {
                        acknowledged.lock().unwrap().push((reference, summary));
                    }
                }
            })
        })
        .collect()
}

on_both_backends!(sigterm_finishes_the_complaints_in_flight);

/// SIGTERM while complaints stream in: the server stops taking connections, answers the
/// requests it has, exits 0, and every complaint it acknowledged is stored.
async fn sigterm_finishes_the_complaints_in_flight(db: &TestDatabase) {
    let dir = prepare(db, "sigterm");
    let port = free_port();
    let mut server = start(&db.url, port);
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let clients = stream_complaints(port, "sigterm", &stop, &acknowledged);
    std::thread::sleep(Duration::from_millis(800));
    // SAFETY: kill(2) on a child this test started and has not yet waited for.
    let sent = unsafe { libc::kill(server.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(sent, 0, "SIGTERM sent");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not stop within 30 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    assert!(status.success(), "a graceful stop exits 0: {status:?}");
    let store = Store::connect(&db.url).await.expect("the database opens");
    store
        .check_integrity()
        .await
        .expect("the database is intact");
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert_all_present(&store, &acknowledged, "after SIGTERM").await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

on_both_backends!(acknowledged_complaints_survive_sigkill);

async fn acknowledged_complaints_survive_sigkill(db: &TestDatabase) {
    let rounds: usize = std::env::var("REDRESS_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let dir = prepare(db, "crash");
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let mut seed = std::process::id() as u64;
    for round in 0..rounds {
        let port = free_port();
        let mut server = start(&db.url, port);
        let stop = Arc::new(AtomicBool::new(false));
        let clients = stream_complaints(port, &format!("round {round}"), &stop, &acknowledged);
        // A pseudo-random moment between 0.3 and 1.5 seconds in.
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis(300 + (seed >> 33) % 1200));
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for client in clients {
            client.join().unwrap();
        }
        // Restart, and check every acknowledged complaint through a fresh server start.
        let port = free_port();
        let mut server = start(&db.url, port);
        server.kill().unwrap();
        server.wait().unwrap();
        let store = Store::connect(&db.url)
            .await
            .expect("the database opens after a crash");
        store
            .check_integrity()
            .await
            .expect("the database is intact");
        let acknowledged = acknowledged.lock().unwrap().clone();
        assert_all_present(&store, &acknowledged, &format!("round {round}")).await;
        store.close().await;
        eprintln!(
            "{} round {round}: {} acknowledged so far, all present",
            db.backend,
            acknowledged.len()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// One HTTP/1.1 exchange on a new connection: the status and the whole answer, or None when
/// the server did not answer (it was killed).
fn exchange(port: u16, request: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.get(9..12)?.parse().ok()?;
    Some((status, response))
}

on_both_backends!(every_read_answered_before_sigkill_is_audited);

/// Staff read cases, each a different one, while the server is killed with SIGKILL: every
/// read the server answered is in the audit log after the restart (a read is committed to the
/// log before it is shown, issue 26).
async fn every_read_answered_before_sigkill_is_audited(db: &TestDatabase) {
    let dir = prepare(db, "reads");
    // 2,000 more cases, so that no case is read twice.
    let mut csv = ORGANISATION_CSV.lines().next().unwrap().to_string() + "\n";
    for n in 2..=2001 {
        csv += &format!(
            "CRA-2024-{n:04},2024-05-01,statutory,Localities,Communication,email,parent,no,no,no,no,,,,,,,,,,,,,,,,,\n"
        );
    }
    let more = dir.join("more.csv");
    std::fs::write(&more, csv).unwrap();
    let import = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["--database", &db.url, "import", "cases"])
        .arg(&more)
        .args(["--organisation", "crashtest"])
        .output()
        .unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let store = Store::connect(&db.url).await.unwrap();
    let mut ids = Vec::new();
    let mut filter = CaseFilter {
        organisation: Some("crashtest".into()),
        limit: Some(500),
        ..CaseFilter::default()
    };
    let today = redress_web::Clock::system().today();
    loop {
        let (page, next) = store
            .list_cases(&Access::System, &filter, today)
            .await
            .unwrap();
        ids.extend(page.iter().map(|c| c.id));
        match next {
            Some(after) => filter.after = Some(after),
            None => break,
        }
    }
    store.close().await;
    assert_eq!(ids.len(), 2001);
    // A complaints officer of the organisation: the system administrator reads no cases.
    let user = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args([
            "--database",
            &db.url,
            "user",
            "add",
            "reader@crashtest.example",
        ])
        .args([
            "--organisation",
            "crashtest",
            "--role",
            "complaints_officer",
        ])
        .env("REDRESS_USER_PASSWORD", "a long crash-test password")
        .output()
        .unwrap();
    assert!(
        user.status.success(),
        "{}",
        String::from_utf8_lossy(&user.stderr)
    );

    let port = free_port();
    let mut server = start(&db.url, port);
    let body = r#"{"email":"reader@crashtest.example","password":"a long crash-test password"}"#;
    let (status, signed_in) = exchange(
        port,
        &format!(
            "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .expect("the sign-in is answered");
    assert_eq!(status, 200, "{signed_in}");
    let cookie = signed_in
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or(l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();

    let stop = Arc::new(AtomicBool::new(false));
    let answered: Arc<Mutex<Vec<i64>>> = Arc::default();
    let readers: Vec<_> = (0..4)
        .map(|reader| {
            let (stop, answered, cookie) = (stop.clone(), answered.clone(), cookie.clone());
            let mine: Vec<i64> = ids.iter().copied().skip(reader).step_by(4).collect();
            std::thread::spawn(move || {
                for id in mine {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let request = format!(
                        "GET /api/v1/cases/{id} HTTP/1.1\r\nHost: localhost\r\n\
                         Connection: close\r\nCookie: {cookie}\r\n\r\n"
                    );
                    if let Some((200, _)) = exchange(port, &request) {
                        answered.lock().unwrap().push(id);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(700));
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(!answered.is_empty(), "reads were answered before the kill");

    let store = Store::connect(&db.url)
        .await
        .expect("the database opens after a crash");
    store.close().await;
    let logged: std::collections::HashSet<String> = db
        .texts_directly("SELECT CAST(case_id AS TEXT) FROM events WHERE kind = 'viewed'")
        .await
        .unwrap()
        .into_iter()
        .collect();
    let missing: Vec<&i64> = answered
        .iter()
        .filter(|id| !logged.contains(&id.to_string()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} answered reads are not in the audit log: {missing:?}",
        missing.len(),
        answered.len()
    );
    eprintln!(
        "{}: {} reads answered before SIGKILL, every one audited",
        db.backend,
        answered.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
