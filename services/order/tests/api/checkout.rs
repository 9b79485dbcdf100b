//! O0 checkout and O8 quote (api/order.md §3.1, §3.8; acceptance 1–7, 21).

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{body_to, eventually, order_body, TestApp};

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(&v.to_string()).unwrap()
}

async fn order_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn checkout_with_two_products_stores_a_pending_order_readable_at_once() {
    let app = TestApp::spawn().await;
    let (a, b) = (
        app.product_in_stock("Car", 100.0, 5),
        app.product_in_stock("Bike", 20.5, 5),
    );
    let (user, token) = app.customer();
    let res = app
        .checkout(&token, "k1", order_body(&[(a, 1), (b, 2)]))
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    assert_eq!(res.body["message"], "success create");
    let order = res.data();
    let id = order["id"].as_str().unwrap();
    assert_eq!(
        res.header("location"),
        Some(format!("/v1/orders/{id}").as_str())
    );
    assert_eq!(order["user_id"], json!(user));
    assert!(order["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["order_id"] == id));
    assert_eq!(order["address"]["order_id"], id);
    assert_eq!(order["address"]["zipcode"], "15326");
    assert_eq!(order["address"]["note"], "ring twice");
    assert_eq!(order["status"], "PENDING");
    assert_eq!(order["payment_status"], "");
    assert_eq!(order["payment_id"], "");
    assert_eq!(order["payment_image_url"], "");
    assert_eq!(order["refund_status"], "");
    assert_eq!(order["items"][0]["product_id"], json!(a));
    assert_eq!(order["items"][1]["quantity"], 2);
    assert!(order["items"][0]["image_url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let deadline: DateTime<Utc> = order["payment_deadline"].as_str().unwrap().parse().unwrap();
    let left = (deadline - Utc::now()).num_seconds();
    assert!((590..=600).contains(&left), "{left}");
    assert!(order["created_at"].as_str().unwrap().ends_with('Z'));

    let one = app.get(&format!("/v1/orders/{id}"), &token).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.data()["id"], id);
    let second = app.checkout(&token, "k2", order_body(&[(a, 1)])).await;
    let mine = app.get("/v1/orders/user", &token).await;
    assert_eq!(mine.status, 200);
    assert_eq!(mine.body["count"], 2);
    assert_eq!(mine.data()[0]["id"], second.data()["id"], "newest first");
    assert_eq!(mine.data()[1]["id"], id);
}

#[tokio::test]
async fn prices_come_from_the_product_service_and_totals_are_exact() {
    let app = TestApp::spawn().await;
    let a = app.product_in_stock("Car", 19.99, 10);
    let b = app.product_in_stock("Helmet", 0.1, 10);
    app.product.set_price(a, 33.33); // changed a second ago: the lookup is the truth
    let (_, token) = app.customer();
    let mut body = order_body(&[(a, 3), (b, 3)]);
    body["items"][0]["price"] = json!(0);
    body["items"][1]["price"] = json!(1_000_000);
    let res = app.checkout(&token, "k", body).await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    let o = res.data();
    assert_eq!(
        dec(&o["items"][0]["price"]),
        Decimal::from_str("33.33").unwrap()
    );
    assert_eq!(
        dec(&o["items"][1]["price"]),
        Decimal::from_str("0.1").unwrap()
    );
    assert_eq!(dec(&o["subtotal"]), Decimal::from_str("100.29").unwrap());
    assert_eq!(
        dec(&o["shipping_total"]),
        Decimal::from_str("60.76").unwrap()
    );
    assert_eq!(dec(&o["total_price"]), Decimal::from_str("161.05").unwrap());
    assert_eq!(
        app.product.lookups(),
        1,
        "one lookup for the whole checkout"
    );
    let stored: Decimal = sqlx::query_scalar("SELECT total_price FROM orders")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored.to_string(), "161.05");
}

#[tokio::test]
async fn shipping_is_one_fee_per_source_warehouse_booked_on_the_first_line() {
    let app = TestApp::spawn().await;
    let (p1, p2, p3) = (
        app.product.add("A", 1.0),
        app.product.add("B", 1.0),
        app.product.add("C", 1.0),
    );
    let near = app.warehouse.stock(p1, "10250", 10);
    app.warehouse.stock(p2, "10250", 10);
    // p3: 2 in a nearer warehouse, the rest from 10250 (already booked by line 1).
    let other = app.warehouse.stock(p3, "15000", 2);
    app.warehouse.stock(p3, "10250", 10);
    let p4 = app.product.add("D", 1.0);
    app.warehouse.stock(p4, "20000", 5);
    let (_, token) = app.customer();
    let res = app
        .checkout(
            &token,
            "k",
            order_body(&[(p1, 7), (p2, 3), (p3, 5), (p4, 1)]),
        )
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    let items = res.data()["items"].as_array().unwrap();
    let cost = |i: usize| dec(&items[i]["shipping_cost"]);
    assert_eq!(
        cost(0),
        Decimal::from_str("60.76").unwrap(),
        "quantity 7 does not multiply"
    );
    assert_eq!(cost(1), Decimal::ZERO);
    assert_eq!(
        cost(2),
        Decimal::from_str("13.26").unwrap(),
        "only the new warehouse 15000 is charged"
    );
    assert_eq!(cost(3), Decimal::from_str("56.74").unwrap());
    let allocations = items[2]["allocations"].as_array().unwrap();
    assert_eq!(allocations.len(), 2);
    assert_eq!(allocations[0]["warehouse_id"], json!(other));
    assert_eq!(allocations[0]["quantity"], 2);
    assert_eq!(allocations[1]["warehouse_id"], json!(near));
    assert_eq!(dec(&allocations[1]["shipping_cost"]), Decimal::ZERO);
    assert_eq!(
        dec(&res.data()["shipping_total"]),
        Decimal::from_str("130.76").unwrap()
    );
}

#[tokio::test]
async fn the_same_idempotency_key_twice_gives_one_order_and_a_marked_replay() {
    let app = TestApp::spawn().await;
    let p = app.product_in_stock("Car", 50.0, 10);
    let (_, token) = app.customer();
    let first = app.checkout(&token, "same", order_body(&[(p, 2)])).await;
    assert_eq!(first.status, 201);
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = app.checkout(&token, "same", order_body(&[(p, 2)])).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.data()["id"], first.data()["id"]);
    assert_eq!(again.data()["total_price"], first.data()["total_price"]);
    assert_eq!(order_rows(&app).await, 1);
    assert_eq!(app.warehouse.levels(p), (8, 2), "stock reserved once");

    let other = app.checkout(&token, "same", order_body(&[(p, 3)])).await;
    assert_eq!(other.status, 422, "{:?}", other.body);
    let still = app.checkout(&token, "same", order_body(&[(p, 2)])).await;
    assert_eq!(
        (still.status, still.data()["id"].clone()),
        (201, first.data()["id"].clone())
    );
    let no_key = app
        .call(
            Method::POST,
            "/v1/orders",
            Some(&token),
            Some(order_body(&[(p, 2)])),
            &[],
        )
        .await;
    assert_eq!(no_key.status, 400);
    // Another customer's identical key is their own.
    let (_, other_token) = app.customer();
    let theirs = app
        .checkout(&other_token, "same", order_body(&[(p, 2)]))
        .await;
    assert_eq!(theirs.status, 201);
    assert_ne!(theirs.data()["id"], first.data()["id"]);
}

#[tokio::test]
async fn concurrent_checkouts_with_one_key_create_one_order() {
    let app = TestApp::spawn().await;
    let p = app.product_in_stock("Car", 50.0, 100);
    app.warehouse
        .set(|s| s.delay_after_reserve = Some(Duration::from_millis(300)));
    let (_, token) = app.customer();
    let attempts = (0..6).map(|_| app.checkout(&token, "race", order_body(&[(p, 1)])));
    let results = futures::future::join_all(attempts).await;
    let mut ids = std::collections::HashSet::new();
    for r in &results {
        match r.status {
            201 => {
                ids.insert(r.data()["id"].as_str().unwrap().to_string());
            }
            409 => assert!(
                r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1,
                "{:?}",
                r.headers
            ),
            other => panic!("unexpected {other}: {:?}", r.body),
        }
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(order_rows(&app).await, 1);
    assert_eq!(app.warehouse.levels(p), (99, 1));
}

#[tokio::test]
async fn not_enough_stock_is_409_without_retry_after_and_nothing_is_stored_or_reserved() {
    let app = TestApp::spawn().await;
    let plenty = app.product_in_stock("Car", 10.0, 10);
    let short = app.product_in_stock("Rare bike", 10.0, 1);
    let (_, token) = app.customer();
    let res = app
        .checkout(&token, "k", order_body(&[(plenty, 2), (short, 3)]))
        .await;
    assert_eq!(res.status, 409, "{:?}", res.body);
    assert_eq!(res.header("retry-after"), None);
    assert!(res.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Rare bike"));
    assert_eq!(res.body["error"]["causes"][0]["field"], "items[1]");
    assert_eq!(order_rows(&app).await, 0);
    let keys: i64 = sqlx::query_scalar("SELECT count(*) FROM checkout_requests")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(keys, 0);
    let outbox: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(outbox, 0);
    assert_eq!(app.warehouse.levels(plenty), (10, 0), "nothing reserved");
    // After a restock the same key succeeds.
    app.warehouse.stock(short, "10250", 5);
    let res = app
        .checkout(&token, "k", order_body(&[(plenty, 2), (short, 3)]))
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
}

#[tokio::test]
async fn a_warehouse_timeout_after_reserving_is_503_and_a_retry_resumes_the_same_order() {
    let app = TestApp::spawn_with(|c| c.peers.timeout = Duration::from_millis(500)).await;
    let p = app.product_in_stock("Car", 10.0, 10);
    app.warehouse
        .set(|s| s.delay_after_reserve = Some(Duration::from_millis(1500)));
    let (_, token) = app.customer();
    let res = app.checkout(&token, "slow", order_body(&[(p, 1)])).await;
    assert_eq!(res.status, 503, "{:?}", res.body);
    assert_eq!(order_rows(&app).await, 0);
    let reserved_for: Uuid = sqlx::query_scalar("SELECT order_id FROM checkout_requests")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.warehouse.reservation_status(reserved_for),
        Some("RESERVED")
    );
    let retry = app.checkout(&token, "slow", order_body(&[(p, 1)])).await;
    assert_eq!(retry.status, 201, "{:?}", retry.body);
    assert_eq!(retry.data()["id"], json!(reserved_for));
    assert_eq!(
        app.warehouse.levels(p),
        (9, 1),
        "the retry reused the reservation"
    );
}

#[tokio::test]
async fn an_abandoned_checkout_sends_a_cancelled_event_that_releases_the_reservation() {
    let app = TestApp::spawn_with(|c| {
        c.peers.timeout = Duration::from_millis(300);
        c.order.checkout_timeout = Duration::from_secs(1);
        c.order.checkout_lease = Duration::from_secs(2);
        c.order.checkout_abandon = Duration::from_secs(3);
    })
    .await;
    let p = app.product_in_stock("Car", 10.0, 10);
    app.warehouse
        .set(|s| s.delay_after_reserve = Some(Duration::from_millis(800)));
    let (user, token) = app.customer();
    assert_eq!(
        app.checkout(&token, "gone", order_body(&[(p, 2)]))
            .await
            .status,
        503
    );
    let order_id: Uuid = sqlx::query_scalar("SELECT order_id FROM checkout_requests")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    eventually(15, "the release event reaches the warehouse", || async {
        app.warehouse.reservation_status(order_id) == Some("RELEASED")
    })
    .await;
    let events = app.warehouse.events_for(order_id);
    assert_eq!(events.len(), 1);
    let data = &events[0]["data"];
    assert_eq!(data["status"], "CANCELLED");
    assert_eq!(data["from_status"], Value::Null);
    assert_eq!(data["note"], "checkout abandoned");
    assert_eq!(data["actor"], "system");
    assert_eq!(data["restock"], false);
    assert_eq!(data["user_id"], json!(user));
    assert_eq!(app.warehouse.levels(p), (10, 0));
}

#[tokio::test]
async fn unknown_products_are_422_and_unreachable_peers_are_503() {
    let app = TestApp::spawn().await;
    let p = app.product_in_stock("Car", 10.0, 10);
    let gone = app.product_in_stock("Old", 10.0, 10);
    app.product.delete(gone);
    let (_, token) = app.customer();
    let res = app
        .checkout(&token, "a", order_body(&[(p, 1), (Uuid::new_v4(), 1)]))
        .await;
    assert_eq!(res.status, 422, "{:?}", res.body);
    assert_eq!(
        res.body["error"]["causes"][0]["field"],
        "items[1].product_id"
    );
    assert_eq!(
        app.checkout(&token, "b", order_body(&[(gone, 1)]))
            .await
            .status,
        422
    );
    assert_eq!(
        app.checkout(&token, "z", body_to(&[(p, 1)], "0000000000"))
            .await
            .status,
        201
    );
    app.product.set_down(true);
    assert_eq!(
        app.checkout(&token, "c", order_body(&[(p, 1)]))
            .await
            .status,
        503
    );
    app.product.set_down(false);
    app.warehouse.set(|s| s.down = true);
    let res = app.checkout(&token, "d", order_body(&[(p, 1)])).await;
    assert_eq!(res.status, 503);
    assert!(!res.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("reqwest"));
    assert_eq!(order_rows(&app).await, 1);
}

#[tokio::test]
async fn bad_input_is_400_never_5xx() {
    let app = TestApp::spawn().await;
    let p = app.product_in_stock("Car", 10.0, 10);
    let (_, token) = app.customer();
    let good = order_body(&[(p, 1)]);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut b = good.clone();
        f(&mut b);
        b
    };
    let many: Vec<Value> = (0..101)
        .map(|_| json!({"product_id": Uuid::new_v4(), "quantity": 1}))
        .collect();
    let cases = vec![
        ("empty items", with(&|b| b["items"] = json!([]))),
        ("101 lines", with(&|b| b["items"] = json!(many))),
        (
            "quantity 0",
            with(&|b| b["items"][0]["quantity"] = json!(0)),
        ),
        (
            "quantity -1",
            with(&|b| b["items"][0]["quantity"] = json!(-1)),
        ),
        (
            "quantity 1.5",
            with(&|b| b["items"][0]["quantity"] = json!(1.5)),
        ),
        (
            "quantity \"2\"",
            with(&|b| b["items"][0]["quantity"] = json!("2")),
        ),
        (
            "non-uuid product",
            with(&|b| b["items"][0]["product_id"] = json!("car")),
        ),
        (
            "empty street",
            with(&|b| b["address"]["street"] = json!("")),
        ),
        (
            "zipcode 12a45",
            with(&|b| b["address"]["zipcode"] = json!("12a45")),
        ),
        (
            "501-char note",
            with(&|b| b["items"][0]["note"] = json!("x".repeat(501))),
        ),
        ("no address", with(&|b| b["address"] = Value::Null)),
        // PostgreSQL text holds no NUL: bad input, not a failed insert (found by the fuzz run).
        (
            "NUL in the street",
            with(&|b| b["address"]["street"] = json!("Jl.\u{0}1")),
        ),
        (
            "NUL in a line note",
            with(&|b| b["items"][0]["note"] = json!("\u{0}")),
        ),
    ];
    for (i, (what, body)) in cases.into_iter().enumerate() {
        let res = app.checkout(&token, &format!("bad-{i}"), body).await;
        assert_eq!(res.status, 400, "{what}: {:?}", res.body);
        assert!(
            res.body["error"]["causes"].is_array(),
            "{what}: {:?}",
            res.body
        );
    }
    let url = format!("{}/v1/orders", app.base);
    let malformed = app
        .http
        .post(&url)
        .bearer_auth(&token)
        .header("Idempotency-Key", "m")
        .header("content-type", "application/json")
        .body("{\"items\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    let text = app
        .http
        .post(&url)
        .bearer_auth(&token)
        .header("Idempotency-Key", "t")
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 415);
    let huge = json!({"items": [], "pad": "x".repeat(100 * 1024)});
    assert_eq!(app.checkout(&token, "huge", huge).await.status, 413);
    let bad_key = app.checkout(&token, &"k".repeat(256), good.clone()).await;
    assert_eq!(bad_key.status, 400);
    assert_eq!(order_rows(&app).await, 0);
}

#[tokio::test]
async fn the_quote_equals_the_order_totals_and_stores_or_reserves_nothing() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.product.add("A", 12.34), app.product.add("B", 5.0));
    app.warehouse.stock(a, "10250", 3);
    app.warehouse.stock(b, "15000", 1);
    app.warehouse.stock(b, "10250", 5);
    let (_, token) = app.customer();
    let body = json!({"items": [{"product_id": a, "quantity": 2}, {"product_id": b, "quantity": 3}], "address": {"zipcode": "15326"}});
    let quote = app.post("/v1/orders/quote", &token, body).await;
    assert_eq!(quote.status, 200, "{:?}", quote.body);
    assert_eq!(app.warehouse.levels(a), (3, 0), "nothing reserved");
    assert_eq!(order_rows(&app).await, 0);
    let order = app
        .checkout(&token, "k", order_body(&[(a, 2), (b, 3)]))
        .await;
    assert_eq!(order.status, 201);
    for f in ["subtotal", "shipping_total", "total_price"] {
        assert_eq!(dec(&quote.data()[f]), dec(&order.data()[f]), "{f}");
    }
    for i in 0..2 {
        assert_eq!(
            quote.data()["items"][i]["shipping_cost"],
            order.data()["items"][i]["shipping_cost"]
        );
        assert_eq!(
            quote.data()["items"][i]["product_name"],
            order.data()["items"][i]["product_name"]
        );
    }
    let short =
        json!({"items": [{"product_id": a, "quantity": 2}], "address": {"zipcode": "15326"}});
    let res = app.post("/v1/orders/quote", &token, short).await;
    assert_eq!(res.status, 409, "only 1 of A is left");
    assert!(res.body["error"]["causes"].is_array());
    let unknown = json!({"items": [{"product_id": Uuid::new_v4(), "quantity": 1}], "address": {"zipcode": "15326"}});
    assert_eq!(
        app.post("/v1/orders/quote", &token, unknown).await.status,
        422
    );
    let bad = json!({"items": [{"product_id": a, "quantity": 0}], "address": {"zipcode": "1x"}});
    assert_eq!(app.post("/v1/orders/quote", &token, bad).await.status, 400);
}
