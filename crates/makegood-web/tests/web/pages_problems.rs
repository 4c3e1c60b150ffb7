//! The Problems list (filters, search, sorting, pagination in the URL) and the new-problem form.

use makegood_domain::EventKind;
use makegood_store::backend_tests;
use makegood_store::testing::Backend;

use crate::common::TestApp;
use crate::fixture::{Team, World};

backend_tests!(
    problems_filter_and_search_through_the_url,
    problems_page_with_the_filters_kept,
    recording_a_problem_keeps_input_and_shows_errors_beside_fields,
    viewers_cannot_record_problems_and_forms_need_the_csrf_token,
);

async fn problems_filter_and_search_through_the_url(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let agent = makegood_store::Actor {
        member: team.agent.member.id,
        now: app.now(),
    };
    app.store
        .record(
            agent,
            world.waiting.problem.id,
            None,
            EventKind::Note {
                body: "The kangaroo ate the patch".into(),
            },
        )
        .await
        .unwrap();
    let mut browser = app.browser(team.supervisor.member.clone()).await;
    let all = browser.get("/problems").await;
    assert_eq!(all.status, 200, "{}", all.text);
    for title in ["Invoices fail", "Waiting one", "Fixed one", "Theirs"] {
        assert!(all.text.contains(title), "{title} in {}", all.text);
    }
    assert!(all.text.contains(r#"<input id="q" name="q" type="search""#));
    assert!(
        all.text
            .contains(r#"<a class="button" href="/problems/new">New problem</a>"#)
    );

    let mine = browser.get("/problems?owner=me").await;
    assert!(
        mine.text.contains("Theirs") && !mine.text.contains("Invoices fail"),
        "{}",
        mine.text
    );
    assert!(
        mine.text
            .contains(r#"<option value="me" selected>Me</option>"#),
        "the filter is shown as chosen"
    );
    let fixed = browser.get("/problems?status=fixed").await;
    assert!(
        fixed.text.contains("Fixed one") && !fixed.text.contains("Waiting one"),
        "{}",
        fixed.text
    );
    let searched = browser.get("/problems?q=Kangaroo").await;
    assert!(
        searched.text.contains("Waiting one") && !searched.text.contains("Invoices fail"),
        "notes are searched: {}",
        searched.text
    );
    assert!(
        searched.text.contains(r#"value="Kangaroo""#),
        "the search box keeps the words"
    );
    let title = browser
        .get("/problems?q=invoices&open=true&sort=severity")
        .await;
    assert!(
        title.text.contains("Invoices fail") && !title.text.contains("Theirs"),
        "{}",
        title.text
    );

    let nothing = browser.get("/problems?q=zebra").await;
    assert!(
        nothing
            .text
            .contains("No problems match these filters and the search “zebra”"),
        "{}",
        nothing.text
    );
    assert!(
        nothing
            .text
            .contains(r#"<a href="/problems">Clear the filters</a>"#)
    );
    assert_eq!(browser.get("/problems?status=lost").await.status, 400);
    assert_eq!(browser.get("/problems?sort=sideways").await.status, 400);
}

async fn problems_page_with_the_filters_kept(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let actor = makegood_store::Actor {
        member: team.admin.member.id,
        now: app.now(),
    };
    for i in 0..30 {
        let mut new = makegood_store::NewProblem {
            title: format!("Batch {i:02}"),
            description: String::new(),
            origin: makegood_domain::Origin::Ours,
            vendor: None,
            severity: makegood_domain::Severity::Minor,
            category: String::new(),
            owner: team.agent.member.id,
            accounts: vec![world.account.id],
            stakeholders: vec![],
            detected_at: None,
            include_locations: false,
            all_stakeholders: false,
        };
        new.title = format!("Batch {i:02}");
        app.store.create_problem(actor, new).await.unwrap();
    }
    let mut browser = app.browser(team.admin.member.clone()).await;
    let first = browser.get("/problems?q=batch&sort=oldest").await;
    assert!(
        first.text.contains("Batch 00") && first.text.contains("Batch 24"),
        "{}",
        first.text
    );
    assert!(
        !first.text.contains("Batch 25") && !first.text.contains("First page"),
        "{}",
        first.text
    );
    let next = first
        .text
        .split(r#"<a href=""#)
        .find_map(|s| {
            s.split_once(r#"" rel="next">Next page</a>"#)
                .map(|(href, _)| href.replace("&#38;", "&"))
        })
        .unwrap();
    assert!(
        next.starts_with("/problems?q=batch&sort=oldest&cursor="),
        "{next}"
    );
    let second = browser.get(&next).await;
    assert!(
        second.text.contains("Batch 25") && second.text.contains("Batch 29"),
        "{}",
        second.text
    );
    assert!(!second.text.contains("Batch 24"), "{}", second.text);
    assert!(!second.text.contains("Next page"));
    assert!(
        second
            .text
            .contains(r#"<a href="/problems?q=batch&#38;sort=oldest">First page</a>"#),
        "{}",
        second.text
    );
}

async fn recording_a_problem_keeps_input_and_shows_errors_beside_fields(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut agent = app.browser(team.agent.member.clone()).await;
    let form = agent.get("/problems/new").await;
    assert_eq!(form.status, 200, "{}", form.text);
    assert!(form.text.contains(r#"<label for="title">Title</label>"#));
    assert!(form.text.contains(r#"type="datetime-local""#));
    assert!(
        form.text.contains("Carla Controller (Controller)"),
        "contacts grouped by account: {}",
        form.text
    );

    let account = world.account.id.to_string();
    let contact = world.contact.id.to_string();
    let invalid = agent
        .post(
            "/problems/new",
            &[
                ("title", "  "),
                ("description", "Totals doubled"),
                ("origin", "ours"),
                ("severity", "major"),
                ("detected_at", "2999-01-01T10:00"),
            ],
        )
        .await;
    assert_eq!(invalid.status, 422, "{}", invalid.text);
    assert!(
        invalid
            .text
            .contains(r#"<p class="error" id="title-error">"#),
        "{}",
        invalid.text
    );
    assert!(
        invalid
            .text
            .contains("choose at least one affected account"),
        "{}",
        invalid.text
    );
    assert!(
        invalid.text.contains("must not be in the future"),
        "{}",
        invalid.text
    );
    assert!(
        invalid.text.contains(">Totals doubled</textarea>"),
        "input kept: {}",
        invalid.text
    );
    assert!(
        invalid.text.contains(r#"value="2999-01-01T10:00""#),
        "input kept"
    );

    // The store's own checks land beside their fields too: a vendor origin needs a vendor.
    let no_vendor = agent
        .post(
            "/problems/new",
            &[
                ("title", "Feed broken"),
                ("origin", "vendor"),
                ("severity", "major"),
                ("accounts", &account),
            ],
        )
        .await;
    assert_eq!(no_vendor.status, 422, "{}", no_vendor.text);
    assert!(
        no_vendor.text.contains(
            r#"<p class="error" id="vendor-error">is required when the origin is vendor</p>"#
        ),
        "{}",
        no_vendor.text
    );
    assert!(no_vendor.text.contains(r#"value="Feed broken""#));

    let owner = team.supervisor.member.id.to_string();
    let created = agent
        .post(
            "/problems/new",
            &[
                ("title", "Totals doubled"),
                ("origin", "ours"),
                ("severity", "critical"),
                ("owner", &owner),
                ("accounts", &account),
                ("stakeholders", &contact),
                ("category", "billing"),
                ("detected_at", ""),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.text);
    assert_eq!(created.header("location"), Some("/problems/MG-5"));
    let view = app
        .store
        .problem(makegood_domain::ProblemId(5), app.now())
        .await
        .unwrap();
    assert_eq!(view.problem.title, "Totals doubled");
    assert_eq!(view.problem.owner, team.supervisor.member.id);
    assert_eq!(view.problem.stakeholders, vec![world.contact.id]);
    let listed = agent.get("/problems").await;
    assert!(
        listed.text.contains("Recorded MG-5: Totals doubled."),
        "the flash: {}",
        listed.text
    );
}

async fn viewers_cannot_record_problems_and_forms_need_the_csrf_token(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let team = Team::new(&app, admin).await;
    let world = World::new(&app, &team).await;
    let mut viewer = app.browser(team.viewer.member.clone()).await;
    assert_eq!(viewer.get("/problems/new").await.status, 403);
    let account = world.account.id.to_string();
    let form = [
        ("title", "Nope"),
        ("origin", "ours"),
        ("severity", "minor"),
        ("accounts", account.as_str()),
    ];
    assert_eq!(viewer.post("/problems/new", &form).await.status, 403);
    let list = viewer.get("/problems").await;
    assert_eq!(list.status, 200);
    assert!(
        !list.text.contains("/problems/new"),
        "no New problem button for viewers"
    );

    let mut agent = app.browser(team.agent.member.clone()).await;
    assert_eq!(agent.post_raw("/problems/new", &form).await.status, 403);
    let mut forged = form.to_vec();
    forged.push(("csrf_token", "guess"));
    assert_eq!(agent.post_raw("/problems/new", &forged).await.status, 403);
    assert_eq!(
        app.store
            .list_problems(&Default::default(), &Default::default(), app.now())
            .await
            .unwrap()
            .items
            .len(),
        4
    );
}
