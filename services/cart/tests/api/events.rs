//! §8 check 17: product events keep lines current (version ordering, tombstones, idempotency).

use serde_json::{json, Value};
use uuid::Uuid;

use super::support::{envelope, TestApp};

fn updated(product: Uuid, name: &str, price: f64, version: u64) -> Value {
    envelope(
        "product.updated",
        json!({"product_id": product, "sku": "SKU-1", "name": name,
        "description": "d", "price": price, "category_id": Uuid::now_v7(),
        "image_url": format!("https://img.test/{name}.png"), "version": version,
        "updated_at": "2024-05-01T10:00:00Z"}),
    )
}

fn deleted(product: Uuid, version: u64) -> Value {
    envelope(
        "product.deleted",
        json!({"product_id": product, "version": version,
        "deleted_at": "2024-05-01T10:00:00Z"}),
    )
}

#[tokio::test]
async fn product_updated_refreshes_every_affected_cart_once() {
    let app = TestApp::spawn().await;
    let car = app.product.add("Car", 10.0, "", 100);
    let other = app.product.add("Bike", 5.0, "", 100);
    let (a, a_token) = app.customer();
    let (b, b_token) = app.customer();
    app.add(&a_token, car, 1).await;
    app.add(&a_token, other, 1).await;
    app.add(&b_token, car, 3).await;
    app.cart(&a_token).await;

    let event = updated(car, "Car Mk2", 21.5, 2);
    let res = app.event(event.clone()).await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.data()["result"], "applied");
    assert_eq!(res.data()["event_id"], event["id"]);
    for (user, token) in [(a, &a_token), (b, &b_token)] {
        let rows = app.rows(user).await;
        let row = rows
            .iter()
            .find(|r| r.product_id == car.to_string())
            .unwrap();
        assert_eq!(
            (row.name.as_str(), row.price.as_str()),
            ("Car Mk2", "21.50")
        );
        let cart = app.cart(token).await;
        let line = cart
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["product_id"] == car.to_string())
            .unwrap();
        assert_eq!(line["product_name"], "Car Mk2");
        assert_eq!(line["product_price"], 21.5);
        assert_eq!(line["product_image_url"], "https://img.test/Car Mk2.png");
    }
    assert_eq!(
        app.rows(a)
            .await
            .iter()
            .find(|r| r.product_id == other.to_string())
            .unwrap()
            .name,
        "Bike"
    );

    // Redelivery of the same id changes nothing, even with other data.
    let mut again = updated(car, "Car Mk3", 30.0, 5);
    again["id"] = event["id"].clone();
    let res = app.event(again).await;
    assert_eq!(res.data()["result"], "duplicate");
    assert_eq!(app.rows(b).await[0].name, "Car Mk2");
}

#[tokio::test]
async fn an_event_whose_version_is_not_above_the_lines_changes_nothing() {
    let app = TestApp::spawn().await;
    let car = app.product.add("Car", 10.0, "", 100);
    app.product.set(car, "version", json!(4));
    let (user, token) = app.customer();
    app.add(&token, car, 1).await;
    for version in [3, 4] {
        let res = app.event(updated(car, "Old", 1.0, version)).await;
        assert_eq!(res.status, 200);
    }
    assert_eq!(app.rows(user).await[0].name, "Car");
    assert_eq!(app.cart(&token).await[0]["product_name"], "Car");
    app.event(updated(car, "New", 1.0, 5)).await;
    assert_eq!(app.cart(&token).await[0]["product_name"], "New");
}

#[tokio::test]
async fn product_deleted_removes_it_from_every_cart_and_blocks_late_updates_and_adds() {
    let app = TestApp::spawn().await;
    let car = app.product.add("Car", 10.0, "", 100);
    let bike = app.product.add("Bike", 5.0, "", 100);
    let (a, a_token) = app.customer();
    let (b, b_token) = app.customer();
    app.add(&a_token, car, 1).await;
    app.add(&a_token, bike, 1).await;
    app.add(&b_token, car, 2).await;
    app.cart(&b_token).await;

    let res = app.event(deleted(car, 3)).await;
    assert_eq!(res.data()["result"], "applied", "{:?}", res.body);
    assert_eq!(app.rows(a).await.len(), 1, "only the bike is left");
    assert!(app.rows(b).await.is_empty());
    assert_eq!(app.cart(&b_token).await, json!(null));
    assert_eq!(app.cart(&a_token).await.as_array().unwrap().len(), 1);

    // A late update, even with a higher version, is ignored under the tombstone.
    let late = app.event(updated(car, "Zombie", 1.0, 9)).await;
    assert_eq!(late.status, 200);
    // The product service has not caught up: the tombstone alone refuses the add.
    let res = app.add(&b_token, car, 1).await;
    assert_eq!((res.status, res.message()), (422, "product not found"));
    assert!(app.rows(b).await.is_empty());

    // An older delete keeps the newer tombstone.
    assert_eq!(app.event(deleted(car, 1)).await.status, 200);
    let version: u64 =
        sqlx::query_scalar("SELECT version FROM product_tombstones WHERE product_id = ?")
            .bind(car.to_string())
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(version, 3);
}

#[tokio::test]
async fn unknown_types_are_ignored_and_malformed_envelopes_or_data_are_400() {
    let app = TestApp::spawn().await;
    let unknown = envelope("product.created", json!({"product_id": Uuid::now_v7()}));
    let res = app.event(unknown.clone()).await;
    assert_eq!(
        (res.status, res.data()["result"].clone()),
        (200, json!("ignored"))
    );
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM processed_events")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(recorded, 0, "an ignored type is not recorded");

    assert_eq!(
        app.event(json!({"id": "nope", "type": 1})).await.status,
        400
    );
    assert_eq!(app.event(json!([1, 2])).await.status, 400);
    let unusable = envelope(
        "product.updated",
        json!({"product_id": Uuid::now_v7(), "name": "x"}),
    );
    assert_eq!(app.event(unusable).await.status, 400);
    let unusable = envelope("product.deleted", json!({"product_id": "x", "version": 1}));
    assert_eq!(app.event(unusable).await.status, 400);
}

#[tokio::test]
async fn processed_events_older_than_the_retention_are_purged() {
    let app = TestApp::spawn().await;
    app.event(deleted(Uuid::now_v7(), 1)).await;
    app.event(deleted(Uuid::now_v7(), 1)).await;
    sqlx::query(
        "UPDATE processed_events SET processed_at = UTC_TIMESTAMP(6) - INTERVAL 40 DAY LIMIT 1",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let purged = cart::store::events::purge_processed(
        &app.pool,
        std::time::Duration::from_secs(30 * 86_400),
    )
    .await
    .unwrap();
    assert_eq!(purged, 1);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM processed_events")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 1);
}
