//! A stand-in subscriber for the relay tests: `POST /internal/events` as the spec README describes it.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

/// What a consumer received: the service token and the envelope.
type Received = Arc<Mutex<Vec<(Option<String>, Value)>>>;

/// A stand-in subscriber (cart or warehouse) implementing `POST /internal/events` of the spec README: it
/// records what it receives and answers `status` (200 with `{event_id, result}` when 2xx).
#[derive(Clone)]
pub struct Consumer {
    pub url: String,
    pub status: Arc<AtomicU16>,
    pub received: Received,
    pub delay: Duration,
}

impl Consumer {
    pub async fn start(status: u16) -> Consumer {
        Self::start_slow(status, Duration::ZERO).await
    }

    pub async fn start_slow(status: u16, delay: Duration) -> Consumer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let consumer = Consumer {
            url: format!("http://{}", listener.local_addr().unwrap()),
            status: Arc::new(AtomicU16::new(status)),
            received: Arc::new(Mutex::new(Vec::new())),
            delay,
        };
        let state = consumer.clone();
        let app = axum::Router::new().route(
            "/internal/events",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, axum::Json(body): axum::Json<Value>| {
                    let state = state.clone();
                    async move {
                        let token = headers
                            .get("x-service-token")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string);
                        tokio::time::sleep(state.delay).await;
                        let status = state.status.load(Ordering::SeqCst);
                        if (200..300).contains(&status) {
                            state.received.lock().unwrap().push((token, body.clone()));
                        }
                        let code = axum::http::StatusCode::from_u16(status).unwrap();
                        let reply = if code.is_success() {
                            json!({"code": status, "data": {"event_id": body["id"], "result": "applied"}, "message": "success"})
                        } else {
                            json!({"code": status, "error": {"message": "refused", "causes": null}})
                        };
                        (code, axum::Json(reply))
                    }
                },
            ),
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        consumer
    }

    pub fn set_status(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// The envelopes received so far.
    pub fn events(&self) -> Vec<Value> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|(_, e)| e.clone())
            .collect()
    }

    pub fn tokens(&self) -> Vec<Option<String>> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|(t, _)| t.clone())
            .collect()
    }
}
