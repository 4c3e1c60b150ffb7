//! Inbound email: any bytes, parsed within default limits, must never panic; whatever parses
//! must answer every question the desk asks of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use makegood_notify::inbound::{Limits, parse, reply};

fuzz_target!(|raw: &[u8]| {
    if let Ok(mail) = parse(raw, &Limits::default()) {
        let _ = mail.our_reference("desk.example.com");
        let _ = mail.subject_tag();
        assert!(mail.reply.len() <= mail.text.len(), "the reply is cut from the text");
    }
    if let Ok(text) = std::str::from_utf8(raw) {
        let _ = reply(text);
    }
});
