//! The email carrying a contact's sign-in link to the customer portal.

use askama::Template;
use jiff::Timestamp;
use makegood_domain::Recipient;
use makegood_domain::duty::ProblemRef;

use super::RenderError;
use super::email::{RenderedEmail, mailbox, message_id};
use super::time::format_time;
use crate::NotifyConfig;

#[derive(Template)]
#[template(path = "portal_link.txt")]
struct PortalLinkText<'a> {
    view: &'a PortalLinkView,
}

#[derive(Template)]
#[template(path = "portal_link.html")]
struct PortalLinkHtml<'a> {
    view: &'a PortalLinkView,
}

/// What both parts show.
struct PortalLinkView {
    name: String,
    organisation: String,
    link: String,
    problem: Option<String>,
    expires: String,
}

/// The sign-in email for `to` with the link of secret `token` (outbox message `outbox`).
pub(super) fn portal_link_email(
    to: &Recipient,
    token: &str,
    problem: Option<&ProblemRef>,
    expires_at: Timestamp,
    outbox: i64,
    config: &NotifyConfig,
) -> Result<RenderedEmail, RenderError> {
    let organisation = config
        .mail_from
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "our team".to_owned());
    let view = PortalLinkView {
        name: to.name.clone(),
        link: format!(
            "{}/portal/link/{token}",
            config.public_url.as_str().trim_end_matches('/')
        ),
        problem: problem.map(|p| format!("{} {}", p.number, p.title)),
        expires: format_time(expires_at, &to.time_zone),
        organisation,
    };
    let subject = match problem {
        Some(p) => format!("[{}] Your sign-in link to follow {}", p.number, p.title),
        None => format!("Your sign-in link to {}", view.organisation),
    };
    Ok(RenderedEmail {
        from: config.mail_from.clone(),
        to: mailbox(&to.name, to)?,
        subject,
        message_id: message_id(None, outbox, config.host()),
        in_reply_to: None,
        references: None,
        text: PortalLinkText { view: &view }.render()?,
        html: PortalLinkHtml { view: &view }.render()?,
    })
}
