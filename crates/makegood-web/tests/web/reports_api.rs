//! The reports API: the report as JSON for a filter, each table as CSV, and a filter that
//! does not fit refused as a 422 naming each parameter.

use makegood_domain::Role;
use makegood_store::testing::Backend;
use makegood_store::{NewAccount, backend_tests};

use crate::common::TestApp;

backend_tests!(
    the_report_covers_the_last_twelve_months_by_default,
    a_filter_that_does_not_fit_names_each_parameter,
    a_table_downloads_as_csv_with_the_same_filter,
);

async fn the_report_covers_the_last_twelve_months_by_default(backend: Backend) {
    let (app, _admin) = TestApp::new(backend).await;
    let viewer = app.user(Role::Viewer).await;
    // The tests start on 2 March 2026.
    let r = app.get("/api/v1/reports", &viewer).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["filter"]["from"], "2025-04");
    assert_eq!(r.json["filter"]["to"], "2026-03");
    let months = r.json["promises"]["by_month"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0]["month"], "2025-04");
    for section in [
        "promises",
        "tell",
        "cadence",
        "fix",
        "remedies",
        "prevention",
        "recovery",
        "failures",
    ] {
        assert!(r.json[section].is_object(), "{section} missing: {}", r.text);
    }

    let account = app
        .store
        .create_account(NewAccount {
            name: "Harbor Freight Logistics".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let narrowed = app
        .get(
            &format!(
                "/api/v1/reports?from=2026-01&to=2026-02&severity=major&origin=vendor&account={}&member={}",
                account.id, viewer.member.id
            ),
            &viewer,
        )
        .await;
    assert_eq!(narrowed.status, 200, "{}", narrowed.text);
    let filter = &narrowed.json["filter"];
    assert_eq!(filter["from"], "2026-01");
    assert_eq!(filter["to"], "2026-02");
    assert_eq!(filter["severity"], "major");
    assert_eq!(filter["origin"], "vendor");
    assert_eq!(filter["account"], account.id.0);
    assert_eq!(filter["member"], viewer.member.id.0);
    assert_eq!(
        narrowed.json["promises"]["by_month"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let anonymous = app.request("GET", "/api/v1/reports", None, None).await;
    anonymous.problem(401);
}

async fn a_filter_that_does_not_fit_names_each_parameter(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let r = app
        .get(
            "/api/v1/reports?from=2026-13&to=26-01&severity=huge&origin=martian&member=abc&account=999999",
            &admin,
        )
        .await;
    r.problem(422);
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(
        fields,
        ["account", "from", "member", "origin", "severity", "to"],
        "{}",
        r.text
    );
    assert!(r.text.contains("YYYY-MM"), "{}", r.text);
    assert!(r.text.contains("critical, major, minor"), "{}", r.text);

    let backwards = app
        .get("/api/v1/reports?from=2026-05&to=2026-01", &admin)
        .await;
    backwards.problem(422);
    assert_eq!(backwards.fields(), ["from"]);
    assert!(
        backwards
            .text
            .contains("must not be after the last month (2026-01)")
    );

    let too_long = app
        .get("/api/v1/reports?from=2000-01&to=2026-01", &admin)
        .await;
    too_long.problem(422);
    assert!(
        too_long.text.contains("at most 120 months"),
        "{}",
        too_long.text
    );

    // A parameter given with no value is refused, not read as the default.
    let empty = app.get("/api/v1/reports?to=&severity=", &admin).await;
    empty.problem(422);
    assert_eq!(empty.fields(), ["to", "severity"], "{}", empty.text);
    assert!(
        empty.text.contains("leave the parameter out"),
        "{}",
        empty.text
    );

    let unknown = app.get("/api/v1/reports?form=2026-01", &admin).await;
    unknown.problem(400);
    assert!(unknown.text.contains("form"), "{}", unknown.text);
}

async fn a_table_downloads_as_csv_with_the_same_filter(backend: Backend) {
    let (app, _admin) = TestApp::new(backend).await;
    let viewer = app.user(Role::Viewer).await;
    for path in [
        "/api/v1/reports/promises?from=2026-01&to=2026-03",
        "/api/v1/reports/promises.csv?from=2026-01&to=2026-03",
    ] {
        let r = app.get(path, &viewer).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(
            r.header("content-disposition"),
            Some("attachment; filename=\"report-promises-2026-01-to-2026-03.csv\"")
        );
        let lines: Vec<&str> = r.text.lines().collect();
        assert_eq!(
            lines[0],
            "month,kept,renegotiated,released,broken,broken_silently,ended"
        );
        assert_eq!(lines.len(), 4, "{}", r.text);
        assert!(lines[1].starts_with("2026-01,"), "{}", r.text);
        assert!(lines[3].starts_with("2026-03,"), "{}", r.text);
    }
    let timing = app.get("/api/v1/reports/timing", &viewer).await;
    assert_eq!(timing.status, 200);
    let lines: Vec<&str> = timing.text.lines().collect();
    assert_eq!(
        lines[0],
        "measure,severity,policy_minutes,count,within_policy,median_minutes,p90_minutes"
    );
    // One row per severity, for telling and for fixing.
    assert_eq!(lines.len(), 7, "{}", timing.text);
    assert!(lines[1].starts_with("tell,critical,"));
    assert!(lines[4].starts_with("fix,critical,"));
    let levels = app.get("/api/v1/reports/failures.csv", &viewer).await;
    assert_eq!(
        levels
            .text
            .lines()
            .map(|l| l.split(',').next().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["level", "idea", "prototype", "mockup", "pilot", "promise"]
    );

    let nope = app.get("/api/v1/reports/nope", &viewer).await;
    nope.problem(404);
    assert!(nope.text.contains("promises-by-member"), "{}", nope.text);
    app.get("/api/v1/reports/promises?from=nope", &viewer)
        .await
        .problem(422);
}
