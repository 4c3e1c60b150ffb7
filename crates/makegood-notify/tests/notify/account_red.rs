//! The reviewer's email when an account turns red: which account, its score, what lowered it.

use makegood_domain::duty::AccountRef;
use makegood_domain::{AccountId, MemberId, Notice};
use makegood_notify::render::render_email;

use crate::common::{config, now, recipient};

#[test]
fn an_account_turned_red() {
    let notice = Notice::AccountRed {
        to: recipient("Sam Owner", "sam@acme.example"),
        member: MemberId(1),
        account: AccountRef {
            id: AccountId(4),
            name: "Bakery & Sons".into(),
        },
        score: 43,
        factors: vec![
            "problems closed in the last 90 days: 2 lost".into(),
            "1 open problem (1 critical)".into(),
        ],
    };
    let email = render_email(&notice, 31, now(), &config()).unwrap();
    assert_eq!(
        email.subject,
        "Bakery & Sons turned red: review the account"
    );
    assert_eq!(email.to.to_string(), "Sam Owner <sam@acme.example>");
    assert_eq!(email.message_id, "<mg-31@desk.example.com>");
    assert!(
        email
            .text
            .starts_with("Bakery & Sons turned red (health 43 of 100): review the account."),
        "{}",
        email.text
    );
    assert!(
        email.text.contains("- 1 open problem (1 critical)\n"),
        "{}",
        email.text
    );
    assert!(
        email.text.contains("https://desk.example.com/accounts/4"),
        "{}",
        email.text
    );
    assert!(
        email.html.contains("Bakery &#38; Sons turned red"),
        "{}",
        email.html
    );
    assert!(
        email
            .html
            .contains(r#"<a href="https://desk.example.com/accounts/4">"#),
        "{}",
        email.html
    );
}
