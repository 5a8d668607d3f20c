//! The letter journey, kept apart from `browser.rs` so neither file outgrows the limit: the
//! officer writes a Stage 2 adjudication from the case page, checks it, sends it and downloads
//! its PDF, which tells the complainant how to ask for the review panel.

use super::{between, case_path, Browser};
use fantoccini::Locator;

pub async fn officer_writes_and_downloads_a_letter(b: &Browser, reference: &str) {
    b.sign_in("officer@westminster.example", "westminster-demo")
        .await;
    b.open(&case_path(b, reference).await).await;
    b.css("#letter-kind")
        .await
        .select_by_value("stage-2-adjudication")
        .await
        .unwrap();
    b.click("form[action$='/letter'][method='get'] button")
        .await;
    b.wait_for("the letter", |url, _| url.contains("/letter?kind="))
        .await;
    let page = b.source().await;
    assert!(
        page.contains("within 20 working days"),
        "the letter gives the time to ask for the panel: {}",
        between(&page, "<main", "</main>")
    );
    b.check_accessibility("the letter page").await;
    b.screenshot("letter").await;
    b.click("form[method='post'][action$='/letter'] button[type='submit']")
        .await;
    b.wait_for("sending the letter", |url, page| {
        url.contains("done=letter") || page.contains("govuk-error-summary")
    })
    .await;
    b.check_accessibility("the case page with a letter").await;
    // Earlier journeys downloaded files too: the letter's must be the only PDF here.
    for entry in std::fs::read_dir(&b.downloads).unwrap().flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
    b.client
        .find(Locator::XPath(
            "//a[contains(@href, '/attachments/') and contains(., 'stage-2-adjudication') and contains(., '.pdf')]",
        ))
        .await
        .expect("the letter's PDF is on the case")
        .click()
        .await
        .unwrap();
    let pdf = b.downloaded("pdf").await;
    assert!(pdf.starts_with(b"%PDF"), "the letter downloads as a PDF");
    b.sign_out().await;
}

/// The administrator opens a template from the admin page; one with an unknown placeholder is
/// refused beside the field, naming its line.
pub async fn admin_edits_a_template(b: &Browser) {
    b.sign_in("admin@westminster.example", "westminster-demo")
        .await;
    b.open("/admin").await;
    b.click("a[href='/admin/westminster/letters/withdrawal']")
        .await;
    b.wait_for("the template", |url, _| url.contains("/letters/withdrawal"))
        .await;
    b.check_accessibility("the letter template page").await;
    b.fill("#body", "Dear {{ complainant_name }},\n\n{{ fo }}")
        .await;
    b.click("form[action='/admin/westminster/letters/withdrawal'] button")
        .await;
    b.wait_for("the refusal", |_, page| {
        page.contains("govuk-error-summary")
    })
    .await;
    let page = b.source().await;
    assert!(
        page.contains("Line 3: unknown placeholder"),
        "the refusal names the line: {}",
        between(&page, "govuk-error-summary__list", "</ul>")
    );
    b.check_accessibility("the letter template page with an error")
        .await;
    b.screenshot("letter-template-error").await;
    b.open("/").await;
    b.sign_out().await;
}
