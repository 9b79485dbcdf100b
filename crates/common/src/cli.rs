//! The few pieces every service binary's `main` shares: logging for one-shot subcommands and the exit path,
//! which prints the error chain (never secrets: config errors name variables, not values) and exits non-zero.

use std::future::Future;
use std::process::ExitCode;

/// The whole `main` of a service binary: `<service> healthcheck` is answered here for every service; any
/// other arguments go to the service's own `run`; then [`finish`].
pub async fn main<F, Fut>(service: &str, run: F) -> ExitCode
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("healthcheck") {
        healthcheck().await
    } else {
        run(args).await
    };
    finish(service, result)
}

/// Ends `main`: flushes exported traces, then success → 0; an error → its chain on stderr, exit code 1.
pub fn finish(service: &str, result: anyhow::Result<()>) -> ExitCode {
    crate::telemetry::shutdown_tracing();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{service}: {err:#}");
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

/// `<service> outbox list [--parked]` and `<service> outbox redrive <id>` (design §4.2), for the services
/// with a SQL outbox. `args` are the words after `outbox`.
pub async fn outbox_command(
    pool: &crate::outbox::OutboxPool,
    service: &str,
    args: &[String],
) -> anyhow::Result<()> {
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["list"] | ["list", "--parked"] => {
            let parked_only = args.len() == 2;
            let rows = crate::outbox::list(pool, parked_only).await?;
            println!(
                "{:<36}  {:<22}  {:<12}  {:>8}  {:<20}  last error",
                "id", "type", "subscriber", "attempts", "state"
            );
            for row in &rows {
                let state = match row.parked_at {
                    Some(at) => format!("parked {}", at.format("%Y-%m-%d %H:%M")),
                    None => format!("due {}", row.next_attempt_at.format("%Y-%m-%d %H:%M")),
                };
                let error = row.last_error.as_deref().unwrap_or("");
                println!(
                    "{:<36}  {:<22}  {:<12}  {:>8}  {:<20}  {error}",
                    row.id, row.event_type, row.subscriber, row.attempts, state
                );
            }
            println!("{} row(s)", rows.len());
            Ok(())
        }
        ["redrive", id] => {
            let id = uuid::Uuid::parse_str(id)
                .map_err(|_| anyhow::anyhow!("{id:?} is not an outbox row id"))?;
            anyhow::ensure!(
                crate::outbox::redrive(pool, id).await?,
                "no undelivered outbox row {id}"
            );
            println!("{service}: outbox row {id} is due again");
            Ok(())
        }
        _ => {
            anyhow::bail!("usage: {service} outbox list [--parked] | {service} outbox redrive <id>")
        }
    }
}

/// `<service> healthcheck`: exit 0 when this container's service answers `GET /ready` with 200 on
/// `HTTP_PORT`, for orchestrators that run a command in the container (docker-compose.yml healthchecks; the
/// distroless image has no shell or curl).
pub async fn healthcheck() -> anyhow::Result<()> {
    let port: u16 = crate::config::required("HTTP_PORT")?
        .parse()
        .map_err(|_| anyhow::anyhow!("HTTP_PORT is not a port number"))?;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(2))
        .build()?;
    let status = client
        .get(format!("http://127.0.0.1:{port}/ready"))
        .send()
        .await?
        .status();
    anyhow::ensure!(status.is_success(), "/ready answered {status}");
    Ok(())
}
