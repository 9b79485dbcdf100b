//! The baseline: a minimal axum handler returning a small JSON envelope, run as its own process (the bench
//! binary's `baseline-server <port>` mode) so that it is loaded, measured for memory and started exactly as
//! a service is.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::process::{Child, Command};

async fn ping() -> Json<Value> {
    Json(json!({"success": true, "message": "ok", "data": {"service": "baseline", "ok": true}}))
}

/// The router: `GET /ping` (the loaded handler) and `GET /ready`.
pub fn router() -> Router {
    Router::new()
        .route("/ping", get(ping))
        .route("/ready", get(|| async { "ready" }))
}

/// Serves the baseline on `127.0.0.1:<port>` until killed (multi-threaded runtime, as the services).
pub async fn serve(port: u16) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    axum::serve(listener, router()).await?;
    Ok(())
}

/// A running baseline process.
pub struct Baseline {
    pub child: Child,
    pub port: u16,
    /// Process start to the first 200 from `/ready`.
    pub start_to_ready: Duration,
}

impl Baseline {
    /// Spawns `exe baseline-server <port>` and waits for `/ready`.
    pub async fn spawn(exe: &Path) -> anyhow::Result<Baseline> {
        let port = crate::procs::free_port();
        let start = Instant::now();
        let child = Command::new(exe)
            .arg("baseline-server")
            .arg(port.to_string())
            .kill_on_drop(true)
            .spawn()?;
        let start_to_ready =
            crate::procs::poll_ready(&format!("http://127.0.0.1:{port}/ready"), start).await?;
        Ok(Baseline {
            child,
            port,
            start_to_ready,
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/ping", self.port)
    }

    /// Resident memory of the process, in MiB.
    pub fn rss_mib(&self) -> Option<f64> {
        self.child.id().and_then(crate::procs::rss_mib)
    }
}
