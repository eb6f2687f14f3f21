//! The `clientele` command line: parse (clap), resolve the data folder and the acting staff
//! member, call the core, print the result (text or `--json`). Errors go to stderr as
//! `error [code]: message` (or the ErrorBody JSON) with exit code 1; usage errors exit with 2; a
//! customer refused by a duplicate rule (`customer.duplicate`) exits with 3, so that scripts can
//! tell "looks like an existing customer" from other failures.

mod args;
mod care_cmd;
mod commands;
mod export_cmd;
mod import_cmd;
mod ownership_cmd;
mod render;
mod session;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version exit 0; usage errors exit 2 (clap's convention).
        Err(e) => e.exit(),
    };
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            render::print_error(&clientele::Error::Io(e.to_string()), json);
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`clientele … | head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            ExitCode::SUCCESS
        }
        Err(e) => {
            render::print_error(&e, json);
            exit_code(&e)
        }
    }
}

fn exit_code(e: &clientele::Error) -> ExitCode {
    match e {
        clientele::Error::Duplicate { .. } => ExitCode::from(3),
        _ => ExitCode::FAILURE,
    }
}
