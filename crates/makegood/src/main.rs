//! The `makegood` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = makegood::cli::Cli::parse();
    makegood::run(cli)
}
