//! Playbook message templates: members write them (minijinja, sandboxed, with fuel), so any
//! source text with any variable values is rendered. Nothing panics (the renderer promises
//! it), a render is bounded (fuel; libFuzzer's timeout catches a runaway), deterministic,
//! trimmed and within the length of an update; and the values are never HTML-escaped, since
//! the result is plain text (a value that is its whole template comes back as itself).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use makegood_domain::TemplateKind;
use makegood_domain::playbook::render::{ContactVars, NameVars, ProblemVars, PromiseVars};
use makegood_domain::text::limits;
use makegood_domain::playbook::{TemplateContext, render_template};

#[derive(Arbitrary, Debug)]
struct Input {
    kind: u8,
    source: String,
    /// Values for the variables; `None` keeps the sample's.
    values: Option<Values>,
}

#[derive(Arbitrary, Debug)]
struct Values {
    contact: (String, String, String),
    account: String,
    problem: (String, String, String),
    owner: String,
    organisation: String,
    promise: Option<(String, String)>,
}

fuzz_target!(|input: Input| {
    let kind = TemplateKind::ALL[usize::from(input.kind) % TemplateKind::ALL.len()];
    let context = match input.values {
        None => TemplateContext::sample(),
        Some(v) => TemplateContext {
            contact: ContactVars {
                name: v.contact.0,
                first_name: v.contact.1,
                role_title: v.contact.2,
            },
            account: NameVars { name: v.account },
            problem: ProblemVars {
                number: v.problem.0,
                title: v.problem.1,
                category: v.problem.2,
            },
            owner: NameVars { name: v.owner },
            organisation: NameVars {
                name: v.organisation,
            },
            promise: v.promise.map(|(what, due_at)| PromiseVars { what, due_at }),
        },
    };
    let first = render_template(kind, &input.source, &context);
    let second = render_template(kind, &input.source, &context);
    assert_eq!(first, second, "a render is deterministic");
    if let Ok(out) = &first {
        assert_eq!(out, out.trim(), "the result is trimmed");
        assert!(out.chars().count() <= limits::MESSAGE, "longer than an update");
    }
    // Plain text: a value comes back as it is, `<`, `&` and quotes included.
    let title = render_template(kind, "{{ problem.title }}", &context);
    assert_eq!(
        title.as_deref().ok(),
        (context.problem.title.chars().count() <= limits::MESSAGE)
            .then(|| context.problem.title.trim()),
        "a value renders as itself"
    );
});
