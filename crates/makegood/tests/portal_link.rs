//! `makegood portal-link` run as an operator runs it: the demo, then a sign-in link for the
//! demo's Kestrel contact, landing on their problem or their list; clear failures otherwise.

use std::process::{Command, Output};

use makegood_domain::Email;
use makegood_store::{NewAccount, NewContact, PageRequest, ProblemFilter, Store};

const NORA: &str = "nora@kestrel.example";

fn makegood(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_makegood"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("MAKEGOOD_PUBLIC_URL")
        .output()
        .expect("makegood runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The secret of a printed link, checking it is one line `{origin}/portal/link/{secret}`.
fn secret(out: &Output, origin: &str) -> String {
    assert!(out.status.success(), "portal-link: {}", stderr(out));
    let printed = stdout(out);
    assert_eq!(printed.lines().count(), 1, "one line: {printed:?}");
    let secret = printed
        .strip_prefix(&format!("{origin}/portal/link/"))
        .unwrap_or_else(|| panic!("a link under {origin}: {printed:?}"));
    assert!(
        secret.len() >= 32
            && secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "a long URL-safe secret: {secret:?}"
    );
    secret.to_owned()
}

fn failed(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "exit 1: {}", stdout(out));
    assert!(stdout(out).is_empty(), "no link: {}", stdout(out));
    stderr(out)
}

#[tokio::test]
async fn portal_link_prints_a_working_link_for_a_demo_contact_and_explains_failures() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("makegood.db").display());
    let demo = makegood(&db, &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let store = Store::connect(&db).await.expect("the database opens");
    let now = makegood::clock::now();

    // To the list, under the default public URL (serve's default address).
    let out = makegood(&db, &["portal-link", NORA]);
    let to_list = secret(&out, "http://127.0.0.1:8080");
    assert!(
        stderr(&out).contains("Nora Quinn at Kestrel Property Management"),
        "says whose link it is: {}",
        stderr(&out)
    );
    let landing = store
        .check_portal_link(&to_list, now)
        .await
        .unwrap()
        .expect("the printed link works");
    assert_eq!(landing.contact.email.as_deref(), Some(NORA));
    assert_eq!(landing.problem, None);

    // To Kestrel's problem, by number, under the public URL given (any case of the address).
    let problems = store
        .list_problems(
            &ProblemFilter::default(),
            &PageRequest {
                cursor: None,
                limit: Some(200),
            },
            now,
        )
        .await
        .expect("problems")
        .items;
    let fees = problems
        .iter()
        .find(|p| p.problem.title == "Tenant portal charged late fees in error")
        .expect("the demo's Kestrel problem");
    let number = fees.problem.number.to_string();
    let out = makegood(
        &db,
        &[
            "portal-link",
            "Nora@Kestrel.example",
            "--problem",
            &number,
            "--public-url",
            "https://desk.example/",
        ],
    );
    let to_problem = secret(&out, "https://desk.example");
    let landing = store
        .check_portal_link(&to_problem, now)
        .await
        .unwrap()
        .expect("the printed link works");
    assert_eq!(landing.problem, Some(fees.problem.id));

    // Another account's problem: refused, saying why.
    let other = problems
        .iter()
        .find(|p| p.problem.id != fees.problem.id)
        .expect("another demo problem");
    let out = makegood(
        &db,
        &[
            "portal-link",
            NORA,
            "--problem",
            &other.problem.number.to_string(),
        ],
    );
    let why = failed(&out);
    assert!(
        why.contains("does not affect this contact's account"),
        "{why}"
    );
    let out = makegood(&db, &["portal-link", NORA, "--problem", "MG-99999"]);
    assert!(
        failed(&out).contains("no problem MG-99999"),
        "{}",
        stderr(&out)
    );

    // Nobody with the address.
    let out = makegood(&db, &["portal-link", "nobody@nowhere.example"]);
    let why = failed(&out);
    assert!(
        why.contains("no contact has the email nobody@nowhere.example"),
        "{why}"
    );

    // The same address at two accounts: asks which, then takes --account.
    let other_account = store
        .create_account(NewAccount {
            name: "Kestrel Holdings".into(),
            parent: None,
            tier: None,
        })
        .await
        .unwrap();
    store
        .create_contact(NewContact {
            account: other_account.id,
            name: "Nora Quinn".into(),
            role_title: "Director".into(),
            email: Some(Email::parse(NORA).unwrap()),
            phone: None,
        })
        .await
        .unwrap();
    let out = makegood(&db, &["portal-link", NORA]);
    let why = failed(&out);
    assert!(
        why.contains("2 contacts have the email")
            && why.contains("Kestrel Holdings")
            && why.contains("--account"),
        "{why}"
    );
    let out = makegood(&db, &["portal-link", NORA, "--account", "kestrel holdings"]);
    let theirs = secret(&out, "http://127.0.0.1:8080");
    let landing = store
        .check_portal_link(&theirs, now)
        .await
        .unwrap()
        .expect("the printed link works");
    assert_eq!(landing.contact.account, other_account.id);
}
