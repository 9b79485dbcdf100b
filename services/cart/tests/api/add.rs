//! Issue 6 check 3, §8 checks 4–8: adding, merging, bounds, changing and removing lines.

use std::time::Duration;

use cart::config::Limits;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::stubs::{ProductMode, CART_SERVICE_TOKEN};
use super::support::{Options, TestApp};

#[tokio::test]
async fn name_price_and_image_come_from_the_product_service_not_the_client() {
    let app = TestApp::spawn().await;
    let product = app
        .product
        .add("Roadster", 19.99, "https://img.test/r.png", 10);
    let (user, token) = app.customer();
    let res = app
        .send(
            Method::POST,
            "/v1/carts",
            Some(&token),
            Some(json!({"product_id": product,
            "product_quantity": 2, "product_name": "x", "product_price": 0.01,
            "product_image_url": "https://evil.test/x.png"})),
        )
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    let line = res.data();
    assert_eq!(line["product_name"], "Roadster");
    assert_eq!(line["product_price"], 19.99);
    assert_eq!(line["product_image_url"], "https://img.test/r.png");
    assert_eq!(line["product_quantity"], 2);
    assert_eq!(line["user_id"], user.to_string());
    assert_eq!(line["note"], "");
    let id = line["id"].as_str().unwrap();
    assert_eq!(Uuid::parse_str(id).unwrap().get_version_num(), 7);
    let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 10, "{keys:?}");

    let rows = app.rows(user).await;
    assert_eq!(
        (rows[0].name.as_str(), rows[0].price.as_str()),
        ("Roadster", "19.99")
    );
    let calls = app.product.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].headers["x-service-token"], CART_SERVICE_TOKEN);
    assert_eq!(calls[0].body, json!({"ids": [product]}));
}

#[tokio::test]
async fn an_unknown_or_deleted_product_is_422_a_failing_product_service_502_and_a_slow_one_504() {
    let app = TestApp::spawn_with(Options {
        product_timeout: Duration::from_millis(500),
        ..Options::default()
    })
    .await;
    let (user, token) = app.customer();
    let unknown = app.add(&token, Uuid::now_v7(), 1).await;
    assert_eq!(
        (unknown.status, unknown.message()),
        (422, "product not found")
    );

    let gone = app.product.add("Old", 5.0, "", 10);
    app.product
        .set(gone, "deleted_at", json!("2024-05-01T10:00:00Z"));
    assert_eq!(app.add(&token, gone, 1).await.status, 422);

    let product = app.product.add("Car", 5.0, "", 10);
    app.product.mode(ProductMode::Fail);
    assert_eq!(app.add(&token, product, 1).await.status, 502);
    app.product
        .mode(ProductMode::Slow(Duration::from_millis(1500)));
    assert_eq!(app.add(&token, product, 1).await.status, 504);
    assert!(app.rows(user).await.is_empty());
}

#[tokio::test]
async fn quantities_outside_one_to_the_maximum_are_400_and_the_maximum_is_configurable() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 5.0, "", 1000);
    let (user, token) = app.customer();
    for quantity in [json!(0), json!(-1), json!(1.5), json!("2"), json!(100)] {
        let res = app
            .send(
                Method::POST,
                "/v1/carts",
                Some(&token),
                Some(json!({"product_id": product, "product_quantity": quantity})),
            )
            .await;
        assert_eq!(res.status, 400, "{quantity}");
        assert_eq!(res.body["error"]["causes"][0]["field"], "product_quantity");
    }
    assert!(app.rows(user).await.is_empty());

    let small = TestApp::spawn_with(Options {
        limits: Limits {
            max_lines: 50,
            max_line_quantity: 5,
        },
        ..Options::default()
    })
    .await;
    let product = small.product.add("Car", 5.0, "", 1000);
    let (_, token) = small.customer();
    assert_eq!(small.add(&token, product, 6).await.status, 400);
    assert_eq!(small.add(&token, product, 5).await.status, 201);
}

#[tokio::test]
async fn re_adding_merges_into_one_line_with_the_summed_quantity_in_both_stores() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 10.0, "", 100);
    let (user, token) = app.customer();
    let first = app
        .send(
            Method::POST,
            "/v1/carts",
            Some(&token),
            Some(json!({"product_id": product, "product_quantity": 2, "note": "red"})),
        )
        .await;
    app.product.set(product, "price", json!(12.5));
    let second = app.add(&token, product, 3).await;
    assert_eq!(second.status, 201, "{:?}", second.body);
    assert_eq!(second.data()["id"], first.data()["id"], "same line");
    assert_eq!(
        second.data()["product_quantity"],
        5,
        "the total is returned"
    );
    assert_eq!(
        second.data()["note"],
        "red",
        "an empty note keeps the stored one"
    );
    assert_eq!(
        second.data()["product_price"],
        12.5,
        "price refreshed from the product service"
    );

    let rows = app.rows(user).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].quantity, 5);
    let cart = app.cart(&token).await;
    assert_eq!(cart.as_array().unwrap().len(), 1);
    assert_eq!(cart[0]["product_quantity"], 5);
    let cached = app.cached(user).await;
    let cached_line: serde_json::Value =
        serde_json::from_str(&cached[rows[0].id.as_str()]).unwrap();
    assert_eq!(cached_line["product_quantity"], 5);
}

#[tokio::test]
async fn a_total_over_the_maximum_is_422_over_the_stock_409_and_a_line_beyond_the_limit_409() {
    let app = TestApp::spawn_with(Options {
        limits: Limits {
            max_lines: 3,
            max_line_quantity: 99,
        },
        ..Options::default()
    })
    .await;
    let (user, token) = app.customer();
    let plenty = app.product.add("Car", 10.0, "", 1000);
    assert_eq!(app.add(&token, plenty, 60).await.status, 201);
    let over = app.add(&token, plenty, 40).await;
    assert_eq!(
        (over.status, over.message()),
        (422, "quantity would exceed 99")
    );

    let scarce = app.product.add("Bike", 10.0, "", 4);
    assert_eq!(app.add(&token, scarce, 3).await.status, 201);
    let short = app.add(&token, scarce, 2).await;
    assert_eq!(
        (short.status, short.message()),
        (409, "not enough stock: 4 available")
    );

    let third = app.product.add("Boat", 1.0, "", 10);
    assert_eq!(app.add(&token, third, 1).await.status, 201);
    let fourth = app.product.add("Kart", 1.0, "", 10);
    let full = app.add(&token, fourth, 1).await;
    assert_eq!((full.status, full.message()), (409, "cart is full"));
    assert_eq!(
        app.add(&token, third, 1).await.status,
        201,
        "a merge still fits"
    );

    let rows = app.rows(user).await;
    let quantities: Vec<i32> = rows.iter().map(|r| r.quantity).collect();
    assert_eq!(quantities, [60, 3, 2]);
}

#[tokio::test]
async fn twenty_concurrent_adds_make_one_line_of_twenty() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 10.0, "", 100);
    let (user, token) = app.customer();
    let adds = (0..20).map(|_| app.add(&token, product, 1));
    let answers = futures::future::join_all(adds).await;
    for res in &answers {
        assert_eq!(res.status, 201, "{:?}", res.body);
    }
    let rows = app.rows(user).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].quantity, 20);
    let cart = app.cart(&token).await;
    assert_eq!(cart.as_array().unwrap().len(), 1);
    assert_eq!(cart[0]["product_quantity"], 20);
}

#[tokio::test]
async fn users_filling_and_emptying_their_carts_at_once_never_fail_on_each_others_locks() {
    // Neighbouring users' rows share index gaps: under REPEATABLE READ one user's locked read of their
    // lines held the gap another user inserts into, and the two deadlocked (a 500 once the retries ran out).
    let app = TestApp::spawn().await;
    let car = app.product.add("Car", 10.0, "", 100_000);
    let bike = app.product.add("Bike", 5.0, "", 100_000);
    let users: Vec<_> = (0..24).map(|_| app.customer()).collect();
    let app = &app;
    let rounds = users.iter().map(|(user, token)| async move {
        for _ in 0..6 {
            for product in [car, bike] {
                let res = app.add(token, product, 1).await;
                assert_eq!(res.status, 201, "{:?}", res.body);
            }
            for line in app.rows(*user).await {
                let path = format!("/v1/carts/{}", line.id);
                let res = app.send(Method::DELETE, &path, Some(token), None).await;
                assert_eq!(res.status, 200, "{:?}", res.body);
            }
        }
    });
    futures::future::join_all(rounds).await;
}

#[tokio::test]
async fn patch_sets_the_quantity_keeps_an_absent_note_and_returns_the_full_line() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 19.99, "https://img.test/c.png", 100);
    let (user, token) = app.customer();
    let added = app
        .send(
            Method::POST,
            "/v1/carts",
            Some(&token),
            Some(json!({"product_id": product, "product_quantity": 2, "note": "blue"})),
        )
        .await;
    let path = format!("/v1/carts/{}", added.data()["id"].as_str().unwrap());
    let res = app
        .send(
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"product_quantity": 7, "cart_id": "ignored"})),
        )
        .await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.body["message"], "success update");
    let line = res.data();
    assert_eq!(line["product_quantity"], 7);
    assert_eq!(line["note"], "blue");
    assert_eq!(line["product_name"], "Car");
    assert_eq!(line["product_price"], 19.99);
    assert_eq!(line["product_image_url"], "https://img.test/c.png");
    assert_eq!(app.rows(user).await[0].quantity, 7);
    assert_eq!(app.cart(&token).await[0]["product_quantity"], 7);

    let zero = app
        .send(
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"product_quantity": 0})),
        )
        .await;
    assert_eq!(zero.status, 400);
    let noted = app
        .send(
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"product_quantity": 1, "note": "green"})),
        )
        .await;
    assert_eq!(noted.data()["note"], "green");
    assert_eq!(app.get(&path, &token).await.data()["product_quantity"], 1);
}

#[tokio::test]
async fn delete_removes_the_line_a_second_delete_is_404_and_an_empty_cart_is_null() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 10.0, "", 100);
    let (user, token) = app.customer();
    assert_eq!(app.cart(&token).await, json!(null), "a new cart is null");
    let added = app.add(&token, product, 1).await;
    let path = format!("/v1/carts/{}", added.data()["id"].as_str().unwrap());
    let res = app.send(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.body,
        json!({"code": 200, "data": null, "message": "success delete"})
    );
    let listed = app.get("/v1/carts/user", &token).await;
    assert_eq!(
        listed.body,
        json!({"code": 200, "data": null, "message": "success get"})
    );
    assert_eq!(
        app.send(Method::DELETE, &path, Some(&token), None)
            .await
            .status,
        404
    );
    assert!(app.rows(user).await.is_empty());
}
