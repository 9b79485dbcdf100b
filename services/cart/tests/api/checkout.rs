//! Issue 6 check 4, §8 checks 12–16: checkout through the order service.

use std::time::Duration;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::stubs::OrderMode;
use super::support::{Options, TestApp};

/// §3.7 step 2, computed independently: SHA-256 of
/// `[client_key, user, [[line, quantity, note]…] sorted by line id, [street, city, state, zipcode, note]]`.
fn expected_key(
    client: &str,
    user: Uuid,
    lines: &[(String, i64, String)],
    address: &Value,
) -> String {
    let mut lines = lines.to_vec();
    lines.sort();
    let lines: Vec<Value> = lines.iter().map(|(id, q, n)| json!([id, q, n])).collect();
    let text = json!([
        client,
        user.to_string(),
        lines,
        [
            address["street"],
            address["city"],
            address["state"],
            address["zipcode"],
            address["note"]
        ]
    ])
    .to_string();
    hex::encode(Sha256::digest(text.as_bytes()))
}

struct Cart {
    app: TestApp,
    user: Uuid,
    token: String,
    lines: Vec<Value>,
}

/// A customer with two lines: 2 × Car (note "red") and 1 × Bike.
async fn cart_with_two_lines(options: Options) -> Cart {
    let app = TestApp::spawn_with(options).await;
    let car = app.product.add("Car", 19.99, "", 100);
    let bike = app.product.add("Bike", 5.0, "", 100);
    let (user, token) = app.customer();
    let mut lines = Vec::new();
    for (product, quantity, note) in [(car, 2, "red"), (bike, 1, "")] {
        let res = app
            .send(
                reqwest::Method::POST,
                "/v1/carts",
                Some(&token),
                Some(json!({"product_id": product, "product_quantity": quantity, "note": note})),
            )
            .await;
        assert_eq!(res.status, 201);
        lines.push(res.data().clone());
    }
    Cart {
        app,
        user,
        token,
        lines,
    }
}

fn ids(lines: &[Value]) -> Vec<Value> {
    lines.iter().map(|l| l["id"].clone()).collect()
}

#[tokio::test]
async fn checkout_sends_the_token_the_derived_key_the_lines_and_the_address_then_removes_the_lines()
{
    let c = cart_with_two_lines(Options::default()).await;
    let body = json!({"cart_ids": ids(&c.lines), "address": TestApp::address()});
    let res = c.app.checkout(&c.token, Some("click-1"), &body).await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.body["message"], "success checkout");
    let order_id = res.data()["order_id"].as_str().unwrap();
    assert!(Uuid::parse_str(order_id).is_ok());
    let mut removed: Vec<String> = res.data()["cart_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    removed.sort();
    let mut listed: Vec<String> = c
        .lines
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    listed.sort();
    assert_eq!(removed, listed);

    let calls = c.app.order.calls();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call.headers["authorization"], format!("Bearer {}", c.token));
    let keyed: Vec<(String, i64, String)> = c
        .lines
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_string(),
                l["product_quantity"].as_i64().unwrap(),
                l["note"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        call.headers["idempotency-key"],
        expected_key("click-1", c.user, &keyed, &TestApp::address()).as_str()
    );
    assert!(call.headers.contains_key("x-request-id"));
    assert!(call.headers.contains_key("traceparent"));
    assert_eq!(
        call.body,
        json!({"items": [
            {"product_id": c.lines[0]["product_id"], "quantity": 2, "price": 19.99, "note": "red"},
            {"product_id": c.lines[1]["product_id"], "quantity": 1, "price": 5.0, "note": ""}],
            "address": TestApp::address()})
    );
    assert!(c.app.rows(c.user).await.is_empty());
    assert_eq!(c.app.cart(&c.token).await, json!(null));
}

#[tokio::test]
async fn a_checkout_answered_after_the_timeout_is_504_and_its_retry_replays_the_same_order() {
    let c = cart_with_two_lines(Options {
        order_timeout: Duration::from_millis(1000),
        ..Options::default()
    })
    .await;
    c.app.order.mode(OrderMode::Create {
        delay: Duration::from_millis(3000),
    });
    let body = json!({"cart_ids": ids(&c.lines), "address": TestApp::address()});
    let res = c.app.checkout(&c.token, Some("k1"), &body).await;
    assert_eq!(res.status, 504, "{:?}", res.body);
    assert_eq!(c.app.rows(c.user).await.len(), 2, "lines kept");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(c.app.order.orders(), 1, "the stub made the order");

    c.app.order.mode(OrderMode::Create {
        delay: Duration::ZERO,
    });
    let retry = c.app.checkout(&c.token, Some("k1"), &body).await;
    assert_eq!(retry.status, 200, "{:?}", retry.body);
    let calls = c.app.order.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        calls[0].headers["idempotency-key"],
        calls[1].headers["idempotency-key"]
    );
    assert_eq!(calls[0].body, calls[1].body);
    assert_eq!(c.app.order.orders(), 1, "one order");
    assert!(c.app.rows(c.user).await.is_empty());

    let late = c.app.checkout(&c.token, Some("k1"), &body).await;
    assert_eq!((late.status, late.message()), (409, "cart changed"));
    assert_eq!(late.body["error"]["causes"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_changed_quantity_address_or_client_key_gives_another_key() {
    let c = cart_with_two_lines(Options::default()).await;
    c.app.order.mode(OrderMode::NoStock);
    let body = json!({"cart_ids": ids(&c.lines), "address": TestApp::address()});
    c.app.checkout(&c.token, Some("k"), &body).await;
    c.app.checkout(&c.token, Some("k"), &body).await;
    let mut other_address = body.clone();
    other_address["address"]["street"] = json!("2 Main St");
    c.app.checkout(&c.token, Some("k"), &other_address).await;
    c.app.checkout(&c.token, Some("other"), &body).await;
    let path = format!("/v1/carts/{}", c.lines[0]["id"].as_str().unwrap());
    c.app
        .send(
            reqwest::Method::PATCH,
            &path,
            Some(&c.token),
            Some(json!({"product_quantity": 3})),
        )
        .await;
    c.app.checkout(&c.token, Some("k"), &body).await;
    let keys: Vec<String> = c
        .app
        .order
        .calls()
        .iter()
        .map(|call| {
            call.headers["idempotency-key"]
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(keys.len(), 5);
    assert_eq!(keys[0], keys[1], "the same request, the same key");
    for (i, other) in keys.iter().enumerate().skip(2) {
        assert_ne!(&keys[0], other, "change {i}");
    }
}

#[tokio::test]
async fn two_concurrent_identical_checkouts_make_one_order_and_remove_the_lines_once() {
    let c = cart_with_two_lines(Options::default()).await;
    c.app.order.mode(OrderMode::Create {
        delay: Duration::from_millis(800),
    });
    let body = json!({"cart_ids": ids(&c.lines), "address": TestApp::address()});
    let (first, second) = tokio::join!(
        c.app.checkout(&c.token, Some("same"), &body),
        c.app.checkout(&c.token, Some("same"), &body)
    );
    let calls = c.app.order.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        calls[0].headers["idempotency-key"],
        calls[1].headers["idempotency-key"]
    );
    assert_eq!(c.app.order.orders(), 1);
    let mut statuses = [first.status, second.status];
    statuses.sort();
    match statuses {
        [200, 200] => assert_eq!(first.data()["order_id"], second.data()["order_id"]),
        [200, 409] => {
            let conflict = if first.status == 409 { &first } else { &second };
            assert_eq!(conflict.message(), "a checkout is already in progress");
            assert!(conflict.headers.contains_key("retry-after"));
        }
        other => panic!("unexpected answers {other:?}"),
    }
    let removed: usize = [&first, &second]
        .iter()
        .filter(|r| r.status == 200)
        .map(|r| r.data()["cart_ids"].as_array().unwrap().len())
        .sum();
    assert_eq!(removed, 2, "lines removed once");
    assert!(c.app.rows(c.user).await.is_empty());
}

#[tokio::test]
async fn an_order_refusal_or_failure_leaves_the_cart_unchanged() {
    let c = cart_with_two_lines(Options::default()).await;
    let body = json!({"cart_ids": ids(&c.lines), "address": TestApp::address()});
    let before = c.app.rows(c.user).await;

    c.app.order.mode(OrderMode::NoStock);
    let res = c.app.checkout(&c.token, None, &body).await;
    assert_eq!(
        (res.status, res.message()),
        (409, "not enough stock for Car")
    );
    assert!(!res.headers.contains_key("retry-after"));

    c.app.order.mode(OrderMode::InProgress);
    let res = c.app.checkout(&c.token, None, &body).await;
    assert_eq!(
        (res.status, res.message()),
        (409, "a checkout is already in progress")
    );
    assert_eq!(res.headers["retry-after"], "7");

    c.app.order.mode(OrderMode::Fail);
    let res = c.app.checkout(&c.token, None, &body).await;
    assert_eq!(res.status, 502);
    assert!(
        res.message().starts_with("order service unavailable"),
        "{}",
        res.message()
    );

    c.app.order.mode(OrderMode::Refuse);
    let res = c.app.checkout(&c.token, None, &body).await;
    assert_eq!(
        (res.status, res.message()),
        (422, "order refused: zip code not locatable")
    );

    assert_eq!(c.app.rows(c.user).await, before, "MySQL unchanged");
    assert_eq!(
        c.app.cart(&c.token).await.as_array().unwrap().len(),
        2,
        "cart unchanged"
    );
    assert_eq!(c.app.order.orders(), 0);
}

#[tokio::test]
async fn checkout_input_errors_are_4xx_and_never_reach_the_order_service() {
    let c = cart_with_two_lines(Options::default()).await;
    let unknown = Uuid::now_v7();
    let mut listed = ids(&c.lines);
    listed.push(json!(unknown));
    let res = c
        .app
        .checkout(
            &c.token,
            None,
            &json!({"cart_ids": listed, "address": TestApp::address()}),
        )
        .await;
    assert_eq!((res.status, res.message()), (409, "cart changed"));
    let causes = res.body["error"]["causes"].to_string();
    assert!(causes.contains(&unknown.to_string()), "{causes}");

    let empty = c
        .app
        .checkout(
            &c.token,
            None,
            &json!({"cart_ids": [], "address": TestApp::address()}),
        )
        .await;
    assert_eq!(empty.status, 400);
    for zipcode in [json!("12a45"), json!(null)] {
        let mut address = TestApp::address();
        address["zipcode"] = zipcode.clone();
        let res = c
            .app
            .checkout(
                &c.token,
                None,
                &json!({"cart_ids": ids(&c.lines), "address": address}),
            )
            .await;
        assert_eq!(res.status, 400, "{zipcode}");
        assert_eq!(res.body["error"]["causes"][0]["field"], "address.zipcode");
    }
    let malformed = c
        .app
        .checkout(
            &c.token,
            None,
            &json!({"cart_ids": ["12a45"], "address": TestApp::address()}),
        )
        .await;
    assert_eq!(malformed.status, 400);
    let bad_key = c
        .app
        .checkout(
            &c.token,
            Some("has space"),
            &json!({"cart_ids": ids(&c.lines), "address": TestApp::address()}),
        )
        .await;
    assert_eq!(bad_key.status, 400);
    assert!(c.app.order.calls().is_empty());
    assert_eq!(c.app.rows(c.user).await.len(), 2);
}
