//! Issue 6 check 1, §8 checks 2–3: users never see or change each other's lines.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::support::TestApp;

#[tokio::test]
async fn another_users_line_cannot_be_read_changed_or_deleted() {
    let app = TestApp::spawn().await;
    let product = app
        .product
        .add("Car", 19.99, "https://img.test/car.png", 10);
    let (a, a_token) = app.customer();
    let (_, b_token) = app.customer();
    let added = app.add(&a_token, product, 2).await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    let line = added.data()["id"].as_str().unwrap().to_string();
    let before = app.rows(a).await;

    let path = format!("/v1/carts/{line}");
    assert_eq!(app.get(&path, &b_token).await.status, 403);
    let patch = app
        .send(
            Method::PATCH,
            &path,
            Some(&b_token),
            Some(json!({"product_quantity": 5, "note": "mine"})),
        )
        .await;
    assert_eq!(patch.status, 403);
    assert_eq!(
        app.send(Method::DELETE, &path, Some(&b_token), None)
            .await
            .status,
        403
    );

    assert_eq!(app.rows(a).await, before, "A's line is unchanged in MySQL");
    let cart = app.cart(&a_token).await;
    assert_eq!(cart[0]["product_quantity"], 2);
    assert_eq!(
        app.cart(&b_token).await,
        json!(null),
        "B sees nothing of A's cart"
    );
}

#[tokio::test]
async fn unknown_line_ids_are_not_found() {
    let app = TestApp::spawn().await;
    let (_, token) = app.customer();
    let path = format!("/v1/carts/{}", Uuid::now_v7());
    assert_eq!(app.get(&path, &token).await.status, 404);
    let patch = app
        .send(
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"product_quantity": 1})),
        )
        .await;
    assert_eq!(patch.status, 404);
    assert_eq!(
        app.send(Method::DELETE, &path, Some(&token), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_bulk_delete_listing_another_users_line_removes_nothing() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 10.0, "", 10);
    let (a, a_token) = app.customer();
    let (b, b_token) = app.customer();
    let a_line = app.add(&a_token, product, 1).await.data()["id"].clone();
    let b_line = app.add(&b_token, product, 1).await.data()["id"].clone();
    let res = app
        .send(
            Method::PATCH,
            "/v1/carts/deletes",
            Some(&b_token),
            Some(json!({"cart_ids": [a_line, b_line]})),
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(app.rows(a).await.len(), 1);
    assert_eq!(app.rows(b).await.len(), 1);

    // B's own lines (and an id that is no line at all) are removed, A's stays.
    let res = app
        .send(
            Method::PATCH,
            "/v1/carts/deletes",
            Some(&b_token),
            Some(json!({"cart_ids": [b_line, Uuid::now_v7()]})),
        )
        .await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert!(app.rows(b).await.is_empty());
    assert_eq!(app.cart(&b_token).await, json!(null));
    assert_eq!(app.rows(a).await.len(), 1);
}

#[tokio::test]
async fn a_checkout_with_another_users_line_is_forbidden_and_never_reaches_the_order_service() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 10.0, "", 10);
    let (a, a_token) = app.customer();
    let (_, b_token) = app.customer();
    let a_line = app.add(&a_token, product, 1).await.data()["id"].clone();
    let body = json!({"cart_ids": [a_line], "address": TestApp::address()});
    let res = app.checkout(&b_token, None, &body).await;
    assert_eq!(res.status, 403);
    assert!(app.order.calls().is_empty());
    assert_eq!(app.rows(a).await.len(), 1);
}

#[tokio::test]
async fn two_users_adding_the_same_product_get_independent_lines() {
    let app = TestApp::spawn().await;
    let product = app.product.add("Car", 10.0, "", 50);
    let (a, a_token) = app.customer();
    let (b, b_token) = app.customer();
    let a_line = app
        .send(
            Method::POST,
            "/v1/carts",
            Some(&a_token),
            Some(json!({"product_id": product, "product_quantity": 2, "note": "for A"})),
        )
        .await;
    let b_line = app
        .send(
            Method::POST,
            "/v1/carts",
            Some(&b_token),
            Some(json!({"product_id": product, "product_quantity": 5, "note": "for B"})),
        )
        .await;
    assert_ne!(a_line.data()["id"], b_line.data()["id"]);
    assert_eq!(a_line.data()["user_id"], a.to_string());
    assert_eq!(b_line.data()["user_id"], b.to_string());

    let a_cart = app.cart(&a_token).await;
    let b_cart = app.cart(&b_token).await;
    assert_eq!(
        (
            a_cart[0]["product_quantity"].clone(),
            a_cart[0]["note"].clone()
        ),
        (json!(2), json!("for A"))
    );
    assert_eq!(
        (
            b_cart[0]["product_quantity"].clone(),
            b_cart[0]["note"].clone()
        ),
        (json!(5), json!("for B"))
    );

    let path = format!("/v1/carts/{}", a_line.data()["id"].as_str().unwrap());
    assert_eq!(
        app.send(Method::DELETE, &path, Some(&a_token), None)
            .await
            .status,
        200
    );
    assert_eq!(app.cart(&a_token).await, json!(null));
    assert_eq!(app.cart(&b_token).await[0]["product_quantity"], 5);
    assert_eq!(app.rows(b).await.len(), 1);
}
