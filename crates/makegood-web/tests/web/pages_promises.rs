//! The promise ledger: tabs by state, filters, keyset pages, and the reliability tables.

use jiff::SignedDuration;
use makegood_domain::{Contact, Member, Role};
use makegood_store::testing::Backend;
use makegood_store::{Actor, NewAccount, NewContact, NewPromise, backend_tests};

use crate::common::TestApp;

backend_tests!(
    the_ledger_lists_promises_by_state_with_filters,
    the_reliability_tables_count_kept_renegotiated_and_broken,
    the_ledger_pages_through_many_promises,
);

/// Acme with its contact Ann.
async fn acme(app: &TestApp, name: &str) -> Contact {
    let account = app
        .store
        .create_account(NewAccount {
            name: name.into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    app.store
        .create_contact(NewContact {
            account: account.id,
            name: format!("Ann of {name}"),
            role_title: "Controller".into(),
            email: None,
            phone: None,
        })
        .await
        .unwrap()
}

async fn promise(app: &TestApp, by: &Member, to: &Contact, what: &str, hours: i64) -> i64 {
    let actor = Actor {
        member: by.id,
        now: app.now(),
    };
    let new = NewPromise {
        what: what.into(),
        contacts: vec![to.id],
        made_by: by.id,
        problem: None,
        due_at: app.now() + SignedDuration::from_hours(hours),
    };
    app.store
        .create_promise(actor, new)
        .await
        .unwrap()
        .promise
        .id
        .0
}

async fn the_ledger_lists_promises_by_state_with_filters(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let ann = acme(&app, "Acme").await;
    let bob = acme(&app, "Globex").await;
    promise(&app, &agent.member, &ann, "Send the corrected invoices", 10).await;
    promise(
        &app,
        &admin.member,
        &bob,
        "Call back with the root cause",
        2,
    )
    .await;
    app.advance(SignedDuration::from_hours(3));

    let mut browser = app.browser(agent.member.clone()).await;
    let open = browser.get("/promises").await;
    assert_eq!(open.status, 200, "{}", open.text);
    assert!(
        open.text
            .contains(r#"<a href="/promises" aria-current="page">Promises</a>"#)
    );
    assert!(
        open.text.contains("Send the corrected invoices"),
        "{}",
        open.text
    );
    assert!(open.text.contains("Ann of Acme (Acme)"));
    assert!(open.text.contains(r#"data-countdown="left""#));
    // Past due, so broken: not under Open.
    assert!(!open.text.contains("Call back with the root cause"));

    let broken = browser.get("/promises?state=broken").await;
    assert!(
        broken.text.contains("Call back with the root cause"),
        "{}",
        broken.text
    );
    assert!(
        broken
            .text
            .contains(r#"<span class="badge broken">broken</span>"#)
    );
    assert!(!broken.text.contains("Send the corrected invoices"));
    assert!(broken.text.contains(r#"aria-current="page">Broken</a>"#));

    // Filters: my broken promises (none), and by account.
    let mine = browser.get("/promises?state=broken&member=me").await;
    assert!(
        mine.text.contains("No broken promises — keep it that way."),
        "{}",
        mine.text
    );
    assert!(mine.text.contains("Only promises matching the filters"));
    let by_admin = browser
        .get(&format!(
            "/promises?state=broken&member={}",
            admin.member.id
        ))
        .await;
    assert!(by_admin.text.contains("Call back with the root cause"));
    let acme_broken = browser
        .get(&format!("/promises?state=broken&account={}", ann.account))
        .await;
    assert!(!acme_broken.text.contains("Call back with the root cause"));
    let globex = browser
        .get(&format!("/promises?state=broken&account={}", bob.account))
        .await;
    assert!(globex.text.contains("Call back with the root cause"));

    let kept = browser.get("/promises?state=kept").await;
    assert!(kept.text.contains("No kept promises yet"), "{}", kept.text);
    let bad = browser.get("/promises?member=nobody").await;
    assert_eq!(bad.status, 400);
}

async fn the_reliability_tables_count_kept_renegotiated_and_broken(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let agent = app.user(Role::Agent).await;
    let ann = acme(&app, "Acme").await;
    let actor = Actor {
        member: agent.member.id,
        now: app.now(),
    };
    // The agent: one kept, one renegotiated (its successor open), one broken: 33.3 % each.
    let kept = promise(&app, &agent.member, &ann, "Kept one", 10).await;
    app.store
        .keep_promise(actor, makegood_domain::PromiseId(kept), None)
        .await
        .unwrap();
    let moved = promise(&app, &agent.member, &ann, "Moved one", 10).await;
    app.store
        .renegotiate_promise(
            actor,
            makegood_domain::PromiseId(moved),
            None,
            app.now() + SignedDuration::from_hours(48),
            "the data arrives late",
        )
        .await
        .unwrap();
    promise(&app, &agent.member, &ann, "Broken one", 1).await;
    // The admin: one released; nothing decided, so no rates.
    let waived = promise(&app, &admin.member, &ann, "Waived one", 10).await;
    app.store
        .release_promise(
            actor,
            makegood_domain::PromiseId(waived),
            None,
            "not needed",
        )
        .await
        .unwrap();
    app.advance(SignedDuration::from_hours(2));

    let mut browser = app.browser(admin.member.clone()).await;
    let page = browser.get("/promises?period=30").await;
    assert_eq!(page.status, 200, "{}", page.text);
    let text = &page.text;
    let agent_row = row_of(text, &format!(">{}</a></th>", agent.member.name));
    for cell in [
        r#"Kept on time: </span>1 <span class="rate">(33.3%)</span>"#,
        r#"Renegotiated in time: </span>1 <span class="rate">(33.3%)</span>"#,
        r#"Broken: </span>1 <span class="rate">(33.3%)</span>"#,
        r#"Open: </span>1</td>"#,
    ] {
        assert!(agent_row.contains(cell), "{cell} missing in {agent_row}");
    }
    assert!(agent_row.contains("has-broken"));
    let admin_row = row_of(text, &format!(">{}</a></th>", admin.member.name));
    assert!(
        admin_row.contains(r#"Released: </span>1</td>"#),
        "{admin_row}"
    );
    assert!(
        admin_row.contains(r#"<span class="rate">(–)</span>"#),
        "{admin_row}"
    );
    // By account: all five promises were made to Ann at Acme.
    let acme_row = row_of(text, ">Acme</a></th>");
    assert!(
        acme_row.contains(r#"Released: </span>1</td>"#),
        "{acme_row}"
    );
    assert!(acme_row.contains(r#"Kept on time: </span>1 <span class="rate">(33.3%)</span>"#));
    assert!(text.contains(r#"aria-current="page">Last 30 days</a>"#));

    // Forty days on, nothing fell due in the last 30 days.
    app.advance(SignedDuration::from_hours(24 * 40));
    let mut browser = app.browser(admin.member.clone()).await;
    let recent = browser.get("/promises?period=30").await;
    assert!(recent.text.contains("No promises were due in this period."));
    let all = browser.get("/promises?period=all").await;
    assert!(row_of(&all.text, &format!(">{}</a></th>", agent.member.name)).contains("has-broken"));
}

/// The `<tr>` of a reliability table that mentions `name`.
fn row_of<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(name)
        .unwrap_or_else(|| panic!("{name} not in {html}"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

async fn the_ledger_pages_through_many_promises(backend: Backend) {
    let (app, admin) = TestApp::new(backend).await;
    let ann = acme(&app, "Acme").await;
    for i in 0..27 {
        promise(
            &app,
            &admin.member,
            &ann,
            &format!("Promise number {i:02}"),
            10 + i,
        )
        .await;
    }
    let mut browser = app.browser(admin.member.clone()).await;
    let first = browser.get("/promises?state=open").await;
    assert!(first.text.contains("Promise number 24"));
    assert!(!first.text.contains("Promise number 25"));
    let next = first
        .text
        .split(r#"<a href=""#)
        .find_map(|s| {
            s.split_once(r#"" rel="next">"#)
                .map(|(href, _)| href.replace("&#38;", "&").replace("&amp;", "&"))
        })
        .unwrap();
    let second = browser.get(&next).await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert!(
        second.text.contains("Promise number 25"),
        "{next}: {}",
        second.text
    );
    assert!(second.text.contains("Promise number 26"));
    assert!(!second.text.contains("Promise number 24"));
    assert!(second.text.contains("First page"));
}
