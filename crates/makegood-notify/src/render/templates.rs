//! The askama templates of email bodies: a plain text and an HTML part of each (HTML escaped).

use askama::Template;

/// A customer-visible update to one stakeholder.
#[derive(Template)]
#[template(path = "customer_update.txt")]
pub(super) struct CustomerUpdateText<'a> {
    pub body: &'a str,
    pub signature: &'a str,
    pub reference: &'a str,
}

#[derive(Template)]
#[template(path = "customer_update.html")]
pub(super) struct CustomerUpdateHtml<'a> {
    pub body: &'a str,
    pub signature: &'a str,
    pub reference: &'a str,
}

/// A clock transition or broken promise, to one member.
#[derive(Template)]
#[template(path = "alert.txt")]
pub(super) struct AlertText<'a> {
    pub alert: &'a AlertView,
}

#[derive(Template)]
#[template(path = "alert.html")]
pub(super) struct AlertHtml<'a> {
    pub alert: &'a AlertView,
}

/// What both alert parts show.
pub(super) struct AlertView {
    pub headline: &'static str,
    pub summary: String,
    pub problem: Option<String>,
    pub promise: Option<String>,
    pub clock: &'static str,
    pub due: String,
    pub link: Option<String>,
}

/// The day's duties, to one member.
#[derive(Template)]
#[template(path = "digest.txt")]
pub(super) struct DigestText<'a> {
    pub digest: &'a DigestView,
}

#[derive(Template)]
#[template(path = "digest.html")]
pub(super) struct DigestHtml<'a> {
    pub digest: &'a DigestView,
}

/// What both digest parts show.
pub(super) struct DigestView {
    pub name: String,
    pub date: String,
    pub items: Vec<DigestItem>,
}

/// One duty in a digest.
pub(super) struct DigestItem {
    pub summary: String,
    pub state: String,
    pub due: Option<String>,
    pub link: Option<String>,
}
