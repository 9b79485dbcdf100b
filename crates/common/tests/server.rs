//! The service defaults every binary gets from `server::build` (design §2): error envelopes for unknown
//! routes and methods, trailing-slash tolerance, CORS preflight, gzip, request ids, readiness and metrics.

use axum::routing::get;
use axum::Router;
use eshop_common::config::CommonSettings;
use eshop_common::envelope::ok;
use eshop_common::error::AppError;
use eshop_common::server::{self, ready_check, Defaults, Server};
use serde_json::Value;

async fn spawn(ready: bool) -> String {
    let routes = Router::new()
        .route(
            "/v1/things",
            get(|| async { ok(vec!["x".repeat(2000); 20]) }),
        )
        .route(
            "/v1/fault",
            get(|| async {
                Err::<(), _>(AppError::internal(
                    "the thing store failed",
                    "driver said: password=hunter2",
                ))
            }),
        )
        .route(
            "/v1/panic",
            get(|| async {
                if true {
                    panic!("boom")
                }
                "unreachable"
            }),
        );
    let mut settings = CommonSettings::from_env("test", 0).unwrap();
    settings.cors_origins = vec!["http://localhost:3000".into()];
    format!("http://{}", serve(routes, settings, ready).await)
}

/// Serves `routes` with the service defaults built from `settings`, on a free port, in the background.
async fn serve(routes: Router, settings: CommonSettings, ready: bool) -> std::net::SocketAddr {
    let defaults = Defaults {
        settings,
        openapi: r#"{"openapi":"3.0.3"}"#,
        verifier: None,
        stores_ready: ready_check(move || async move { ready }),
    };
    let server = Server::bind(
        "127.0.0.1:0".parse().unwrap(),
        server::build(routes, defaults),
    )
    .await
    .unwrap();
    let addr = server.local_addr();
    tokio::spawn(server.run_until(std::future::pending()));
    addr
}

async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn unknown_routes_answer_404_with_the_error_envelope() {
    let url = spawn(true).await;
    let (status, body) = json(
        reqwest::get(format!("{url}/v1/nothing-here"))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], 404);
    assert_eq!(body["error"]["message"], "route not found");
    assert!(body["error"].get("causes").is_some());

    let (status, body) = json(
        reqwest::Client::new()
            .delete(format!("{url}/v1/things"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (405, Some(405)));
}

#[tokio::test]
async fn paths_answer_with_and_without_a_trailing_slash() {
    let url = spawn(true).await;
    for path in ["/v1/things", "/v1/things/"] {
        let (status, body) = json(reqwest::get(format!("{url}{path}")).await.unwrap()).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(body["message"], "success get");
        assert_eq!(body["code"], 200);
    }
}

#[tokio::test]
async fn faults_answer_plain_words_and_the_request_id_never_driver_text() {
    let url = spawn(true).await;
    let response = reqwest::Client::new()
        .get(format!("{url}/v1/fault"))
        .header("x-request-id", "req-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "req-123");
    let (status, body) = json(response).await;
    assert_eq!(status, 500);
    let message = body["error"]["message"].as_str().unwrap();
    assert_eq!(message, "the thing store failed (request id req-123)");
    assert!(!body.to_string().contains("hunter2"));

    let (status, body) = json(reqwest::get(format!("{url}/v1/panic")).await.unwrap()).await;
    assert_eq!(status, 500);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("internal error"));
}

#[tokio::test]
async fn cors_preflight_answers_204_for_allowed_origins() {
    let url = spawn(true).await;
    let response = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{url}/v1/things"))
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );

    let other = reqwest::Client::new()
        .get(format!("{url}/v1/things"))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn responses_are_gzipped_when_the_client_accepts_it() {
    let url = spawn(true).await;
    let response = reqwest::Client::new()
        .get(format!("{url}/v1/things"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    // A small body (this 404 envelope) is not worth compressing.
    let small = reqwest::Client::new()
        .get(format!("{url}/v1/nothing-here"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(small.status().as_u16(), 404);
    assert!(small.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn health_ready_metrics_and_openapi_are_served() {
    let url = spawn(false).await;
    let health = reqwest::get(format!("{url}/health")).await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(health.text().await.unwrap(), "");
    assert_eq!(
        reqwest::get(format!("{url}/ready"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        503
    );
    let spec: Value = reqwest::get(format!("{url}/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spec["openapi"], "3.0.3");
    reqwest::get(format!("{url}/v1/things")).await.unwrap();
    let metrics = reqwest::get(format!("{url}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains(r#"route="/v1/things""#), "{metrics}");

    assert_eq!(
        reqwest::get(format!("{}/ready", spawn(true).await))
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
}

/// A server with a 1 s request deadline, a route that reads its body and one that takes 3 s.
async fn spawn_with_deadline() -> std::net::SocketAddr {
    let routes = Router::new()
        .route(
            "/v1/echo",
            axum::routing::post(|body: String| async move { ok(body.len()) }),
        )
        .route(
            "/v1/slow",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                ok(1)
            }),
        );
    let mut settings = CommonSettings::from_env("test", 0).unwrap();
    settings.request_timeout = std::time::Duration::from_secs(1);
    serve(routes, settings, true).await
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_408_and_a_slow_handler_503() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = spawn_with_deadline().await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nabc")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut answer = vec![0u8; 2048];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("answered before the client gave up")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("did not arrive in time"), "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(3));

    let client = reqwest::Client::new();
    let (status, body) = json(
        client
            .get(format!("http://{addr}/v1/slow"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    let (status, body) = json(
        client
            .post(format!("http://{addr}/v1/echo"))
            .body("hello")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body["data"].clone()), (200, serde_json::json!(5)));
}
