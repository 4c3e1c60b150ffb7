//! `makegood token`: an API token for a member, for scripts and the first curl.

use anyhow::{anyhow, bail};
use makegood_domain::{Email, TokenScope};
use makegood_store::Store;

use crate::cli::TokenArgs;
use crate::clock;

pub async fn create(store: &Store, args: TokenArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email).map_err(|e| anyhow!("email {e}"))?;
    let Some((member, _)) = store.member_credentials(&email).await? else {
        bail!("no member has the email {email}");
    };
    if !member.active {
        bail!("{} is deactivated", member.name);
    }
    let scope = if args.read_only {
        TokenScope::Read
    } else {
        TokenScope::Write
    };
    let (_, secret) =
        makegood_web::auth::issue_api_token(store, member.id, &args.name, scope, clock::now())
            .await?;
    let access = if args.read_only {
        "read-only"
    } else {
        "read-write"
    };
    eprintln!(
        "API token \"{}\" ({access}) for {} (shown this once):",
        args.name, member.name
    );
    println!("{secret}");
    Ok(())
}
