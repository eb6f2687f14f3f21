//! `clientele`: the command line over the Clientele core (the same operations the app uses).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
