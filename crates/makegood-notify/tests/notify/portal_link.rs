//! The portal sign-in email: the link to `/portal/link/<token>`, its expiry in the reader's zone.

use jiff::SignedDuration;
use makegood_domain::Notice;
use makegood_notify::render::render_email;

use crate::common::{config, now, problem, recipient};

#[test]
fn a_portal_link_email_carries_the_link_and_its_expiry() {
    let dana = recipient("Dana Customer", "dana@customer.example");
    let notice = Notice::PortalLink {
        to: dana,
        token: "s3cr3t".into(),
        problem: Some(problem()),
        expires_at: now() + SignedDuration::from_hours(72),
    };
    let email = render_email(&notice, 5, now(), &config()).unwrap();
    let link = "https://desk.example.com/portal/link/s3cr3t";
    assert!(email.text.contains(link), "{}", email.text);
    assert!(
        email.html.contains(&format!("href=\"{link}\"")),
        "{}",
        email.html
    );
    assert!(email.subject.starts_with("[MG-12] "), "{}", email.subject);
    assert!(email.text.contains("works once"), "{}", email.text);
    assert_eq!(email.to.email.to_string(), "dana@customer.example");
    insta::assert_snapshot!(format!(
        "Subject: {}\n\n{}\n---\n{}",
        email.subject, email.text, email.html
    ));
}

#[test]
fn a_link_to_the_list_names_no_problem() {
    let notice = Notice::PortalLink {
        to: recipient("Dana Customer", "dana@customer.example"),
        token: "abc".into(),
        problem: None,
        expires_at: now(),
    };
    let email = render_email(&notice, 6, now(), &config()).unwrap();
    assert!(!email.subject.contains("[MG-"), "{}", email.subject);
    assert!(email.text.contains("/portal/link/abc"));
}
