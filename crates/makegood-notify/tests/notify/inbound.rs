//! The inbound corpus: real-world-shaped messages in `mail/`, each parsed with the result
//! a person reading it would expect.

use makegood_domain::{ProblemId, ProblemNumber};
use makegood_notify::inbound::{InboundEmail, InboundError, Limits, OurReference, parse};

const HOST: &str = "desk.northwind.example";

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/notify/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parsed(name: &str) -> InboundEmail {
    parse(&corpus(name), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn multipart_alternative_takes_the_text_part_and_threads_on_in_reply_to() {
    let mail = parsed("multipart_alternative.eml");
    assert_eq!(
        mail.message_id.as_deref(),
        Some("CAF1234@mail.brightsmiles.example")
    );
    let from = mail.from.as_ref().unwrap();
    assert_eq!(from.email.as_str(), "priya@brightsmiles.example");
    assert_eq!(from.name.as_deref(), Some("Priya Shah"));
    assert_eq!(mail.reply, "Thanks, it works now.");
    assert!(mail.text.contains("> The app is back."), "{}", mail.text);
    assert_eq!(
        mail.our_reference(HOST),
        Some(OurReference {
            problem: ProblemId(7),
            outbox: 41
        }),
        "In-Reply-To comes first"
    );
    assert_eq!(mail.subject_tag(), Some(ProblemNumber(7)));
    assert_eq!(
        mail.date.map(|d| d.to_string()).as_deref(),
        Some("2026-12-01T10:03:00Z")
    );
}

#[test]
fn quoted_printable_latin1_is_decoded_and_trimmed() {
    let mail = parsed("quoted_printable_latin1.eml");
    assert_eq!(
        mail.from.as_ref().unwrap().name.as_deref(),
        Some("Jürgen Müller")
    );
    assert_eq!(mail.subject, "AW: [MG-3] Dashboard für Montag");
    assert_eq!(mail.subject_tag(), Some(ProblemNumber(3)));
    assert_eq!(
        mail.reply,
        "Grüße, das Dashboard fehlt immer noch. Das ist ärgerlich."
    );
    assert_eq!(mail.our_reference(HOST), None, "no reference to our mail");
}

#[test]
fn base64_without_a_tag_starts_a_new_thread_and_loses_its_signature() {
    let mail = parsed("base64_new_thread.eml");
    assert_eq!(
        mail.reply,
        "We are very unhappy. The shoot lost six scenes and nobody called us."
    );
    assert!(
        mail.text.contains("Head of Marketing"),
        "the original is kept"
    );
    assert_eq!(mail.subject_tag(), None);
    assert_eq!(mail.our_reference(HOST), None);
    assert_eq!(
        mail.date.map(|d| d.to_string()).as_deref(),
        Some("2026-12-02T13:00:00Z")
    );
}

#[test]
fn html_only_mail_is_turned_to_text_without_markup_or_script() {
    let mail = parsed("html_only.eml");
    assert!(mail.reply.contains("Migration done"), "{}", mail.reply);
    assert!(mail.reply.contains("The server is back."), "{}", mail.reply);
    assert!(!mail.reply.contains('<'), "{}", mail.reply);
    assert!(!mail.reply.contains("alert(1)"), "{}", mail.reply);
    assert_eq!(mail.subject_tag(), Some(ProblemNumber(2)));
    assert_eq!(mail.from.unwrap().name, None);
}

#[test]
fn missing_headers_are_missing_not_invented() {
    let mail = parsed("missing_headers.eml");
    assert_eq!(mail.message_id, None);
    assert_eq!(mail.date, None);
    assert!(mail.replies_to.is_empty());
    assert_eq!(mail.reply, "Just a line.");
    assert_eq!(
        mail.from.unwrap().email.as_str(),
        "priya@brightsmiles.example"
    );
}

#[test]
fn attachments_are_kept_within_limits_and_the_rest_listed() {
    let mail = parsed("attachments.eml");
    assert_eq!(mail.reply, "Two screenshots attached.");
    assert_eq!(mail.attachments.len(), 2);
    assert_eq!(mail.attachments[0].filename, "error.png");
    assert_eq!(mail.attachments[0].content_type, "image/png");
    assert!(mail.attachments[0].content.starts_with(b"\x89PNG"));
    assert_eq!(mail.attachments[1].filename, "attachment-2");
    assert_eq!(mail.attachments[1].content, vec![0; 3000]);

    let tight = Limits {
        attachment_bytes: 1000,
        ..Limits::default()
    };
    let mail = parse(&corpus("attachments.eml"), &tight).unwrap();
    assert_eq!(mail.attachments.len(), 1);
    assert_eq!(mail.skipped.len(), 1);
    assert_eq!(mail.skipped[0].bytes, 3000);
    let one = Limits {
        attachments: 1,
        ..Limits::default()
    };
    let mail = parse(&corpus("attachments.eml"), &one).unwrap();
    assert_eq!(mail.attachments.len(), 1);
    assert_eq!(mail.skipped[0].reason, "more than 1 attachments");
}

#[test]
fn malformed_mime_still_yields_its_text() {
    let mail = parsed("malformed_mime.eml");
    assert_eq!(mail.reply, "Still readable text.");
    assert_eq!(mail.subject_tag(), Some(ProblemNumber(7)));
}

#[test]
fn non_utf8_charsets_are_decoded() {
    let mail = parsed("shift_jis.eml");
    assert_eq!(mail.reply, "こんにちは");
    assert_eq!(mail.subject, "こんにちは");
}

#[test]
fn a_long_thread_keeps_only_the_newest_words_and_threads_on_the_newest_reference() {
    let mail = parsed("long_thread.eml");
    assert_eq!(mail.reply, "Newest words.");
    // In-Reply-To names a Gmail id; References, newest first, reach our MG-7 mail no. 9.
    assert_eq!(
        mail.our_reference(HOST),
        Some(OurReference {
            problem: ProblemId(7),
            outbox: 9
        })
    );
    assert_eq!(mail.our_reference("other.example"), None);
}

#[test]
fn what_is_not_a_message_is_refused() {
    assert_eq!(
        parse(&corpus("not_a_message.eml"), &Limits::default()),
        Err(InboundError::NotAMessage)
    );
    assert_eq!(
        parse(b"", &Limits::default()),
        Err(InboundError::NotAMessage)
    );
}

mod never_panics {
    use proptest::prelude::*;

    use super::*;

    const CORPUS: &[&str] = &[
        "multipart_alternative.eml",
        "quoted_printable_latin1.eml",
        "base64_new_thread.eml",
        "html_only.eml",
        "attachments.eml",
        "malformed_mime.eml",
        "shift_jis.eml",
        "long_thread.eml",
    ];

    proptest! {
        #[test]
        fn on_any_bytes(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse(&raw, &Limits::default());
        }

        /// Real messages with bytes flipped, cut short or spliced: the shapes broken MIME takes.
        #[test]
        fn on_damaged_messages(
            which in 0..CORPUS.len(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut raw = corpus(CORPUS[which]);
            for (at, byte) in edits {
                let i = at.index(raw.len());
                raw[i] = byte;
            }
            raw.truncate(cut.index(raw.len() + 1));
            if let Ok(mail) = parse(&raw, &Limits::default()) {
                let _ = mail.our_reference(HOST);
                let _ = mail.subject_tag();
            }
        }
    }
}
