//! `makegood init`: the organisation and its first admin, from flags or prompts.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use makegood_domain::{Currency, Email, Money, Role};
use makegood_store::{NewMember, Store};

use crate::cli::InitArgs;
use crate::clock;

pub async fn init(store: &Store, args: InitArgs) -> anyhow::Result<()> {
    if let Some(org) = store.organisation().await? {
        bail!(
            "the organisation \"{}\" is already set up; sign in instead",
            org.name
        );
    }
    let interactive = std::io::stdin().is_terminal() && !args.password_stdin;
    let organisation = value(args.organisation, "Organisation name", interactive)?;
    let name = value(args.name, "Your name", interactive)?;
    let email = value(args.email, "Your email", interactive)?;
    let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("email {e}"))?;
    if !makegood_domain::member::valid_time_zone(&args.time_zone) {
        bail!(
            "time zone \"{}\" is not an IANA time zone such as Europe/Berlin",
            args.time_zone
        );
    }
    let currency = Currency::new(&args.currency).map_err(|e| anyhow::anyhow!("{e}"))?;
    let password = password(args.password_stdin)?;
    makegood_web::validate_password(&password).map_err(anyhow::Error::msg)?;

    let admin = NewMember {
        name,
        email,
        role: Role::Admin,
        remedy_authority: Money::new(0, currency),
        time_zone: args.time_zone,
        password_hash: Some(makegood_web::auth::hash_password(&password)?),
    };
    let member = store.initialise(&organisation, admin, clock::now()).await?;
    println!(
        "Created {organisation} with admin {} <{}>.",
        member.name, member.email
    );
    println!("Start makegood with `makegood serve` and sign in.");
    Ok(())
}

fn value(given: Option<String>, prompt: &str, interactive: bool) -> anyhow::Result<String> {
    match given {
        Some(v) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
        _ if interactive => Ok(dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .interact_text()?),
        _ => bail!("{prompt} is required (pass it as a flag)"),
    }
}

fn password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    Ok(dialoguer::Password::new()
        .with_prompt("Password (at least 10 characters)")
        .with_confirmation("Again", "The passwords differ")
        .interact()?)
}
