//! Validated text: emails and bounded strings, parsed at the edge.

use std::fmt;

use serde::{Deserialize, Serialize};

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
