//! Per-caller service credentials on `/internal/...` (auth.md §2.6, §8 check 7) through real routes.

use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::routing::post;
use axum::Router;
use eshop_common::auth::{InternalAuth, ServiceCaller, Verifier};
use eshop_common::config::CommonSettings;
use eshop_common::envelope::ok;
use eshop_common::error::AppResult;
use eshop_common::extract::Json;
use eshop_common::outbox::Envelope;
use eshop_common::server::{self, ready_check, Defaults, Server};
use serde_json::json;
use test_support::service::{LocalIssuer, LOCAL_CLIENT, LOCAL_ISSUER};

const ROUTES: &[(&str, &str)] = &[("order", "/internal/events"), ("cart", "/internal/lookup")];
const EVENTS: &[(&str, &str)] = &[("order", "sale.created")];

#[derive(Clone, FromRef)]
struct AppState {
    internal: Arc<InternalAuth>,
    verifier: Arc<Verifier>,
}

async fn events(
    caller: ServiceCaller,
    State(state): State<AppState>,
    Json(envelope): Json<Envelope>,
) -> AppResult<impl axum::response::IntoResponse> {
    caller.check_event(&state.internal, &envelope.source, &envelope.event_type)?;
    Ok(ok(json!({"event_id": envelope.id, "result": "ignored"})))
}

async fn lookup(caller: ServiceCaller) -> impl axum::response::IntoResponse {
    ok(caller.name)
}

async fn spawn(issuer: &LocalIssuer) -> String {
    let internal = Arc::new(
        InternalAuth::new(
            "order:order-old-secret,order:order-new-secret,cart:cart-secret",
            ROUTES,
            EVENTS,
        )
        .unwrap(),
    );
    let verifier = Verifier::new(eshop_common::auth::AuthSettings::new(
        LOCAL_ISSUER,
        &[LOCAL_CLIENT],
        &issuer.jwks.url(),
    ));
    verifier.refresh().await.unwrap();
    let state = AppState {
        internal,
        verifier: verifier.clone(),
    };
    let routes = Router::new()
        .route("/internal/events", post(events))
        .route("/internal/lookup", post(lookup))
        .with_state(state);
    let defaults = Defaults::new(
        CommonSettings::from_env("test", 0).unwrap(),
        "{}",
        verifier,
        ready_check(|| async { true }),
    );
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

fn envelope(source: &str, kind: &str) -> serde_json::Value {
    serde_json::to_value(Envelope::new(
        kind,
        source,
        json!({"order_id": uuid::Uuid::new_v4()}),
    ))
    .unwrap()
}

async fn post_as(
    url: &str,
    path: &str,
    token: Option<&str>,
    bearer: Option<&str>,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{url}{path}"))
        .json(&body);
    if let Some(token) = token {
        request = request.header("x-service-token", token);
    }
    if let Some(bearer) = bearer {
        request = request.bearer_auth(bearer);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn internal_routes_take_only_an_allowed_callers_own_token() {
    let issuer = LocalIssuer::start().await;
    let url = spawn(&issuer).await;
    let event = envelope("order", "sale.created");

    let (status, body) = post_as(&url, "/internal/events", None, None, event.clone()).await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (401, Some("invalid service credential"))
    );
    assert_eq!(
        post_as(&url, "/internal/events", Some("nope"), None, event.clone())
            .await
            .0,
        401
    );
    // A valid admin bearer token alone never opens an internal route.
    let admin = issuer.token(uuid::Uuid::new_v4(), &["admin"]);
    assert_eq!(
        post_as(&url, "/internal/events", None, Some(&admin), event.clone())
            .await
            .0,
        401
    );

    // Both secrets of a rotating caller pass.
    for secret in ["order-old-secret", "order-new-secret"] {
        let (status, body) =
            post_as(&url, "/internal/events", Some(secret), None, event.clone()).await;
        assert_eq!(status, 200, "{body}");
    }
    // A known caller on a route not allowed for it.
    let (status, body) = post_as(
        &url,
        "/internal/events",
        Some("cart-secret"),
        None,
        envelope("cart", "sale.created"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (403, Some("caller not allowed"))
    );
    assert_eq!(
        post_as(
            &url,
            "/internal/lookup",
            Some("order-new-secret"),
            None,
            json!({})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post_as(
            &url,
            "/internal/lookup",
            Some("cart-secret"),
            None,
            json!({})
        )
        .await
        .1["data"],
        "cart"
    );
    // An envelope whose source is another service.
    let (status, _) = post_as(
        &url,
        "/internal/events",
        Some("order-new-secret"),
        None,
        envelope("payment", "sale.created"),
    )
    .await;
    assert_eq!(status, 403);
}
