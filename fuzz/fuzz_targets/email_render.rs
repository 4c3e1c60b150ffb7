//! Email rendering: every email notice built with arbitrary text in every text field (names,
//! titles, bodies, summaries, comments, factors, time zones) is rendered and formatted as a
//! MIME message. Nothing panics, and two oracles hold:
//! - header injection: the header block has only the headers the renderer writes, each once,
//!   and every other line is a folded continuation, so no CR/LF from the input starts a header;
//! - escaping: when the input carries the marker `<fuzz`, the HTML part never shows it raw.
#![no_main]

use arbitrary::Arbitrary;
use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;
use makegood_domain::duty::{AccountRef, ProblemRef, PromiseRef};
use makegood_domain::{
    AccountId, AlertKind, Clock, ClockKind, ClockState, Duty, Email, MemberId, Notice, ProblemId,
    ProblemNumber, PromiseId, Recipient,
};
use makegood_notify::NotifyConfig;
use makegood_notify::render::render_email;

/// What the escaping oracle looks for; [`Text`] appends it to a field on request.
const MARKER: &str = "\"'<fuzz>&";

const KINDS: [ClockKind; 10] = [
    ClockKind::Tell,
    ClockKind::Update,
    ClockKind::Fix,
    ClockKind::Promise,
    ClockKind::Approval,
    ClockKind::Prevention,
    ClockKind::Check,
    ClockKind::VendorPromise,
    ClockKind::Call,
    ClockKind::Review,
];

const ZONES: &[&str] = &["UTC", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"];

/// A text field: arbitrary, optionally with the marker added.
#[derive(Arbitrary, Debug)]
struct Text(String, bool);

impl Text {
    fn get(&self) -> String {
        if self.1 {
            format!("{}{MARKER}", self.0)
        } else {
            self.0.clone()
        }
    }
}

#[derive(Arbitrary, Debug)]
struct To {
    name: Text,
    local: String,
    /// A zone from the list, or any text.
    zone: Result<u8, String>,
}

#[derive(Arbitrary, Debug)]
struct Problem {
    id: i64,
    number: i64,
    title: Text,
}

#[derive(Arbitrary, Debug)]
struct DutyIn {
    kind: u8,
    state: u8,
    due: Option<i64>,
    problem: Option<Problem>,
    promise: Option<(i64, Text)>,
    summary: Text,
    account: Option<(i64, Text)>,
}

#[derive(Arbitrary, Debug)]
enum Kind {
    CustomerUpdate {
        problem: Problem,
        from_name: Text,
        body: Text,
        first: Option<i64>,
        previous: Option<i64>,
    },
    Alert {
        alert: u8,
        clock: u8,
        problem: Option<Problem>,
        promise: Option<(i64, Text)>,
        summary: Text,
        due_at: i64,
    },
    Digest {
        duties: Vec<DutyIn>,
    },
    Survey {
        problem: Problem,
        token: Text,
        first: Option<i64>,
        previous: Option<i64>,
    },
    LowRating {
        problem: Problem,
        contact: Text,
        account: Text,
        rating: u8,
        recommend: u8,
        comment: Text,
    },
    CustomerWrote {
        problem: Problem,
        contact: Text,
        account: Text,
        body: Text,
        upset: bool,
    },
    PortalLink {
        token: Text,
        problem: Option<Problem>,
        expires_at: i64,
    },
    AccountRed {
        account: (i64, Text),
        score: u8,
        factors: Vec<Text>,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    to: To,
    kind: Kind,
    outbox: i64,
    created_at: i64,
    /// The sender's name (the organisation), set by the operator.
    organisation: Option<Text>,
}

fn instant(seconds: i64) -> Timestamp {
    let span = Timestamp::MAX.as_second() - Timestamp::MIN.as_second();
    Timestamp::from_second(Timestamp::MIN.as_second() + seconds.rem_euclid(span))
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

fn problem(p: &Problem) -> ProblemRef {
    ProblemRef {
        id: ProblemId(p.id),
        number: ProblemNumber(p.number),
        title: p.title.get(),
    }
}

fn duty(d: &DutyIn) -> Duty {
    let states = ClockState::ALL;
    let start = instant(0);
    Duty {
        kind: KINDS[usize::from(d.kind) % KINDS.len()],
        member: MemberId(1),
        clock: Clock {
            kind: KINDS[usize::from(d.kind) % KINDS.len()],
            state: states[usize::from(d.state) % states.len()],
            started_at: start,
            warn_at: None,
            due_at: d.due.map(instant),
            stopped_at: None,
        },
        problem: d.problem.as_ref().map(problem),
        promise: d.promise.as_ref().map(|(id, what)| PromiseRef {
            id: PromiseId(*id),
            what: what.get(),
        }),
        summary: d.summary.get(),
        account: d.account.as_ref().map(|(id, name)| AccountRef {
            id: AccountId(*id),
            name: name.get(),
        }),
    }
}

/// The headers the renderer writes (lettre adds the MIME ones).
const HEADERS: &[&str] = &[
    "From",
    "To",
    "Subject",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Date",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
];

/// Checks the top-level header block of a formatted message.
fn check_headers(formatted: &[u8]) {
    let end = formatted
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a message has a header block");
    let block = &formatted[..end];
    let text = std::str::from_utf8(block).expect("headers are ASCII or UTF-8");
    let mut seen: Vec<&str> = Vec::new();
    for line in text.split("\r\n") {
        assert!(
            !line.contains('\r') && !line.contains('\n'),
            "a bare CR or LF in a header line: {line:?}"
        );
        if line.starts_with(' ') || line.starts_with('\t') {
            assert!(!seen.is_empty(), "a continuation before any header");
            continue;
        }
        let (name, _) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("a header line without a name: {line:?}"));
        assert!(
            HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)),
            "an unexpected header {name:?} (injected?) in {text}"
        );
        assert!(
            !seen.iter().any(|s| s.eq_ignore_ascii_case(name)),
            "header {name:?} twice (injected?) in {text}"
        );
        seen.push(name);
    }
}

fuzz_target!(|input: Input| {
    let mut config = NotifyConfig::new(
        "https://desk.example.com",
        "Acme Support <support@acme.example>",
    )
    .expect("a valid config");
    // The operator's sender name, as the configuration reads it (what lettre cannot parse
    // never gets that far).
    if let Some(org) = &input.organisation {
        if let Ok(c) = NotifyConfig::new(
            "https://desk.example.com",
            &format!("{} <support@acme.example>", org.get()),
        ) {
            config = c;
        }
    }
    let email = Email::parse(&format!("{}@example.com", input.to.local))
        .or_else(|_| Email::parse("someone@example.com"))
        .expect("a valid address");
    let to = Recipient {
        name: input.to.name.get(),
        email,
        time_zone: match &input.to.zone {
            Ok(i) => ZONES[usize::from(*i) % ZONES.len()].to_owned(),
            Err(s) => s.clone(),
        },
    };
    let member = MemberId(1);
    let notice = match &input.kind {
        Kind::CustomerUpdate {
            problem: p,
            from_name,
            body,
            first,
            previous,
        } => Notice::CustomerUpdate {
            problem: problem(p),
            to,
            from_name: from_name.get(),
            body: body.get(),
            first: *first,
            previous: *previous,
        },
        Kind::Alert {
            alert,
            clock,
            problem: p,
            promise,
            summary,
            due_at,
        } => Notice::Alert {
            to,
            member,
            alert: [AlertKind::Warning, AlertKind::Breach, AlertKind::PromiseBroken]
                [usize::from(*alert) % 3],
            clock: KINDS[usize::from(*clock) % KINDS.len()],
            problem: p.as_ref().map(problem),
            promise: promise.as_ref().map(|(id, what)| PromiseRef {
                id: PromiseId(*id),
                what: what.get(),
            }),
            summary: summary.get(),
            due_at: instant(*due_at),
        },
        Kind::Digest { duties } => Notice::Digest {
            to,
            member,
            duties: duties.iter().take(20).map(duty).collect(),
        },
        Kind::Survey {
            problem: p,
            token,
            first,
            previous,
        } => Notice::Survey {
            problem: problem(p),
            to,
            token: token.get(),
            first: *first,
            previous: *previous,
        },
        Kind::LowRating {
            problem: p,
            contact,
            account,
            rating,
            recommend,
            comment,
        } => Notice::LowRating {
            to,
            member,
            problem: problem(p),
            contact: contact.get(),
            account: account.get(),
            rating: *rating,
            recommend: *recommend,
            comment: comment.get(),
        },
        Kind::CustomerWrote {
            problem: p,
            contact,
            account,
            body,
            upset,
        } => Notice::CustomerWrote {
            to,
            member,
            problem: problem(p),
            contact: contact.get(),
            account: account.get(),
            body: body.get(),
            upset: *upset,
        },
        Kind::PortalLink {
            token,
            problem: p,
            expires_at,
        } => Notice::PortalLink {
            to,
            token: token.get(),
            problem: p.as_ref().map(problem),
            expires_at: instant(*expires_at),
        },
        Kind::AccountRed {
            account: (id, name),
            score,
            factors,
        } => Notice::AccountRed {
            to,
            member,
            account: AccountRef {
                id: AccountId(*id),
                name: name.get(),
            },
            score: *score,
            factors: factors.iter().take(20).map(Text::get).collect(),
        },
    };
    let Ok(email) = render_email(&notice, input.outbox, instant(input.created_at), &config)
    else {
        return;
    };
    assert!(
        !email.html.contains("<fuzz"),
        "the HTML part shows input unescaped:\n{}",
        email.html
    );
    for id in [Some(&email.message_id), email.in_reply_to.as_ref(), email.references.as_ref()]
        .into_iter()
        .flatten()
    {
        assert!(!id.contains(['\r', '\n']), "a message id with a line break: {id:?}");
    }
    let Ok(message) = email.to_message(instant(input.created_at)) else {
        return;
    };
    check_headers(&message.formatted());
});
