//! Benchmarks of the fleet (issue 14): a small closed-loop / fixed-rate load generator ([`load`]), a baseline
//! server (a minimal axum handler in its own process, [`baseline`]), per-process memory readings
//! ([`procs`]), the scenarios against a [`journey::shop::Shop`] ([`scenarios`]) and the report with every
//! figure as a ratio to the baseline of the same run ([`report`]); apart from the fleet, the outbox relay's
//! claim over a long delivered history ([`outbox`]).

pub mod baseline;
pub mod load;
pub mod outbox;
pub mod procs;
pub mod report;
pub mod scenarios;

use report::Figure;
use scenarios::{Bench, Options};

/// What a bench session measured.
pub struct Session {
    pub runs: Vec<Vec<Figure>>,
    /// Stock conservation, reservation and order invariants broken after the runs (empty = none).
    pub violations: Vec<String>,
    /// Wall time of fleet start plus provisioning, in seconds.
    pub setup_secs: f64,
}

/// Starts the fleet, provisions, runs every scenario `opts.runs` times, then checks the invariants.
pub async fn session(opts: Options) -> anyhow::Result<Session> {
    let start = std::time::Instant::now();
    let runs = opts.runs.max(1);
    let bench = Bench::open(opts).await?;
    let setup_secs = start.elapsed().as_secs_f64();
    let mut out = Vec::new();
    for k in 0..runs {
        eprintln!("bench: run {}/{runs}", k + 1);
        out.push(bench.run_once().await?);
    }
    let violations = bench.invariants().await;
    Ok(Session {
        runs: out,
        violations,
        setup_secs,
    })
}
