//! `POST /api/v1/inbound/email`: raw or JSON, admins' tokens, problem+json on refusal.

use axum::body::Body;
use axum::http::{Request, header};
use makegood_domain::{Email, Origin, Role, Severity};
use makegood_store::testing::Backend;
use makegood_store::{Actor, NewAccount, NewContact, NewProblem, backend_tests};
use serde_json::json;

use crate::common::{TestApp, User};

fn raw_request(body: &str, content_type: &str, user: &User) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri("/api/v1/inbound/email")
        .header(header::AUTHORIZATION, format!("Bearer {}", user.token))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

backend_tests!(inbound_email_threads_holds_and_refuses);

async fn inbound_email_threads_holds_and_refuses(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let store = &app.store;
    let account = store
        .create_account(NewAccount {
            name: "Brightline".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    let priya = store
        .create_contact(NewContact {
            account: account.id,
            name: "Priya Shah".into(),
            role_title: "Controller".into(),
            email: Some(Email::parse("priya@brightline.example").unwrap()),
            phone: None,
        })
        .await
        .unwrap();
    let problem = store
        .create_problem(
            Actor {
                member: admin.member.id,
                now: app.now(),
            },
            NewProblem {
                title: "The app is down".into(),
                description: String::new(),
                origin: Origin::Ours,
                vendor: None,
                severity: Severity::Major,
                category: "software".into(),
                owner: admin.member.id,
                accounts: vec![account.id],
                stakeholders: vec![priya.id],
                include_locations: false,
                all_stakeholders: false,
                detected_at: None,
            },
        )
        .await
        .unwrap()
        .problem;
    let number = problem.number;
    let message = format!(
        "From: Priya Shah <priya@brightline.example>\r\nSubject: Re: [{number}] The app\r\n\
         Message-ID: <p1@brightline.example>\r\n\r\nIt works now, thanks!\r\n\r\n-- \r\nPriya\r\n"
    );

    let r = app
        .send(raw_request(&message, "message/rfc822", &admin))
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.json["outcome"], "threaded");
    assert_eq!(r.json["problem"], problem.id.0);
    let timeline = app
        .get(&format!("/api/v1/problems/{number}/timeline"), &admin)
        .await;
    let reply = timeline.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "customer_replied")
        .cloned();
    assert_eq!(reply.unwrap()["body"], "It works now, thanks!");

    // The same message as JSON is the same message: recorded once.
    let again = app
        .post("/api/v1/inbound/email", json!({"raw": message}), &admin)
        .await;
    assert_eq!(
        (again.status.as_u16(), again.json["outcome"].as_str()),
        (200, Some("duplicate"))
    );

    let stranger = app
        .post(
            "/api/v1/inbound/email",
            json!({"raw": "From: who@else.example\r\nSubject: hi\r\n\r\nhello"}),
            &admin,
        )
        .await;
    assert_eq!(stranger.json["outcome"], "held", "{}", stranger.text);
    assert_eq!(
        stranger.json["reason"],
        "who@else.example is not a contact of any account"
    );

    let detail = app
        .send(raw_request(&message, "text/html", &admin))
        .await
        .problem(415)["detail"]
        .clone();
    assert!(
        detail.as_str().unwrap().contains("message/rfc822"),
        "{detail}"
    );
    app.send(raw_request("", "message/rfc822", &admin))
        .await
        .problem(400);
    app.post(
        "/api/v1/inbound/email",
        json!({"raw": message, "extra": 1}),
        &admin,
    )
    .await
    .problem(400);
    let agent = app.user(Role::Agent).await;
    app.send(raw_request(&message, "message/rfc822", &agent))
        .await
        .problem(403);
    let huge = format!("Subject: big\r\n\r\n{}", "x".repeat(26 * 1024 * 1024));
    app.send(raw_request(&huge, "message/rfc822", &admin))
        .await
        .problem(413);
}
