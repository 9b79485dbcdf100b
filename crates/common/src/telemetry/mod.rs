//! Logs, request ids, trace propagation, trace export and per-route metrics (design §6). One span per request
//! with method, matched route (never the raw URI), status, latency and the request id; `Authorization` is never
//! logged nor exported. With `OTEL_EXPORTER_OTLP_ENDPOINT` set, spans are also exported (see `otlp`).

mod batch;
mod otlp;

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

use crate::config::{CommonSettings, LogFormat};
use crate::context::{new_trace_id, trace_id_from_traceparent, RequestContext};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
pub const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");

/// Installs the global subscriber: logs (JSON or readable) filtered by `LOG_LEVEL`, plus OTLP trace export when
/// `OTEL_EXPORTER_OTLP_ENDPOINT` is set (call it inside the Tokio runtime; `LOG_LEVEL` filters exported spans
/// too). A second call is a no-op, so tests can call it.
pub fn init_tracing(settings: &CommonSettings) {
    if tracing::dispatcher::has_been_set() {
        return;
    }
    let filter = EnvFilter::try_new(&settings.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let endpoint = settings
        .otlp_endpoint
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    let (export, export_off) = match endpoint.map(|e| otlp::layer(settings.service, e)) {
        Some(Ok(layer)) => (Some(layer), None),
        Some(Err(why)) => (None, Some(why)),
        None => (None, None),
    };
    // Lines are written by a background thread, in batches, so a request never waits on the log's pipe.
    let (writer, guard) =
        batch::batch_writer(std::io::stdout(), "log-writer").expect("the log writer thread starts");
    *LOG_WRITER.lock().unwrap_or_else(|e| e.into_inner()) = Some(guard);
    let (json, pretty) = match settings.log_format {
        LogFormat::Json => (
            Some(
                fmt::layer()
                    .with_writer(writer)
                    .with_target(false)
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false),
            ),
            None,
        ),
        LogFormat::Pretty => (
            None,
            Some(
                fmt::layer()
                    .with_writer(writer)
                    .with_target(false)
                    .compact(),
            ),
        ),
    };
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(export)
        .with(json)
        .with(pretty)
        .try_init()
        .is_ok();
    match (endpoint, export_off) {
        (Some(_), Some(why)) => {
            tracing::warn!(reason = %why, "OTEL_EXPORTER_OTLP_ENDPOINT is set, but traces are not exported")
        }
        (Some(endpoint), None) if installed => {
            tracing::info!(endpoint, "exporting traces with OTLP/HTTP")
        }
        _ => {}
    }
}

/// Keeps the log writer's thread alive; dropping it writes the lines still buffered.
static LOG_WRITER: Mutex<Option<batch::BatchGuard>> = Mutex::new(None);

/// Flushes the spans not yet exported and stops export (bounded wait), then writes the queued log lines.
/// Call once the server has stopped, from the Tokio runtime (multi-threaded, as `#[tokio::main]` builds it).
pub fn shutdown_tracing() {
    otlp::shutdown();
    drop(LOG_WRITER.lock().unwrap_or_else(|e| e.into_inner()).take());
}

/// The `traceparent` for an outgoing call made for `ctx`: with export on, the current span is the parent (so
/// the callee's spans nest under it); otherwise `ctx`'s trace with a new span id.
pub fn outgoing_traceparent(ctx: &RequestContext) -> String {
    otlp::current_traceparent().unwrap_or_else(|| ctx.outgoing_traceparent())
}

/// How often histogram samples are folded into their buckets between scrapes.
const METRICS_UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The process-wide Prometheus recorder (installed on first use).
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let buckets = [
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ];
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                &buckets,
            )
            .expect("valid buckets");
        match builder.install_recorder() {
            Ok(handle) => {
                // Histogram samples wait in the recorder until drained; without a scrape nothing drains
                // them, so memory would grow with every request. Drain them on a timer instead.
                let upkeep = handle.clone();
                let spawned = std::thread::Builder::new()
                    .name("metrics-upkeep".into())
                    .spawn(move || loop {
                        std::thread::sleep(METRICS_UPKEEP_EVERY);
                        upkeep.run_upkeep();
                    });
                if let Err(err) = spawned {
                    tracing::warn!(error = %err, "metrics upkeep thread not started");
                }
                handle
            }
            // Another recorder is installed (a test harness): render from a private one.
            Err(err) => {
                tracing::warn!(error = %err, "metrics recorder not installed; using a private one");
                PrometheusBuilder::new().build_recorder().handle()
            }
        }
    })
}

/// A usable incoming request id (short, visible ASCII) or a new one.
fn request_id_of(req: &Request) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(String::from)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Middleware: request id, trace context, the request span, the access log line and the metrics.
pub async fn observe(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = request_id_of(&req);
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let probe = route == "/health" || route == "/ready" || route == "/metrics";
    let incoming = req
        .headers()
        .get(&TRACEPARENT)
        .and_then(|v| v.to_str().ok())
        .and_then(trace_id_from_traceparent);
    let exporting = otlp::enabled();
    // Without export, the span is born complete: every field recorded later makes the log formatter
    // rewrite the span's fields, and status and latency are on the access log line anyway.
    let (span, trace_id) = if exporting {
        let span = tracing::info_span!("request", %method, %route, %request_id, trace_id = tracing::field::Empty, status = tracing::field::Empty, latency_ms = tracing::field::Empty);
        // The exported span's trace (the caller's, or a new one) is the request's trace id.
        let trace_id = otlp::start_request_span(&span, req.headers(), &method, &route, probe)
            .or(incoming)
            .unwrap_or_else(new_trace_id);
        span.record("trace_id", tracing::field::display(&trace_id));
        (span, trace_id)
    } else {
        let trace_id = incoming.unwrap_or_else(new_trace_id);
        let span = tracing::info_span!("request", %method, %route, %request_id, %trace_id);
        (span, trace_id)
    };
    let ctx = RequestContext {
        request_id: request_id.clone(),
        trace_id,
    };
    let mut response = ctx.scope(next.run(req)).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let latency = started.elapsed();
    if exporting {
        span.record("status", status)
            .record("latency_ms", latency.as_millis() as u64);
        otlp::finish_request_span(&span, status);
    }
    if !probe {
        span.in_scope(|| {
            tracing::info!(
                status,
                latency_ms = latency.as_millis() as u64,
                "request finished"
            )
        });
    }
    let labels = [
        ("method", method),
        ("route", route),
        ("status", status.to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(latency.as_secs_f64());
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}
