//! Playbooks through the API and the pages: a broken template refused at save with its line,
//! the checklist ticked, and a template rendered with the contact's first name and the number.

use makegood_domain::playbook::PlaybookDraft;
use makegood_domain::{Playbook, Templates};
use makegood_store::backend_tests;
use makegood_store::testing::Backend;
use serde_json::json;

use crate::common::TestApp;
use crate::fixture::{Team, World};

backend_tests!(
    the_api_refuses_a_broken_template_with_its_line,
    the_api_ticks_the_checklist_and_renders_a_template,
    the_settings_form_keeps_input_and_shows_the_line,
    the_problem_page_ticks_and_prefills_the_composer,
);

/// The playbook of the fixture's problems (category `software`), made once per database.
pub async fn software_playbook(app: &TestApp) -> Playbook {
    if let Some(p) = app.store.playbook_for_category("software").await.unwrap() {
        return p;
    }
    let draft = PlaybookDraft {
        category: "software".into(),
        items: vec![
            "Call the IT director".into(),
            "Offer a re-run at our expense".into(),
        ],
        templates: Templates {
            apology: "Dear {{ contact.first_name }},\n\nwe are sorry about {{ problem.number }}: {{ problem.title }}.\n\n{{ owner.name }}".into(),
            update: "{% if promise %}{{ promise.what }} by {{ promise.due_at }}.{% else %}No date yet.{% endif %}".into(),
            ..Templates::default()
        },
    };
    app.store.create_playbook(&draft, app.now()).await.unwrap()
}

async fn the_api_refuses_a_broken_template_with_its_line(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let broken = json!({
        "category": "Print",
        "items": ["Offer a re-shoot at our expense"],
        "templates": {"apology": "Dear {{ contact.first_name }},\n{% if promise %}\nsorry"},
    });
    let refused = app.post("/api/v1/playbooks", broken, &admin).await;
    let problem = refused.problem(422);
    assert_eq!(refused.fields(), ["templates.apology"]);
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("line 2: "), "{message}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("templates.apology: line 2: "),
        "{}",
        refused.text
    );
    let unknown = app
        .post(
            "/api/v1/playbooks",
            json!({"category": "Print", "templates": {"fixed": "{{ contact.nickname }}"}}),
            &admin,
        )
        .await;
    unknown.problem(422);
    assert!(
        unknown.text.contains("line 1: unknown variable"),
        "{}",
        unknown.text
    );
    let unknown_kind = app
        .post(
            "/api/v1/playbooks",
            json!({"category": "Print", "templates": {"sorry": "x"}}),
            &admin,
        )
        .await;
    unknown_kind.problem(422);
    assert_eq!(unknown_kind.fields(), ["templates.sorry"]);

    let made = app
        .post(
            "/api/v1/playbooks",
            json!({"category": "Print", "items": ["Call", " ", "Reprint"]}),
            &admin,
        )
        .await;
    assert_eq!(made.status.as_u16(), 201, "{}", made.text);
    assert_eq!(made.json["items"], json!(["Call", "Reprint"]));
    let id = made.json["id"].as_i64().unwrap();
    app.post("/api/v1/playbooks", json!({"category": " print "}), &admin)
        .await
        .problem(409);
    let list = app.get("/api/v1/playbooks", &admin).await;
    assert_eq!(list.json["items"][0]["category"], "Print");
    let put = app.request("PUT", &format!("/api/v1/playbooks/{id}"), Some(json!({"category": "Print", "items": ["Reprint", "Call"], "templates": {"fixed": "Fixed, {{ contact.first_name }}."}})), Some(&admin.token)).await;
    assert_eq!(
        put.json["items"],
        json!(["Reprint", "Call"]),
        "{}",
        put.text
    );
    assert_eq!(
        put.json["templates"]["fixed"],
        "Fixed, {{ contact.first_name }}."
    );
    let deleted = app
        .request(
            "DELETE",
            &format!("/api/v1/playbooks/{id}"),
            None,
            Some(&admin.token),
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 204);
    app.get(&format!("/api/v1/playbooks/{id}"), &admin)
        .await
        .problem(404);
}

async fn the_api_ticks_the_checklist_and_renders_a_template(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let number = world.problem.problem.number;
    let base = format!("/api/v1/problems/{number}");
    let list = app.get(&format!("{base}/checklist"), &team.viewer).await;
    assert_eq!(
        (list.json["done"].as_u64(), list.json["total"].as_u64()),
        (Some(0), Some(2)),
        "{}",
        list.text
    );
    assert_eq!(list.json["problem"], number.to_string());
    let done = app
        .request(
            "POST",
            &format!("{base}/checklist/2/done"),
            None,
            Some(&team.agent.token),
        )
        .await;
    assert_eq!(done.json["done"], 1, "{}", done.text);
    assert_eq!(done.json["items"][1]["done"]["by"], team.agent.member.id.0);
    app.request(
        "POST",
        &format!("{base}/checklist/3/done"),
        None,
        Some(&team.agent.token),
    )
    .await
    .problem(404);
    app.request(
        "POST",
        &format!("{base}/checklist/2/done"),
        None,
        Some(&team.viewer.token),
    )
    .await
    .problem(403);
    let undone = app
        .request(
            "POST",
            &format!("{base}/checklist/2/undone"),
            None,
            Some(&team.agent.token),
        )
        .await;
    assert_eq!(undone.json["done"], 0);
    let timeline = app.get(&format!("{base}/timeline"), &team.agent).await;
    let types: Vec<_> = timeline.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .filter(|t| t.starts_with("checklist"))
        .collect();
    assert_eq!(types, ["checklist_item_done", "checklist_item_undone"]);

    let rendered = app
        .post(
            &format!("{base}/templates/apology/render"),
            json!({"contact": world.contact.id}),
            &team.agent,
        )
        .await;
    let body = rendered.json["body"].as_str().unwrap_or_default();
    assert!(body.starts_with("Dear Carla,"), "{}", rendered.text);
    assert!(
        body.contains(&format!("sorry about {number}: Invoices fail")),
        "{body}"
    );
    // The fixture's promises are due in 48 h (app time 2026-03-02 09:00 UTC; members in UTC).
    let update = app
        .post(
            &format!("{base}/templates/update/render"),
            json!({}),
            &team.agent,
        )
        .await;
    assert_eq!(
        update.json["body"], "Daily status by email by Wednesday 4 March 2026, 09:00 UTC.",
        "{}",
        update.text
    );
    app.post(
        &format!("{base}/templates/fixed/render"),
        json!({}),
        &team.agent,
    )
    .await
    .problem(404);
    app.post(
        &format!("{base}/templates/sorry/render"),
        json!({}),
        &team.agent,
    )
    .await
    .problem(400);
    let other = app
        .post(
            &format!("{base}/templates/apology/render"),
            json!({"contact": 999_999}),
            &team.agent,
        )
        .await;
    assert_eq!(other.fields(), ["contact"]);
}

async fn the_settings_form_keeps_input_and_shows_the_line(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let mut browser = app.browser(team.admin.member.clone()).await;
    let refused = browser
        .post(
            "/settings/playbooks",
            &[
                ("category", "Print"),
                (
                    "items",
                    "Call the IT director\nOffer a re-shoot at our expense",
                ),
                (
                    "apology",
                    "Dear {{ contact.first_name }},\n\n{{ contact.nickname }}",
                ),
            ],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.text);
    assert!(
        refused
            .text
            .contains("id=\"template-apology-error\">line 3: unknown variable"),
        "{}",
        refused.text
    );
    assert!(
        refused
            .text
            .contains("Offer a re-shoot at our expense</textarea>")
    );
    assert!(refused.text.contains("value=\"Print\""));
    assert!(app.store.list_playbooks().await.unwrap().is_empty());

    let saved = browser
        .submit(
            "/settings/playbooks",
            &[
                ("category", "Print"),
                (
                    "items",
                    "Call the IT director\n\nOffer a re-shoot at our expense",
                ),
                ("apology", "Dear {{ contact.first_name }}"),
            ],
        )
        .await;
    assert!(
        saved.text.contains("Playbook for “Print” saved."),
        "{}",
        saved.text
    );
    assert!(saved.text.contains("2 items"));
    let id = app.store.list_playbooks().await.unwrap()[0].id;
    let edit = browser.get(&format!("/settings/playbooks/{id}")).await;
    assert!(
        edit.text
            .contains("Call the IT director\nOffer a re-shoot at our expense</textarea>"),
        "{}",
        edit.text
    );
    let deleted = browser
        .submit(&format!("/settings/playbooks/{id}/delete"), &[])
        .await;
    assert!(
        deleted.text.contains("Playbook for “Print” deleted."),
        "{}",
        deleted.text
    );
    let mut agent = app.browser(team.agent.member.clone()).await;
    assert_eq!(agent.get("/settings/playbooks").await.status.as_u16(), 403);
}

async fn the_problem_page_ticks_and_prefills_the_composer(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let number = world.problem.problem.number;
    let mut browser = app.browser(team.agent.member.clone()).await;
    let page = browser.get(&format!("/problems/{number}")).await;
    assert!(page.text.contains("0 of 2 done"), "{}", page.text);
    assert!(
        page.text
            .contains(&format!("action=\"/problems/{number}/checklist/1/done\""))
    );
    let ticked = browser
        .submit(
            &format!("/problems/{number}/checklist/1/done"),
            &[("item", "Call the IT director")],
        )
        .await;
    assert!(
        ticked
            .text
            .contains("Done: “Call the IT director” — 1 of 2 done"),
        "{}",
        ticked.text
    );
    assert!(
        ticked
            .text
            .contains("ticked off “Call the IT director” on the checklist")
    );
    // A stale form (the playbook moved the item) ticks nothing and says so.
    let stale = browser
        .submit(
            &format!("/problems/{number}/checklist/2/done"),
            &[("item", "Call the IT director")],
        )
        .await;
    assert!(
        stale.text.contains("The checklist changed"),
        "{}",
        stale.text
    );
    assert!(stale.text.contains("1 of 2 done"));

    let contact = world.contact.id;
    let composed = browser
        .get(&format!(
            "/problems/{number}?template=apology&contact={contact}"
        ))
        .await;
    assert!(
        composed.text.contains(&format!(
            "Dear Carla,\n\nwe are sorry about {number}: Invoices fail."
        )),
        "{}",
        composed.text
    );
    assert!(composed.text.contains("id=\"kind-update\" checked"));
    let missing = browser
        .get(&format!("/problems/{number}?template=fixed"))
        .await;
    assert!(
        missing
            .text
            .contains("role=\"alert\">Template of this kind"),
        "{}",
        missing.text
    );
    let mut viewer = app.browser(team.viewer.member.clone()).await;
    let read_only = viewer.get(&format!("/problems/{number}")).await;
    assert!(read_only.text.contains("0 of 2 done") || read_only.text.contains("1 of 2 done"));
    assert!(!read_only.text.contains("/checklist/1/"));
}
