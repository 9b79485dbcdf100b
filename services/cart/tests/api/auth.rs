//! §8 check 1: who may call what.

use reqwest::Method;
use serde_json::json;
use test_support::service::{LOCAL_CLIENT, LOCAL_ISSUER};
use uuid::Uuid;

use super::support::{envelope, TestApp, ORDER_TOKEN, PRODUCT_TOKEN};

#[tokio::test]
async fn every_v1_route_refuses_a_missing_an_id_or_an_expired_token() {
    let app = TestApp::spawn().await;
    let sub = Uuid::new_v4();
    let now = chrono::Utc::now().timestamp();
    let id_token = app
        .issuer
        .key
        .sign(&json!({"sub": sub, "iss": LOCAL_ISSUER, "token_use": "id",
        "aud": LOCAL_CLIENT, "client_id": LOCAL_CLIENT, "exp": now + 600, "iat": now}));
    let expired = app.issuer.key.sign(
        &json!({"sub": sub, "iss": LOCAL_ISSUER, "token_use": "access",
        "client_id": LOCAL_CLIENT, "exp": now - 3600, "iat": now - 4000}),
    );
    let line = Uuid::now_v7();
    let routes = [
        (Method::GET, "/v1/carts/user".to_string()),
        (Method::GET, format!("/v1/carts/{line}")),
        (Method::POST, "/v1/carts".to_string()),
        (Method::PATCH, format!("/v1/carts/{line}")),
        (Method::DELETE, format!("/v1/carts/{line}")),
        (Method::PATCH, "/v1/carts/deletes".to_string()),
        (Method::POST, "/v1/carts/checkout".to_string()),
    ];
    for (method, path) in routes {
        for token in [None, Some(id_token.as_str()), Some(expired.as_str())] {
            let res = app
                .send(method.clone(), &path, token, Some(json!({})))
                .await;
            assert_eq!(res.status, 401, "{method} {path} with {token:?}");
        }
    }
}

#[tokio::test]
async fn internal_events_refuse_user_tokens_unknown_credentials_and_a_foreign_source() {
    let app = TestApp::spawn().await;
    let (_, token) = app.customer();
    let event = envelope(
        "product.deleted",
        json!({"product_id": Uuid::now_v7(), "version": 2, "deleted_at": "2024-05-01T10:00:00Z"}),
    );
    let res = app
        .send(
            Method::POST,
            "/internal/events",
            Some(&token),
            Some(event.clone()),
        )
        .await;
    assert_eq!(res.status, 401, "a user token never opens /internal");
    assert_eq!(
        app.event_as("not-a-known-token", event.clone())
            .await
            .status,
        401
    );
    // order's token is not in cart's INTERNAL_TOKENS.
    assert_eq!(app.event_as(ORDER_TOKEN, event.clone()).await.status, 401);
    let mut foreign = event.clone();
    foreign["source"] = json!("order");
    assert_eq!(app.event_as(PRODUCT_TOKEN, foreign).await.status, 403);
    assert_eq!(app.event_as(PRODUCT_TOKEN, event).await.status, 200);
}
