//! The load generator: `connections` tasks share one HTTP client (one keep-alive connection each) and loop
//! until the deadline, either back to back (closed loop, throughput) or paced to a fixed total rate
//! (latency at a given load; latency counted from the scheduled start, so a stall is not hidden).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How to drive one phase.
#[derive(Clone, Debug)]
pub struct LoadSpec {
    pub connections: usize,
    pub duration: Duration,
    /// Total requests per second over all connections; `None` = as fast as answers come.
    pub rate: Option<f64>,
}

/// What one phase measured. Latencies in milliseconds.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub ok: u64,
    pub errors: u64,
    pub per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The first few error messages, for the report.
    pub sample_errors: Vec<String>,
}

/// The `q`-quantile (0..=1) of sorted microsecond samples, in milliseconds (nearest rank).
pub fn quantile_ms(sorted_us: &[u64], q: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted_us.len() as f64).ceil() as usize).clamp(1, sorted_us.len());
    sorted_us[rank - 1] as f64 / 1000.0
}

impl Stats {
    /// Builds the figures from latency samples (µs) of successful calls.
    pub fn from_samples(
        mut us: Vec<u64>,
        errors: u64,
        elapsed: Duration,
        sample_errors: Vec<String>,
    ) -> Stats {
        us.sort_unstable();
        Stats {
            ok: us.len() as u64,
            errors,
            per_sec: us.len() as f64 / elapsed.as_secs_f64().max(1e-9),
            p50_ms: quantile_ms(&us, 0.50),
            p99_ms: quantile_ms(&us, 0.99),
            max_ms: quantile_ms(&us, 1.0),
            sample_errors,
        }
    }
}

struct Outcome {
    latencies_us: Vec<u64>,
    errors: u64,
    messages: Vec<String>,
}

/// Runs `call(connection, iteration)` under `spec` and measures it. A call is one operation (a request, or a
/// whole journey); `Err` counts as an error and its latency is not sampled.
pub async fn run<F, Fut>(spec: &LoadSpec, call: F) -> Stats
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let call = Arc::new(call);
    let start = Instant::now();
    let end = start + spec.duration;
    let interval = spec
        .rate
        .map(|r| Duration::from_secs_f64(spec.connections as f64 / r.max(0.001)));
    let mut tasks = Vec::new();
    let n = spec.connections.max(1);
    for conn in 0..n {
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Outcome {
                latencies_us: Vec::new(),
                errors: 0,
                messages: Vec::new(),
            };
            // Paced connections start spread over one interval so they do not fire together.
            let offset = interval
                .map(|i| i.mul_f64(conn as f64 / n as f64))
                .unwrap_or_default();
            let mut i: u64 = 0;
            loop {
                let scheduled = match interval {
                    Some(iv) => start + offset + iv.mul_f64(i as f64),
                    None => Instant::now(),
                };
                if scheduled >= end {
                    break;
                }
                if interval.is_some() {
                    tokio::time::sleep_until(scheduled.into()).await;
                }
                match call(conn, i).await {
                    Ok(()) => out
                        .latencies_us
                        .push(scheduled.elapsed().as_micros() as u64),
                    Err(e) => {
                        out.errors += 1;
                        if out.messages.len() < 3 {
                            out.messages.push(e);
                        }
                    }
                }
                i += 1;
            }
            out
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut messages = Vec::new();
    for t in tasks {
        match t.await {
            Ok(o) => {
                latencies.extend(o.latencies_us);
                errors += o.errors;
                messages.extend(o.messages);
            }
            Err(e) => {
                errors += 1;
                messages.push(format!("load task panicked: {e}"));
            }
        }
    }
    messages.truncate(5);
    Stats::from_samples(latencies, errors, start.elapsed(), messages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let us: Vec<u64> = (1..=100).map(|x| x * 1000).collect();
        assert_eq!(quantile_ms(&us, 0.5), 50.0);
        assert_eq!(quantile_ms(&us, 0.99), 99.0);
        assert_eq!(quantile_ms(&us, 1.0), 100.0);
        assert_eq!(quantile_ms(&[], 0.5), 0.0);
    }

    #[tokio::test]
    async fn a_closed_loop_counts_successes_and_errors() {
        let spec = LoadSpec {
            connections: 2,
            duration: Duration::from_millis(200),
            rate: None,
        };
        let stats = run(&spec, |_, i| async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            if i % 2 == 0 {
                Ok(())
            } else {
                Err("odd".to_string())
            }
        })
        .await;
        assert!(stats.ok > 0 && stats.errors > 0);
        assert!(stats.p50_ms >= 5.0);
    }
}
