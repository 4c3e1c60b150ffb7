//! "Dana Reyes (Acme) wrote": a customer's message, emailed to the problem's owner — an
//! upset one says first that they owe the customer a call.

use askama::Template;
use makegood_domain::Recipient;
use makegood_domain::duty::ProblemRef;

use super::RenderError;
use super::email::{RenderedEmail, mailbox, message_id};
use crate::NotifyConfig;

/// What both parts show.
pub(super) struct CustomerWroteView<'a> {
    pub contact: &'a str,
    pub account: &'a str,
    pub problem: String,
    pub body: &'a str,
    pub upset: bool,
    pub link: String,
}

#[derive(Template)]
#[template(path = "customer_wrote.txt")]
struct CustomerWroteText<'a> {
    wrote: &'a CustomerWroteView<'a>,
}

#[derive(Template)]
#[template(path = "customer_wrote.html")]
struct CustomerWroteHtml<'a> {
    wrote: &'a CustomerWroteView<'a>,
}

/// The fields of a `Notice::CustomerWrote`.
pub(super) struct CustomerWrote<'a> {
    pub to: &'a Recipient,
    pub problem: &'a ProblemRef,
    pub contact: &'a str,
    pub account: &'a str,
    pub body: &'a str,
    pub upset: bool,
}

/// The owner's email for outbox message `outbox`.
pub(super) fn customer_wrote_email(
    notice: CustomerWrote<'_>,
    outbox: i64,
    config: &NotifyConfig,
) -> Result<RenderedEmail, RenderError> {
    let CustomerWrote {
        to,
        problem,
        contact,
        account,
        body,
        upset,
    } = notice;
    let view = CustomerWroteView {
        contact,
        account,
        problem: format!("{} {}", problem.number, problem.title),
        body,
        upset,
        link: config.problem_link(problem.id),
    };
    let mood = if upset { " — upset" } else { "" };
    Ok(RenderedEmail {
        from: config.mail_from.clone(),
        to: mailbox(&to.name, to)?,
        subject: format!("[{}] {contact} ({account}) wrote{mood}", problem.number),
        message_id: message_id(Some(problem.id), outbox, config.host()),
        in_reply_to: None,
        references: None,
        text: CustomerWroteText { wrote: &view }.render()?,
        html: CustomerWroteHtml { wrote: &view }.render()?,
    })
}
