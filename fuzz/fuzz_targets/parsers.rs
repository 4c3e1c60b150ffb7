//! The parsers behind query strings, forms and JSON bodies, fed arbitrary text: money
//! amounts, currencies, problem numbers and keys, email addresses, bounded text, API times,
//! calendar specs as JSON, and the enum names lists filter by. (The query-string and form
//! structs themselves are fuzzed through the app's own extractors: see `web_requests`.)
//! Nothing panics, and where a value has a canonical form, parsing it again gives it back:
//! - `Money::parse_amount(m.amount()) == m`, never negative;
//! - `ProblemNumber` parses what it prints (`MG-n`, n > 0), and a problem key agrees with it;
//! - `Email::parse` is idempotent on what it returns; `Currency` likewise;
//! - `bounded` gives trimmed text within its bound;
//! - an API time parses what it prints; a calendar spec's JSON reads back equal, and builds
//!   the same calendar.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use makegood_domain::text::{bounded, optional};
use makegood_domain::{
    CalendarSpec, ClockState, Currency, Email, Money, ProblemNumber, PromiseStatus, Role, Status,
};
use makegood_web::api::types::{ProblemKey, parse_problem_key, parse_time};

#[derive(Arbitrary, Debug)]
enum Input {
    Amount(String, String),
    ProblemNumber(String),
    Email(String),
    Bounded(String, u16),
    Time(String),
    CalendarJson(Vec<u8>),
    Names(String),
}

fuzz_target!(|input: Input| {
    match input {
        Input::Amount(text, code) => {
            let eur = Currency::new("EUR").expect("EUR is a currency");
            if let Ok(c) = Currency::new(&code) {
                assert_eq!(Currency::new(c.code()).ok(), Some(c.clone()), "currency round trip");
            }
            if let Ok(m) = Money::parse_amount(&text, eur.clone()) {
                assert!(m.minor >= 0, "a parsed amount is never negative: {text:?}");
                let again = Money::parse_amount(&m.amount(), eur).expect("an amount parses");
                assert_eq!(again, m, "{text:?} printed as {:?}", m.amount());
                let _ = m.label();
                let _ = m.to_string();
            }
        }
        Input::ProblemNumber(text) => {
            let parsed = text.parse::<ProblemNumber>();
            if let Ok(n) = parsed {
                assert!(n.0 > 0, "problem numbers are positive");
                assert_eq!(n.to_string().parse::<ProblemNumber>(), Ok(n), "number round trip");
            }
            match parse_problem_key(&text) {
                Some(ProblemKey::Number(n)) => assert_eq!(parsed, Ok(n)),
                Some(ProblemKey::Id(id)) => {
                    assert!(id.0 > 0, "ids are positive");
                    assert!(parsed.is_err());
                }
                None => assert!(parsed.is_err(), "a number is a key"),
            }
        }
        Input::Email(text) => {
            if let Ok(e) = Email::parse(&text) {
                assert_eq!(Email::parse(e.as_str()).as_ref(), Ok(&e), "email is idempotent");
                assert!(e.as_str().len() <= 254);
                let json = serde_json::to_string(&e).expect("an email serialises");
                let back: Email = serde_json::from_str(&json).expect("an email deserialises");
                assert_eq!(back, e);
            }
        }
        Input::Bounded(text, max) => {
            let max = usize::from(max % 2000);
            if let Ok(s) = bounded(&text, max) {
                assert_eq!(s, s.trim());
                assert!(!s.is_empty() && s.chars().count() <= max);
            }
            if let Ok(s) = optional(&text, max) {
                assert!(s.chars().count() <= max);
            }
        }
        Input::Time(text) => {
            if let Ok(t) = parse_time(&text) {
                assert_eq!(parse_time(&t.to_string()), Ok(t), "time round trip");
            }
        }
        Input::CalendarJson(bytes) => {
            if let Ok(spec) = serde_json::from_slice::<CalendarSpec>(&bytes) {
                check_spec(&spec);
            }
        }
        Input::Names(text) => {
            for s in [
                Status::parse(&text).map(Status::as_str),
                ClockState::parse(&text).map(ClockState::as_str),
                PromiseStatus::parse(&text).map(PromiseStatus::as_str),
                Role::parse(&text).map(Role::as_str),
            ]
            .into_iter()
            .flatten()
            {
                assert_eq!(s, text, "a name parses only as itself");
            }
        }
    }
});

fn check_spec(spec: &CalendarSpec) {
    let json = serde_json::to_vec(spec).expect("a spec serialises");
    let back: CalendarSpec = serde_json::from_slice(&json).expect("a spec reads back");
    assert_eq!(&back, spec, "calendar spec JSON round trip");
    match (spec.to_calendar(), back.to_calendar()) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("the same spec built differently"),
    }
}
