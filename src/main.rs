//! `clientele`: the command line over the Clientele core (the same operations the app uses).

mod cli;

#[global_allocator]
static GLOBAL: clientele::Allocator = clientele::Allocator;

fn main() -> std::process::ExitCode {
    cli::main()
}
