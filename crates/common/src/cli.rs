//! The few pieces every service binary's `main` shares: logging for one-shot subcommands and the exit path,
//! which prints the error chain (never secrets: config errors name variables, not values) and exits non-zero.

use std::process::ExitCode;

/// Ends `main`: success → 0; an error → its chain on stderr, exit code 1.
pub fn finish(service: &str, result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{service}: {err:#}");
            tracing::error!(error = format!("{err:#}"), "{service} stopped");
            ExitCode::FAILURE
        }
    }
}

/// `Err` naming the usage when the subcommand is unknown.
pub fn unknown_command(service: &str, args: &[String], usage: &str) -> anyhow::Result<()> {
    anyhow::bail!(
        "unknown command {:?}; usage: {service} {usage}",
        args.join(" ")
    )
}
