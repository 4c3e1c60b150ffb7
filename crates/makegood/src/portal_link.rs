//! `makegood portal-link`: a sign-in link to the customer portal for a contact, printed for
//! an operator to pass on (the team's pages and the API only ever email it).

use anyhow::{anyhow, bail};
use makegood_domain::{Email, ProblemId};
use makegood_store::portal::PortalContact;
use makegood_store::{Store, StoreError};
use makegood_web::api::types::{ProblemKey, parse_problem_key};

use crate::cli::PortalLinkArgs;
use crate::clock;

pub async fn print(store: &Store, args: PortalLinkArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email).map_err(|e| anyhow!("email {e}"))?;
    let found = store.portal_contacts_with_email(&email).await?;
    let contact = choose(&email, found, args.account.as_deref())?;
    let now = clock::now();
    let problem = match args.problem.as_deref() {
        Some(key) => Some(problem_id(store, key, now).await?),
        None => None,
    };
    let link = store
        .issue_portal_link(contact.id, problem, None, now)
        .await?;
    eprintln!(
        "Portal sign-in link for {} at {} (works once, until {}):",
        contact.name, contact.account_name, link.expires_at
    );
    println!(
        "{}/portal/link/{}",
        args.public_url.trim_end_matches('/'),
        link.secret
    );
    Ok(())
}

/// The one contact meant: the only one with the address, or the one at `account`.
fn choose(
    email: &Email,
    found: Vec<PortalContact>,
    account: Option<&str>,
) -> anyhow::Result<PortalContact> {
    if found.is_empty() {
        bail!(
            "no contact has the email {email}: add it to the contact on their account's page first"
        );
    }
    let at = |c: &PortalContact| format!("{} (account {})", c.account_name, c.account.0);
    let matching: Vec<PortalContact> = match account {
        Some(wanted) => {
            let wanted = wanted.trim();
            let matching: Vec<_> = found
                .iter()
                .filter(|c| {
                    c.account_name.eq_ignore_ascii_case(wanted)
                        || wanted.parse::<i64>().is_ok_and(|id| id == c.account.0)
                })
                .cloned()
                .collect();
            if matching.is_empty() {
                let accounts: Vec<_> = found.iter().map(at).collect();
                bail!(
                    "no contact with the email {email} is at the account `{wanted}`; they are at: {}",
                    accounts.join(", ")
                );
            }
            matching
        }
        None => found,
    };
    let mut matching = matching;
    if matching.len() == 1 {
        return Ok(matching.remove(0));
    }
    let accounts: Vec<_> = matching.iter().map(at).collect();
    bail!(
        "{} contacts have the email {email}, at: {}; say which with --account NAME-OR-ID",
        matching.len(),
        accounts.join(", ")
    )
}

/// A problem named `MG-12` or by its id.
async fn problem_id(store: &Store, key: &str, now: jiff::Timestamp) -> anyhow::Result<ProblemId> {
    let not_found = || anyhow!("no problem {key}: give a problem number like MG-12, or its id");
    match parse_problem_key(key.trim()) {
        Some(ProblemKey::Id(id)) => Ok(id),
        Some(ProblemKey::Number(number)) => match store.problem(ProblemId(number.0), now).await {
            Ok(view) if view.problem.number == number => Ok(view.problem.id),
            Ok(_) | Err(StoreError::NotFound { .. }) => Err(not_found()),
            Err(other) => Err(other.into()),
        },
        None => Err(not_found()),
    }
}
