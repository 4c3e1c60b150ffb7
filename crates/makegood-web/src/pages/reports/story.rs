//! Each section's headline: one sentence that tells its story in words, so the figures and
//! the chart below only confirm it ("23 of 25 promises kept on time; 1 broken without notice").

use makegood_domain::report::{
    CadenceReport, FailureReport, PreventionReport, PromiseCounts, RecoveryReport, RemedyReport,
    TimingReport, percent,
};
use makegood_domain::{FailureLevel, Outcome};

use crate::pages::time::friendly;

/// `1 promise`, `3 promises`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// ` (92%)`, or nothing when there is no whole.
fn share(part: u64, whole: u64) -> String {
    percent(part, whole).map_or_else(String::new, |p| format!(" ({p:.0}%)"))
}

/// Minutes as people read a duration: `45m`, `3h 20m`, `2d 4h`.
pub fn minutes(m: i64) -> String {
    friendly(jiff::SignedDuration::from_mins(m))
}

pub fn promises(c: &PromiseCounts) -> String {
    let ended = c.ended();
    if ended == 0 {
        return "No promise ended in this period.".to_owned();
    }
    let mut parts = vec![format!(
        "{} of {} kept on time",
        c.kept,
        count(ended, "promise", "promises")
    )];
    if c.renegotiated > 0 {
        parts.push(format!("{} renegotiated in time", c.renegotiated));
    }
    if c.released > 0 {
        parts.push(format!("{} released by the customer", c.released));
    }
    if c.broken == 0 {
        parts.push("none broken".to_owned());
    } else if c.broken_silently == 0 {
        parts.push(format!("{} broken, each with notice", c.broken));
    } else if c.broken_silently == c.broken {
        parts.push(format!("{} broken without notice", c.broken));
    } else {
        parts.push(format!(
            "{} broken, {} of them without notice",
            c.broken, c.broken_silently
        ));
    }
    format!("{}.", parts.join("; "))
}

/// Time to tell and time to fix in one sentence.
pub fn timing(tell: &TimingReport, fix: &TimingReport) -> String {
    let total = |t: &TimingReport| {
        t.by_severity
            .iter()
            .fold((0, 0), |(n, w), s| (n + s.count, w + s.within_policy))
    };
    let (told, told_in) = total(tell);
    let (fixed, fixed_in) = total(fix);
    if told == 0 && fixed == 0 {
        return "No customer was first told of a problem, and no problem was fixed, in this period."
            .to_owned();
    }
    let mut parts = Vec::new();
    if told > 0 {
        parts.push(format!(
            "Customers were told within policy on {told_in} of {}{}",
            count(told, "problem", "problems"),
            share(told_in, told)
        ));
    }
    if fixed > 0 {
        parts.push(format!(
            "{} within policy {fixed_in} of {} times{}",
            if told > 0 { "fixes came" } else { "Fixes came" },
            fixed,
            share(fixed_in, fixed)
        ));
    }
    // The severity furthest behind its policy, if any is.
    let worst = fix
        .by_severity
        .iter()
        .filter(|s| s.count > s.within_policy)
        .max_by_key(|s| s.count - s.within_policy);
    let mut sentence = parts.join("; ");
    if let Some(s) = worst {
        sentence.push_str(&format!(
            "; {} fixes missed policy most ({} of {})",
            super::view::severity_label(s.severity).to_lowercase(),
            s.count - s.within_policy,
            s.count
        ));
    }
    sentence.push('.');
    sentence
}

pub fn cadence(c: &CadenceReport) -> String {
    if c.intervals == 0 {
        return "No update interval ended in this period.".to_owned();
    }
    let missed = c.intervals - c.met;
    format!(
        "{} of {} between customer updates met the policy's cadence{}{}.",
        c.met,
        count(c.intervals, "interval", "intervals"),
        share(c.met, c.intervals),
        if missed == 0 {
            String::new()
        } else {
            format!("; {missed} ran late")
        }
    )
}

pub fn remedies(r: &RemedyReport) -> String {
    let delivered: u64 = r.spend.iter().map(|s| s.count).sum();
    let decided = r.approvals.approved + r.approvals.rejected;
    if delivered == 0 && decided == 0 {
        return "No make-good was delivered or decided in this period.".to_owned();
    }
    let mut parts = Vec::new();
    if delivered > 0 {
        let mut totals: Vec<(String, i64, i64)> = Vec::new();
        for s in &r.spend {
            match totals.iter_mut().find(|(c, _, _)| *c == s.currency) {
                Some(t) => {
                    t.1 += s.cost_minor;
                    t.2 += s.vendor_share_minor;
                }
                None => totals.push((s.currency.clone(), s.cost_minor, s.vendor_share_minor)),
            }
        }
        let money: Vec<String> = totals
            .iter()
            .map(|(currency, cost, share)| {
                let mut text = super::view::money(*cost, currency);
                if *share != 0 {
                    text.push_str(&format!(
                        " ({} of it owed by vendors)",
                        super::view::money(*share, currency)
                    ));
                }
                text
            })
            .collect();
        parts.push(format!(
            "{} delivered, costing {}",
            count(delivered, "make-good", "make-goods"),
            money.join(" and ")
        ));
    }
    if decided > 0 {
        let mut text = format!(
            "{} above authority decided ({} approved)",
            count(decided, "remedy", "remedies"),
            r.approvals.approved
        );
        if let Some(m) = r.approvals.median_minutes {
            text.push_str(&format!(" in a median {}", minutes(m)));
        }
        parts.push(text);
    }
    let mut sentence = parts.join("; ");
    if let Some(first) = sentence.get(..1) {
        sentence = first.to_uppercase() + sentence.get(1..).unwrap_or_default();
    }
    sentence.push('.');
    sentence
}

pub fn prevention(p: &PreventionReport) -> String {
    let recurred: u64 = p.recurring.iter().map(|r| r.count).sum();
    if p.due == 0 && p.checks == 0 && recurred == 0 {
        return "No corrective action was due and nothing recurred in this period.".to_owned();
    }
    let mut parts = Vec::new();
    if p.due > 0 {
        parts.push(format!(
            "{} of {} done on time",
            p.done_on_time,
            count(p.due, "corrective action", "corrective actions")
        ));
    }
    if p.checks > 0 {
        parts.push(format!(
            "{} of {} found the action effective",
            p.effective,
            count(p.checks, "effectiveness check", "effectiveness checks")
        ));
    }
    if recurred == 0 {
        parts.push("nothing recurred".to_owned());
    } else {
        let top = p
            .recurring
            .first()
            .map(|r| format!(", most in {}", r.category))
            .unwrap_or_default();
        parts.push(format!(
            "{} flagged{top}",
            count(recurred, "recurrence", "recurrences")
        ));
    }
    let mut sentence = parts.join("; ");
    if let Some(first) = sentence.get(..1) {
        sentence = first.to_uppercase() + sentence.get(1..).unwrap_or_default();
    }
    sentence.push('.');
    sentence
}

pub fn recovery(r: &RecoveryReport) -> String {
    let closed: u64 = r.outcomes.iter().map(|o| o.count).sum();
    let kept: u64 = r
        .outcomes
        .iter()
        .filter(|o| matches!(o.outcome, Outcome::Advocate | Outcome::Retained))
        .map(|o| o.count)
        .sum();
    let lost: u64 = r
        .outcomes
        .iter()
        .filter(|o| o.outcome == Outcome::Lost)
        .map(|o| o.count)
        .sum();
    if r.answers == 0 && closed == 0 {
        return "No follow-up was answered and no problem was closed in this period.".to_owned();
    }
    let mut parts = Vec::new();
    if r.answers > 0 {
        let mut text = count(r.answers, "customer answered", "customers answered");
        if let Some(rating) = r.average_rating {
            text.push_str(&format!(" the follow-up: average rating {rating:.1} of 5"));
        }
        if let Some(nps) = r.nps {
            text.push_str(&format!(", net promoter score {nps:+}"));
        }
        parts.push(text);
    }
    if closed > 0 {
        parts.push(format!(
            "of {} closed, {kept} kept the customer{}",
            count(closed, "problem", "problems"),
            if lost > 0 {
                format!(" and {lost} lost them")
            } else {
                String::new()
            }
        ));
    }
    let mut sentence = parts.join("; ");
    if let Some(first) = sentence.get(..1) {
        sentence = first.to_uppercase() + sentence.get(1..).unwrap_or_default();
    }
    sentence.push('.');
    sentence
}

pub fn failures(f: &FailureReport) -> String {
    let total: u64 = f.levels.iter().map(|l| l.total()).sum();
    if total == 0 {
        return "No failure was logged and no promise broken in this period.".to_owned();
    }
    let at_promise: u64 = f
        .levels
        .iter()
        .filter(|l| l.level == FailureLevel::Promise)
        .map(|l| l.total())
        .sum();
    let early = total - at_promise;
    let tail = if at_promise == 0 {
        "none reached a customer's promise — fail early, as here".to_owned()
    } else {
        format!(
            "{} at the promise level, where it costs most",
            count(at_promise, "failure", "failures")
        )
    };
    format!(
        "{} failed before reaching a customer (idea to pilot); {tail}.",
        count(early, "thing", "things")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_promise_headline_says_kept_of_ended_and_silence() {
        let c = PromiseCounts {
            kept: 23,
            renegotiated: 1,
            released: 0,
            broken: 1,
            broken_silently: 1,
        };
        assert_eq!(
            promises(&c),
            "23 of 25 promises kept on time; 1 renegotiated in time; 1 broken without notice."
        );
        assert_eq!(
            promises(&PromiseCounts::default()),
            "No promise ended in this period."
        );
        let one = PromiseCounts {
            kept: 1,
            ..PromiseCounts::default()
        };
        assert_eq!(promises(&one), "1 of 1 promise kept on time; none broken.");
    }

    #[test]
    fn the_cadence_headline_counts_late_intervals() {
        let c = CadenceReport {
            intervals: 40,
            met: 35,
            by_month: Vec::new(),
        };
        assert_eq!(
            cadence(&c),
            "35 of 40 intervals between customer updates met the policy's cadence (88%); 5 ran late."
        );
    }

    #[test]
    fn the_failure_headline_praises_failing_early() {
        use makegood_domain::report::FailureCount;
        let levels = FailureLevel::ALL
            .into_iter()
            .map(|level| FailureCount {
                level,
                logged: 2,
                broken_promises: 0,
            })
            .collect();
        assert_eq!(
            failures(&FailureReport { levels }),
            "8 things failed before reaching a customer (idea to pilot); 2 failures at the promise level, where it costs most."
        );
    }
}
