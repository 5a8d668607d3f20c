//! The public pages in English and Welsh through the router: `?lang=` chooses and sets the
//! `lang` cookie, the cookie alone and Accept-Language choose too, anything else is English;
//! a Welsh form is answered in Welsh, its errors and its acknowledgement; staff pages stay in
//! English whatever the visitor chose.

mod common;

use axum::body::Body;
use axum::http::{header, Request};
use common::{App, Credentials, Reply};
use redress_store::Access;
use redress_testkit::{on_both_backends, TestDatabase};
use serde_json::json;

on_both_backends!(
    the_language_is_chosen_by_query_cookie_or_browser,
    every_public_page_is_in_welsh_when_chosen,
    a_welsh_form_is_answered_in_welsh,
    staff_pages_stay_in_english,
);

/// The page, with the escapes minijinja writes for `/` and `'` read back.
fn html(reply: &Reply) -> String {
    reply
        .body
        .as_str()
        .unwrap_or_default()
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
}

fn set_cookie(reply: &Reply) -> Option<&str> {
    reply
        .headers
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap())
}

/// A GET with these extra headers, as a visitor with no account.
async fn get_with(app: &App, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::builder().method("GET").uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// A form posted as a browser would, with these extra headers.
async fn post_form(
    app: &App,
    path: &str,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> Reply {
    let mut request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = serde_urlencoded::to_string(fields).unwrap();
    app.send(request.body(Body::from(body)).unwrap()).await
}

fn assert_welsh(reply: &Reply, what: &str) {
    let page = &html(reply);
    assert!(page.contains("<html lang=\"cy\""), "{what} is marked Welsh");
    assert!(
        page.contains("Neidio i'r prif gynnwys"),
        "{what} has the Welsh skip link"
    );
    assert!(
        page.contains("hreflang=\"en\">English</a>"),
        "{what} links to the English"
    );
}

fn assert_english(reply: &Reply, what: &str) {
    let page = &html(reply);
    assert!(
        page.contains("<html lang=\"en\""),
        "{what} is marked English"
    );
    assert!(
        page.contains("Skip to main content"),
        "{what} has the English skip link"
    );
}

async fn the_language_is_chosen_by_query_cookie_or_browser(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;

    // ?lang=cy: Welsh, remembered in a cookie for the whole site.
    let chosen = get_with(&app, "/complain/testshire?lang=cy", &[])
        .await
        .expect(200);
    assert_welsh(&chosen, "the form with ?lang=cy");
    assert!(html(&chosen).contains("Gwneud cwyn am wasanaethau plant"));
    assert!(html(&chosen).contains("Eich enw llawn"));
    assert!(
        html(&chosen).contains(">Rhiant</label>"),
        "the roles are in Welsh"
    );
    assert!(
        html(&chosen).contains("href=\"/complain/testshire?lang=en\""),
        "the switch link keeps the page"
    );
    let cookie = set_cookie(&chosen).expect("the choice is remembered");
    assert!(cookie.starts_with("lang=cy;"), "{cookie}");
    assert!(
        cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );

    // The cookie alone.
    let remembered = get_with(&app, "/complain/testshire", &[("cookie", "lang=cy")])
        .await
        .expect(200);
    assert_welsh(&remembered, "the form with the cookie");
    assert!(set_cookie(&remembered).is_none(), "nothing new to remember");
    let among_others = get_with(
        &app,
        "/complain/testshire",
        &[("cookie", "other=1; lang=cy; more=2")],
    )
    .await
    .expect(200);
    assert_welsh(&among_others, "the form with the cookie among others");

    // Accept-Language: Welsh when it ranks above English.
    for (accept, welsh) in [
        ("cy", true),
        ("cy-GB,cy;q=0.9,en-GB;q=0.8,en;q=0.7", true),
        ("en;q=0.5, cy", true),
        ("en-GB,en;q=0.9,cy;q=0.8", false),
        ("fr-FR", false),
        ("cy;q=0", false),
    ] {
        let reply = get_with(&app, "/complain/testshire", &[("accept-language", accept)])
            .await
            .expect(200);
        if welsh {
            assert_welsh(&reply, accept);
        } else {
            assert_english(&reply, accept);
        }
    }

    // ?lang= outranks the cookie, which outranks the browser.
    let english_asked = get_with(
        &app,
        "/complain/testshire?lang=en",
        &[("cookie", "lang=cy")],
    )
    .await
    .expect(200);
    assert_english(&english_asked, "?lang=en over a Welsh cookie");
    assert!(set_cookie(&english_asked).unwrap().starts_with("lang=en;"));
    let cookie_first = get_with(
        &app,
        "/complain/testshire",
        &[("cookie", "lang=en"), ("accept-language", "cy")],
    )
    .await
    .expect(200);
    assert_english(&cookie_first, "an English cookie over a Welsh browser");

    // Anything else is English, and never refused.
    for path in [
        "/complain/testshire?lang=xx",
        "/complain/testshire?lang=",
        "/complain/testshire?lang=%FF%FE",
        "/complain/testshire?lang=%3Cscript%3E",
        "/complain/testshire?lang=en-GB-oed-x-very-long-private-use-subtag",
        "/complain/testshire?lang=%",
    ] {
        let reply = get_with(&app, path, &[("cookie", "lang=cy")]).await;
        assert_english(&reply.expect(200), path);
    }
    // Asked twice, the first answer counts.
    let twice = get_with(&app, "/complain/testshire?lang=cy&lang=en", &[])
        .await
        .expect(200);
    assert_welsh(&twice, "?lang=cy&lang=en");
    for headers in [
        [("cookie", "lang=klingon")],
        [("cookie", "lang")],
        [("accept-language", ";;;q=2,cy;q=-1")],
    ] {
        let reply = get_with(&app, "/complain/testshire", &headers)
            .await
            .expect(200);
        assert_english(&reply, headers[0].1);
    }
}

async fn every_public_page_is_in_welsh_when_chosen(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let welsh = [("cookie", "lang=cy")];

    let young = get_with(&app, "/complain/testshire/young-people", &welsh)
        .await
        .expect(200);
    assert_welsh(&young, "the young people's form");
    assert!(
        html(&young).contains("Beth aeth o&#x27;i le?")
            || html(&young).contains("Beth aeth o'i le?")
    );
    assert!(html(&young).contains("href=\"/complain/testshire/young-people?lang=en\""));

    let compliment = get_with(&app, "/compliment/testshire", &welsh)
        .await
        .expect(200);
    assert_welsh(&compliment, "the compliment form");
    assert!(html(&compliment).contains("Rhoi canmoliaeth"));

    // With one council, choosing goes straight to its form, remembering a choice made now.
    let straight = get_with(&app, "/complain?lang=cy", &[]).await.expect(303);
    assert!(set_cookie(&straight).unwrap().starts_with("lang=cy;"));
    // With two, the visitor chooses, in Welsh.
    app.sign_in_as("operator@redress.test").await;
    app.post(
        "/api/v1/organisations",
        json!({"slug": "otherton", "name": "Otherton Borough Council", "reference_prefix": "OBC"}),
    )
    .await
    .expect(201);
    for (path, heading) in [
        ("/complain", "Gwneud cwyn"),
        ("/compliment", "Rhoi canmoliaeth"),
    ] {
        let page = get_with(&app, path, &welsh).await.expect(200);
        assert_welsh(&page, path);
        assert!(html(&page).contains(heading), "{path}");
        assert!(html(&page).contains("Dewiswch y cyngor."), "{path}");
    }

    // The form's errors in Welsh, beside their fields and in the summary.
    let refused = post_form(
        &app,
        "/complain/testshire",
        &welsh,
        &[("lang", "cy"), ("contact_email", "nid e-bost")],
    )
    .await
    .expect(422);
    assert_welsh(&refused, "the refused form");
    let page = &html(&refused);
    assert!(page.contains("Mae problem wedi codi"));
    assert!(
        page.contains("<title>Gwall:"),
        "the title says there are errors"
    );
    for (field, message) in [
        ("complainant_role", "Dewiswch pwy ydych chi"),
        (
            "contact_email",
            "Rhowch gyfeiriad e-bost yn y fformat cywir",
        ),
        ("summary", "Rhowch fanylion eich cwyn"),
    ] {
        assert!(
            page.contains(&format!("<a href=\"#{field}\">{message}")),
            "{field}: {message}"
        );
    }
    assert!(
        page.contains("<span class=\"govuk-visually-hidden\">Gwall:</span>"),
        "each field's error is marked in Welsh"
    );
    assert!(
        page.contains("value=\"nid e-bost\""),
        "what was typed is kept"
    );
    let too_long = "a".repeat(redress_core::limits::NAME + 1);
    let refused = post_form(
        &app,
        "/complain/testshire/young-people",
        &[],
        &[
            ("lang", "cy"),
            ("complainant_name", &too_long),
            ("summary", "Dim"),
        ],
    )
    .await
    .expect(422);
    assert!(
        html(&refused).contains("Rhaid i&#x27;ch enw fod yn")
            || html(&refused).contains("Rhaid i'ch enw fod yn")
    );
    assert!(html(&refused).contains("Rhowch rif ffôn neu gyfeiriad e-bost"));

    let thanked = post_form(
        &app,
        "/compliment/testshire",
        &[],
        &[("lang", "cy"), ("summary", "Roedd y tîm yn wych")],
    )
    .await
    .expect(200);
    assert_welsh(&thanked, "the compliment's thanks");
    assert!(html(&thanked).contains("<h1 class=\"govuk-panel__title\">Diolch</h1>"));
}

async fn a_welsh_form_is_answered_in_welsh(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;

    // Posted from the page reached with ?lang=cy: the cookie and the form's own field.
    let form = get_with(&app, "/complain/testshire?lang=cy", &[])
        .await
        .expect(200);
    assert!(html(&form).contains("<input type=\"hidden\" name=\"lang\" value=\"cy\">"));
    let cookie = set_cookie(&form)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let sent = post_form(
        &app,
        "/complain/testshire",
        &[("cookie", &cookie)],
        &[
            ("lang", "cy"),
            ("complainant_name", "Siân Rhiant"),
            ("complainant_role", "parent"),
            ("contact_email", "sian@example.org"),
            ("summary", "Cafodd yr ymweliadau eu canslo dair gwaith."),
            ("advocate", "yes"),
        ],
    )
    .await
    .expect(200);
    assert_welsh(&sent, "the acknowledgement");
    let page = &html(&sent);
    assert!(page.contains("Rydym wedi cael eich cwyn"), "{page}");
    assert!(page.contains("Eich cyfeirnod<br><strong>TCC-"));
    assert!(page.contains("Gwnaethoch ofyn am eiriolwr"));
    assert!(
        [
            "Dydd Llun",
            "Dydd Mawrth",
            "Dydd Mercher",
            "Dydd Iau",
            "Dydd Gwener"
        ]
        .iter()
        .any(|day| page.contains(&format!("erbyn <strong>{day} "))),
        "the response date is in Welsh: {page}"
    );

    // The form's own field is enough, without the cookie; the young people's form too.
    let young = post_form(
        &app,
        "/complain/testshire/young-people",
        &[],
        &[
            ("lang", "cy"),
            ("summary", "Dydw i ddim yn cael gweld fy mrawd."),
            ("contact_phone", "07700 900 982"),
        ],
    )
    .await
    .expect(200);
    assert_welsh(&young, "the young people's acknowledgement");
    assert!(html(&young).contains("Rydym wedi cael eich neges"));

    // An English form posted with a Welsh cookie is answered in English: the form decides.
    let english = post_form(
        &app,
        "/complain/testshire",
        &[("cookie", "lang=cy")],
        &[
            ("lang", "en"),
            ("summary", "Late"),
            ("complainant_role", "parent"),
            ("contact_phone", "01632 960 001"),
        ],
    )
    .await
    .expect(200);
    assert_english(&english, "an English form's acknowledgement");
    assert!(html(&english).contains("Complaint sent"));
    let (cases, _) = app
        .store
        .list_cases(
            &Access::System,
            &Default::default(),
            redress_web::Clock::system().today(),
        )
        .await
        .unwrap();
    assert_eq!(cases.len(), 3, "each form sent is one case");
    // Each complainant is to be written to in the language of the form they used.
    for summary in cases {
        let record = app.store.case(&Access::System, summary.id).await.unwrap();
        let expected = if record.case.personal().summary == "Late" {
            redress_core::Language::En
        } else {
            redress_core::Language::Cy
        };
        assert_eq!(record.case.language(), expected, "{}", summary.reference);
    }
}

async fn staff_pages_stay_in_english(db: &TestDatabase) {
    let app = App::start(db).await;
    app.seed().await;
    let Credentials::Session { cookie, .. } = app.session_for("officer@testshire.test").await
    else {
        panic!("a session");
    };
    let both = format!("{cookie}; lang=cy");
    for path in ["/", "/cases", "/compliments", "/reports"] {
        let reply = get_with(
            &app,
            &format!("{path}?lang=cy"),
            &[("cookie", &both), ("accept-language", "cy")],
        )
        .await
        .expect(200);
        assert_english(&reply, path);
        assert!(
            !html(&reply).contains("redress-language-switch"),
            "{path} offers no other language"
        );
        assert!(set_cookie(&reply).is_none(), "{path} remembers nothing");
    }
    let sign_in = get_with(&app, "/sign-in?lang=cy", &[("cookie", "lang=cy")])
        .await
        .expect(200);
    assert_english(&sign_in, "the sign-in page");
    // A page for a council that does not exist is English, and not found.
    get_with(&app, "/complain/nowhere?lang=cy", &[])
        .await
        .expect(404);
}
