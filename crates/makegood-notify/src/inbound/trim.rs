//! The reply itself: a customer's new words without the quoted thread and the signature.
//!
//! Mail clients quote in a handful of ways; each is recognised by its first line and
//! everything from there on is left out. What is left out is never lost: the timeline keeps
//! the original beside the trimmed reply. When nothing would be left, the text is kept whole.

/// Lines that introduce the quoted message, in the languages customers write in most.
fn starts_quote(line: &str, next: Option<&str>) -> bool {
    let line = line.trim();
    if line.starts_with("-----Original Message-----")
        || line.starts_with("----- Original Message -----")
        || line.starts_with("-------- Original Message --------")
        || line.starts_with("-------- Message d'origine --------")
        || line.starts_with("---------- Forwarded message")
        || (line.len() >= 20 && line.chars().all(|c| c == '_'))
    {
        return true;
    }
    // Outlook: a "From:" header line followed by "Sent:" / "Date:" / "To:".
    if let Some(next) = next
        && starts_with_any(line, &["From:", "De :", "De:", "Von:", "Van:"])
    {
        return starts_with_any(
            next.trim(),
            &[
                "Sent:",
                "Date:",
                "To:",
                "Envoyé :",
                "Gesendet:",
                "Verzonden:",
            ],
        );
    }
    // "On Tue, 1 Dec 2026 at 09:12, Alex <alex@example.com> wrote:", possibly wrapped.
    let joined = match next {
        Some(next) if !ends_attribution(line) => format!("{line} {}", next.trim()),
        _ => line.to_owned(),
    };
    starts_with_any(
        &joined.to_lowercase(),
        &["on ", "le ", "am ", "el ", "op ", "il "],
    ) && ends_attribution(&joined)
}

/// Whether a line ends like an attribution: "… wrote:", "… schrieb Alex <a@b.c>:".
fn ends_attribution(line: &str) -> bool {
    let line = line.trim_end().to_lowercase();
    line.ends_with(':')
        && [
            " wrote",
            " a écrit",
            " schrieb",
            " escribió",
            " schreef",
            " ha scritto",
        ]
        .iter()
        .any(|verb| line.contains(verb))
}

fn starts_with_any(line: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| line.starts_with(p))
}

/// Lines mobile clients append on their own.
fn is_client_footer(line: &str) -> bool {
    let line = line.trim().to_lowercase();
    line.starts_with("sent from my ")
        || line.starts_with("get outlook for ")
        || line.starts_with("sent from outlook")
        || line.starts_with("envoyé de mon ")
        || line.starts_with("von meinem ")
}

/// The new words of `text`: up to the first quoted message or signature delimiter, without
/// `>` quoted lines or a mobile client's footer; surrounding blank lines removed. The whole
/// text (trimmed) when that would leave nothing.
pub fn reply(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        // "-- " is the signature delimiter (RFC 3676); many clients drop the space.
        if matches!(line.trim_end(), "--" | "-- ") || line.trim_end() == "—" {
            break;
        }
        if starts_quote(line, lines.get(i + 1).copied()) {
            break;
        }
        if line.trim_start().starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    while kept
        .last()
        .is_some_and(|l| l.trim().is_empty() || is_client_footer(l))
    {
        kept.pop();
    }
    let mut out = String::new();
    let mut blank = 0;
    for line in kept.iter().skip_while(|l| l.trim().is_empty()) {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let out = out.trim_end().to_owned();
    if out.is_empty() {
        text.trim().to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rstest::rstest;

    use super::reply;

    #[rstest]
    #[case::gmail(
        "Thanks, that works.\n\nOn Tue, 1 Dec 2026 at 09:12, Alex Morgan <alex@northwind.example> wrote:\n> We fixed the export.\n",
        "Thanks, that works."
    )]
    #[case::gmail_wrapped(
        "Still broken here.\n\nOn Tue, 1 Dec 2026 at 09:12, Alex Morgan\n<alex@northwind.example> wrote:\n> We fixed it.\n",
        "Still broken here."
    )]
    #[case::outlook(
        "Please call me.\r\n\r\nFrom: Alex Morgan <alex@northwind.example>\r\nSent: Tuesday, December 1, 2026 9:12 AM\r\nTo: Priya\r\nSubject: RE: [MG-7]\r\n\r\nWe fixed it.",
        "Please call me."
    )]
    #[case::original_message("Fine.\n-----Original Message-----\nFrom: x\n", "Fine.")]
    #[case::outlook_rule("Noted.\n\n________________________________\nFrom: Alex\n", "Noted.")]
    #[case::signature(
        "See attached.\n\n-- \nPriya Shah\nController, Bright Smiles\n+44 20 7946 0000",
        "See attached."
    )]
    #[case::mobile_footer("OK, tomorrow then.\n\nSent from my iPhone", "OK, tomorrow then.")]
    #[case::french(
        "Merci, c'est réparé.\n\nLe mar. 1 déc. 2026 à 09:12, Alex Morgan <alex@northwind.example> a écrit :\n> Bonjour",
        "Merci, c'est réparé."
    )]
    #[case::german(
        "Danke!\n\nAm 01.12.2026 um 09:12 schrieb Alex Morgan <alex@northwind.example>:\n> Hallo",
        "Danke!"
    )]
    #[case::interleaved(
        "> Does it work now?\nYes.\n> And the export?\nStill missing.\n",
        "Yes.\nStill missing."
    )]
    #[case::blank_lines("\n\n\nFirst.\n\n\n\nSecond.\n\n", "First.\n\nSecond.")]
    #[case::only_quoted("> everything is quoted\n> here", "> everything is quoted\n> here")]
    #[case::plain("No quote at all.", "No quote at all.")]
    fn trims(#[case] text: &str, #[case] expected: &str) {
        assert_eq!(reply(text), expected);
    }

    #[test]
    fn a_sentence_starting_with_on_is_kept() {
        let text = "On Monday the app was down again.\nOn Tuesday too.";
        assert_eq!(reply(text), text);
    }

    proptest! {
        #[test]
        fn never_longer_than_the_text_and_never_empty_for_words(text in "\\PC*") {
            let r = reply(&text);
            prop_assert!(r.len() <= text.len() + 1);
            if !text.trim().is_empty() {
                prop_assert!(!r.is_empty());
            }
        }
    }
}
