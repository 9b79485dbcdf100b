//! OpenTelemetry trace export (design §6), on only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: `tracing` spans
//! become OTel spans through `tracing-opentelemetry`, batched on the Tokio runtime and sent as OTLP/HTTP
//! protobuf to `{endpoint}/v1/traces` with the fleet's reqwest client. Request spans continue the caller's W3C
//! trace; outgoing calls name the current span as their parent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::http::HeaderMap;
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::{
    SpanContext, Status, TraceContextExt, TraceFlags, TraceState, TracerProvider as _,
};
use opentelemetry::Context;
use opentelemetry_http::{Bytes, HeaderExtractor, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::span_processor_with_async_runtime::BatchSpanProcessor;
use opentelemetry_sdk::trace::{IdGenerator, RandomIdGenerator, SdkTracer, SdkTracerProvider};
use opentelemetry_sdk::Resource;
use tracing::Subscriber;
use tracing_opentelemetry::{OpenTelemetryLayer, OpenTelemetrySpanExt};
use tracing_subscriber::registry::LookupSpan;

/// Set once the export layer is installed: request spans then take their ids from OTel.
static ENABLED: AtomicBool = AtomicBool::new(false);
static PROVIDER: Mutex<Option<SdkTracerProvider>> = Mutex::new(None);

/// How long `shutdown` waits for the last batch to reach the collector.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(5);
/// Collector answers are tiny; anything bigger is not read.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// Whether spans are being exported.
pub(super) fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// The export layer for `service` (`OTEL_SERVICE_NAME` wins), sending to `endpoint`. Must run inside a Tokio
/// runtime: the batch task is spawned on it. The error says why export is off.
pub(super) fn layer<S>(
    service: &str,
    endpoint: &str,
) -> Result<OpenTelemetryLayer<S, SdkTracer>, String>
where
    S: Subscriber + for<'span> LookupSpan<'span>,
{
    if tokio::runtime::Handle::try_current().is_err() {
        return Err("trace export needs a Tokio runtime".into());
    }
    let timeout = env_millis("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT")
        .or_else(|| env_millis("OTEL_EXPORTER_OTLP_TIMEOUT"))
        .unwrap_or(Duration::from_secs(10));
    let http = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(2)))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(ExportClient(http))
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(traces_url(
            endpoint,
            env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
        ))
        .with_timeout(timeout)
        .build()
        .map_err(|e| e.to_string())?;
    let processor =
        BatchSpanProcessor::builder(exporter, opentelemetry_sdk::runtime::Tokio).build();
    let provider = SdkTracerProvider::builder()
        .with_span_processor(processor)
        .with_resource(
            Resource::builder()
                .with_service_name(service_name(service, env("OTEL_SERVICE_NAME")))
                .build(),
        )
        .build();
    let tracer = provider.tracer(env!("CARGO_PKG_NAME"));
    *PROVIDER.lock().unwrap_or_else(PoisonError::into_inner) = Some(provider);
    ENABLED.store(true, Ordering::Relaxed);
    Ok(tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_threads(false))
}

/// Flushes the spans still queued and stops export; later spans are dropped. A no-op when export is off or
/// already shut down. Waits at most [`SHUTDOWN_WAIT`]; on a current-thread runtime the batch task cannot run
/// while this blocks, so it gives up after that wait.
pub(super) fn shutdown() {
    let Some(provider) = PROVIDER
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
    else {
        return;
    };
    ENABLED.store(false, Ordering::Relaxed);
    // The SDK's shutdown blocks until the batch task answers, without a deadline: give it a thread and wait
    // on that with one.
    let (done, outcome) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(provider.shutdown());
    });
    let wait = || outcome.recv_timeout(SHUTDOWN_WAIT);
    let outcome = match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(wait)
        }
        _ => wait(),
    };
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(err)) => tracing::warn!(error = %err, "trace export did not shut down cleanly"),
        Err(_) => tracing::warn!("trace export did not flush in time; the last spans are lost"),
    }
}

/// Ties the request span to the caller's trace (the `traceparent` header), names it `METHOD route` and
/// returns its trace id. `None` when export is off or the span is disabled. Probe routes are never sampled.
pub(super) fn start_request_span(
    span: &tracing::Span,
    headers: &HeaderMap,
    method: &str,
    route: &str,
    probe: bool,
) -> Option<String> {
    if !enabled() {
        return None;
    }
    let parent = if probe {
        unsampled_root()
    } else {
        TraceContextPropagator::new().extract(&HeaderExtractor(headers))
    };
    span.set_parent(parent).ok()?;
    span.set_attribute("http.request.method", method.to_string());
    span.set_attribute("http.route", route.to_string());
    let cx = span.context();
    let otel_span = cx.span();
    let span_context = otel_span.span_context();
    if !span_context.is_valid() {
        return None;
    }
    otel_span.update_name(format!("{method} {route}"));
    Some(span_context.trace_id().to_string())
}

/// Records the response status on the request span; 5xx marks it failed.
pub(super) fn finish_request_span(span: &tracing::Span, status: u16) {
    if !enabled() {
        return;
    }
    span.set_attribute("http.response.status_code", i64::from(status));
    if status >= 500 {
        span.set_status(Status::error(format!("HTTP {status}")));
    }
}

/// A `traceparent` naming the current span as the parent, when export is on and a span is current.
pub(super) fn current_traceparent() -> Option<String> {
    if !enabled() {
        return None;
    }
    let cx = tracing::Span::current().context();
    let span_context = cx.span().span_context().clone();
    span_context.is_valid().then(|| {
        format!(
            "00-{}-{}-{:02x}",
            span_context.trace_id(),
            span_context.span_id(),
            span_context.trace_flags().to_u8()
        )
    })
}

/// A remote parent that is not sampled: the default parent-based sampler then records nothing below it.
fn unsampled_root() -> Context {
    let ids = RandomIdGenerator::default();
    Context::new().with_remote_span_context(SpanContext::new(
        ids.new_trace_id(),
        ids.new_span_id(),
        TraceFlags::default(),
        true,
        TraceState::default(),
    ))
}

/// The traces URL: a signal-specific endpoint as given, else `{endpoint}/v1/traces` (OTLP exporter spec).
fn traces_url(endpoint: &str, traces_endpoint: Option<String>) -> String {
    traces_endpoint.unwrap_or_else(|| format!("{}/v1/traces", endpoint.trim_end_matches('/')))
}

fn service_name(service: &str, from_env: Option<String>) -> String {
    from_env.unwrap_or_else(|| service.to_string())
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn env_millis(name: &str) -> Option<Duration> {
    env(name)?.parse().ok().map(Duration::from_millis)
}

/// The exporter's HTTP client: the workspace's reqwest (rustls), run on the Tokio runtime like the batch task.
#[derive(Debug)]
struct ExportClient(reqwest::Client);

#[async_trait::async_trait]
impl HttpClient for ExportClient {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let mut response = self.0.execute(reqwest::Request::try_from(request)?).await?;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(Box::new(opentelemetry_http::ResponseBodyTooLarge::new()));
            }
            body.extend_from_slice(&chunk);
        }
        let mut out = Response::new(Bytes::from(body));
        *out.status_mut() = response.status();
        *out.headers_mut() = std::mem::take(response.headers_mut());
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_traces_url_appends_the_signal_path_unless_given_whole() {
        assert_eq!(
            traces_url("http://collector:4318", None),
            "http://collector:4318/v1/traces"
        );
        assert_eq!(
            traces_url("http://collector:4318/otlp/", None),
            "http://collector:4318/otlp/v1/traces"
        );
        assert_eq!(
            traces_url("http://a:4318", Some("http://b:4318/custom".into())),
            "http://b:4318/custom"
        );
    }

    #[test]
    fn otel_service_name_wins_over_the_service() {
        assert_eq!(service_name("cart", None), "cart");
        assert_eq!(
            service_name("cart", Some("cart-canary".into())),
            "cart-canary"
        );
    }

    #[test]
    fn nothing_is_exported_or_linked_while_export_is_off() {
        assert!(!enabled());
        assert_eq!(current_traceparent(), None);
        let span = tracing::info_span!("request");
        assert_eq!(
            start_request_span(&span, &HeaderMap::new(), "GET", "/x", false),
            None
        );
    }
}
