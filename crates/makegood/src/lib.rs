//! The `makegood` command: configuration, wiring and subcommands.

mod background;
mod backup;
pub mod cli;
pub mod clock;
mod demo;
mod init;
mod mail;
mod portal_link;
mod serve;
mod token;
mod transfer;
mod worker;

use std::process::ExitCode;

use anyhow::Context;
use makegood_store::Store;

use crate::cli::{Cli, Command, MailCommand};

/// Runs a parsed command line to completion and reports failure on stderr.
pub fn run(cli: Cli) -> ExitCode {
    // An export or import streams each table in one statement, which sqlx would call slow.
    let quiet = matches!(cli.command, Command::Export(_) | Command::Import(_));
    let default_filter = if quiet {
        "info,sqlx=error,sea_orm=warn"
    } else {
        "info,sqlx=warn,sea_orm=warn"
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_filter.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // An MTA reads the exit status: a database it cannot reach now is worth a retry.
    let mail = matches!(cli.command, Command::Mail(_));
    match runtime.block_on(dispatch(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            match e.downcast_ref::<mail::Exit>() {
                Some(exit) => exit.code(),
                None if mail => mail::Exit::tempfail(),
                None => ExitCode::FAILURE,
            }
        }
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<()> {
    // These work on the database file itself: nothing is migrated, nothing created.
    match cli.command {
        Command::Backup(args) => return backup::backup(&cli.database_url, args).await,
        Command::Restore(args) => return backup::restore(&cli.database_url, args).await,
        _ => {}
    }
    let store = open(&cli.database_url).await?;
    match cli.command {
        Command::Serve(args) => serve::serve(store, args).await,
        Command::Worker(args) => worker::worker(store, args).await,
        Command::Init(args) => init::init(&store, args).await,
        Command::Migrate => {
            println!("database is up to date ({})", redact(&cli.database_url));
            Ok(())
        }
        Command::Demo(args) => demo::demo(&store, args, clock::now()).await,
        Command::Token(args) => token::create(&store, args).await,
        Command::PortalLink(args) => portal_link::print(&store, args).await,
        Command::Mail(MailCommand::Ingest(args)) => mail::ingest_stdin(&store, args).await,
        Command::Export(args) => transfer::export(&store, args).await,
        Command::Import(args) => transfer::import(&store, args).await,
        Command::Backup(_) | Command::Restore(_) => unreachable!("handled above"),
    }
}

/// Connects and brings the schema up to date; every command needs both.
async fn open(url: &str) -> anyhow::Result<Store> {
    let store = Store::connect(url)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(url)))?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;
    Ok(store)
}

/// The database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            redact("postgres://mg:s3cret@db:5432/mg"),
            "postgres://mg:***@db:5432/mg"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(redact("sqlite://makegood.db"), "sqlite://makegood.db");
    }
}
