//! OTLP trace export (design §6): with `OTEL_EXPORTER_OTLP_ENDPOINT` set, a request's span reaches the collector
//! in the caller's W3C trace, named by its route and its service, and outgoing calls name it as their parent.
//! Its own test binary with one test: the global subscriber can be installed once per process.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use eshop_common::client::ServiceClient;
use eshop_common::config::CommonSettings;
use eshop_common::context::RequestContext;
use eshop_common::envelope::ok;
use eshop_common::server::{self, ready_check, Defaults, Server};
use eshop_common::telemetry;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::common::v1::KeyValue;
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value as Json;

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN_ID: &str = "00f067aa0ba902b7";
const SECRET: &str = "never-export-this-bearer-token";

type Received = Arc<Mutex<Vec<Bytes>>>;

/// A collector that keeps every `POST /v1/traces` body, and `GET /echo` answering the `traceparent` it got (a
/// downstream service).
async fn collector() -> (String, Received) {
    let received = Received::default();
    let app = Router::new()
        .route(
            "/v1/traces",
            post(|State(received): State<Received>, body: Bytes| async move {
                received.lock().unwrap().push(body);
            }),
        )
        .route(
            "/echo",
            get(|headers: HeaderMap| async move {
                headers
                    .get("traceparent")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string()
            }),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

/// The app under test; its handler calls `downstream` with the service client and answers what it sent.
async fn spawn_app(settings: CommonSettings, downstream: String) -> String {
    let client = ServiceClient::new(
        SecretString::from("local-otlp-test-token"),
        Duration::from_secs(2),
    );
    let routes = Router::new().route(
        "/v1/things/{id}",
        get(move || async move {
            let ctx = RequestContext::current().expect("inside a request");
            let sent = client
                .internal(Method::GET, &downstream)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            ok(serde_json::json!({ "trace_id": ctx.trace_id, "outgoing": sent }))
        }),
    );
    let defaults = Defaults {
        settings,
        openapi: r#"{"openapi":"3.0.3"}"#,
        verifier: None,
        stores_ready: ready_check(|| async { true }),
    };
    let server = Server::bind(
        "127.0.0.1:0".parse().unwrap(),
        server::build(routes, defaults),
    )
    .await
    .unwrap();
    let url = format!("http://{}", server.local_addr());
    tokio::spawn(server.run_until(std::future::pending()));
    url
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn attribute<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a Value> {
    attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref())
        .and_then(|v| v.value.as_ref())
}

fn string(value: Option<&Value>) -> Option<&str> {
    match value {
        Some(Value::StringValue(s)) => Some(s),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_spans_are_exported_in_the_callers_trace() {
    // Edition 2021: plain functions. This binary has one test, so nothing races on the environment.
    std::env::remove_var("OTEL_SERVICE_NAME");
    std::env::remove_var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    let (collector_url, received) = collector().await;
    let mut settings = CommonSettings::from_env("otlp-test", 0).unwrap();
    settings.log_level = "info".into();
    settings.otlp_endpoint = Some(format!("{collector_url}/"));
    telemetry::init_tracing(&settings);
    let app = spawn_app(settings, format!("{collector_url}/echo")).await;
    let http = reqwest::Client::new();

    let response = http
        .get(format!("{app}/v1/things/42"))
        .header("traceparent", format!("00-{TRACE_ID}-{CALLER_SPAN_ID}-01"))
        .header("authorization", format!("Bearer {SECRET}"))
        .header("x-request-id", "req-otlp-1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Json = response.json().await.unwrap();
    assert_eq!(body["data"]["trace_id"], TRACE_ID);
    let outgoing = body["data"]["outgoing"].as_str().unwrap().to_string();
    let parts: Vec<&str> = outgoing.split('-').collect();
    assert_eq!(parts.len(), 4, "{outgoing}");
    assert_eq!((parts[0], parts[1], parts[3]), ("00", TRACE_ID, "01"));
    assert_ne!(parts[2], CALLER_SPAN_ID);

    // Probes are not traced.
    let health = http.get(format!("{app}/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    telemetry::shutdown_tracing();

    let bodies = received.lock().unwrap().clone();
    assert!(!bodies.is_empty(), "nothing reached the collector");
    let mut spans: Vec<(Option<String>, Span)> = Vec::new();
    for body in &bodies {
        assert!(
            !body.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "the bearer token was exported"
        );
        let request = ExportTraceServiceRequest::decode(body.as_ref()).expect("OTLP protobuf");
        for resource_spans in request.resource_spans {
            let service = resource_spans
                .resource
                .as_ref()
                .and_then(|r| string(attribute(&r.attributes, "service.name")))
                .map(String::from);
            for scope_spans in resource_spans.scope_spans {
                spans.extend(scope_spans.spans.into_iter().map(|s| (service.clone(), s)));
            }
        }
    }
    let (service, span) = spans
        .iter()
        .find(|(_, s)| hex(&s.trace_id) == TRACE_ID)
        .unwrap_or_else(|| panic!("no span in the caller's trace among {spans:#?}"));
    assert_eq!(service.as_deref(), Some("otlp-test"));
    assert_eq!(span.name, "GET /v1/things/{id}");
    assert_eq!(hex(&span.parent_span_id), CALLER_SPAN_ID);
    assert_eq!(
        hex(&span.span_id),
        parts[2],
        "outgoing calls name the request span"
    );
    assert_eq!(
        string(attribute(&span.attributes, "http.route")),
        Some("/v1/things/{id}")
    );
    assert_eq!(
        string(attribute(&span.attributes, "route")),
        Some("/v1/things/{id}")
    );
    assert_eq!(
        string(attribute(&span.attributes, "request_id")),
        Some("req-otlp-1")
    );
    assert_eq!(
        attribute(&span.attributes, "http.response.status_code"),
        Some(&Value::IntValue(200))
    );
    assert!(
        !spans.iter().any(|(_, s)| s.name.contains("/health")),
        "probe spans are not exported"
    );
}
