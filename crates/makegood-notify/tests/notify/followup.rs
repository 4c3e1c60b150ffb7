//! The follow-up emails: the survey with its sign-in link, threaded; the low-rating alert.

use makegood_domain::{MemberId, Notice};
use makegood_notify::render::{RenderedEmail, render_email};

use crate::common::{config, now, problem, recipient};

fn show(email: &RenderedEmail) -> String {
    format!(
        "From: {}\nTo: {}\nSubject: {}\nMessage-ID: {}\nIn-Reply-To: {}\nReferences: {}\n\n--- text ---\n{}\n--- html ---\n{}",
        email.from,
        email.to,
        email.subject,
        email.message_id,
        email.in_reply_to.as_deref().unwrap_or("-"),
        email.references.as_deref().unwrap_or("-"),
        email.text,
        email.html,
    )
}

fn survey(first: Option<i64>, previous: Option<i64>) -> Notice {
    Notice::Survey {
        problem: problem(),
        to: recipient("Dana <Customer>", "dana@customer.example"),
        token: "ab12".repeat(16),
        first,
        previous,
    }
}

#[test]
fn a_survey_in_the_problems_thread() {
    let email = render_email(&survey(Some(3), Some(9)), 31, now(), &config()).unwrap();
    insta::assert_snapshot!(show(&email));
    let link = format!("https://desk.example.com/portal/link/{}", "ab12".repeat(16));
    assert!(email.text.contains(&link), "{}", email.text);
    assert!(
        email.html.contains(&format!("href=\"{link}\"")),
        "{}",
        email.html
    );
    assert!(
        email.html.contains("Dana &#60;Customer&#62;"),
        "escaped: {}",
        email.html
    );
    assert_eq!(
        email.in_reply_to.as_deref(),
        Some("<mg-7.9@desk.example.com>")
    );
    let message = String::from_utf8(email.to_message(now()).unwrap().formatted()).unwrap();
    assert!(
        message.contains("References: <mg-7.3@desk.example.com> <mg-7.9@desk.example.com>"),
        "{message}"
    );
}

#[test]
fn a_survey_to_someone_never_written_to_starts_the_thread() {
    let email = render_email(&survey(None, None), 4, now(), &config()).unwrap();
    assert_eq!(email.message_id, "<mg-7.4@desk.example.com>");
    assert_eq!((email.in_reply_to, email.references), (None, None));
    assert_eq!(
        email.subject,
        "[MG-12] How did we do on Invoices printed twice?"
    );
}

#[test]
fn a_low_rating_alert() {
    let notice = Notice::LowRating {
        to: recipient("Sam Owner", "sam@acme.example"),
        member: MemberId(1),
        problem: problem(),
        contact: "Dana Customer".into(),
        account: "Customer Ltd".into(),
        rating: 2,
        recommend: 4,
        comment: "Took <far> too long.".into(),
    };
    let email = render_email(&notice, 40, now(), &config()).unwrap();
    insta::assert_snapshot!(show(&email));
    assert!(email.html.contains("Took &#60;far&#62; too long."));
    assert!(email.text.contains("https://desk.example.com/problems/7"));
}
