//! Inbound email: one RFC 5322 message turned into what the desk records, by `mail-parser`.
//!
//! The same parser serves every way in (an MTA pipe, the HTTP endpoint, IMAP polling). It
//! never panics on what the network sends: a message it cannot read is an [`InboundError`],
//! and odd but readable mail (missing headers, unknown charsets, HTML only) is taken as best
//! it can be, with the original text kept beside the trimmed reply.

pub mod imap;
mod trim;

use jiff::Timestamp;
use mail_parser::{MessageParser, MimeHeaders};
use makegood_domain::{Email, MemberId, ProblemId, ProblemNumber};
use makegood_store::{Ingested, NewAttachment, NewInboundEmail, Store, StoreError};

pub use trim::reply;

/// What one message may bring in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The whole raw message, in bytes.
    pub message_bytes: usize,
    /// One attachment, in bytes; a larger one is left out and listed in `skipped`.
    pub attachment_bytes: usize,
    /// How many attachments are kept; the rest are listed in `skipped`.
    pub attachments: usize,
}

impl Default for Limits {
    /// 25 MiB per message, 10 MiB per attachment, 20 attachments: what common mail
    /// providers accept, so a customer's ordinary mail is never refused.
    fn default() -> Self {
        Limits {
            message_bytes: 25 * 1024 * 1024,
            attachment_bytes: 10 * 1024 * 1024,
            attachments: 20,
        }
    }
}

/// Who sent a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    pub email: Email,
    /// The display name, when the message gives one.
    pub name: Option<String>,
}

/// A file that came with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The name the sender gave it, or `attachment-N` when none.
    pub filename: String,
    /// `type/subtype`, `application/octet-stream` when not given.
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A file left out, and why: the timeline says so rather than dropping it silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub filename: String,
    pub bytes: usize,
    pub reason: String,
}

/// A reference to one of our own emails: `<mg-PROBLEM.OUTBOX@HOST>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OurReference {
    pub problem: ProblemId,
    /// The outbox message it answers.
    pub outbox: i64,
}

/// One parsed inbound message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundEmail {
    /// Without angle brackets; `None` when the message has none (it then cannot be
    /// recognised when it arrives twice).
    pub message_id: Option<String>,
    pub from: Option<Sender>,
    pub subject: String,
    /// The `Date:` header, when it is valid.
    pub date: Option<Timestamp>,
    /// Message-IDs (without angle brackets) of `In-Reply-To`, then `References` newest first.
    pub replies_to: Vec<String>,
    /// The whole text body: the text part, or the HTML part turned to text.
    pub text: String,
    /// The new words only: without the quoted thread and the signature.
    pub reply: String,
    pub attachments: Vec<Attachment>,
    pub skipped: Vec<Skipped>,
}

/// Why a message was not taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InboundError {
    #[error("the message is {size} bytes; at most {limit} are accepted")]
    TooLarge { size: usize, limit: usize },
    #[error("this is not an email message (no headers could be read)")]
    NotAMessage,
}

impl InboundEmail {
    /// The first of our own Message-IDs on `host` that this message answers (`In-Reply-To`
    /// first, then `References` from the newest).
    pub fn our_reference(&self, host: &str) -> Option<OurReference> {
        self.replies_to
            .iter()
            .find_map(|id| our_reference(id, host))
    }

    /// The `[MG-12]` tag in the subject, if any.
    pub fn subject_tag(&self) -> Option<ProblemNumber> {
        subject_tag(&self.subject)
    }
}

impl InboundEmail {
    /// What the store records of this message, `raw` being the message as it arrived and
    /// `host` the host of our own Message-IDs.
    pub fn to_store(&self, raw: &[u8], host: &str) -> NewInboundEmail {
        NewInboundEmail {
            message_id: self.message_id.clone(),
            from_email: self.from.as_ref().map(|f| f.email.clone()),
            from_name: self.from.as_ref().and_then(|f| f.name.clone()),
            subject: self.subject.clone(),
            sent_at: self.date,
            answers: self.our_reference(host).map(|r| r.problem),
            tag: self.subject_tag(),
            raw: raw.to_vec(),
            text: self.text.clone(),
            reply: self.reply.clone(),
            attachments: self
                .attachments
                .iter()
                .map(|a| NewAttachment {
                    filename: a.filename.clone(),
                    content_type: a.content_type.clone(),
                    content: a.content.clone(),
                })
                .collect(),
            skipped: self
                .skipped
                .iter()
                .map(|s| format!("{}: {}", s.filename, s.reason))
                .collect(),
        }
    }
}

/// Why a message could not be taken in.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The message itself is refused (too large, not a message): sending it again will not help.
    #[error(transparent)]
    Refused(#[from] InboundError),
    /// The store failed: the message was not recorded and may be sent again.
    #[error("the message could not be recorded: {0}")]
    Store(#[from] StoreError),
}

/// Parses `raw` and records it: the one way in for the MTA pipe, the HTTP endpoint and IMAP.
pub async fn ingest(
    store: &Store,
    raw: &[u8],
    host: &str,
    triage_owner: Option<MemberId>,
    now: Timestamp,
) -> Result<Ingested, IngestError> {
    let mail = parse(raw, &Limits::default())?;
    Ok(store
        .ingest_email(mail.to_store(raw, host), triage_owner, now)
        .await?)
}

/// Reads `<mg-PROBLEM.OUTBOX@HOST>` (brackets optional) for our `host` (any case).
fn our_reference(id: &str, host: &str) -> Option<OurReference> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, domain) = id.rsplit_once('@')?;
    if !domain.eq_ignore_ascii_case(host) {
        return None;
    }
    let (problem, outbox) = local.strip_prefix("mg-")?.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(problem) || !digits(outbox) {
        return None;
    }
    Some(OurReference {
        problem: ProblemId(problem.parse().ok()?),
        outbox: outbox.parse().ok()?,
    })
}

/// The first `[MG-n]` in `subject` (any case, spaces inside the brackets allowed).
fn subject_tag(subject: &str) -> Option<ProblemNumber> {
    subject.split('[').skip(1).find_map(|rest| {
        let (inside, _) = rest.split_once(']')?;
        inside.trim().to_uppercase().parse().ok()
    })
}

/// Parses `raw` within `limits`.
pub fn parse(raw: &[u8], limits: &Limits) -> Result<InboundEmail, InboundError> {
    if raw.len() > limits.message_bytes {
        return Err(InboundError::TooLarge {
            size: raw.len(),
            limit: limits.message_bytes,
        });
    }
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or(InboundError::NotAMessage)?;

    let from = message.from().and_then(|a| a.first()).and_then(|addr| {
        let email = Email::parse(addr.address()?).ok()?;
        let name = addr
            .name()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        Some(Sender { email, name })
    });
    let date = message
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| Timestamp::from_second(d.to_timestamp()).ok());
    let mut replies_to: Vec<String> = Vec::new();
    let mut push = |ids: Option<&[std::borrow::Cow<'_, str>]>, newest_first: bool| {
        let mut ids: Vec<String> = ids
            .unwrap_or_default()
            .iter()
            .map(|s| s.to_string())
            .collect();
        if newest_first {
            ids.reverse();
        }
        for id in ids {
            if !replies_to.contains(&id) {
                replies_to.push(id);
            }
        }
    };
    push(text_list(message.in_reply_to()).as_deref(), false);
    push(text_list(message.references()).as_deref(), true);

    let (body, stray) = body(&message);
    let text = body.replace("\r\n", "\n");
    let (attachments, skipped) = attachments(&message, stray, limits);
    Ok(InboundEmail {
        message_id: message.message_id().map(str::to_owned),
        from,
        subject: message.subject().unwrap_or_default().trim().to_owned(),
        date,
        replies_to,
        reply: reply(&text),
        text,
        attachments,
        skipped,
    })
}

/// The text body: the text part, or the HTML part as text. A message whose only text part
/// mail-parser set aside as an attachment (an unknown charset inside broken MIME) still has
/// that part read as its body; its attachment position is returned so it is not kept twice.
fn body<'a>(message: &'a mail_parser::Message<'a>) -> (std::borrow::Cow<'a, str>, Option<usize>) {
    if let Some(text) = message.body_text(0) {
        return (text, None);
    }
    let stray = message
        .attachments()
        .enumerate()
        .find_map(|(n, part)| match &part.body {
            mail_parser::PartType::Text(text) if part.attachment_name().is_none() => {
                Some((text.clone(), n))
            }
            _ => None,
        });
    match stray {
        Some((text, n)) => (text, Some(n)),
        None => (std::borrow::Cow::Borrowed(""), None),
    }
}

/// A header of message ids as a list (mail-parser gives one id as text, several as a list).
fn text_list<'a>(
    value: &'a mail_parser::HeaderValue<'a>,
) -> Option<Vec<std::borrow::Cow<'a, str>>> {
    match value {
        mail_parser::HeaderValue::Text(t) => Some(vec![t.clone()]),
        mail_parser::HeaderValue::TextList(list) => Some(list.clone()),
        _ => None,
    }
}

/// The attachments within `limits`, and those left out.
fn attachments(
    message: &mail_parser::Message<'_>,
    body: Option<usize>,
    limits: &Limits,
) -> (Vec<Attachment>, Vec<Skipped>) {
    let mut kept = Vec::new();
    let mut skipped = Vec::new();
    for (n, part) in message.attachments().enumerate() {
        if Some(n) == body {
            continue;
        }
        let filename = part
            .attachment_name()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(|| format!("attachment-{}", n + 1), str::to_owned);
        let content = part.contents();
        let reason = if content.len() > limits.attachment_bytes {
            Some(format!(
                "larger than the {} MiB allowed per attachment",
                limits.attachment_bytes / (1024 * 1024)
            ))
        } else if kept.len() >= limits.attachments {
            Some(format!("more than {} attachments", limits.attachments))
        } else {
            None
        };
        match reason {
            Some(reason) => skipped.push(Skipped {
                filename,
                bytes: content.len(),
                reason,
            }),
            None => kept.push(Attachment {
                filename,
                content_type: part.content_type().map_or_else(
                    || "application/octet-stream".to_owned(),
                    |ct| match ct.subtype() {
                        Some(sub) => format!("{}/{}", ct.ctype(), sub),
                        None => ct.ctype().to_owned(),
                    },
                ),
                content: content.to_vec(),
            }),
        }
    }
    (kept, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_reference_needs_our_host_and_our_shape() {
        let host = "desk.northwind.example";
        assert_eq!(
            our_reference("<mg-12.345@desk.northwind.example>", host),
            Some(OurReference {
                problem: ProblemId(12),
                outbox: 345
            })
        );
        assert_eq!(
            our_reference("mg-12.345@DESK.northwind.example", host).map(|r| r.problem),
            Some(ProblemId(12))
        );
        for other in [
            "<mg-12.345@elsewhere.example>",
            "<mg-345@desk.northwind.example>",
            "<mg-12.x@desk.northwind.example>",
            "<mg-.1@desk.northwind.example>",
            "<CAF=abc@mail.gmail.com>",
            "",
        ] {
            assert_eq!(our_reference(other, host), None, "{other}");
        }
    }

    #[test]
    fn subject_tags() {
        assert_eq!(subject_tag("Re: [MG-12] Export"), Some(ProblemNumber(12)));
        assert_eq!(subject_tag("AW: [ mg-7 ] x"), Some(ProblemNumber(7)));
        assert_eq!(subject_tag("[urgent] Re: [MG-3]"), Some(ProblemNumber(3)));
        assert_eq!(subject_tag("MG-12 without brackets"), None);
        assert_eq!(subject_tag("[MG-0]"), None);
        assert_eq!(subject_tag("[MG-"), None);
    }

    #[test]
    fn too_large_is_refused_before_parsing() {
        let limits = Limits {
            message_bytes: 10,
            ..Limits::default()
        };
        let raw = b"Subject: far too long\r\n\r\nbody";
        assert_eq!(
            parse(raw, &limits),
            Err(InboundError::TooLarge {
                size: raw.len(),
                limit: 10
            })
        );
    }
}
