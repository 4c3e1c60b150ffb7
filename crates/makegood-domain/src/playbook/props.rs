//! Property tests: no template text, however broken, makes rendering or validation panic.

use proptest::prelude::*;

use super::*;

/// Text built from template syntax, variables and noise, so the parser sees near misses.
fn template_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        " if ",
        " for ",
        " in ",
        " endif ",
        " endfor ",
        " else ",
        "contact",
        ".first_name",
        "promise",
        ".due_at",
        "problem.number",
        "|",
        " upper",
        "range(",
        ")",
        "(",
        "'",
        "\"",
        "~",
        "*",
        "9999999",
        "-",
        "\n",
        " ",
        "x",
        "é",
        "set ",
        "macro ",
        "include ",
        "raw",
        "endraw",
        "loop.index",
        "none",
        "[",
        "]",
        ",",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(source in ".{0,200}") {
        let _ = render_template(TemplateKind::Apology, &source, &TemplateContext::sample());
    }

    #[test]
    fn template_like_text_never_panics_and_errors_point_inside(source in template_text()) {
        match render_template(TemplateKind::Update, &source, &TemplateContext::sample()) {
            Ok(out) => prop_assert!(out.chars().count() <= crate::text::limits::MESSAGE),
            Err(e) => {
                let lines = source.lines().count().max(1);
                prop_assert!(e.line.is_none_or(|l| l >= 1 && l <= lines + 1), "{e} in {source:?}");
            }
        }
        let draft = PlaybookDraft {
            category: "print".into(),
            items: vec!["Call".into()],
            templates: Templates { fixed: source, ..Templates::default() },
        };
        let _ = draft.validate();
    }
}
