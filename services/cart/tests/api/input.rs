//! Issue 6 check 5, §8 checks 18–19: bad input is a 4xx, never a 5xx; UUID forms; paths and CORS.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::support::{read, TestApp};

#[tokio::test]
async fn malformed_bodies_wrong_media_types_huge_bodies_and_bad_ids_are_4xx() {
    let app = TestApp::spawn().await;
    let (_, token) = app.customer();
    let post = |body: Vec<u8>, content_type: &'static str| {
        app.http
            .post(format!("{}/v1/carts", app.base))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let res = read(
        post(b"{\"product_id\": ".to_vec(), "application/json")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 400);
    let res = read(post(b"[1, 2]".to_vec(), "application/json").await.unwrap()).await;
    assert_eq!(res.status, 400);
    let res = read(post(b"hello".to_vec(), "text/plain").await.unwrap()).await;
    assert_eq!(res.status, 415);
    let res = read(
        post(vec![b' '; 1024 * 1024], "application/json")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, 413);

    for path in ["/v1/carts/abc", "/v1/carts/12a45"] {
        assert_eq!(app.get(path, &token).await.status, 400, "{path}");
        let res = app
            .send(
                Method::PATCH,
                path,
                Some(&token),
                Some(json!({"product_quantity": 1})),
            )
            .await;
        assert_eq!(res.status, 400);
        assert_eq!(
            app.send(Method::DELETE, path, Some(&token), None)
                .await
                .status,
            400
        );
    }
    for body in [
        json!({"cart_ids": []}),
        json!({"cart_ids": ["abc"]}),
        json!({"cart_ids": "x"}),
        json!({}),
    ] {
        let res = app
            .send(
                Method::PATCH,
                "/v1/carts/deletes",
                Some(&token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(res.status, 400, "{body}");
    }
    let res = app
        .send(
            Method::POST,
            "/v1/carts",
            Some(&token),
            Some(
                json!({"product_id": "not-a-uuid", "product_quantity": 1, "surprise": {"x": [1]}}),
            ),
        )
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(res.body["error"]["causes"][0]["field"], "product_id");
    // A Content-Type on a bodiless GET is ignored (fe-customer sends one).
    let res = app
        .http
        .get(format!("{}/v1/carts/user", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn uppercase_and_braced_uuids_are_accepted_and_echoed_lowercase() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 10.0, "", 100);
    let (_, token) = app.customer();
    let upper = product.to_string().to_uppercase();
    let res = app
        .send(
            Method::POST,
            "/v1/carts",
            Some(&token),
            Some(json!({"product_id": format!("{{{upper}}}"), "product_quantity": 1})),
        )
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    assert_eq!(res.data()["product_id"], product.to_string());
    let line = Uuid::parse_str(res.data()["id"].as_str().unwrap()).unwrap();
    let braced = format!("/v1/carts/{{{}}}", line.to_string().to_uppercase());
    let res = app.get(&braced, &token).await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.data()["id"], line.to_string());
    let simple = format!("/v1/carts/{}", line.simple());
    assert_eq!(app.get(&simple, &token).await.status, 200);
}

#[tokio::test]
async fn a_trailing_slash_answers_the_same_and_a_preflight_allows_the_cart_headers() {
    let app = TestApp::spawn().await;
    let (_, token) = app.customer();
    let plain = app.get("/v1/carts/user", &token).await;
    let slashed = app.get("/v1/carts/user/", &token).await;
    assert_eq!((plain.status, &plain.body), (slashed.status, &slashed.body));
    let res = app
        .http
        .request(Method::OPTIONS, format!("{}/v1/carts/checkout", app.base))
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type, idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 204);
    let allowed = res.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for header in ["authorization", "content-type", "idempotency-key"] {
        assert!(allowed.contains(header), "{allowed}");
    }
}
