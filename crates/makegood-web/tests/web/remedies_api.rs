//! The remedies API: the issue's example, approval by authority (403 when too low), If-Match,
//! rejection with a reason, delivery, the vendor's share, the approval queue, duties and
//! Idempotency-Key on proposals.

use axum::body::Body;
use axum::http::{Request, header};
use jiff::SignedDuration;
use makegood_domain::Role;
use makegood_store::testing::Backend;
use makegood_store::{MemberPatch, backend_tests};
use serde_json::{Value, json};

use crate::common::{Resp, TestApp, User};
use crate::fixture::{Team, World};
use crate::fixture_remedies::eur;

backend_tests!(
    the_issues_reprint_through_the_api,
    decisions_need_authority_a_reason_and_the_current_version,
    delivery_and_the_vendors_share,
    proposals_are_checked_and_idempotent,
);

/// A supervisor with `authority` cents of EUR.
async fn lead(app: &TestApp, authority: i64) -> User {
    let user = app.user(Role::Supervisor).await;
    set_authority(app, &user, authority).await
}

async fn set_authority(app: &TestApp, user: &User, authority: i64) -> User {
    let member = app
        .store
        .update_member(
            user.member.id,
            MemberPatch {
                remedy_authority: Some(eur(authority)),
                ..MemberPatch::default()
            },
        )
        .await
        .unwrap();
    User {
        member,
        token: user.token.clone(),
    }
}

async fn send(
    app: &TestApp,
    path: &str,
    body: Option<Value>,
    user: &User,
    headers: &[(&str, &str)],
) -> Resp {
    let mut request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", user.token))
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.send(request.body(body).unwrap()).await
}

fn reprint(cost: i64, share: Option<(i64, i64)>) -> Value {
    let mut body = json!({
        "kind": "redo",
        "description": "We reprint the 500 brochures at our cost",
        "cost": {"minor": cost, "currency": "EUR"},
    });
    if let Some((vendor, amount)) = share {
        body["vendor_share"] =
            json!({"vendor": vendor, "amount": {"minor": amount, "currency": "EUR"}});
    }
    body
}

async fn the_issues_reprint_through_the_api(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let path = format!("/api/v1/problems/{}/remedies", world.problem.problem.number);
    // The account manager (an agent) has an authority of 1,000.00.
    let waiting = app.post(&path, reprint(200_000, None), &team.agent).await;
    assert_eq!(waiting.status, 201, "{}", waiting.text);
    assert_eq!(waiting.header("etag"), Some("\"1\""));
    assert_eq!(waiting.json["status"]["state"], "awaiting_approval");
    assert_eq!(
        waiting.json["net_cost"],
        json!({"minor": 200_000, "currency": "EUR"})
    );
    assert_eq!(waiting.json["approval"]["state"], "ok");
    assert_eq!(waiting.json["approval_required"], true);

    let shared = app
        .post(
            &path,
            reprint(200_000, Some((world.vendor.id.0, 120_000))),
            &team.agent,
        )
        .await;
    assert_eq!(shared.status, 201, "{}", shared.text);
    assert_eq!(shared.json["status"]["state"], "approved");
    assert_eq!(shared.json["net_cost"]["minor"], 80_000);
    assert_eq!(shared.json["approval"], Value::Null);
    assert_eq!(shared.json["vendor_share"]["received"], false);

    let id = waiting.json["id"].as_i64().unwrap();
    let queue = app
        .get(
            "/api/v1/remedies?state=awaiting_approval&limit=10",
            &team.viewer,
        )
        .await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    let ids: Vec<i64> = queue.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [world.remedies.awaiting.remedy.id.0, id]);
    let listed = app.get(&path, &team.viewer).await;
    assert_eq!(listed.json["items"].as_array().unwrap().len(), 2);

    // The supervisor whose authority covers it has a duty to decide it.
    let boss = lead(&app, 500_000).await;
    let duties = app.get("/api/v1/duties", &boss).await;
    let summaries: Vec<&str> = duties.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "approval")
        .map(|d| d["summary"].as_str().unwrap())
        .collect();
    let number = world.problem.problem.number;
    assert!(summaries.contains(&format!("Approve the redo for Northwind on {number} (EUR 2,000.00): We reprint the 500 brochures at our cost").as_str()), "{summaries:?}");

    app.advance(SignedDuration::from_hours(1));
    let approved = send(
        &app,
        &format!("/api/v1/remedies/{id}/approve"),
        None,
        &boss,
        &[("if-match", "\"1\"")],
    )
    .await;
    assert_eq!(approved.status, 200, "{}", approved.text);
    assert_eq!(approved.header("etag"), Some("\"2\""));
    assert_eq!(approved.json["status"]["by"], boss.member.id.0);
    assert_eq!(approved.json["approval"]["state"], "met");
    let got = app
        .get(&format!("/api/v1/remedies/{id}"), &team.viewer)
        .await;
    assert_eq!(got.json, approved.json);
    let timeline = app
        .get(&format!("/api/v1/problems/{number}/timeline"), &team.viewer)
        .await;
    let kinds: Vec<&str> = timeline.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.ends_with(&["remedy_proposed", "remedy_proposed", "remedy_approved"]),
        "{kinds:?}"
    );
}

async fn decisions_need_authority_a_reason_and_the_current_version(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let path = format!("/api/v1/problems/{}/remedies", world.problem.problem.number);
    let id = app
        .post(&path, reprint(200_000, None), &team.agent)
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let approve = format!("/api/v1/remedies/{id}/approve");

    let low = lead(&app, 150_000).await;
    let refused = send(&app, &approve, None, &low, &[]).await;
    let detail = refused.problem(403)["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains(
            "your remedy authority of EUR 1,500.00 does not cover its net cost of EUR 2,000.00"
        ),
        "{detail}"
    );
    send(&app, &approve, None, &team.agent, &[])
        .await
        .problem(403);

    let high = lead(&app, 500_000).await;
    let stale = send(&app, &approve, None, &high, &[("if-match", "\"5\"")]).await;
    stale.problem(412);

    let reject = format!("/api/v1/remedies/{id}/reject");
    let reasonless = send(&app, &reject, Some(json!({"reason": " "})), &low, &[]).await;
    reasonless.problem(422);
    assert_eq!(reasonless.fields(), ["reason"]);
    let rejected = send(
        &app,
        &reject,
        Some(json!({"reason": "a discount will do"})),
        &low,
        &[],
    )
    .await;
    assert_eq!(rejected.status, 200, "{}", rejected.text);
    assert_eq!(rejected.json["status"]["reason"], "a discount will do");
    let again = send(&app, &approve, None, &high, &[]).await;
    assert!(
        again.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("rejected, not awaiting approval")
    );
    let missing = send(&app, "/api/v1/remedies/9999/approve", None, &high, &[]).await;
    missing.problem(404);
}

async fn delivery_and_the_vendors_share(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let id = world.remedies.approved.remedy.id.0;
    let deliver = format!("/api/v1/remedies/{id}/deliver");
    app.advance(SignedDuration::from_hours(2));
    let future = app.in_hours(1);
    let refused = send(
        &app,
        &deliver,
        Some(json!({"delivered_at": future})),
        &team.agent,
        &[],
    )
    .await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["delivered_at"]);
    let naive = send(
        &app,
        &deliver,
        Some(json!({"delivered_at": "2026-03-02T10:00:00"})),
        &team.agent,
        &[],
    )
    .await;
    naive.problem(422);
    let earlier = app.in_hours(-1);
    let delivered = send(
        &app,
        &deliver,
        Some(json!({"delivered_at": earlier})),
        &team.agent,
        &[],
    )
    .await;
    assert_eq!(delivered.status, 200, "{}", delivered.text);
    assert_eq!(delivered.json["status"]["state"], "delivered");
    assert_eq!(delivered.json["status"]["at"], earlier);
    send(&app, &deliver, None, &team.agent, &[])
        .await
        .problem(409);

    let outstanding = app
        .get("/api/v1/remedies?share_outstanding=true", &team.viewer)
        .await;
    assert_eq!(outstanding.json["items"][0]["id"], id);
    let receive = format!("/api/v1/remedies/{id}/receive-vendor-share");
    let received = send(&app, &receive, None, &team.agent, &[]).await;
    assert_eq!(received.status, 200, "{}", received.text);
    assert_eq!(received.json["vendor_share"]["received"], true);
    assert_eq!(
        received.json["vendor_share_received_at"],
        app.now().to_string()
    );
    let outstanding = app
        .get("/api/v1/remedies?share_outstanding=true", &team.viewer)
        .await;
    assert!(outstanding.json["items"].as_array().unwrap().is_empty());
    // Without a body, delivery is recorded now.
    let other = world.remedies.awaiting.remedy.id.0;
    send(
        &app,
        &format!("/api/v1/remedies/{other}/approve"),
        None,
        &team.supervisor,
        &[],
    )
    .await;
    let now = send(
        &app,
        &format!("/api/v1/remedies/{other}/deliver"),
        None,
        &team.agent,
        &[],
    )
    .await;
    assert_eq!(now.status, 200, "{}", now.text);
    assert_eq!(now.json["status"]["at"], app.now().to_string());
    let no_share = send(
        &app,
        &format!("/api/v1/remedies/{other}/receive-vendor-share"),
        None,
        &team.agent,
        &[],
    )
    .await;
    assert!(
        no_share.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("no vendor share")
    );
}

async fn proposals_are_checked_and_idempotent(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let path = format!("/api/v1/problems/{}/remedies", world.problem.problem.number);
    let bad = app
        .post(
            &path,
            json!({"kind": "redo", "description": "", "cost": {"minor": -5, "currency": "EUR"}}),
            &team.agent,
        )
        .await;
    bad.problem(422);
    assert_eq!(bad.fields(), ["description", "cost"]);
    let more = app
        .post(
            &path,
            reprint(1_000, Some((world.vendor.id.0, 2_000))),
            &team.agent,
        )
        .await;
    more.problem(422);
    assert_eq!(more.fields(), ["vendor_share.amount"]);
    let unknown = app
        .post(&path, reprint(1_000, Some((9_999, 500))), &team.agent)
        .await;
    assert_eq!(
        unknown.problem(422)["errors"][0]["message"],
        "vendor 9999 does not exist"
    );
    let kind = app
        .post(
            &path,
            json!({"kind": "hug", "description": "x", "cost": {"minor": 1, "currency": "EUR"}}),
            &team.agent,
        )
        .await;
    kind.problem(422);
    app.post(
        "/api/v1/problems/MG-999/remedies",
        reprint(1_000, None),
        &team.agent,
    )
    .await
    .problem(404);
    app.post(&path, reprint(1_000, None), &team.viewer)
        .await
        .problem(403);

    let key = [("idempotency-key", "reprint-1")];
    let first = send(&app, &path, Some(reprint(5_000, None)), &team.agent, &key).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = send(&app, &path, Some(reprint(5_000, None)), &team.agent, &key).await;
    assert_eq!(
        (again.status.as_u16(), again.header("idempotent-replayed")),
        (201, Some("true"))
    );
    assert_eq!(again.json, first.json);
    let all = app.get(&path, &team.viewer).await;
    assert_eq!(
        all.json["items"].as_array().unwrap().len(),
        1,
        "the retry proposed nothing"
    );
}
