//! The web app in a real browser (Debian's Chromium, driven through chromedriver): the journeys
//! a council relies on, each page checked with axe-core for serious and critical accessibility
//! faults, and screenshots of the main pages saved in `target/browser-screenshots/`.
//!
//! Needs `chromium` and `chromium-driver` (apt) and axe-core (`npm ci --prefix tests/browser`);
//! `.ci/run` installs them. Without them this test fails and says what is missing.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "browser/letters.rs"]
mod letters;
#[path = "browser/single_sign_on.rs"]
mod single_sign_on;
#[path = "browser/welsh.rs"]
mod welsh;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Kills a child process when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{what} did not start listening on port {port}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn require(path: &str, install: &str) {
    assert!(
        Path::new(path).exists(),
        "\n!!!!!!!! The browser tests need {path}: {install}\n"
    );
}

struct Browser {
    client: Client,
    base: String,
    axe: String,
    shots: PathBuf,
    downloads: PathBuf,
}

impl Browser {
    async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("cannot open {path}: {e}"));
    }

    async fn source(&self) -> String {
        self.client.source().await.unwrap()
    }

    async fn css(&self, selector: &str) -> fantoccini::elements::Element {
        match self.client.find(Locator::Css(selector)).await {
            Ok(element) => element,
            Err(e) => panic!("no {selector} on {}: {e}", self.url().await),
        }
    }

    async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    async fn fill(&self, selector: &str, text: &str) {
        let field = self.css(selector).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn click(&self, selector: &str) {
        self.css(selector).await.click().await.unwrap();
    }

    /// Presses one key on the keyboard, wherever the focus is.
    async fn press(&self, key: char) {
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await.unwrap();
    }

    async fn type_text(&self, text: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    }

    async fn focused_id(&self) -> String {
        self.client
            .active_element()
            .await
            .unwrap()
            .attr("id")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Tabs forward until the element with this id has the focus.
    async fn tab_to(&self, id: &str) {
        for _ in 0..40 {
            if self.focused_id().await == id {
                return;
            }
            self.press(Key::Tab.into()).await;
        }
        panic!("Tab never reached #{id} on {}", self.url().await);
    }

    /// Runs axe-core on the page and fails on any serious or critical violation.
    async fn check_accessibility(&self, page: &str) {
        self.client
            .execute(&format!("{};return true;", self.axe), vec![])
            .await
            .expect("axe-core loads");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(results => done(
                   results.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' +
                          v.nodes.map(n => n.target.join(' ')).join(', '))));",
                vec![],
            )
            .await
            .expect("axe-core runs");
        let violations: Vec<String> = serde_json::from_value(found).unwrap();
        assert!(
            violations.is_empty(),
            "{page} has serious or critical accessibility faults:\n{}",
            violations.join("\n")
        );
    }

    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    /// Waits for a download to land, and returns its bytes.
    async fn downloaded(&self, extension: &str) -> Vec<u8> {
        let start = Instant::now();
        loop {
            let found = std::fs::read_dir(&self.downloads)
                .unwrap()
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == extension));
            if let Some(path) = found {
                return std::fs::read(path).unwrap();
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "no .{extension} was downloaded"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    async fn sign_in(&self, email: &str, password: &str) {
        self.open("/sign-in").await;
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click("form[action='/sign-in'] button").await;
        self.wait_for("signing in", |url, _| !url.contains("/sign-in"))
            .await;
    }

    /// Waits until the page (its address and source) passes the check: a click on a submit
    /// button returns before the next page has arrived.
    async fn wait_for(&self, what: &str, check: impl Fn(&str, &str) -> bool) {
        let start = Instant::now();
        loop {
            let (url, page) = (self.url().await, self.source().await);
            if check(&url, &page) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{what} did not finish: {url}\n{}",
                between(&page, "<main", "</main>")
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn sign_out(&self) {
        self.click("form[action='/sign-out'] button").await;
        self.wait_for("signing out", |url, _| url.contains("/sign-in"))
            .await;
    }

    /// Opens a step on the case page and submits it with these fields filled in.
    async fn take_step(&self, step: &str, fields: &[(&str, &str)]) {
        self.click(&format!("#action-{step} summary")).await;
        for (name, value) in fields {
            let selector = format!("#{step}-{name}");
            let element = self.css(&selector).await;
            if element.tag_name().await.unwrap() == "select" {
                element.select_by_value(value).await.unwrap();
            } else {
                self.fill(&selector, value).await;
            }
        }
        self.click(&format!("#action-{step} button[type='submit']"))
            .await;
        // The previous step's page also shows a success banner: wait for this step's page.
        let done = format!("done={step}");
        self.wait_for(step, |url, page| {
            url.contains(&done) || page.contains("govuk-error-summary")
        })
        .await;
        let page = self.source().await;
        assert!(
            page.contains("govuk-notification-banner--success"),
            "{step} was not recorded: {}",
            between(&page, "govuk-error-summary__list", "</ul>")
        );
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    text.split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map_or("", |(inside, _)| inside)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journeys_work_in_a_real_browser() {
    require(CHROMIUM, "apt-get install -y chromium");
    require(CHROMEDRIVER, "apt-get install -y chromium-driver");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let axe_path = root.join("tests/browser/node_modules/axe-core/axe.min.js");
    require(axe_path.to_str().unwrap(), "npm ci --prefix tests/browser");

    let work = std::env::temp_dir().join(format!("redress-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let downloads = work.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let shots = root.join("target/browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let port = free_port();
    let _server = Running(
        Command::new(env!("CARGO_BIN_EXE_redress"))
            .args([
                "--database",
                &format!("sqlite://{}/browser.db", work.display()),
            ])
            .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redress demo starts"),
    );
    let driver_port = free_port();
    let _driver = Running(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    wait_for_port(driver_port, "chromedriver").await;
    wait_for_port(port, "redress demo").await;

    let client = chromium(driver_port, &downloads).await;
    let browser = Browser {
        client,
        base: format!("http://127.0.0.1:{port}"),
        axe: std::fs::read_to_string(&axe_path).unwrap(),
        shots,
        downloads,
    };
    let result = journeys(&browser).await;
    let _ = browser.client.close().await;
    result
}

/// A headless Chromium session through chromedriver, downloading into `downloads`.
async fn chromium(driver_port: u16, downloads: &Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--window-size=1280,1600"],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            },
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("chromedriver accepts a session")
}

/// Single sign-on against a real OpenID Provider (npm oidc-provider) on loopback: Redress
/// serves the demo organisation, signing staff in through the provider.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on_works_in_a_real_browser() {
    require(CHROMIUM, "apt-get install -y chromium");
    require(CHROMEDRIVER, "apt-get install -y chromium-driver");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let provider_script = root.join("tests/browser/oidc-provider.mjs");
    let provider_package = root.join("tests/browser/node_modules/oidc-provider/package.json");
    require(
        provider_package.to_str().unwrap(),
        "npm ci --prefix tests/browser",
    );
    let axe_path = root.join("tests/browser/node_modules/axe-core/axe.min.js");
    require(axe_path.to_str().unwrap(), "npm ci --prefix tests/browser");

    let work = std::env::temp_dir().join(format!("redress-sso-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let downloads = work.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let shots = root.join("target/browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let database = format!("sqlite://{}/sso.db", work.display());
    let loaded = Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["--database", &database, "demo", "--no-serve"])
        .output()
        .unwrap();
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );

    let (port, provider_port) = (free_port(), free_port());
    let base = format!("http://127.0.0.1:{port}");
    let groups = work.join("groups.json");
    std::fs::write(&groups, "{}").unwrap();
    let _provider = Running(
        Command::new("node")
            .arg(&provider_script)
            .arg(provider_port.to_string())
            .args(["redress", "a test client secret"])
            .arg(format!("{base}/sign-in/oidc/callback"))
            .arg(format!("{base}/sign-in"))
            .arg(&groups)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs oidc-provider"),
    );
    wait_for_port(provider_port, "oidc-provider").await;
    let _server = Running(
        Command::new(env!("CARGO_BIN_EXE_redress"))
            .args([
                "--database",
                &database,
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .args(["--public-url", &base])
            .args([
                "--oidc-issuer",
                &format!("http://127.0.0.1:{provider_port}"),
            ])
            .args([
                "--oidc-client-id",
                "redress",
                "--oidc-roles-claim",
                "groups",
            ])
            .env("REDRESS_OIDC_CLIENT_SECRET", "a test client secret")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redress serve starts"),
    );
    let driver_port = free_port();
    let _driver = Running(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    wait_for_port(driver_port, "chromedriver").await;
    wait_for_port(port, "redress serve").await;
    let browser = Browser {
        client: chromium(driver_port, &downloads).await,
        base,
        axe: std::fs::read_to_string(&axe_path).unwrap(),
        shots,
        downloads,
    };
    let provider = format!("http://127.0.0.1:{provider_port}");
    single_sign_on::journeys(&browser, port, &provider, &groups).await;
    let _ = browser.client.close().await;
}

async fn journeys(b: &Browser) {
    let reference = public_form_by_keyboard(b).await;
    welsh::a_parent_complains_in_welsh(b).await;
    let one_time = admin_adds_an_investigator(b).await;
    officer_takes_it_to_stage_2(b, &reference).await;
    officer_accepts_a_draft_from_the_dashboard(b).await;
    investigator_sees_only_their_case(b, &reference, &one_time).await;
    report_downloads(b).await;
    letters::officer_writes_and_downloads_a_letter(b, &reference).await;
    letters::admin_edits_a_template(b).await;
    every_other_page_is_accessible(b).await;
}

/// The pages not met in the journeys above, checked and photographed too.
async fn every_other_page_is_accessible(b: &Browser) {
    for (path, name) in [
        ("/sign-in", "sign-in"),
        ("/complain/westminster/young-people", "young-people-form"),
        ("/compliment/westminster", "compliment-form"),
        ("/api/v1/docs", "api-reference"),
        ("/", "start-page"),
    ] {
        b.open(path).await;
        b.check_accessibility(path).await;
        b.screenshot(name).await;
    }
    b.sign_in("admin@westminster.example", "westminster-demo")
        .await;
    b.open("/admin").await;
    b.check_accessibility("the administration page").await;
    b.screenshot("admin").await;
    // The demo's live cases have queued their mail; with no server it waits, listed here.
    b.open("/admin/westminster/outbox").await;
    let outbox = b.source().await;
    assert!(
        outbox.contains("no mail server configured"),
        "the outbox lists the waiting mail"
    );
    b.check_accessibility("the outbox page").await;
    b.screenshot("outbox").await;
    // The demo's retention schedule is off: the dry run is shown, and nothing was erased.
    b.open("/admin/westminster/retention/approval").await;
    let retention = b.source().await;
    assert!(
        retention.contains("The schedule is off") && retention.contains("records would be erased"),
        "the retention page shows the dry run of a schedule that is off"
    );
    b.check_accessibility("the retention schedule page").await;
    b.screenshot("retention").await;
    b.open("/").await;
    b.sign_out().await;
    // Subject access is information governance's: a search for one of the demo's
    // complainants, with the export button.
    b.sign_in("governance@westminster.example", "westminster-demo")
        .await;
    b.open("/organisations/westminster/subject-access?q=Graham+Osei")
        .await;
    let found = b.source().await;
    assert!(
        found.contains("Export bundle"),
        "the search finds Graham Osei's case"
    );
    b.check_accessibility("the subject access page").await;
    b.screenshot("subject-access").await;
    b.open("/").await;
    b.sign_out().await;
    b.sign_in("officer@westminster.example", "westminster-demo")
        .await;
    b.open("/cases/new").await;
    b.check_accessibility("the new case form").await;
    b.screenshot("new-case").await;
    b.open("/").await;
    b.sign_out().await;
}

/// A parent complains through the public form using the keyboard alone; the form's own
/// validation shows the GOV.UK error summary first.
async fn public_form_by_keyboard(b: &Browser) -> String {
    b.open("/complain/westminster").await;
    b.check_accessibility("the complaint form").await;
    b.screenshot("public-complaint-form").await;

    // Sending it empty shows every problem, linked to its field.
    b.tab_to("complainant_name").await;
    b.press(Key::Enter.into()).await;
    b.wait_for("the empty form", |_, page| {
        page.contains("There is a problem")
    })
    .await;
    let page = b.source().await;
    assert!(
        page.contains("There is a problem"),
        "the error summary is shown"
    );
    assert!(
        page.contains("href=\"#summary\""),
        "each error links to its field"
    );
    assert!(page.contains("Select who you are"));
    b.check_accessibility("the complaint form with errors")
        .await;
    b.screenshot("public-complaint-errors").await;

    b.tab_to("complainant_name").await;
    b.type_text("Rosa Keyboard").await;
    b.tab_to("complainant_role").await;
    // Arrow keys move through a radio group and select as they go: the second is Parent.
    b.press(Key::Down.into()).await;
    assert_eq!(b.focused_id().await, "complainant_role-2");
    b.tab_to("contact_email").await;
    b.type_text("rosa@example.org").await;
    b.tab_to("summary").await;
    b.type_text("My daughter's contact visits were cancelled three times without notice.")
        .await;
    b.tab_to("outcome_wanted").await;
    b.type_text("An apology and a fixed contact schedule.")
        .await;
    b.tab_to("advocate").await;
    b.press(' ').await;
    // The submit button follows the last field; Enter sends the form.
    b.press(Key::Tab.into()).await;
    let focused = b.client.active_element().await.unwrap();
    assert_eq!(focused.tag_name().await.unwrap(), "button");
    b.press(Key::Enter.into()).await;
    b.wait_for("sending the complaint", |_, page| {
        page.contains("govuk-panel--confirmation")
    })
    .await;

    let page = b.source().await;
    assert!(page.contains("Complaint sent"), "the confirmation is shown");
    let reference = between(&page, "Your reference number<br><strong>", "</strong>").to_string();
    assert!(
        reference.starts_with("WCC-"),
        "a reference is given: {reference:?}"
    );
    assert!(page.contains("respond by"), "the response date is given");
    b.check_accessibility("the confirmation page").await;
    b.screenshot("public-complaint-sent").await;
    reference
}

async fn officer_takes_it_to_stage_2(b: &Browser, reference: &str) {
    b.sign_in("officer@westminster.example", "westminster-demo")
        .await;
    let page = b.source().await;
    assert!(
        page.contains("<h1 class=\"govuk-heading-l\">Dashboard</h1>"),
        "the officer lands on the dashboard, not {}: {}",
        b.url().await,
        between(&page, "<main", "</main>")
    );
    assert!(
        page.contains(reference),
        "the new complaint is on the officer's dashboard"
    );
    b.check_accessibility("the dashboard").await;
    b.screenshot("dashboard").await;

    b.open("/cases").await;
    b.check_accessibility("the case list").await;
    b.screenshot("case-list").await;

    b.open(&case_path(b, reference).await).await;
    let page = b.source().await;
    assert!(
        page.contains("Rosa Keyboard"),
        "the case shows the complainant"
    );

    b.take_step(
        "update_details",
        &[
            ("team", "Looked After Children & Leaving Care"),
            ("reason", "Contact arrangements"),
        ],
    )
    .await;
    b.take_step("acknowledge", &[]).await;
    b.take_step("open_stage1", &[]).await;
    // Dates are filled in with today; the officer picks the outcome.
    b.take_step("respond", &[("outcome", "not_upheld")]).await;
    b.take_step("escalate", &[]).await;
    b.take_step(
        "appoint_investigator",
        &[
            ("investigating_officer", NEW_INVESTIGATOR),
            ("independent_person", "Pat Independent"),
        ],
    )
    .await;
    let page = b.source().await;
    assert!(
        page.contains("Stage 2 response due"),
        "the Stage 2 deadline is shown"
    );
    assert!(page.contains("working days left"));
    b.check_accessibility("the case page").await;
    b.screenshot("case-page").await;

    // The demo's complaint 7 working days past its Stage 1 deadline can go on to Stage 2.
    b.open("/cases?q=kinship").await;
    let overdue = b
        .css("table.govuk-table a.govuk-link[href^='/cases/']")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    b.open(&overdue).await;
    let page = b.source().await;
    assert!(
        page.contains("Go to Stage 2: Stage 1 is overdue, or skipped by agreement"),
        "the overdue case offers Stage 2: {}",
        between(&page, "<main", "</main>")
    );
    b.take_step("escalate", &[]).await;
    assert!(b.source().await.contains("Stage 2 response due"));

    b.open("/actions").await;
    b.check_accessibility("the actions tracker").await;
    b.open("/compliments").await;
    b.check_accessibility("the compliments log").await;
    b.sign_out().await;
}

/// The demo's complaints mailbox has left two drafts on the dashboard. The officer opens the
/// older one, a grandmother's complaint, and accepts it under the statutory procedure.
async fn officer_accepts_a_draft_from_the_dashboard(b: &Browser) {
    b.sign_in("officer@westminster.example", "westminster-demo")
        .await;
    let page = b.source().await;
    assert!(
        page.contains("Email to check"),
        "the dashboard lists the drafts: {}",
        between(&page, "<main", "</main>")
    );
    b.click("#drafts ~ table a[href$='#action-accept_draft']")
        .await;
    b.wait_for("the draft's page", |url, _| url.contains("/cases/"))
        .await;
    let page = b.source().await;
    assert!(
        page.contains("Contact with my grandson has stopped"),
        "the draft shows the email"
    );
    assert!(
        page.contains("Joanne Whitfield"),
        "the sender is the complainant"
    );
    b.check_accessibility("a draft case page").await;
    b.screenshot("draft-case").await;
    b.take_step(
        "accept_draft",
        &[("procedure", "statutory"), ("complainant_role", "relative")],
    )
    .await;
    let page = b.source().await;
    assert!(
        !page.contains("id=\"action-accept_draft\""),
        "an accepted draft cannot be accepted again"
    );
    assert!(
        page.contains("id=\"action-acknowledge\""),
        "it is now a complaint received"
    );
    b.open("/").await;
    b.sign_out().await;
}

/// The case's page address, found from the case list's search by reference.
async fn case_path(b: &Browser, reference: &str) -> String {
    b.open(&format!("/cases?reference={reference}")).await;
    let link = b
        .css("table.govuk-table a.govuk-link[href^='/cases/']")
        .await;
    link.attr("href").await.unwrap().unwrap()
}

/// A new Investigating Officer, added by the administrator for this complaint.
const NEW_INVESTIGATOR: &str = "new.investigator@westminster.example";

/// The administrator adds the investigator; returns the one-time password the page shows.
async fn admin_adds_an_investigator(b: &Browser) -> String {
    b.sign_in("admin@westminster.example", "westminster-demo")
        .await;
    b.open("/admin").await;
    b.fill("#user-email", NEW_INVESTIGATOR).await;
    b.css("#user-role")
        .await
        .select_by_value("investigator")
        .await
        .unwrap();
    b.click("form[action='/admin/westminster/users'] button")
        .await;
    b.wait_for("adding a user", |_, page| {
        page.contains("One-time password")
    })
    .await;
    let page = b.source().await;
    let password = between(&page, "One-time password<br><strong>", "</strong>").to_string();
    assert_eq!(password.len(), 20, "a one-time password is shown once");
    b.open("/").await;
    b.sign_out().await;
    password
}

/// The investigator appointed to it signs in for the first time, chooses a password, and sees
/// that case and nothing else.
async fn investigator_sees_only_their_case(b: &Browser, reference: &str, one_time: &str) {
    b.open("/sign-in").await;
    b.fill("#email", NEW_INVESTIGATOR).await;
    b.fill("#password", one_time).await;
    b.click("form[action='/sign-in'] button").await;
    b.wait_for("the first sign-in", |url, _| url.ends_with("/password"))
        .await;
    b.check_accessibility("choosing a password").await;
    b.fill("#current_password", one_time).await;
    b.fill("#new_password", "my own long passphrase").await;
    b.click("form[action='/password'] button").await;
    b.wait_for("choosing a password", |url, _| !url.ends_with("/password"))
        .await;
    b.open("/cases").await;
    let page = b.source().await;
    assert!(page.contains(reference), "the investigator sees the case");
    let listed = page
        .matches("<td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/cases/")
        .count();
    assert_eq!(listed, 1, "the one case they are appointed to, of 152");
    b.screenshot("investigator-cases").await;
    b.open("/cases/1").await;
    assert!(
        b.source().await.contains("Page not found"),
        "another case is not found"
    );
    b.open("/").await;
    b.sign_out().await;
}

async fn report_downloads(b: &Browser) {
    b.sign_in("viewer@westminster.example", "westminster-demo")
        .await;
    b.open("/reports").await;
    b.check_accessibility("the reports page").await;
    b.screenshot("reports").await;
    for (format, extension, magic) in [("pdf", "pdf", &b"%PDF"[..]), ("docx", "docx", &b"PK"[..])] {
        b.open("/reports").await;
        b.css("#year").await.select_by_value("2020").await.unwrap();
        b.click(&format!("input[name='format'][value='{format}']"))
            .await;
        b.click("form[action='/reports/download'] button").await;
        let bytes = b.downloaded(extension).await;
        assert!(
            bytes.starts_with(magic),
            "the {format} report is a real {format}"
        );
        assert!(bytes.len() > 10_000, "the {format} report has content");
    }
}
