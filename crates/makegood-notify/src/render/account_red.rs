//! "Acme turned red": an account's health fell below 50, emailed to whoever reviews it.

use askama::Template;
use makegood_domain::Recipient;
use makegood_domain::duty::AccountRef;

use super::RenderError;
use super::email::{RenderedEmail, mailbox, message_id};
use crate::NotifyConfig;

/// What both parts show.
pub(super) struct AccountRedView<'a> {
    pub account: &'a str,
    pub score: u8,
    pub factors: &'a [String],
    pub link: String,
}

#[derive(Template)]
#[template(path = "account_red.txt")]
struct AccountRedText<'a> {
    red: &'a AccountRedView<'a>,
}

#[derive(Template)]
#[template(path = "account_red.html")]
struct AccountRedHtml<'a> {
    red: &'a AccountRedView<'a>,
}

/// The reviewer's email for outbox message `outbox`.
pub(super) fn account_red_email(
    to: &Recipient,
    account: &AccountRef,
    score: u8,
    factors: &[String],
    outbox: i64,
    config: &NotifyConfig,
) -> Result<RenderedEmail, RenderError> {
    let view = AccountRedView {
        account: &account.name,
        score,
        factors,
        link: config.account_link(account.id),
    };
    Ok(RenderedEmail {
        from: config.mail_from.clone(),
        to: mailbox(&to.name, to)?,
        subject: format!("{} turned red: review the account", account.name),
        message_id: message_id(None, outbox, config.host()),
        in_reply_to: None,
        references: None,
        text: AccountRedText { red: &view }.render()?,
        html: AccountRedHtml { red: &view }.render()?,
    })
}
