//! Follow-up emails: the survey to a stakeholder (threaded like the problem's customer
//! updates) and the alert a low answer sends the owner and the supervisors.

use askama::Template;
use lettre::message::Mailbox;
use makegood_domain::duty::ProblemRef;
use makegood_domain::{ProblemId, Recipient};

use super::RenderError;
use super::email::{RenderedEmail, message_id};
use crate::NotifyConfig;

/// The survey, to one stakeholder.
#[derive(Template)]
#[template(path = "survey.txt")]
struct SurveyText<'a> {
    name: &'a str,
    reference: &'a str,
    link: &'a str,
    organisation: &'a str,
}

#[derive(Template)]
#[template(path = "survey.html")]
struct SurveyHtml<'a> {
    name: &'a str,
    reference: &'a str,
    link: &'a str,
    organisation: &'a str,
}

/// A low answer, to one member.
#[derive(Template)]
#[template(path = "low_rating.txt")]
struct LowRatingText<'a> {
    low: &'a LowRatingView<'a>,
}

#[derive(Template)]
#[template(path = "low_rating.html")]
struct LowRatingHtml<'a> {
    low: &'a LowRatingView<'a>,
}

/// What both parts of a low-rating alert show.
pub(super) struct LowRatingView<'a> {
    pub contact: &'a str,
    pub account: &'a str,
    pub problem: String,
    pub rating: u8,
    pub recommend: u8,
    pub comment: &'a str,
    pub link: String,
}

fn mailbox(recipient: &Recipient) -> Result<Mailbox, RenderError> {
    let address = recipient
        .email
        .to_string()
        .parse()
        .map_err(|_| RenderError::Address(recipient.email.to_string()))?;
    Ok(Mailbox::new(
        Some(super::email::display_name(&recipient.name)),
        address,
    ))
}

/// `In-Reply-To` (the previous email, else the first) and `References` (the first and the
/// previous, once each) of a message in problem `problem`'s thread.
fn thread(
    problem: ProblemId,
    first: Option<i64>,
    previous: Option<i64>,
    host: &str,
) -> (Option<String>, Option<String>) {
    let mut parents: Vec<String> = Vec::new();
    for id in [first, previous].into_iter().flatten() {
        let id = message_id(Some(problem), id, host);
        if !parents.contains(&id) {
            parents.push(id);
        }
    }
    let in_reply_to = previous
        .or(first)
        .map(|id| message_id(Some(problem), id, host));
    (
        in_reply_to,
        (!parents.is_empty()).then(|| parents.join(" ")),
    )
}

/// The sign-in link a survey carries: the portal lands the contact on the problem.
pub fn survey_link(config: &NotifyConfig, token: &str) -> String {
    format!(
        "{}/portal/link/{token}",
        config.public_url.as_str().trim_end_matches('/')
    )
}

/// The survey email for outbox message `outbox`.
pub(super) fn survey_email(
    problem: &ProblemRef,
    to: &Recipient,
    token: &str,
    first: Option<i64>,
    previous: Option<i64>,
    outbox: i64,
    config: &NotifyConfig,
) -> Result<RenderedEmail, RenderError> {
    let host = config.host();
    let organisation = config
        .mail_from
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .unwrap_or("us");
    let reference = format!("{} {}", problem.number, problem.title);
    let link = survey_link(config, token);
    let (in_reply_to, references) = thread(problem.id, first, previous, host);
    Ok(RenderedEmail {
        from: config.mail_from.clone(),
        to: mailbox(to)?,
        subject: format!("[{}] How did we do on {}?", problem.number, problem.title),
        message_id: message_id(Some(problem.id), outbox, host),
        in_reply_to,
        references,
        text: SurveyText {
            name: &to.name,
            reference: &reference,
            link: &link,
            organisation,
        }
        .render()?,
        html: SurveyHtml {
            name: &to.name,
            reference: &reference,
            link: &link,
            organisation,
        }
        .render()?,
    })
}

/// The low-rating alert for outbox message `outbox`.
#[expect(
    clippy::too_many_arguments,
    reason = "the fields of the notice, unpacked"
)]
pub(super) fn low_rating_email(
    to: &Recipient,
    problem: &ProblemRef,
    contact: &str,
    account: &str,
    rating: u8,
    recommend: u8,
    comment: &str,
    outbox: i64,
    config: &NotifyConfig,
) -> Result<RenderedEmail, RenderError> {
    let view = LowRatingView {
        contact,
        account,
        problem: format!("{} {}", problem.number, problem.title),
        rating,
        recommend,
        comment,
        link: config.problem_link(problem.id),
    };
    Ok(RenderedEmail {
        from: config.mail_from.clone(),
        to: mailbox(to)?,
        subject: format!(
            "[{}] Low rating: {contact} ({account}) gave {rating}/5, would recommend {recommend}/10 — call them",
            problem.number
        ),
        message_id: message_id(Some(problem.id), outbox, config.host()),
        in_reply_to: None,
        references: None,
        text: LowRatingText { low: &view }.render()?,
        html: LowRatingHtml { low: &view }.render()?,
    })
}
