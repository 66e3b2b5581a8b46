use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = devicepool::cli::Cli::parse();
    match devicepool::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, naming the cause chain, so a bad setting is easy to spot.
            eprintln!("devicepool: {e:#}");
            ExitCode::FAILURE
        }
    }
}
