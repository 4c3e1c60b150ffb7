//! Rendering a message template in a sandbox: the variables we give and nothing else.
//!
//! minijinja with no loader and no `include`/`extends`/`import` (the `multi_template` feature
//! is off), strict undefined variables (a misspelt name is an error, not an empty string), no
//! auto-escaping (the result is a plain-text message the member reviews), and a fuel budget
//! that bounds both the work and the memory one render may take. The result is at most
//! [`limits::MESSAGE`] characters, like any update.

use std::fmt;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use minijinja::{Environment, ErrorKind, UndefinedBehavior, Value};
use serde::Serialize;

use super::TemplateKind;
use crate::text::limits;

/// The budget of one render: about this many instructions, or 64 times as many bytes.
const FUEL: u64 = 100_000;
/// How deep templates may nest blocks.
const RECURSION: usize = 50;

/// Why a template cannot be rendered; shown to the member who saves or uses it, never to a
/// customer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct TemplateError {
    /// 1-based line of the template, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl From<minijinja::Error> for TemplateError {
    fn from(e: minijinja::Error) -> Self {
        let kind = match e.kind() {
            ErrorKind::UndefinedError => "unknown variable".to_owned(),
            ErrorKind::OutOfFuel => "the template does too much work to render".to_owned(),
            ErrorKind::TemplateNotFound => "templates cannot include other templates".to_owned(),
            other => other.to_string(),
        };
        let message = match e.detail() {
            Some(detail) => format!("{kind}: {detail}"),
            None => kind,
        };
        Self {
            line: e.line(),
            message,
        }
    }
}

/// The contact a message is written to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContactVars {
    pub name: String,
    pub first_name: String,
    pub role_title: String,
}

/// Something with a name: the account, the owner, the organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameVars {
    pub name: String,
}

/// The problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProblemVars {
    /// `MG-12`.
    pub number: String,
    pub title: String,
    pub category: String,
}

/// An open promise on the problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromiseVars {
    pub what: String,
    /// Formatted in the reader's time zone, e.g. `Friday 4 December 2026, 17:00 CET`.
    pub due_at: String,
}

/// Every variable a template may use. `promise` is `none` when the problem has no open
/// promise, so `{% if promise %}` works.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TemplateContext {
    pub contact: ContactVars,
    pub account: NameVars,
    pub problem: ProblemVars,
    pub owner: NameVars,
    pub organisation: NameVars,
    pub promise: Option<PromiseVars>,
}

/// The variables, for forms and docs: each name and an example.
pub const VARIABLES: [(&str, &str); 10] = [
    ("contact.first_name", "Dana"),
    ("contact.name", "Dana Whitfield"),
    ("contact.role_title", "Controller"),
    ("account.name", "Northwind Print"),
    ("problem.number", "MG-12"),
    ("problem.title", "Brochures printed in the wrong colour"),
    ("owner.name", "Sam Patel"),
    ("organisation.name", "Acme Studio"),
    ("promise.what", "Reprint delivered to your office"),
    ("promise.due_at", "Friday 4 December 2026, 17:00 UTC"),
];

impl TemplateContext {
    /// The context templates are checked against when saved: every variable set.
    pub fn sample() -> Self {
        let var = |name: &str| {
            VARIABLES
                .iter()
                .find(|(n, _)| *n == name)
                .map_or_else(String::new, |(_, v)| (*v).to_owned())
        };
        Self {
            contact: ContactVars {
                name: var("contact.name"),
                first_name: var("contact.first_name"),
                role_title: var("contact.role_title"),
            },
            account: NameVars {
                name: var("account.name"),
            },
            problem: ProblemVars {
                number: var("problem.number"),
                title: var("problem.title"),
                category: "print".into(),
            },
            owner: NameVars {
                name: var("owner.name"),
            },
            organisation: NameVars {
                name: var("organisation.name"),
            },
            promise: Some(PromiseVars {
                what: var("promise.what"),
                due_at: var("promise.due_at"),
            }),
        }
    }
}

/// The first word of a person's name: `Dana` of `Dana Whitfield`.
pub fn first_name(name: &str) -> String {
    name.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// `at` as a reader in time zone `zone` (IANA; UTC if unknown) reads it:
/// `Friday 4 December 2026, 17:00 CET`.
pub fn format_time(at: Timestamp, zone: &str) -> String {
    let tz = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
    at.to_zoned(tz)
        .strftime("%A %-d %B %Y, %H:%M %Z")
        .to_string()
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION);
    // Plain text, whatever the template's name.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    // `debug()` would print the whole context; nothing but the variables themselves.
    env.remove_global("debug");
    env
}

/// Renders template `source` for `kind` with `context`. Never panics, whatever `source` is.
pub fn render_template(
    kind: TemplateKind,
    source: &str,
    context: &TemplateContext,
) -> Result<String, TemplateError> {
    let env = environment();
    let out = env.render_named_str(
        kind.as_str(),
        source,
        Value::from(minijinja::value::Serde(context)),
    )?;
    if out.chars().count() > limits::MESSAGE {
        return Err(TemplateError {
            line: None,
            message: format!(
                "it renders to more than {} characters, the most an update may have",
                limits::MESSAGE
            ),
        });
    }
    Ok(out.trim().to_owned())
}
