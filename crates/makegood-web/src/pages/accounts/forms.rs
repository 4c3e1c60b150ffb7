//! The account pages' forms: what was typed (kept on failure) and how it is checked.

use makegood_domain::text::limits;
use makegood_domain::{AccountId, Email};
use makegood_store::StoreError;
use serde::Deserialize;

use crate::api::types::Check;
use crate::error::AppError;
use crate::pages::FieldErrors;
use crate::pages::PageError;

/// A form's result: done, or the errors to show beside its fields.
pub enum Outcome<T> {
    Done(T),
    Invalid(FieldErrors),
}

/// A store result as an [`Outcome`]: invalid input goes beside its field, anything else is
/// an error page.
pub fn field_errors<T>(result: Result<T, StoreError>) -> Result<Outcome<T>, PageError> {
    match result {
        Ok(value) => Ok(Outcome::Done(value)),
        Err(StoreError::Invalid { field, message }) => {
            let mut errors = FieldErrors::default();
            errors.push(&field, message);
            Ok(Outcome::Invalid(errors))
        }
        Err(other) => Err(other.into()),
    }
}

fn checked(check: Check) -> Result<(), FieldErrors> {
    match check.finish() {
        Ok(()) => Ok(()),
        Err(AppError::Validation(errors)) => Err(errors.into()),
        Err(other) => {
            let mut errors = FieldErrors::default();
            errors.push("form", other.to_string());
            Err(errors)
        }
    }
}

/// The new- and edit-account form, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    pub name: String,
    /// An account id, or empty for none.
    pub parent: String,
    pub tier: String,
    /// A member id, or empty for nobody in particular (only the edit form shows it).
    pub owner: String,
}

impl AccountForm {
    /// The owner chosen: `None` for nobody, or the errors beside the field.
    pub fn owner(&self) -> Result<Option<makegood_domain::MemberId>, FieldErrors> {
        match self.owner.trim() {
            "" => Ok(None),
            id => id
                .parse::<i64>()
                .map(|id| Some(makegood_domain::MemberId(id)))
                .map_err(|_| {
                    let mut errors = FieldErrors::default();
                    errors.push("owner", "choose a member from the list, or nobody");
                    errors
                }),
        }
    }

    /// Name, parent and tier, or the errors beside the fields.
    pub fn parse(&self) -> Result<(String, Option<AccountId>, Option<String>), FieldErrors> {
        let mut check = Check::default();
        let name = check.text("name", &self.name, limits::ORGANISATION_NAME);
        let tier = check.optional("tier", &self.tier, limits::TIER);
        let parent = match self.parent.trim() {
            "" => None,
            id => match id.parse::<i64>() {
                Ok(id) => Some(AccountId(id)),
                Err(_) => {
                    check.fail("parent", "choose an account from the list, or none");
                    None
                }
            },
        };
        checked(check)?;
        Ok((name, parent, Some(tier).filter(|t| !t.is_empty())))
    }
}

/// The add-contact form, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub name: String,
    pub role_title: String,
    pub email: String,
    pub phone: String,
}

/// A contact's fields, checked.
pub struct ContactFields {
    pub name: String,
    pub role_title: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
}

impl ContactForm {
    pub fn parse(&self) -> Result<ContactFields, FieldErrors> {
        let mut check = Check::default();
        let name = check.text("name", &self.name, limits::PERSON_NAME);
        let role_title = check.optional("role_title", &self.role_title, limits::ROLE_TITLE);
        let phone = check.optional("phone", &self.phone, limits::PHONE);
        let email = match self.email.trim() {
            "" => None,
            email => match Email::parse(email) {
                Ok(email) => Some(email),
                Err(e) => {
                    check.fail("email", e.to_string());
                    None
                }
            },
        };
        checked(check)?;
        Ok(ContactFields {
            name,
            role_title,
            email,
            phone: Some(phone).filter(|p| !p.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_name_each_bad_field() {
        let form = AccountForm {
            name: "  ".into(),
            parent: "x".into(),
            tier: "t".repeat(60),
            owner: "nobody".into(),
        };
        let errors = form.parse().err().unwrap_or_default();
        for field in ["name", "parent", "tier"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(
            form.owner()
                .err()
                .unwrap_or_default()
                .get("owner")
                .is_some()
        );
        let contact = ContactForm {
            name: "Ann".into(),
            email: "not an email".into(),
            ..ContactForm::default()
        };
        let errors = contact.parse().err().unwrap_or_default();
        assert!(errors.get("email").is_some(), "{errors:?}");
        assert!(errors.get("name").is_none());
    }
}
