//! The reports page: every section in order with its headline, chart and CSV links; the
//! filter checked beside each field with the input kept; accounts found by name; CSV files.

use jiff::SignedDuration;
use makegood_domain::Role;
use makegood_store::testing::Backend;
use makegood_store::{Actor, NewAccount, NewContact, NewPromise, backend_tests};

use crate::common::TestApp;

backend_tests!(
    the_page_shows_every_section_in_order_with_charts_and_downloads,
    a_filter_that_does_not_fit_is_shown_beside_its_field_with_the_input_kept,
    an_account_is_found_by_its_name,
    a_section_downloads_as_csv,
);

/// The sections, in the order the page shows them.
const SECTIONS: [&str; 7] = [
    "promises",
    "timing",
    "cadence",
    "remedies",
    "prevention",
    "recovery",
    "failures",
];

async fn account(app: &TestApp, name: &str) -> makegood_domain::Account {
    app.store
        .create_account(NewAccount {
            name: name.into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap()
}

async fn the_page_shows_every_section_in_order_with_charts_and_downloads(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    // One promise kept this month, so the charts have something to draw.
    let acme = account(&app, "Acme Freight").await;
    let ann = app
        .store
        .create_contact(NewContact {
            account: acme.id,
            name: "Ann Lee".into(),
            role_title: "Controller".into(),
            email: None,
            phone: None,
        })
        .await
        .unwrap();
    let actor = Actor {
        member: admin.member.id,
        now: app.now(),
    };
    let new = NewPromise {
        what: "The corrected invoices".into(),
        contacts: vec![ann.id],
        made_by: admin.member.id,
        problem: None,
        due_at: app.now() + SignedDuration::from_hours(4),
    };
    let promise = app.store.create_promise(actor, new).await.unwrap();
    app.store
        .keep_promise(actor, promise.promise.id, None)
        .await
        .unwrap();
    let viewer = app.user(Role::Viewer).await;
    let mut browser = app.browser(viewer.member.clone()).await;
    let page = browser.get("/reports").await;
    assert_eq!(page.status, 200, "{}", page.text);
    let text = &page.text;
    assert!(
        text.contains(r#"<a href="/reports" aria-current="page">Reports</a>"#),
        "the navigation marks Reports"
    );
    // The default period: the twelve months ending this month (the tests start in March 2026).
    assert!(text.contains("Apr 2025 to Mar 2026"), "{text}");
    assert!(text.contains(r#"name="from" type="month" value="2025-04""#));
    assert!(text.contains(r#"name="to" type="month" value="2026-03""#));
    let mut last = 0;
    for id in SECTIONS {
        let at = text
            .find(&format!(r#"<section class="report-section" id="{id}""#))
            .unwrap_or_else(|| panic!("no section {id}"));
        assert!(at > last, "{id} out of order");
        last = at;
        assert!(
            text.contains(&format!(r#"href="/reports/{id}.csv""#)),
            "{id} has no CSV link"
        );
    }
    // Each section says its story in a sentence.
    assert_eq!(
        text.matches(r#"<p class="headline">"#).count(),
        SECTIONS.len()
    );
    // Charts are inline SVG images with a title, and nothing the CSP would refuse.
    assert!(
        text.contains(r#"<svg class="chart" role="img" aria-labelledby="chart-promises-title""#)
    );
    assert!(text.contains(r#"<title id="chart-promises-title">"#));
    assert!(!text.contains(" style="), "no inline style attributes");
    assert!(!text.contains("<style"), "no style elements");
    assert!(!text.contains("<script>"), "no inline script");
    assert!(text.contains(r#"href="/api/v1/reports""#), "the JSON link");
}

async fn a_filter_that_does_not_fit_is_shown_beside_its_field_with_the_input_kept(
    backend: Backend,
) {
    let (app, admin) = TestApp::new(backend).await;
    let mut browser = app.browser(admin.member.clone()).await;
    let page = browser
        .get("/reports?from=2026-13&to=2026-02&account=Nowhere+Ltd&severity=huge&origin=vendor")
        .await;
    assert_eq!(page.status, 422, "{}", page.text);
    let text = &page.text;
    assert!(
        text.contains(r#"<p class="error" id="from-error">must be a month written YYYY-MM"#),
        "{text}"
    );
    assert!(
        text.contains(
            r#"<p class="error" id="account-error">no account name contains “Nowhere Ltd”"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"<p class="error" id="severity-error">must be one of critical, major, minor"#
        ),
        "{text}"
    );
    assert!(
        !text.contains(r#"id="to-error""#),
        "the valid month is not blamed"
    );
    // What was typed stays in the form; the valid choices stay chosen.
    assert!(text.contains(r#"value="2026-13""#));
    assert!(text.contains(r#"value="2026-02""#));
    assert!(text.contains(r#"value="Nowhere Ltd""#));
    assert!(text.contains(r#"<option value="vendor" selected>"#));
    assert!(text.contains(r#"aria-invalid="true" aria-describedby="from-error""#));
    assert!(
        !text.contains(r#"class="report-section""#),
        "no figures for a refused filter"
    );

    let backwards = browser.get("/reports?from=2026-05&to=2026-01").await;
    assert_eq!(backwards.status, 422);
    assert!(
        backwards
            .text
            .contains("must not be after the last month (2026-01)")
    );

    let member = browser.get("/reports?member=424242").await;
    assert_eq!(member.status, 422);
    assert!(
        member.text.contains("there is no member 424242"),
        "{}",
        member.text
    );
}

async fn an_account_is_found_by_its_name(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let harbor = account(&app, "Harbor Freight Logistics").await;
    account(&app, "Harbor Lights").await;
    let mut browser = app.browser(admin.member.clone()).await;

    let several = browser.get("/reports?account=harbor").await;
    assert_eq!(several.status, 422, "{}", several.text);
    assert!(
        several
            .text
            .contains("several accounts match “harbor” (Harbor Freight Logistics, Harbor Lights)"),
        "{}",
        several.text
    );

    for typed in ["Harbor Freight", "harbor freight logistics", "FREIGHT"] {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("account", typed)
            .finish();
        let page = browser.get(&format!("/reports?{query}")).await;
        assert_eq!(page.status, 200, "{typed}: {}", page.text);
        assert!(
            page.text
                .contains("only the account Harbor Freight Logistics"),
            "{typed}"
        );
        // The downloads keep the typed name; the JSON link names the account by id.
        assert!(
            page.text
                .contains(&format!(r#"href="/reports/promises.csv?{query}""#)),
            "{}",
            page.text
        );
        assert!(
            page.text
                .contains(&format!("/api/v1/reports?account={}", harbor.id)),
            "{}",
            page.text
        );
    }
}

async fn a_section_downloads_as_csv(backend: Backend) {
    let (app, _admin) = TestApp::new(backend).await;
    let viewer = app.user(Role::Viewer).await;
    account(&app, "Harbor Freight Logistics").await;
    let mut browser = app.browser(viewer.member.clone()).await;
    let csv = browser
        .get("/reports/cadence.csv?from=2026-01&to=2026-03&account=Harbor+Freight")
        .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"report-cadence-2026-01-to-2026-03.csv\"")
    );
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines[0], "month,intervals,met");
    assert_eq!(lines.len(), 4);

    let nope = browser.get("/reports/nope.csv").await;
    assert_eq!(nope.status, 404);
    assert!(nope.text.contains("promises-by-member"));
    let bad = browser.get("/reports/promises.csv?from=soon").await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.text.contains("from: must be a month written YYYY-MM"),
        "{}",
        bad.text
    );
}
