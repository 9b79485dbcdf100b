//! Server bootstrap shared by the seven services ("service defaults"): the health, readiness, metrics and
//! OpenAPI routes, CORS from configuration, gzip, body limits, a request timeout, trailing-slash tolerance,
//! error envelopes for unknown routes and panics, and graceful shutdown on SIGTERM (design §2, §6).

use std::any::Any;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, ServiceExt};
use tower::Layer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::normalize_path::NormalizePathLayer;

use crate::auth::Verifier;
use crate::config::CommonSettings;
use crate::error::error_response;
use crate::telemetry::{metrics_handle, observe};

/// Smaller response bodies are sent as they are, even to clients that accept gzip.
pub const COMPRESS_ABOVE_BYTES: u16 = 1024;

/// An async readiness probe of a service's own stores.
pub type ReadyCheck = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = bool> + Send>> + Send + Sync>;

/// Wraps an async closure as a [`ReadyCheck`].
pub fn ready_check<F, Fut>(check: F) -> ReadyCheck
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send + 'static,
{
    Arc::new(move || Box::pin(check()))
}

/// What every service contributes to the common routes.
#[derive(Clone)]
pub struct Defaults {
    pub settings: CommonSettings,
    /// The service's OpenAPI 3 document (JSON).
    pub openapi: &'static str,
    /// Token keys must be loaded before the service is ready (auth.md §2.2).
    pub verifier: Option<Arc<Verifier>>,
    pub stores_ready: ReadyCheck,
}

impl Defaults {
    pub fn new(
        settings: CommonSettings,
        openapi: &'static str,
        verifier: Arc<Verifier>,
        stores_ready: ReadyCheck,
    ) -> Self {
        Defaults {
            settings,
            openapi,
            verifier: Some(verifier),
            stores_ready,
        }
    }
}

/// [`build`], then bind the configured `HTTP_PORT` (0 in tests): what every service's `build` ends with.
pub async fn start(routes: Router, defaults: Defaults) -> std::io::Result<Server> {
    let port = defaults.settings.http_port;
    Server::bind_port(port, build(routes, defaults)).await
}

/// The service's routes plus the common ones and every common layer. Route-specific body limits set with
/// `DefaultBodyLimit` on a route win over the default set here.
pub fn build(routes: Router, defaults: Defaults) -> Router {
    let Defaults {
        settings,
        openapi,
        verifier,
        stores_ready,
    } = defaults;
    // The recorder must exist before the first request is counted.
    metrics_handle();
    let readiness = Readiness {
        verifier,
        stores_ready,
    };
    // The handlers carry their OpenAPI description (`crate::openapi` adds it to every service's document).
    routes
        .route("/health", get(health))
        .route("/ready", get(ready).with_state(readiness))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi_document).with_state(openapi))
        .fallback(|| async {
            error_response(StatusCode::NOT_FOUND, "route not found".into(), None)
        })
        .method_not_allowed_fallback(|| async {
            error_response(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed".into(),
                None,
            )
        })
        .layer(DefaultBodyLimit::max(settings.body_limit))
        .layer(middleware::from_fn({
            let limit = settings.request_timeout;
            move |req: Request, next: Next| deadline(limit, req, next)
        }))
        // Bodies under 1 KiB (most single objects and every error) gain little and cost CPU to compress.
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .compress_when(DefaultPredicate::new().and(SizeAbove::new(COMPRESS_ABOVE_BYTES))),
        )
        .layer(cors(&settings.cors_origins))
        .layer(middleware::from_fn(preflight_no_content))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(observe))
}

/// `HTTP_REQUEST_TIMEOUT_SECS` for the whole request. When it passes before the body has fully arrived, the
/// client is the slow one (a trickling upload, a slowloris body): 408. Otherwise the service is: 503.
/// Either way the worker is freed and other requests are not held up.
async fn deadline(limit: Duration, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    let arrived = Arc::new(AtomicBool::new(!has_body));
    let req = if has_body {
        let flag = Arc::clone(&arrived);
        req.map(|body| {
            use futures::StreamExt;
            let end = futures::stream::poll_fn(move |_| {
                flag.store(true, Ordering::Release);
                Poll::Ready(None)
            });
            Body::from_stream(body.into_data_stream().chain(end))
        })
    } else {
        req
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) if !arrived.load(Ordering::Acquire) => error_response(
            StatusCode::REQUEST_TIMEOUT,
            "the request body did not arrive in time".into(),
            None,
        ),
        Err(_) => error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "the request took too long; try again".into(),
            None,
        ),
    }
}

fn cors(origins: &[String]) -> CorsLayer {
    let origins: Arc<[HeaderValue]> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    // A predicate over a shared list rather than `AllowOrigin::list`: the layer is cloned for every request,
    // and a list is copied with it.
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, _| {
            origins.iter().any(|allowed| allowed == origin)
        }))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([HeaderName::from_static("x-request-id"), header::RETRY_AFTER])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
}

/// Preflight requests answer 204 (design §2), not the 200 the CORS layer gives.
async fn preflight_no_content(req: Request, next: Next) -> Response {
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = next.run(req).await;
    if preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}

fn panic_response(_: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    let id = crate::context::current_request_id().unwrap_or_else(|| "-".into());
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("internal error (request id {id})"),
        None,
    )
}

/// A bound listener with its app, so tests learn the port before serving.
pub struct Server {
    listener: tokio::net::TcpListener,
    app: Router,
}

impl Server {
    /// Binds `addr` (port 0 picks a free one).
    pub async fn bind(addr: SocketAddr, app: Router) -> std::io::Result<Server> {
        Ok(Server {
            listener: tokio::net::TcpListener::bind(addr).await?,
            app,
        })
    }

    /// Binds all interfaces on `port`.
    pub async fn bind_port(port: u16, app: Router) -> std::io::Result<Server> {
        Self::bind(SocketAddr::from(([0, 0, 0, 0], port)), app).await
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // Trailing-slash tolerance must run before routing, so it wraps the router from outside.
        let app = NormalizePathLayer::trim_trailing_slash().layer(self.app);
        // The peer address reaches handlers as `ConnectInfo<SocketAddr>` (rate limits without a proxy).
        let service = ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(app);
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// Serves until SIGTERM or Ctrl-C.
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}

/// An empty 200 (`/health` style) for handlers that need one.
pub async fn empty_ok() -> impl IntoResponse {
    StatusCode::OK
}

/// What `/ready` checks.
#[derive(Clone)]
pub(crate) struct Readiness {
    verifier: Option<Arc<Verifier>>,
    stores_ready: ReadyCheck,
}

/// Liveness
#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "operations",
    responses((status = 200, description = "alive (empty body)"))
)]
pub(crate) async fn health() -> StatusCode {
    StatusCode::OK
}

/// Readiness: 200 only when the stores are reachable and token keys are loaded
#[utoipa::path(
    get,
    path = "/ready",
    operation_id = "ready",
    tag = "operations",
    responses(
        (status = 200, description = "ready (empty body)"),
        (status = 503, description = "not ready (empty body)")
    )
)]
pub(crate) async fn ready(State(readiness): State<Readiness>) -> StatusCode {
    let keys = readiness.verifier.as_ref().is_none_or(|v| v.is_ready());
    if keys && (readiness.stores_ready)().await {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}

/// Prometheus metrics
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "metrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text", body = String, content_type = "text/plain"))
)]
pub(crate) async fn metrics() -> String {
    metrics_handle().render()
}

/// This document
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi",
    tag = "operations",
    responses((status = 200, description = "OpenAPI 3.1 document", body = Object, content_type = "application/json"))
)]
pub(crate) async fn openapi_document(State(document): State<&'static str>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document)
}
