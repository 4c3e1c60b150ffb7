//! Playbooks: validation, checklist progress, and rendering good and bad templates.

use rstest::rstest;

use super::render::{first_name, format_time};
use super::*;

fn draft(category: &str, items: &[&str]) -> PlaybookDraft {
    PlaybookDraft {
        category: category.into(),
        items: items.iter().map(|s| (*s).to_owned()).collect(),
        templates: Templates::default(),
    }
}

fn with(kind: TemplateKind, source: &str) -> PlaybookDraft {
    let mut d = draft("print", &["Call them"]);
    *d.templates.get_mut(kind) = source.to_owned();
    d
}

#[rstest]
#[case::first_name("Hello {{ contact.first_name }},", "Hello Dana,")]
#[case::number(
    "About {{ problem.number }}: {{ problem.title }}",
    "About MG-12: Brochures printed in the wrong colour"
)]
#[case::promise(
    "{% if promise %}By {{ promise.due_at }}{% endif %}",
    "By Friday 4 December 2026, 17:00 UTC"
)]
#[case::filters(
    "{{ owner.name | upper }} of {{ organisation.name }}",
    "SAM PATEL of Acme Studio"
)]
#[case::defined(
    "{% if contact.nickname is defined %}x{% else %}{{ account.name }}{% endif %}",
    "Northwind Print"
)]
#[case::no_escaping("{{ '<b>' }} & co", "<b> & co")]
#[case::loop_("{% for i in range(3) %}{{ i }}{% endfor %}", "012")]
fn good_templates_render_against_the_sample(#[case] source: &str, #[case] expected: &str) {
    let out = render_template(TemplateKind::Apology, source, &TemplateContext::sample()).unwrap();
    assert_eq!(out, expected);
}

#[rstest]
#[case::unknown_variable("Hi {{ contact.nickname }}", Some(1), "unknown variable")]
#[case::unknown_top_level("Line one\nHi {{ customer }}", Some(2), "unknown variable")]
#[case::unclosed_block(
    "Dear {{ contact.first_name }},\n{% if promise %}\nsoon",
    Some(2),
    "unexpected end of input"
)]
#[case::unclosed_expression("{{ contact.name ", Some(1), "syntax error")]
#[case::unknown_filter("{{ contact.name | shout }}", Some(1), "unknown filter")]
#[case::include("{% include 'other' %}", Some(1), "")]
#[case::debug_global("{{ debug() }}", Some(1), "unknown function")]
#[case::endless(
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    None,
    "too much work"
)]
#[case::huge("{{ 'x' * 100000000 }}", None, "")]
fn bad_templates_report_the_line_and_what_is_wrong(
    #[case] source: &str,
    #[case] line: Option<usize>,
    #[case] words: &str,
) {
    let e = render_template(TemplateKind::Update, source, &TemplateContext::sample()).unwrap_err();
    if line.is_some() {
        assert_eq!(e.line, line, "{e}");
        assert!(
            e.to_string()
                .starts_with(&format!("line {}: ", line.unwrap_or(0))),
            "{e}"
        );
    }
    assert!(e.message.contains(words), "{e}");
}

#[test]
fn a_missing_promise_is_none_not_undefined() {
    let mut ctx = TemplateContext::sample();
    ctx.promise = None;
    let guarded = "{% if promise %}due {{ promise.due_at }}{% else %}no date yet{% endif %}";
    assert_eq!(
        render_template(TemplateKind::Update, guarded, &ctx).unwrap(),
        "no date yet"
    );
    let e = render_template(TemplateKind::Update, "due {{ promise.due_at }}", &ctx).unwrap_err();
    assert_eq!(e.line, Some(1));
}

#[test]
fn a_draft_is_normalised_and_every_error_reported() {
    let ok = PlaybookDraft {
        category: "  Print ".into(),
        items: vec![
            " Call the IT director ".into(),
            "".into(),
            "Offer a re-shoot".into(),
        ],
        templates: Templates {
            apology: "Dear {{ contact.first_name }},\n\nwe are sorry.\n\n".into(),
            ..Templates::default()
        },
    }
    .validate()
    .unwrap();
    assert_eq!(ok.category, "Print");
    assert_eq!(ok.items, ["Call the IT director", "Offer a re-shoot"]);
    assert_eq!(
        ok.templates.apology,
        "Dear {{ contact.first_name }},\n\nwe are sorry."
    );
    assert_eq!(ok.templates.kinds(), [TemplateKind::Apology]);

    let mut bad = draft(" ", &["Call", "call", &"x".repeat(201)]);
    bad.templates.fixed = "Fixed.\n{{ problem.numbr }}".into();
    bad.templates.update = "{% if %}".into();
    let errors = bad.validate().unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "category",
            "items",
            "items",
            "templates.update",
            "templates.fixed"
        ]
    );
    assert_eq!(errors[4].line, Some(2));
    assert!(
        errors[4].message.contains("unknown variable"),
        "{:?}",
        errors[4]
    );
    assert!(errors[1].message.contains("twice"));

    let many: Vec<String> = (0..=MAX_ITEMS).map(|i| format!("item {i}")).collect();
    let errors = PlaybookDraft {
        items: many,
        ..draft("print", &[])
    }
    .validate()
    .unwrap_err();
    assert_eq!(errors[0].message, "a checklist has at most 50 items");
    let long = with(TemplateKind::Apology, &"x".repeat(limits::MESSAGE + 1))
        .validate()
        .unwrap_err();
    assert_eq!(long[0].field, "templates.apology");
}

#[test]
fn progress_is_keyed_by_item_text() {
    let tick = Tick {
        by: MemberId(1),
        at: Timestamp::UNIX_EPOCH,
    };
    let items = vec![
        "Call".to_owned(),
        "Apologise".to_owned(),
        "Reprint".to_owned(),
    ];
    let ticks = vec![("Apologise".to_owned(), tick), ("Gone".to_owned(), tick)];
    let list = Checklist::new(Some(PlaybookId(1)), "print", &items, &ticks);
    assert_eq!(list.progress(), "1 of 3 done");
    assert_eq!(list.item(2).map(|i| i.done), Some(Some(tick)));
    // Moved to the front, it keeps its tick; reworded, it starts afresh.
    let moved = vec!["Apologise".to_owned(), "Call".to_owned()];
    assert_eq!(
        Checklist::new(None, "print", &moved, &ticks)
            .item(1)
            .and_then(|i| i.done),
        Some(tick)
    );
    let reworded = vec!["Apologise in person".to_owned()];
    assert_eq!(Checklist::new(None, "print", &reworded, &ticks).done(), 0);
}

#[test]
fn names_keys_kinds_and_times() {
    assert_eq!(category_key("  Custom Software "), "custom software");
    assert_eq!(items_from_lines("a\r\n\n  b \n"), ["a", "b"]);
    assert_eq!(first_name("  Dana Whitfield"), "Dana");
    assert_eq!(first_name(""), "");
    for kind in TemplateKind::ALL {
        assert_eq!(TemplateKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(TemplateKind::parse("sorry"), None);
    let at: Timestamp = "2026-12-04T16:00:00Z".parse().unwrap();
    assert_eq!(
        format_time(at, "Europe/Berlin"),
        "Friday 4 December 2026, 17:00 CET"
    );
    assert_eq!(
        format_time(at, "Mars/Olympus"),
        "Friday 4 December 2026, 16:00 UTC"
    );
}
