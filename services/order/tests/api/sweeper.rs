//! The deadline sweeper (api/order.md §3.11; acceptance 14): expiry within one interval, proofs stop the
//! timer, replicas share the work, and a deadline passed while the service was down expires after restart.

use std::time::Duration;

use serde_json::json;

use crate::support::{eventually, order_body, start, TestApp};

fn fast(c: &mut order::Config) {
    c.order.payment_timeout = Duration::from_secs(2);
    c.order.expiry_grace = Duration::ZERO;
    c.order.sweep_interval = Duration::from_secs(1);
}

#[tokio::test]
async fn an_unpaid_order_expires_within_one_interval_and_its_reservation_is_released() {
    let app = TestApp::spawn_with(fast).await;
    let p = app.product_in_stock("Car", 10.0, 10);
    let (user, token) = app.customer();
    let unpaid = app
        .checkout(&token, "a", order_body(&[(p, 2)]))
        .await
        .data()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let proven = app
        .checkout(&token, "b", order_body(&[(p, 1)]))
        .await
        .data()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.submit_proof(proven, user).await;
    assert_eq!(app.warehouse.levels(p), (7, 3));
    // Deadline 2 s + one 1 s interval, with slack for a busy machine.
    eventually(6, "the unpaid order expires", || async {
        app.order(unpaid).await["status"] == "EXPIRED"
    })
    .await;
    let history = app.history(unpaid).await;
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["actor"], "system");
    assert_eq!(history[1]["note"], "payment deadline passed");
    let rows = app.outbox(unpaid).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].2["data"]["status"], "EXPIRED");
    eventually(5, "the warehouse released it", || async {
        app.warehouse.reservation_status(unpaid) == Some("RELEASED")
    })
    .await;
    assert_eq!(app.warehouse.levels(p), (9, 1));
    let ttl = app.get(&format!("/v1/orders/{unpaid}/ttl"), &token).await;
    assert_eq!(ttl.data()["ttl_seconds"], 0);
    assert_eq!(
        app.order(proven).await["status"],
        "PENDING",
        "a proof under review stops the timer"
    );
}

#[tokio::test]
async fn two_instances_give_one_transition_and_one_event() {
    let app = TestApp::spawn_with(fast).await;
    let mut cfg = app.config();
    fast(&mut cfg);
    let replica = start(cfg).await;
    let p = app.product_in_stock("Car", 10.0, 50);
    let (_, token) = app.customer();
    let mut ids = Vec::new();
    for i in 0..8 {
        let res = app
            .checkout(&token, &format!("k{i}"), order_body(&[(p, 1)]))
            .await;
        ids.push(
            res.data()["id"]
                .as_str()
                .unwrap()
                .parse::<uuid::Uuid>()
                .unwrap(),
        );
    }
    eventually(10, "all expire", || async {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE status = 'EXPIRED'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        n == 8
    })
    .await;
    for id in ids {
        assert_eq!(app.history(id).await.len(), 2);
        assert_eq!(app.outbox_count(id, "order.status_changed").await, 1);
    }
    replica.stop().await;
}

#[tokio::test]
async fn a_deadline_passed_while_the_service_was_stopped_expires_it_after_restart() {
    let mut app = TestApp::spawn_with(fast).await;
    let (id, _, _) = app.placed_order().await;
    app.instance.take().unwrap().stop().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let still: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(still, "PENDING", "nobody ran while stopped");
    let mut cfg = app.config();
    fast(&mut cfg);
    let restarted = start(cfg).await;
    app.base = restarted.base.clone();
    eventually(5, "expired after the restart", || async {
        app.order(id).await["status"] == "EXPIRED"
    })
    .await;
    eventually(5, "release event delivered", || async {
        app.warehouse
            .events_for(id)
            .iter()
            .any(|e| e["data"]["status"] == json!("EXPIRED"))
    })
    .await;
    restarted.stop().await;
}
