//! The outbox relay as order uses it (design §4.2; acceptance 19): events wait while a consumer is down
//! and then arrive in per-order order; a 400 parks the row and holds back that order's later rows.

use serde_json::json;
use uuid::Uuid;

use crate::support::{eventually, TestApp};

#[tokio::test]
async fn with_the_warehouse_down_events_wait_and_then_arrive_in_order() {
    let app = TestApp::spawn().await;
    app.warehouse.set(|s| s.events_status = 503);
    let admin = app.admin();
    let (id, user, _) = app.placed_order().await;
    let payment = app.submit_proof(id, user).await;
    app.review(id, user, payment, "APPROVED", false).await;
    app.patch_status(id, &admin, json!({"status": "ON_DELIVERY"}))
        .await;
    app.patch_status(id, &admin, json!({"status": "DELIVERED"}))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert!(app.warehouse.events_for(id).is_empty());
    let attempts: i32 =
        sqlx::query_scalar("SELECT max(attempts) FROM outbox WHERE subscriber = 'warehouse'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(attempts >= 1);
    app.warehouse.set(|s| s.events_status = 200);
    eventually(15, "all three arrive", || async {
        app.warehouse.events_for(id).len() == 3
    })
    .await;
    let statuses: Vec<_> = app
        .warehouse
        .events_for(id)
        .iter()
        .map(|e| e["data"]["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        vec![
            json!("PAYMENT_ACCEPTED"),
            json!("ON_DELIVERY"),
            json!("DELIVERED")
        ]
    );
    let e = &app.warehouse.events_for(id)[0];
    assert_eq!(e["source"], "order");
    for f in [
        "order_id",
        "user_id",
        "from_status",
        "status",
        "note",
        "actor",
        "restock",
        "changed_at",
    ] {
        assert!(e["data"].get(f).is_some(), "{f}");
    }
}

#[tokio::test]
async fn a_refused_event_is_parked_and_holds_back_that_orders_later_events_until_redrive() {
    let app = TestApp::spawn().await;
    let admin = app.admin();
    app.warehouse.set(|s| s.events_status = 400);
    let (id, user, _) = app.placed_order().await;
    let payment = app.submit_proof(id, user).await;
    app.review(id, user, payment, "APPROVED", false).await;
    let parked_row = || async {
        sqlx::query_scalar::<_, Uuid>(
            "SELECT id FROM outbox WHERE aggregate_id = $1 AND parked_at IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(&app.pool)
        .await
        .unwrap()
    };
    eventually(10, "the row is parked", || async {
        parked_row().await.is_some()
    })
    .await;
    app.warehouse.set(|s| s.events_status = 200);
    app.patch_status(id, &admin, json!({"status": "ON_DELIVERY"}))
        .await;
    // Another order is not held back, but this order's later event is.
    let (other, _, other_token) = app.placed_order().await;
    app.post(
        &format!("/v1/orders/{other}/cancel"),
        &other_token,
        json!({}),
    )
    .await;
    eventually(10, "the other order's event arrives", || async {
        app.warehouse.events_for(other).len() == 1
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(app.warehouse.events_for(id).is_empty());
    let pool = eshop_common::outbox::OutboxPool::from(app.pool.clone());
    assert!(
        eshop_common::outbox::redrive(&pool, parked_row().await.unwrap())
            .await
            .unwrap()
    );
    eventually(10, "both delivered in order after the redrive", || async {
        app.warehouse.events_for(id).len() == 2
    })
    .await;
    let statuses: Vec<_> = app
        .warehouse
        .events_for(id)
        .iter()
        .map(|e| e["data"]["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        vec![json!("PAYMENT_ACCEPTED"), json!("ON_DELIVERY")]
    );
}

#[tokio::test]
async fn events_written_before_a_stop_are_delivered_by_the_next_start() {
    let mut app = TestApp::spawn().await;
    app.warehouse.set(|s| s.events_status = 503);
    let (id, _, token) = app.placed_order().await;
    let res = app
        .post(&format!("/v1/orders/{id}/cancel"), &token, json!({}))
        .await;
    assert_eq!(res.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.instance.take().unwrap().stop().await;
    app.warehouse.set(|s| s.events_status = 200);
    assert!(app.warehouse.events_for(id).is_empty());
    let restarted = crate::support::start(app.config()).await;
    eventually(15, "the event survives the stop", || async {
        app.warehouse.events_for(id).len() == 1
    })
    .await;
    assert_eq!(app.warehouse.reservation_status(id), Some("RELEASED"));
    restarted.stop().await;
}
