//! The public complaint form in Welsh, kept apart from `browser.rs` so neither file outgrows the
//! limit: chosen with `?lang=cy`, marked `lang="cy"` for screen readers, free of serious
//! accessibility faults, sent, and acknowledged in Welsh; then the link back to English.

use super::{between, Browser};

/// The `lang` of the page's `<html>`, as the browser reads it.
async fn page_language(b: &Browser) -> String {
    let found = b
        .client
        .execute("return document.documentElement.lang;", vec![])
        .await
        .expect("the page runs a script");
    found.as_str().unwrap_or_default().to_string()
}

pub async fn a_parent_complains_in_welsh(b: &Browser) {
    b.open("/complain/westminster?lang=cy").await;
    assert_eq!(page_language(b).await, "cy", "the form is marked Welsh");
    let page = b.source().await;
    assert!(
        page.contains("Gwneud cwyn am wasanaethau plant"),
        "the form is in Welsh: {}",
        between(&page, "<main", "</main>")
    );
    b.check_accessibility("the Welsh complaint form").await;
    b.screenshot("public-complaint-form-welsh").await;

    // Sent empty, the problems are listed in Welsh.
    b.click("form[action='/complain/westminster'] button[type='submit']")
        .await;
    b.wait_for("the empty Welsh form", |_, page| {
        page.contains("Mae problem wedi codi")
    })
    .await;
    assert_eq!(page_language(b).await, "cy");
    assert!(b.source().await.contains("Dewiswch pwy ydych chi"));
    b.check_accessibility("the Welsh complaint form with errors")
        .await;

    b.fill("#complainant_name", "Siân Rhiant").await;
    // The second choice is Parent (Rhiant).
    b.click("#complainant_role-2").await;
    b.fill("#contact_email", "sian@example.org").await;
    b.fill(
        "#summary",
        "Cafodd ymweliadau fy merch eu canslo dair gwaith.",
    )
    .await;
    b.click("form[action='/complain/westminster'] button[type='submit']")
        .await;
    b.wait_for("sending the Welsh complaint", |_, page| {
        page.contains("govuk-panel--confirmation")
    })
    .await;
    assert_eq!(
        page_language(b).await,
        "cy",
        "the acknowledgement is marked Welsh"
    );
    let page = b.source().await;
    assert!(
        page.contains("Rydym wedi cael eich cwyn") && page.contains("Eich cyfeirnod"),
        "the acknowledgement is in Welsh: {}",
        between(&page, "<main", "</main>")
    );
    let reference = between(&page, "Eich cyfeirnod<br><strong>", "</strong>");
    assert!(reference.starts_with("WCC-"), "a reference: {reference:?}");
    assert!(page.contains("erbyn <strong>Dydd "), "the date is in Welsh");
    b.check_accessibility("the Welsh acknowledgement").await;
    b.screenshot("public-complaint-sent-welsh").await;

    // The link in English chooses English again, for every later page.
    b.click(".redress-language-switch a").await;
    b.wait_for("switching to English", |url, _| url.ends_with("?lang=en"))
        .await;
    assert_eq!(page_language(b).await, "en");
    assert!(b
        .source()
        .await
        .contains("Make a complaint about children's services"));
}
