//! Emails: customer updates, alerts and digests as text + HTML messages, threaded per problem.

use std::time::{Duration, SystemTime};

use askama::Template;
use jiff::Timestamp;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use makegood_domain::{AlertKind, ClockKind, Duty, Notice, ProblemId, Recipient};

use super::RenderError;
use super::templates::{
    AlertHtml, AlertText, AlertView, CustomerUpdateHtml, CustomerUpdateText, DigestHtml,
    DigestItem, DigestText, DigestView,
};
use super::time::{format_date, format_time};
use crate::NotifyConfig;

/// An email ready to be turned into a [`Message`]: every header and both bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedEmail {
    pub from: Mailbox,
    pub to: Mailbox,
    pub subject: String,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Option<String>,
    pub text: String,
    pub html: String,
}

impl RenderedEmail {
    /// The message, dated `date`, with the text and HTML bodies as alternatives.
    pub fn to_message(&self, date: Timestamp) -> Result<Message, RenderError> {
        let seconds = u64::try_from(date.as_second()).unwrap_or(0);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(self.to.clone())
            .subject(&self.subject)
            .message_id(Some(self.message_id.clone()))
            .date(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds));
        if let Some(parent) = &self.in_reply_to {
            builder = builder.in_reply_to(parent.clone());
        }
        if let Some(references) = &self.references {
            builder = builder.references(references.clone());
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                self.text.clone(),
                self.html.clone(),
            ))
            .map_err(|e| RenderError::Message(e.to_string()))
    }
}

/// The Message-ID of outbox message `outbox` (about `problem`, if any) on `host`.
pub fn message_id(problem: Option<ProblemId>, outbox: i64, host: &str) -> String {
    match problem {
        Some(problem) => format!("<mg-{problem}.{outbox}@{host}>"),
        None => format!("<mg-{outbox}@{host}>"),
    }
}

pub(super) fn mailbox(name: &str, recipient: &Recipient) -> Result<Mailbox, RenderError> {
    let address = recipient
        .email
        .to_string()
        .parse()
        .map_err(|_| RenderError::Address(recipient.email.to_string()))?;
    Ok(Mailbox::new(Some(display_name(name)), address))
}

/// `name` fit for a `From`/`To` display name: control characters (a line break in a
/// contact's name) become spaces, since lettre cannot write them and panics (found by
/// fuzzing).
pub(super) fn display_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The email for outbox message `outbox` (written at `created_at`) carrying `notice`.
pub fn render_email(
    notice: &Notice,
    outbox: i64,
    created_at: Timestamp,
    config: &NotifyConfig,
) -> Result<RenderedEmail, RenderError> {
    let host = config.host();
    match notice {
        Notice::CustomerUpdate {
            problem,
            to,
            from_name,
            body,
            first,
            previous,
        } => {
            let organisation = config.mail_from.name.as_deref().filter(|n| !n.is_empty());
            let signature = match organisation {
                Some(organisation) => format!("{from_name}, {organisation}"),
                None => from_name.clone(),
            };
            let reference = format!("{} {}", problem.number, problem.title);
            let parents: Vec<String> = [*first, *previous]
                .into_iter()
                .flatten()
                .map(|id| message_id(Some(problem.id), id, host))
                .fold(Vec::new(), |mut ids, id| {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                    ids
                });
            Ok(RenderedEmail {
                from: Mailbox::new(
                    Some(display_name(&signature)),
                    config.mail_from.email.clone(),
                ),
                to: mailbox(&to.name, to)?,
                subject: format!("[{}] {}", problem.number, problem.title),
                message_id: message_id(Some(problem.id), outbox, host),
                in_reply_to: previous
                    .or(*first)
                    .map(|id| message_id(Some(problem.id), id, host)),
                references: (!parents.is_empty()).then(|| parents.join(" ")),
                text: CustomerUpdateText {
                    body,
                    signature: &signature,
                    reference: &reference,
                }
                .render()?,
                html: CustomerUpdateHtml {
                    body,
                    signature: &signature,
                    reference: &reference,
                }
                .render()?,
            })
        }
        Notice::Alert {
            to,
            alert,
            clock,
            problem,
            promise,
            summary,
            due_at,
            ..
        } => {
            let due = format_time(*due_at, &to.time_zone);
            let (label, headline, due_word) = match alert {
                AlertKind::Warning => ("Warning", "A deadline is near: act now.", "due"),
                AlertKind::Breach => ("Breached", "A deadline has passed.", "was due"),
                AlertKind::PromiseBroken => (
                    "Promise broken",
                    "A promise to a customer was broken.",
                    "was due",
                ),
            };
            let tag = problem
                .as_ref()
                .map(|p| format!("[{}] ", p.number))
                .unwrap_or_default();
            let view = AlertView {
                headline,
                summary: summary.clone(),
                problem: problem
                    .as_ref()
                    .map(|p| format!("{} {}", p.number, p.title)),
                promise: promise.as_ref().map(|p| p.what.clone()),
                clock: clock_label(*clock),
                due: due.clone(),
                link: problem.as_ref().map(|p| config.problem_link(p.id)),
            };
            Ok(RenderedEmail {
                from: config.mail_from.clone(),
                to: mailbox(&to.name, to)?,
                subject: format!("{tag}{label}: {summary} — {due_word} {due}"),
                message_id: message_id(problem.as_ref().map(|p| p.id), outbox, host),
                in_reply_to: None,
                references: None,
                text: AlertText { alert: &view }.render()?,
                html: AlertHtml { alert: &view }.render()?,
            })
        }
        Notice::Digest { to, duties, .. } => {
            let date = format_date(created_at, &to.time_zone);
            let view = DigestView {
                name: to.name.clone(),
                date: date.clone(),
                items: duties.iter().map(|d| digest_item(d, to, config)).collect(),
            };
            Ok(RenderedEmail {
                from: config.mail_from.clone(),
                to: mailbox(&to.name, to)?,
                subject: format!("Your duties for {date}"),
                message_id: message_id(None, outbox, host),
                in_reply_to: None,
                references: None,
                text: DigestText { digest: &view }.render()?,
                html: DigestHtml { digest: &view }.render()?,
            })
        }
        Notice::Event { .. } => Err(RenderError::NotEmail),
        Notice::Survey {
            problem,
            to,
            token,
            first,
            previous,
        } => super::followup::survey_email(problem, to, token, *first, *previous, outbox, config),
        Notice::LowRating {
            to,
            problem,
            contact,
            account,
            rating,
            recommend,
            comment,
            ..
        } => super::followup::low_rating_email(
            to, problem, contact, account, *rating, *recommend, comment, outbox, config,
        ),
        Notice::CustomerWrote {
            to,
            problem,
            contact,
            account,
            body,
            upset,
            ..
        } => super::customer_wrote::customer_wrote_email(
            super::customer_wrote::CustomerWrote {
                to,
                problem,
                contact,
                account,
                body,
                upset: *upset,
            },
            outbox,
            config,
        ),
        Notice::PortalLink {
            to,
            token,
            problem,
            expires_at,
        } => super::portal_link::portal_link_email(
            to,
            token,
            problem.as_ref(),
            *expires_at,
            outbox,
            config,
        ),
        Notice::AccountRed {
            to,
            account,
            score,
            factors,
            ..
        } => super::account_red::account_red_email(to, account, *score, factors, outbox, config),
    }
}

fn clock_label(kind: ClockKind) -> &'static str {
    match kind {
        ClockKind::Tell => "time to tell",
        ClockKind::Update => "update interval",
        ClockKind::Fix => "time to fix",
        ClockKind::Promise => "promise",
        ClockKind::Approval => "remedy approval",
        ClockKind::Prevention => "corrective action",
        ClockKind::Check => "effectiveness check",
        ClockKind::VendorPromise => "vendor promise",
        ClockKind::Call => "call to an upset customer",
        ClockKind::Review => "review of a red account",
    }
}

fn digest_item(duty: &Duty, to: &Recipient, config: &NotifyConfig) -> DigestItem {
    // The state's wire name ("warning", "breached" …) reads well enough in a list.
    let state = serde_json::to_value(duty.clock.state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    DigestItem {
        summary: duty.summary.clone(),
        state,
        due: duty.clock.due_at.map(|t| format_time(t, &to.time_zone)),
        link: duty
            .problem
            .as_ref()
            .map(|p| config.problem_link(p.id))
            .or_else(|| duty.account.as_ref().map(|a| config.account_link(a.id))),
    }
}
