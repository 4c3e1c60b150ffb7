//! The owner's email when a customer writes: subject, who and what, "call them" first when upset.

use makegood_domain::{MemberId, Notice};
use makegood_notify::render::render_email;

use crate::common::{config, now, problem, recipient};

fn wrote(body: &str, upset: bool) -> Notice {
    Notice::CustomerWrote {
        to: recipient("Sam Owner", "sam@acme.example"),
        member: MemberId(1),
        problem: problem(),
        contact: "Dana Reyes".into(),
        account: "Customer Ltd".into(),
        body: body.into(),
        upset,
    }
}

#[test]
fn an_upset_customer_wrote() {
    let notice = wrote(
        "This is the third time. Awful <service> & I am furious.",
        true,
    );
    let email = render_email(&notice, 31, now(), &config()).unwrap();
    assert_eq!(
        email.subject,
        "[MG-12] Dana Reyes (Customer Ltd) wrote — upset"
    );
    assert_eq!(email.to.to_string(), "Sam Owner <sam@acme.example>");
    assert_eq!(email.message_id, "<mg-7.31@desk.example.com>");
    assert!(
        email.text.starts_with("Dana Reyes is upset: call them."),
        "{}",
        email.text
    );
    assert!(email.text.contains("Awful <service> & I am furious."));
    assert!(email.text.contains("https://desk.example.com/problems/7"));
    // The HTML part escapes what the customer wrote.
    assert!(
        email
            .html
            .contains("Awful &#60;service&#62; &#38; I am furious.")
            || email
                .html
                .contains("Awful &lt;service&gt; &amp; I am furious."),
        "{}",
        email.html
    );
    assert!(
        email
            .html
            .contains("<strong>Dana Reyes is upset: call them.</strong>")
    );
    email.to_message(now()).unwrap();
}

#[test]
fn a_calm_customer_wrote() {
    let email = render_email(&wrote("Thanks, that helps.", false), 32, now(), &config()).unwrap();
    assert_eq!(email.subject, "[MG-12] Dana Reyes (Customer Ltd) wrote");
    assert!(!email.text.contains("upset"), "{}", email.text);
    assert!(!email.html.contains("upset"), "{}", email.html);
    insta::assert_snapshot!(format!("{}\n--- html ---\n{}", email.text, email.html));
}
