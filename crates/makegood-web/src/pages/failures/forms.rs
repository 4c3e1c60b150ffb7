//! The failure log's form: what was typed (kept on failure) and how it is checked.

use makegood_domain::failure::{FailureEntry, FailureFields, FailureLevel};
use makegood_store::StoreError;
use serde::Deserialize;

use crate::pages::{FieldErrors, PageError};

/// The quick-entry and edit form, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FailureForm {
    pub level: String,
    pub what_happened: String,
    pub lesson: String,
    /// `MG-12`, or empty.
    pub problem: String,
    /// The version edited (hidden), for a clash with someone else's edit.
    pub version: String,
}

impl FailureForm {
    /// The form filled in from `entry`, to edit it.
    pub fn of(entry: &FailureEntry) -> Self {
        Self {
            level: entry.level.as_str().to_owned(),
            what_happened: entry.what_happened.clone(),
            lesson: entry.lesson.clone(),
            problem: entry
                .problem
                .map(|p| format!("MG-{}", p.0))
                .unwrap_or_default(),
            version: entry.version.to_string(),
        }
    }

    /// The checked fields, or the errors beside each.
    pub fn parse(&self) -> Result<FailureFields, FieldErrors> {
        let level = FailureLevel::parse(self.level.trim());
        let checked = crate::api::failures::fields(
            level.unwrap_or(FailureLevel::Idea),
            &self.what_happened,
            &self.lesson,
            Some(self.problem.as_str()),
        );
        let mut errors = match &checked {
            Ok(_) => FieldErrors::default(),
            Err(e) => FieldErrors::from(e.clone()),
        };
        if level.is_none() {
            errors.push(
                "level",
                "choose how far it got: idea, prototype, mockup, pilot or promise",
            );
        }
        match checked {
            Ok(fields) if errors.is_empty() => Ok(fields),
            _ => Err(errors),
        }
    }
}

/// A store result: invalid input goes beside its field, anything else is an error page.
pub fn outcome<T>(result: Result<T, StoreError>) -> Result<Result<T, FieldErrors>, PageError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(StoreError::Invalid { field, message }) => {
            let mut errors = FieldErrors::default();
            errors.push(&field, message);
            Ok(Err(errors))
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_named() {
        let form = FailureForm {
            level: "launch".into(),
            what_happened: " ".into(),
            lesson: "ok".into(),
            problem: "twelve".into(),
            version: String::new(),
        };
        let errors = form.parse().err().unwrap_or_default();
        for field in ["level", "what_happened", "problem"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(errors.get("lesson").is_none());
    }
}
