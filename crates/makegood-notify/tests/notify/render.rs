//! Snapshots of what goes on the wire: email headers and bodies, webhook JSON, chat text.

use makegood_domain::duty::PromiseRef;
use makegood_domain::{AlertKind, Clock, ClockKind, ClockState, Duty, MemberId, Notice, PromiseId};
use makegood_notify::render::{
    RenderedEmail, chat_payload, event_payload, render_email, render_webhook, sign,
};
use makegood_store::WebhookKind;

use crate::common::{config, event, now, problem, recipient, update};

/// Every header and both bodies, as a reviewer reads them.
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

#[test]
fn a_customer_update_in_a_thread() {
    let dana = recipient("Dana Customer", "dana@customer.example");
    let notice = update(
        &dana,
        "We found the cause.\n\nReprints go out <today> & tomorrow.",
        Some(3),
        Some(9),
    );
    let email = render_email(&notice, 14, now(), &config()).unwrap();
    insta::assert_snapshot!(show(&email));
    // The message itself builds, with its threading headers.
    let message = String::from_utf8(email.to_message(now()).unwrap().formatted()).unwrap();
    assert!(
        message.contains("In-Reply-To: <mg-7.9@desk.example.com>"),
        "{message}"
    );
    assert!(
        message.contains("References: <mg-7.3@desk.example.com> <mg-7.9@desk.example.com>"),
        "{message}"
    );
    assert!(
        message.contains("Date: Tue, 24 Nov 2026 13:00:00 +0000"),
        "{message}"
    );
}

#[test]
fn the_first_update_starts_a_thread() {
    let dana = recipient("Dana Customer", "dana@customer.example");
    let email = render_email(&update(&dana, "Hello", None, None), 3, now(), &config()).unwrap();
    assert_eq!(email.message_id, "<mg-7.3@desk.example.com>");
    assert_eq!((email.in_reply_to, email.references), (None, None));
}

#[test]
fn a_broken_promise_alert() {
    let notice = Notice::Alert {
        to: recipient("Sam Owner", "sam@acme.example"),
        member: MemberId(1),
        alert: AlertKind::PromiseBroken,
        clock: ClockKind::Promise,
        problem: Some(problem()),
        promise: Some(PromiseRef {
            id: PromiseId(5),
            what: "Credit note for the duplicate invoices".into(),
        }),
        summary: "Keep your promise to Customer Ltd".into(),
        due_at: "2026-11-24T09:00:00Z".parse().unwrap(),
    };
    insta::assert_snapshot!(show(&render_email(&notice, 21, now(), &config()).unwrap()));
}

#[test]
fn a_morning_digest() {
    let clock = |state, due: &str| Clock {
        kind: ClockKind::Update,
        state,
        started_at: "2026-11-23T08:00:00Z".parse().unwrap(),
        warn_at: None,
        due_at: Some(due.parse().unwrap()),
        stopped_at: None,
    };
    let notice = Notice::Digest {
        to: recipient("Sam Owner", "sam@acme.example"),
        member: MemberId(1),
        duties: vec![
            Duty {
                kind: ClockKind::Update,
                member: MemberId(1),
                clock: clock(ClockState::Breached, "2026-11-24T07:00:00Z"),
                problem: Some(problem()),
                promise: None,
                summary: "Update Customer Ltd on MG-12".into(),
                account: None,
            },
            Duty {
                kind: ClockKind::Promise,
                member: MemberId(1),
                clock: clock(ClockState::Ok, "2026-11-26T16:00:00Z"),
                problem: None,
                promise: None,
                summary: "Keep your promise to Bakery & Sons: <new menu>".into(),
                account: None,
            },
        ],
    };
    let created = "2026-11-24T06:30:00Z".parse().unwrap();
    insta::assert_snapshot!(show(
        &render_email(&notice, 30, created, &config()).unwrap()
    ));

    let empty = Notice::Digest {
        to: recipient("Sam Owner", "sam@acme.example"),
        member: MemberId(1),
        duties: vec![],
    };
    let email = render_email(&empty, 31, created, &config()).unwrap();
    assert_eq!(email.subject, "Your duties for Tue 24 Nov 2026");
    assert!(email.text.contains("Nothing is due."), "{}", email.text);
}

#[test]
fn webhook_and_chat_payloads() {
    let Notice::Event {
        event: e,
        problem: p,
        ..
    } = event(2)
    else {
        unreachable!()
    };
    insta::assert_json_snapshot!("event_payload", event_payload(&e, p.as_ref()));
    insta::assert_json_snapshot!("chat_payload", chat_payload(&e, p.as_ref(), &config()));
}

#[test]
fn a_json_webhook_is_signed_over_its_exact_body() {
    let request = render_webhook(&event(2), WebhookKind::Json, "s3cret", now(), &config()).unwrap();
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(
        header("Makegood-Signature"),
        sign("s3cret", now().as_second(), &request.body)
    );
    assert!(header("Makegood-Signature").starts_with("t=1795525200,v1="));
    assert_eq!(header("Makegood-Event-Id"), "evt_41");
    assert_eq!(header("Content-Type"), "application/json");

    let chat = render_webhook(&event(2), WebhookKind::Chat, "s3cret", now(), &config()).unwrap();
    assert!(chat.headers.iter().all(|(n, _)| *n != "Makegood-Signature"));
    assert!(render_email(&event(2), 1, now(), &config()).is_err());
}

/// Found by fuzzing (fuzz/seeds/email_render/crash-line-break-in-name): a line break in a
/// recipient's or member's name made lettre panic while writing the `To`/`From` header. The
/// name is written with spaces instead, and the header block stays one header a line.
#[test]
fn a_line_break_in_a_name_is_written_as_a_space() {
    let dana = recipient(
        "Dana\r\nBcc: eve@evil.example\u{1a}",
        "dana@customer.example",
    );
    let mut notice = update(&dana, "Hello", None, None);
    if let Notice::CustomerUpdate { from_name, .. } = &mut notice {
        *from_name = "Sam\nOwner".into();
    }
    let email = render_email(&notice, 14, now(), &config()).unwrap();
    let raw = email.to_message(now()).unwrap().formatted();
    let message = String::from_utf8(raw.clone()).unwrap();
    let headers = message.split("\r\n\r\n").next().unwrap();
    // Read back as a mail client would: one recipient, named with spaces, and no Bcc.
    let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
    let to = parsed.to().and_then(|a| a.first()).unwrap();
    assert_eq!(to.address(), Some("dana@customer.example"));
    assert_eq!(to.name(), Some("Dana  Bcc: eve@evil.example "));
    assert_eq!(parsed.to().map(|a| a.iter().count()), Some(1));
    assert!(parsed.bcc().is_none(), "{headers}");
    let from = parsed.from().and_then(|a| a.first()).unwrap();
    assert_eq!(from.name(), Some("Sam Owner, Acme Support"));
    assert!(!headers.lines().any(|l| l.starts_with("Bcc")), "{headers}");
}
