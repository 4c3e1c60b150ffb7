//! Validated text: emails and bounded strings, parsed at the edge.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest each piece of text may be, in characters: one table for the store and every
/// interface, so an API check can never disagree with the store's.
pub mod limits {
    /// A problem's title.
    pub const TITLE: usize = 200;
    /// A problem's description.
    pub const DESCRIPTION: usize = 20_000;
    /// A problem's category.
    pub const CATEGORY: usize = 80;
    /// A person's name: members and contacts.
    pub const PERSON_NAME: usize = 120;
    /// An organisation's name: accounts, vendors, the organisation itself.
    pub const ORGANISATION_NAME: usize = 200;
    /// What an API token is for.
    pub const TOKEN_NAME: usize = 100;
    /// A contact's role title, e.g. `IT Director`.
    pub const ROLE_TITLE: usize = 100;
    /// A phone number as written.
    pub const PHONE: usize = 50;
    /// An account's tier label.
    pub const TIER: usize = 50;
    /// What was promised.
    pub const PROMISE: usize = 500;
    /// A reason (waiting, reopening, renegotiating, releasing) or a fix summary.
    pub const REASON: usize = 2_000;
    /// A customer-visible update or an internal note.
    pub const MESSAGE: usize = 20_000;
    /// A business calendar's name.
    pub const CALENDAR_NAME: usize = 100;
    /// A webhook endpoint's name.
    pub const WEBHOOK_NAME: usize = 100;
    /// A webhook endpoint's URL.
    pub const URL: usize = 2_000;
    /// What the customer is told a remedy gives them.
    pub const REMEDY: usize = 1_000;
}

/// Why a piece of text was refused.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum TextError {
    #[error("is required")]
    Empty,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("is not an email address like name@example.com")]
    NotAnEmail,
}

/// Trims `s` and checks it is present and at most `max` characters.
pub fn bounded(s: &str, max: usize) -> Result<String, TextError> {
    let s = s.trim();
    if s.is_empty() {
        Err(TextError::Empty)
    } else if s.chars().count() > max {
        Err(TextError::TooLong { max })
    } else {
        Ok(s.to_owned())
    }
}

/// Like [`bounded`], but empty is allowed.
pub fn optional(s: &str, max: usize) -> Result<String, TextError> {
    if s.trim().is_empty() {
        Ok(String::new())
    } else {
        bounded(s, max)
    }
}

/// An email address, lower-cased in its domain, checked for a plausible shape.
///
/// Deliverability is proven by delivering; this only refuses what cannot be an address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = Email, example = "controller@acme.example")]
pub struct Email(String);

impl Email {
    /// Parses and normalises an address.
    pub fn parse(s: &str) -> Result<Self, TextError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(TextError::Empty);
        }
        if s.len() > 254 {
            return Err(TextError::TooLong { max: 254 });
        }
        let (local, domain) = s.rsplit_once('@').ok_or(TextError::NotAnEmail)?;
        let ok = !local.is_empty()
            && !domain.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && !local.contains('@');
        if !ok {
            return Err(TextError::NotAnEmail);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Email::parse(&s).map_err(|e| serde::de::Error::custom(format!("email {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("ann@Acme.Example", Ok("ann@acme.example"))]
    #[case("  bo@x.io ", Ok("bo@x.io"))]
    #[case("", Err(TextError::Empty))]
    #[case("no-at.example", Err(TextError::NotAnEmail))]
    #[case("a@nodot", Err(TextError::NotAnEmail))]
    #[case("a b@x.io", Err(TextError::NotAnEmail))]
    #[case("a@.x.io", Err(TextError::NotAnEmail))]
    fn parses_emails(#[case] input: &str, #[case] expected: Result<&str, TextError>) {
        assert_eq!(
            Email::parse(input).map(|e| e.as_str().to_owned()),
            expected.map(str::to_owned)
        );
    }

    #[test]
    fn bounded_text_is_trimmed_and_limited() {
        assert_eq!(bounded("  hi ", 5), Ok("hi".into()));
        assert_eq!(bounded("   ", 5), Err(TextError::Empty));
        assert_eq!(bounded("héllo!", 5), Err(TextError::TooLong { max: 5 }));
        assert_eq!(optional("", 5), Ok(String::new()));
    }
}
