//! Processes of the fleet: finding a service's pid (the journey fleet does not expose them, so `/proc` is
//! scanned for the binary listening on the service's port via its `HTTP_PORT`), its resident memory
//! (`VmRSS` of `/proc/<pid>/status`), and start-to-ready timing.

use std::time::{Duration, Instant};

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `VmRSS` of `pid`, in MiB.
pub fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The pid of the process whose executable is named `binary` and whose environment holds
/// `HTTP_PORT=<port>` (so the local stack's copy of the same binary is never picked).
pub fn find_service_pid(binary: &str, port: u16) -> Option<u32> {
    let want_env = format!("HTTP_PORT={port}");
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(exe) = std::fs::read_link(format!("/proc/{pid}/exe")) else {
            continue;
        };
        if exe.file_name().and_then(|n| n.to_str()) != Some(binary) {
            continue;
        }
        let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
            continue;
        };
        if environ
            .split(|b| *b == 0)
            .any(|kv| kv == want_env.as_bytes())
        {
            return Some(pid);
        }
    }
    None
}

/// Polls `url` every 2 ms until it answers 200; the time since `start`. Gives up after 60 s.
pub async fn poll_ready(url: &str, start: Instant) -> anyhow::Result<Duration> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()?;
    loop {
        if let Ok(r) = client.get(url).send().await {
            if r.status().is_success() {
                return Ok(start.elapsed());
            }
        }
        if start.elapsed() > Duration::from_secs(60) {
            anyhow::bail!("{url} not ready within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}
