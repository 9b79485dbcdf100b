//! `bench [--runs N] [--duration SECS] [--connections C] [--rate R] [--sales-rows N] [--products N]
//! [--out FILE]`: starts the fleet from the service binaries of the same cargo profile, runs every scenario
//! and prints the markdown table (also written to `--out`). `bench baseline-server PORT` serves the baseline.
//! `bench outbox-claim [--history N] [--due N] [--cycles N] [--out FILE]` times the outbox claim alone.

use std::path::PathBuf;
use std::time::Duration;

use bench::scenarios::Options;

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The journey fleet looks for the service binaries two levels above the running executable (it expects a
/// test binary in `target/<profile>/deps`), so the bench binary re-runs itself from a copy there.
fn relaunch_from_deps(exe: &std::path::Path) -> anyhow::Result<Option<i32>> {
    let dir = exe.parent().ok_or_else(|| anyhow::anyhow!("no parent"))?;
    if dir.file_name().is_some_and(|n| n == "deps") {
        return Ok(None);
    }
    let copy = dir.join("deps").join("bench-runner");
    std::fs::copy(exe, &copy)?;
    let status = std::process::Command::new(&copy)
        .args(std::env::args().skip(1))
        .env("BENCH_BASELINE_EXE", exe)
        .status()?;
    Ok(Some(status.code().unwrap_or(1)))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("baseline-server") {
        let port: u16 = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(0);
        return bench::baseline::serve(port).await;
    }
    let text = if args.first().map(String::as_str) == Some("outbox-claim") {
        outbox_claim(&args).await?
    } else {
        let exe = std::env::current_exe()?;
        if let Some(code) = relaunch_from_deps(&exe)? {
            std::process::exit(code);
        }
        fleet(&args, exe).await?
    };
    println!("{text}");
    let out = args.iter().position(|a| a == "--out");
    if let Some(path) = out.and_then(|i| args.get(i + 1)) {
        std::fs::write(path, &text)?;
    }
    Ok(())
}

/// `bench outbox-claim …`: the claim's table.
async fn outbox_claim(args: &[String]) -> anyhow::Result<String> {
    let opts = bench::outbox::ClaimOptions {
        history: arg(args, "--history", 300_000),
        due: arg(args, "--due", 1_000),
        cycles: arg(args, "--cycles", 3),
    };
    let figures = bench::outbox::claim_bench(opts).await?;
    Ok(bench::outbox::markdown(opts, &figures))
}

/// `bench …`: the fleet session's table and the invariants after it.
async fn fleet(args: &[String], exe: PathBuf) -> anyhow::Result<String> {
    let baseline_exe = std::env::var_os("BENCH_BASELINE_EXE")
        .map(PathBuf::from)
        .unwrap_or(exe);
    let duration = arg(args, "--duration", 10.0);
    let opts = Options {
        runs: arg(args, "--runs", 3),
        duration: Duration::from_secs_f64(duration),
        mixed_duration: Duration::from_secs_f64(arg(args, "--mixed-duration", duration)),
        connections: arg(args, "--connections", 16),
        rate: arg(args, "--rate", 1000.0),
        sales_rows: arg(args, "--sales-rows", 1_000_000),
        products: arg(args, "--products", 10),
        baseline_exe,
    };
    let header = format!(
        "runs {}, {} s per phase ({} s mixed load), {} connections, fixed rate {} req/s, {} sales rows, {} products\n",
        opts.runs,
        opts.duration.as_secs_f64(),
        opts.mixed_duration.as_secs_f64(),
        opts.connections,
        opts.rate,
        opts.sales_rows,
        opts.products
    );
    let session = bench::session(opts).await?;
    let mut text = format!(
        "{header}fleet start + provisioning: {:.1} s\n\n{}",
        session.setup_secs,
        bench::report::markdown(&session.runs)
    );
    if session.violations.is_empty() {
        text.push_str("\nInvariants after the runs (stock conservation, reservations, orders, outboxes): none broken.\n");
    } else {
        // A backlog can be tens of thousands of rows: the first few, then the count.
        const SHOWN: usize = 10;
        let v = &session.violations;
        text.push_str(&format!(
            "\nInvariants broken ({}):\n- {}\n",
            v.len(),
            v[..v.len().min(SHOWN)].join("\n- ")
        ));
        if v.len() > SHOWN {
            text.push_str(&format!("- … and {} more\n", v.len() - SHOWN));
        }
    }
    Ok(text)
}
