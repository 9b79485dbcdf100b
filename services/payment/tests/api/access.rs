//! Tokens, CORS and the common routes (api/payment.md §6 checks 1, 19, 20).

use serde_json::json;
use test_support::proxy::TcpProxy;

use super::multipart::MultipartExt;
use test_support::service::{LOCAL_CLIENT, LOCAL_ISSUER};
use uuid::Uuid;

use super::support::{form, jpeg, s3_endpoint, Options, TestApp};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// An expired token, one from another issuer, and an ID token, all signed with the trusted key.
fn bad_tokens(app: &TestApp, sub: Uuid) -> Vec<(&'static str, String)> {
    let base = json!({"sub": sub, "iss": LOCAL_ISSUER, "token_use": "access", "client_id": LOCAL_CLIENT,
        "exp": now() + 600, "iat": now(), "cognito:groups": ["admin"]});
    let with = |k: &str, v: serde_json::Value| {
        let mut c = base.clone();
        c[k] = v;
        app.issuer.key.sign(&c)
    };
    vec![
        ("expired", with("exp", json!(now() - 3600))),
        (
            "other issuer",
            with(
                "iss",
                json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"),
            ),
        ),
        ("id token", with("token_use", json!("id"))),
        ("garbage", "not.a.jwt".to_string()),
    ]
}

#[tokio::test]
async fn every_route_refuses_missing_expired_foreign_and_id_tokens_with_401_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let (user, good) = app.customer();
    let order = app.stub.order(user, 10.0);
    let id = Uuid::now_v7();
    let mut tokens: Vec<(&str, Option<String>)> = vec![("none", None)];
    tokens.extend(
        bad_tokens(&app, user)
            .into_iter()
            .map(|(n, t)| (n, Some(t))),
    );
    for (name, token) in tokens {
        let auth = |r: reqwest::RequestBuilder| match &token {
            Some(t) => r.bearer_auth(t),
            None => r,
        };
        let requests = vec![
            (
                "POST",
                auth(app.http.post(app.url("/v1/payments")).multipart(form(
                    order,
                    jpeg(),
                    "image/jpeg",
                    "p.jpg",
                ))),
            ),
            ("GET list", auth(app.http.get(app.url("/v1/payments")))),
            (
                "GET one",
                auth(app.http.get(app.url(&format!("/v1/payments/{id}")))),
            ),
            (
                "PATCH",
                auth(
                    app.http
                        .patch(app.url("/v1/payments"))
                        .json(&json!({"paymentId": id, "status": "APPROVED"})),
                ),
            ),
            (
                "proof",
                auth(app.http.get(app.url(&format!("/v1/payments/{id}/proof")))),
            ),
        ];
        for (route, request) in requests {
            let res = app.send(request).await;
            assert_eq!(res.status, 401, "{name} {route}: {res:?}");
            assert_eq!(res.body["code"], 401, "{name} {route}");
            assert!(res.body["error"]["message"].is_string(), "{name} {route}");
            assert!(
                res.headers.get("www-authenticate").is_some(),
                "{name} {route}"
            );
        }
    }
    app.assert_nothing_stored().await;
    assert!(app.stub.calls().is_empty(), "the order was never asked");
    // The good token works on the same route.
    assert_eq!(app.upload(&good, order, jpeg()).await.status, 201);
}

#[tokio::test]
async fn preflight_from_the_two_frontends_is_204_and_other_origins_get_no_cors_headers() {
    let app = TestApp::spawn().await;
    for origin in ["http://localhost:3000", "http://localhost:3001"] {
        let res = app
            .send(
                app.http
                    .request(reqwest::Method::OPTIONS, app.url("/v1/payments"))
                    .header("origin", origin)
                    .header("access-control-request-method", "POST")
                    .header("access-control-request-headers", "authorization"),
            )
            .await;
        assert_eq!(res.status, 204, "{origin}");
        assert_eq!(res.headers["access-control-allow-origin"], origin);
        assert!(res.headers.get("access-control-allow-methods").is_some());
        assert!(res.headers.get("access-control-allow-headers").is_some());
    }
    let res = app
        .send(
            app.http
                .request(reqwest::Method::OPTIONS, app.url("/v1/payments"))
                .header("origin", "http://evil.example")
                .header("access-control-request-method", "POST"),
        )
        .await;
    assert!(
        res.headers.get("access-control-allow-origin").is_none(),
        "{res:?}"
    );
}

#[tokio::test]
async fn ready_is_503_while_mysql_or_s3_is_cut_and_health_stays_200() {
    let mysql = TcpProxy::start("127.0.0.1:3306").await;
    let s3 = TcpProxy::start(s3_endpoint().trim_start_matches("http://")).await;
    let seed = TestApp::spawn().await;
    let app = seed
        .sibling(Options {
            database_url: Some(mysql.rewrite_url(&seed.db.url, "127.0.0.1:3306")),
            s3_endpoint: Some(format!("http://{}", s3.addr())),
            ..Options::default()
        })
        .await;
    let (_, token) = app.customer();
    assert_eq!(app.get("/ready", None).await.status, 200);
    mysql.cut();
    assert_eq!(app.get("/ready", None).await.status, 503);
    assert_eq!(app.get("/health", None).await.status, 200);
    let res = app
        .send(
            app.http
                .get(app.url("/v1/payments"))
                .bearer_auth(&token)
                .header("x-request-id", "req-db-down"),
        )
        .await;
    assert_eq!(res.status, 503, "{res:?}");
    assert!(res.text.contains("req-db-down"), "{}", res.text);
    for leak in ["sqlx", "mysql", "io error", "pool timed out"] {
        assert!(!res.text.to_lowercase().contains(leak), "{}", res.text);
    }
    mysql.restore();
    assert!(
        app.eventually(10, || async { app.get("/ready", None).await.status == 200 })
            .await
    );
    s3.cut();
    assert!(
        app.eventually(10, || async { app.get("/ready", None).await.status == 503 })
            .await
    );
    s3.restore();
    assert!(
        app.eventually(10, || async { app.get("/ready", None).await.status == 200 })
            .await
    );
}
