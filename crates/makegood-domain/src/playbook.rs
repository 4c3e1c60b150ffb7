//! Playbooks: per problem category, an ordered checklist and message templates.
//!
//! A playbook is found by its category, compared trimmed and case-insensitively
//! ([`category_key`]). Checklist progress is keyed by an item's **text**: moving an item keeps
//! its tick, rewording it starts it afresh, removing it hides its tick (the timeline keeps the
//! history of every tick and untick). Templates are rendered in a sandbox, see [`render`].

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::MemberId;
use crate::text::{TextError, bounded, limits};

pub mod render;

pub use render::{TemplateContext, TemplateError, render_template};

/// The longest checklist a playbook may have.
pub const MAX_ITEMS: usize = 50;
/// The longest checklist item, in characters.
pub const ITEM_LENGTH: usize = 200;

/// A playbook (the store assigns the id).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
#[schema(value_type = i64)]
pub struct PlaybookId(pub i64);

impl fmt::Display for PlaybookId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The moments a playbook has a message for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// Telling the customer first, before they find out.
    FirstTold,
    /// Keeping them in the loop.
    Update,
    /// It is fixed.
    Fixed,
    /// Owning it: the apology.
    Apology,
}

impl TemplateKind {
    /// Every kind, in the order a problem usually needs them.
    pub const ALL: [TemplateKind; 4] = [
        TemplateKind::FirstTold,
        TemplateKind::Update,
        TemplateKind::Fixed,
        TemplateKind::Apology,
    ];

    /// The API name, e.g. `first_told`.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::FirstTold => "first_told",
            TemplateKind::Update => "update",
            TemplateKind::Fixed => "fixed",
            TemplateKind::Apology => "apology",
        }
    }

    /// Parses an API name.
    pub fn parse(s: &str) -> Option<TemplateKind> {
        TemplateKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// In words, for forms.
    pub fn label(self) -> &'static str {
        match self {
            TemplateKind::FirstTold => "First told",
            TemplateKind::Update => "Update",
            TemplateKind::Fixed => "Fixed",
            TemplateKind::Apology => "Apology",
        }
    }
}

/// The four message templates of a playbook; an empty one means "none for this moment".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    #[serde(default)]
    pub first_told: String,
    #[serde(default)]
    pub update: String,
    #[serde(default)]
    pub fixed: String,
    #[serde(default)]
    pub apology: String,
}

impl Templates {
    /// The template for `kind` (possibly empty).
    pub fn get(&self, kind: TemplateKind) -> &str {
        match kind {
            TemplateKind::FirstTold => &self.first_told,
            TemplateKind::Update => &self.update,
            TemplateKind::Fixed => &self.fixed,
            TemplateKind::Apology => &self.apology,
        }
    }

    /// The template for `kind`, to change it.
    pub fn get_mut(&mut self, kind: TemplateKind) -> &mut String {
        match kind {
            TemplateKind::FirstTold => &mut self.first_told,
            TemplateKind::Update => &mut self.update,
            TemplateKind::Fixed => &mut self.fixed,
            TemplateKind::Apology => &mut self.apology,
        }
    }

    /// The kinds that have a template.
    pub fn kinds(&self) -> Vec<TemplateKind> {
        TemplateKind::ALL
            .into_iter()
            .filter(|k| !self.get(*k).trim().is_empty())
            .collect()
    }
}

/// A playbook as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Playbook {
    pub id: PlaybookId,
    /// The problem category it is for, e.g. `print`.
    pub category: String,
    /// The checklist, in order.
    pub items: Vec<String>,
    pub templates: Templates,
}

/// A playbook as entered: to create one, or to replace one whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaybookDraft {
    pub category: String,
    pub items: Vec<String>,
    pub templates: Templates,
}

/// One refusal of a playbook draft, named by field: `category`, `items` or
/// `templates.<kind>`; a template error carries its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftError {
    pub field: String,
    pub message: String,
    /// The template line the error is on, when it is about a template.
    pub line: Option<usize>,
}

impl DraftError {
    fn text(field: &str, e: &TextError) -> Self {
        Self {
            field: field.to_owned(),
            message: e.to_string(),
            line: None,
        }
    }
}

/// The key a category is found by: trimmed, lower case.
pub fn category_key(category: &str) -> String {
    category.trim().to_lowercase()
}

/// Checklist items from text, one per line; blank lines are dropped.
pub fn items_from_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl PlaybookDraft {
    /// Checks and normalises the draft: a category, at most [`MAX_ITEMS`] distinct items of at
    /// most [`ITEM_LENGTH`] characters, and templates that each render against
    /// [`TemplateContext::sample`]. Returns every refusal, not just the first.
    pub fn validate(&self) -> Result<PlaybookDraft, Vec<DraftError>> {
        let mut errors = Vec::new();
        let category = bounded(&self.category, limits::CATEGORY).unwrap_or_else(|e| {
            errors.push(DraftError::text("category", &e));
            String::new()
        });
        let mut items: Vec<String> = Vec::with_capacity(self.items.len());
        for item in self
            .items
            .iter()
            .map(|i| i.trim())
            .filter(|i| !i.is_empty())
        {
            if item.chars().count() > ITEM_LENGTH {
                errors.push(DraftError::text(
                    "items",
                    &TextError::TooLong { max: ITEM_LENGTH },
                ));
            } else if items
                .iter()
                .any(|i| i.to_lowercase() == item.to_lowercase())
            {
                errors.push(DraftError {
                    field: "items".into(),
                    message: format!("“{item}” is listed twice; each item once"),
                    line: None,
                });
            } else {
                items.push(item.to_owned());
            }
        }
        if items.len() > MAX_ITEMS {
            errors.push(DraftError {
                field: "items".into(),
                message: format!("a checklist has at most {MAX_ITEMS} items"),
                line: None,
            });
        }
        let sample = TemplateContext::sample();
        let mut templates = Templates::default();
        for kind in TemplateKind::ALL {
            let field = format!("templates.{}", kind.as_str());
            let source = self.templates.get(kind);
            if source.chars().count() > limits::MESSAGE {
                errors.push(DraftError::text(
                    &field,
                    &TextError::TooLong {
                        max: limits::MESSAGE,
                    },
                ));
                continue;
            }
            if source.trim().is_empty() {
                continue;
            }
            if let Err(e) = render_template(kind, source, &sample) {
                errors.push(DraftError {
                    field,
                    message: e.to_string(),
                    line: e.line,
                });
            }
            // Kept as typed (minus trailing blanks): whitespace is part of a message.
            source.trim_end().clone_into(templates.get_mut(kind));
        }
        if errors.is_empty() {
            Ok(PlaybookDraft {
                category,
                items,
                templates,
            })
        } else {
            Err(errors)
        }
    }
}

/// Who ticked a checklist item, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Tick {
    #[schema(value_type = i64)]
    pub by: MemberId,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
}

/// One item of a problem's checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChecklistItem {
    /// 1-based, in the playbook's current order.
    pub position: u32,
    pub text: String,
    /// Set when done.
    pub done: Option<Tick>,
}

/// A problem's checklist: its category's playbook items with their progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Checklist {
    /// The playbook, if the problem's category has one.
    pub playbook: Option<PlaybookId>,
    pub category: String,
    pub items: Vec<ChecklistItem>,
}

impl Checklist {
    /// Lays `items` out with the ticks that match their text.
    pub fn new(
        playbook: Option<PlaybookId>,
        category: &str,
        items: &[String],
        ticks: &[(String, Tick)],
    ) -> Self {
        let items = items
            .iter()
            .zip(1..)
            .map(|(text, position)| ChecklistItem {
                position,
                text: text.clone(),
                done: ticks.iter().find(|(t, _)| t == text).map(|(_, tick)| *tick),
            })
            .collect();
        Self {
            playbook,
            category: category.to_owned(),
            items,
        }
    }

    /// How many items are done.
    pub fn done(&self) -> usize {
        self.items.iter().filter(|i| i.done.is_some()).count()
    }

    /// The item at 1-based `position`.
    pub fn item(&self, position: u32) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.position == position)
    }

    /// "2 of 5 done".
    pub fn progress(&self) -> String {
        format!("{} of {} done", self.done(), self.items.len())
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
