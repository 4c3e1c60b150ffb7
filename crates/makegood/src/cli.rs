//! The command line: `makegood serve | worker | init | migrate | demo | token | portal-link | mail
//! | export | import`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// makegood — a self-hosted service-recovery desk.
///
/// One owner per customer problem, the customer told first and kept in the loop, every
/// promise tracked until it is kept or openly renegotiated before it is due.
#[derive(Debug, Parser)]
#[command(version, propagate_version = true)]
pub struct Cli {
    /// Where the data lives: `sqlite://FILE` (created if missing) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        global = true,
        env = "MAKEGOOD_DATABASE_URL",
        default_value = "sqlite://makegood.db"
    )]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the JSON API, and run the scheduler and the outbox delivery.
    /// On an empty database, prints a one-time setup link.
    Serve(ServeArgs),
    /// Run only the scheduler and the outbox delivery, without the web app (any number of
    /// workers and servers may share one PostgreSQL database).
    Worker(WorkerArgs),
    /// Create the organisation and its first admin (asks for what the flags leave out).
    Init(InitArgs),
    /// Bring the database schema up to date and exit (serve does this too).
    Migrate,
    /// Fill an empty organisation with a realistic small consultancy, relative to now.
    Demo(DemoArgs),
    /// Create an API token for a member and print its secret (shown this once).
    Token(TokenArgs),
    /// Print a single-use sign-in link to the customer portal for a contact, found by their
    /// email (for operators and the demo: the one place a link's secret is shown).
    PortalLink(PortalLinkArgs),
    /// Email in: `makegood mail ingest` records one message read on standard input.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Write the whole organisation as JSON Lines: to move between SQLite and PostgreSQL, or
    /// as a backup. One consistent snapshot; sign-in sessions are left out.
    Export(ExportArgs),
    /// Read an export into an empty database (a new --database-url), in one transaction:
    /// nothing is written unless all of it is.
    Import(ImportArgs),
    /// Copy a SQLite database to FILE while makegood keeps running: one consistent
    /// snapshot, checked before it gets its name. (PostgreSQL: pg_dump, or export.)
    Backup(BackupArgs),
    /// Replace the SQLite database with a backup; makegood must be stopped. The database
    /// replaced is kept beside it as `….before-restore`.
    Restore(RestoreArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write (replaced only once the export is complete); standard output without it.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file written by `makegood export`.
    pub file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Record one RFC 5322 message from standard input (for an MTA pipe, e.g. Postfix's
    /// `mailbox_command` or an alias `|makegood mail ingest`). Exits 0 once recorded, 65 when
    /// the message is refused (too large, not a message), 75 when it should be tried again.
    Ingest(MailIngestArgs),
}

#[derive(Debug, Args)]
pub struct MailIngestArgs {
    #[command(flatten)]
    pub inbound: InboundArgs,
}

/// How inbound email is routed.
#[derive(Debug, Args)]
pub struct InboundArgs {
    /// The address people use to reach makegood: its host is the one in our emails'
    /// Message-IDs, which replies thread by.
    #[arg(
        long,
        env = "MAKEGOOD_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,

    /// The member who owns problems opened from email that matches no problem (a known
    /// contact writing about something new). Defaults to the first admin.
    #[arg(long, env = "MAKEGOOD_TRIAGE_OWNER")]
    pub triage_owner: Option<String>,
}

/// Polling a mailbox for inbound email.
#[derive(Debug, Args)]
pub struct ImapArgs {
    /// The mailbox to poll: `imaps://USER:PASSWORD@HOST[:993]/MAILBOX` (TLS) or `imap://…`
    /// (plain, for a server on this machine). Unseen messages are recorded, then flagged seen.
    #[arg(long, env = "MAKEGOOD_IMAP_URL", hide_env_values = true)]
    pub imap_url: Option<String>,

    /// Seconds between polls.
    #[arg(long, env = "MAKEGOOD_IMAP_INTERVAL", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub imap_interval: u64,

    /// The member who owns problems opened from email that matches no problem. Defaults to
    /// the first admin.
    #[arg(long, env = "MAKEGOOD_TRIAGE_OWNER")]
    pub triage_owner: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "MAKEGOOD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// The address people use to reach makegood, for links; `https://…` makes cookies Secure.
    /// Defaults to `http://` plus the listen address.
    #[arg(long, env = "MAKEGOOD_PUBLIC_URL")]
    pub public_url: Option<String>,

    #[command(flatten)]
    pub metrics: MetricsArgs,

    #[command(flatten)]
    pub notify: NotifyArgs,

    #[command(flatten)]
    pub imap: ImapArgs,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The address people use to reach makegood, for the links in emails and chat messages.
    #[arg(
        long,
        env = "MAKEGOOD_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,

    #[command(flatten)]
    pub notify: NotifyArgs,

    #[command(flatten)]
    pub imap: ImapArgs,
}

/// Who may read the Prometheus metrics (`/metrics`); without either, nobody.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Serve `/metrics` on the app's address to requests with `Authorization: Bearer TOKEN`
    /// (set it in the environment rather than on the command line, where `ps` shows it).
    #[arg(long, env = "MAKEGOOD_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Also serve `/metrics`, without a token, on this separate address (e.g. one only the
    /// monitoring network reaches); port 0 picks a free port.
    #[arg(long, env = "MAKEGOOD_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
}

/// How messages leave makegood.
#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// The SMTP server for email: `smtp://HOST:PORT` (plain), `smtp://HOST:PORT?tls=required`
    /// (STARTTLS) or `smtps://HOST:PORT` (TLS), with `USER:PASSWORD@` for authentication.
    /// Without it, emails wait in the outbox until one is configured.
    #[arg(long, env = "MAKEGOOD_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of every email, e.g. `Northwind Support <support@northwind.example>`.
    /// Defaults to `makegood@` plus the public URL's host.
    #[arg(long, env = "MAKEGOOD_MAIL_FROM")]
    pub mail_from: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The organisation's name, e.g. "Northwind Consulting".
    #[arg(long)]
    pub organisation: Option<String>,
    /// The first admin's name.
    #[arg(long)]
    pub name: Option<String>,
    /// The first admin's email, used to sign in.
    #[arg(long)]
    pub email: Option<String>,
    /// The first admin's IANA time zone.
    #[arg(long, default_value = "UTC")]
    pub time_zone: String,
    /// The currency of remedy authorities (ISO 4217).
    #[arg(long, default_value = "EUR")]
    pub currency: String,
    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Password for the demo members (and for the demo admin, when demo sets up the organisation).
    #[arg(long, default_value = "makegood-demo")]
    pub password: String,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The member's email.
    #[arg(long)]
    pub email: String,
    /// What the token is for, e.g. "deploy script".
    #[arg(long, default_value = "command line")]
    pub name: String,
    /// A token that may only read (GET and HEAD); without it the token may also change
    /// things, as far as the member's role allows.
    #[arg(long)]
    pub read_only: bool,
}

#[derive(Debug, Args)]
pub struct PortalLinkArgs {
    /// The contact's email address (any case).
    pub email: String,
    /// The problem the link lands on, by number (`MG-12`) or id; it must affect the contact's
    /// account. Without it, the link lands on the contact's list of problems.
    #[arg(long)]
    pub problem: Option<String>,
    /// The contact's account, by name or id: needed when contacts at several accounts share
    /// the address.
    #[arg(long)]
    pub account: Option<String>,
    /// The address people use to reach makegood, as given to `serve`.
    #[arg(
        long,
        env = "MAKEGOOD_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    pub file: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `makegood backup`.
    pub file: PathBuf,
    /// Replace a database that has data without asking.
    #[arg(long)]
    pub yes: bool,
}
