use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = devicepool::cli::Cli::parse();
    match devicepool::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, naming the cause chain, so a bad setting is easy to spot.
            eprintln!("devicepool: {e:#}");
            if e.downcast_ref::<devicepool::cli::BadInput>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
