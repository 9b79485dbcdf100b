//! Identity-provider failures and malformed requests (api/auth.md §8 check 18): never a 5xx for bad input,
//! 502 without SDK text when Cognito is unreachable, Cognito errors in our words.

use serde_json::json;
use test_support::proxy::TcpProxy;

use super::stub::{self, CognitoStub};
use super::support::{test_limits, unique, App, PASSWORD};

#[tokio::test]
async fn an_unreachable_identity_provider_is_502_without_sdk_text() {
    let upstream = test_support::cognito::endpoint()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let proxy = TcpProxy::start(&upstream).await;
    let app = App::spawn_through(test_limits(), format!("http://{}", proxy.addr())).await;
    let name = unique("oz");
    app.register(&name, &format!("{name}@example.com")).await;
    proxy.cut();
    let res = app.try_login(&name, PASSWORD).await;
    assert_eq!(res.status, 502, "{res:?}");
    let message = res.message();
    assert!(
        message.starts_with("identity provider error (request id "),
        "{message}"
    );
    for sdk_text in [
        "dispatch",
        "timeout",
        "io error",
        "Connection",
        "SdkError",
        "service error",
    ] {
        assert!(!message.contains(sdk_text), "{message}");
    }
    proxy.restore();
    assert_eq!(app.try_login(&name, PASSWORD).await.status, 200);
}

fn stubbed(operation: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    match (
        operation,
        body["ConfirmationCode"].as_str(),
        body["Username"].as_str(),
    ) {
        ("ConfirmSignUp", Some("111"), _) => stub::error("CodeMismatchException"),
        ("ConfirmSignUp", Some("222"), _) => stub::error("ExpiredCodeException"),
        ("ConfirmSignUp", Some("333"), _) => stub::error("NotAuthorizedException"),
        ("ConfirmSignUp", _, _) => (200, json!({})),
        ("ResendConfirmationCode", _, Some("limited")) => stub::error("LimitExceededException"),
        ("ResendConfirmationCode", _, _) => (
            200,
            json!({"CodeDeliveryDetails": {"Destination": "p***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}}),
        ),
        ("SignUp", _, _) => stub::error("CodeDeliveryFailureException"),
        ("ListUsers", _, _) => (200, json!({"Users": []})),
        _ => stub::error("UserNotFoundException"),
    }
}

#[tokio::test]
async fn cognito_errors_map_to_our_statuses_and_a_resend_succeeds() {
    let stub = CognitoStub::start(stubbed).await;
    let (app, _issuer) = stub::spawn_against(&stub, test_limits()).await;
    let confirm =
        |code: &str| app.post("/v1/auth/confirm", json!({"username": "pat", "code": code}));
    assert_eq!(confirm("111").await.status, 422);
    assert_eq!(confirm("222").await.status, 422);
    let again = confirm("333").await;
    assert_eq!(again.status, 409, "{again:?}");
    assert_eq!(again.message(), "account already confirmed");
    assert_eq!(confirm("444").await.status, 200);

    let limited = app
        .post("/v1/auth/resend-code", json!({"username": "limited"}))
        .await;
    assert_eq!(limited.status, 429, "{limited:?}");
    let resent = app
        .post("/v1/auth/resend-code", json!({"username": "pat"}))
        .await;
    assert_eq!(resent.status, 200, "{resent:?}");
    assert_eq!(
        resent.body["data"]["code_delivery"],
        json!({"destination": "p***@e***", "medium": "EMAIL"})
    );
    let soon = app
        .post("/v1/auth/resend-code", json!({"username": "pat"}))
        .await;
    assert_eq!(soon.status, 200, "test cool-down is 1 ms");

    let failed = app
        .post(
            "/v1/auth/signup",
            json!({"username": "quinn", "email": "q@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(failed.status, 502, "{failed:?}");
    assert!(!failed.message().contains("stubbed"), "{failed:?}");
}

#[tokio::test]
async fn a_second_resend_within_the_cooldown_is_429_with_retry_after() {
    let stub = CognitoStub::start(stubbed).await;
    let (app, _issuer) = stub::spawn_against(&stub, auth::config::Limits::default()).await;
    assert_eq!(
        app.post("/v1/auth/resend-code", json!({"username": "pat"}))
            .await
            .status,
        200
    );
    let soon = app
        .post("/v1/auth/resend-code", json!({"username": "PAT"}))
        .await;
    assert_eq!(soon.status, 429);
    assert!(
        soon.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            <= 30
    );
    assert_eq!(stub.calls("ResendConfirmationCode"), 1);
}

#[tokio::test]
async fn malformed_wrongly_typed_oversized_and_non_json_bodies_are_4xx() {
    let stub = CognitoStub::start(stubbed).await;
    let (app, _issuer) = stub::spawn_against(&stub, test_limits()).await;
    let raw = |body: String, content_type: &'static str| {
        app.http
            .post(format!("{}/v1/auth/login", app.base))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases = [
        (
            raw("{not json".into(), "application/json").await.unwrap(),
            400,
        ),
        (
            raw(
                r#"{"username": 5, "password": []}"#.into(),
                "application/json",
            )
            .await
            .unwrap(),
            400,
        ),
        (
            raw(
                format!(r#"{{"username": "{}"}}"#, "a".repeat(20_000)),
                "application/json",
            )
            .await
            .unwrap(),
            413,
        ),
        (
            raw("username=a".into(), "application/x-www-form-urlencoded")
                .await
                .unwrap(),
            415,
        ),
    ];
    for (res, status) in cases {
        assert_eq!(res.status().as_u16(), status);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], status, "{body}");
    }
    assert_eq!(app.post("/v1/auth/login", json!({})).await.status, 400);
    assert_eq!(app.get("/v1/auth/login", None).await.status, 405);
    assert_eq!(
        app.post("/v1/auth/refresh", json!({"refresh_token": 1}))
            .await
            .status,
        400
    );
}
