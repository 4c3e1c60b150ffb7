//! The timeline in words for preventions, recurrences and vendor promises.

use makegood_domain::{EventKind, ProblemNumber};

use super::words::Names;

/// (class, label, lead, body) of one prevention or vendor-promise event.
pub(super) fn row(
    kind: &EventKind,
    who: &str,
    names: &Names,
) -> (&'static str, &'static str, String, Option<String>) {
    match kind {
        EventKind::PreventionRecorded {
            root_cause,
            cause_category,
            corrective_action,
            owner,
            due_at,
            ..
        } => (
            "status",
            "Prevention",
            format!(
                "{who} recorded the root cause ({cause_category}); {} is to “{corrective_action}” by {}:",
                names.member(Some(*owner)),
                names.at(*due_at)
            ),
            Some(root_cause.clone()),
        ),
        EventKind::PreventionRevised {
            corrective_action,
            due_at,
            ..
        } => (
            "status",
            "Prevention",
            format!(
                "{who} revised the corrective action, due {}:",
                names.at(*due_at)
            ),
            Some(corrective_action.clone()),
        ),
        EventKind::PreventionDone { .. } => (
            "status",
            "Prevention",
            format!("{who} marked the corrective action done"),
            None,
        ),
        EventKind::PreventionChecked {
            effective, note, ..
        } => (
            if *effective { "status" } else { "alarm" },
            "Prevention",
            if *effective {
                format!("{who} checked the corrective action: it worked")
            } else {
                format!("{who} checked the corrective action: it did not work, so it is open again")
            },
            note.clone(),
        ),
        EventKind::RecurrenceFlagged {
            earlier,
            basis,
            category,
            ..
        } => (
            "alarm",
            "Recurring",
            format!(
                "Recurring: same {} as {} ({category})",
                if basis == "cause_category" {
                    "cause"
                } else {
                    "category"
                },
                ProblemNumber(earlier.0)
            ),
            None,
        ),
        EventKind::VendorPromiseMade { what, due_at, .. } => (
            "promise",
            "Vendor",
            format!(
                "{who} recorded a vendor promise, due {}:",
                names.at(*due_at)
            ),
            Some(what.clone()),
        ),
        EventKind::VendorPromiseKept { .. } => (
            "promise",
            "Vendor",
            format!("{who} recorded that the vendor kept its promise"),
            None,
        ),
        EventKind::VendorPromiseBroken { due_at, .. } => (
            "alarm",
            "Vendor",
            format!(
                "The vendor broke its promise: it was due {}",
                names.at(*due_at)
            ),
            None,
        ),
        EventKind::VendorPromiseRenegotiated {
            from_due,
            to_due,
            reason,
            ..
        } => (
            "promise",
            "Vendor",
            format!(
                "{who} recorded the vendor's new date: {} instead of {}, because:",
                names.at(*to_due),
                names.at(*from_due)
            ),
            Some(reason.clone()),
        ),
        _ => ("status", "", format!("{who}: {}", kind.name()), None),
    }
}
