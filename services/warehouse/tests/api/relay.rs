//! `stock.changed` delivery through the outbox relay (api/warehouse.md §5.1, §7 checks 22–23); a product's
//! older undelivered events are superseded by its newest one (`Relay::superseding`).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::Value;
use uuid::Uuid;

use crate::support::{config, main_id, serve, App, WAREHOUSE_TOKEN};

/// Rows neither delivered nor superseded yet.
const UNDELIVERED: &str = "SELECT count(*) FROM outbox WHERE delivered_at IS NULL";

async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..150 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

fn versions_by_product(events: &[Value]) -> HashMap<String, Vec<i64>> {
    let mut out: HashMap<String, Vec<i64>> = HashMap::new();
    for e in events {
        out.entry(e["data"]["product_id"].as_str().unwrap().to_string())
            .or_default()
            .push(e["data"]["stock_version"].as_i64().unwrap());
    }
    out
}

#[tokio::test]
async fn stock_changed_reaches_the_product_service_in_order_with_the_service_token() {
    let app = App::spawn().await;
    let p = app.product(3).await;
    for _ in 0..4 {
        app.adjust(main_id(), p, 1).await;
    }
    eventually("every row delivered or superseded", async || {
        app.count(UNDELIVERED).await == 0
    })
    .await;
    // Rows superseded by a newer one while waiting are not posted; what is posted keeps its order.
    let events = app.product.events();
    let versions = &versions_by_product(&events)[&p.to_string()];
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert_eq!(versions.last(), Some(&5));
    let superseded = app
        .count("SELECT count(*) FROM outbox WHERE last_error = 'superseded'")
        .await;
    assert_eq!(versions.len() as i64 + superseded, 5);
    let last = events.last().unwrap();
    assert_eq!(last["type"], "stock.changed");
    assert_eq!(last["source"], "warehouse");
    assert_eq!(last["data"]["quantity"], 7);
    assert_eq!(last["data"]["reserved"], 0);
    assert_eq!(last["data"]["reason"], "ADJUSTMENT");
    assert!(app
        .product
        .tokens
        .lock()
        .unwrap()
        .iter()
        .all(|t| t == WAREHOUSE_TOKEN));
}

#[tokio::test]
async fn with_the_product_service_down_only_each_products_newest_event_waits_and_arrives_once() {
    let app = App::spawn().await;
    app.product.status.store(503, Ordering::SeqCst);
    let p = app.product(1).await;
    let q = app.product(1).await;
    for _ in 0..3 {
        app.adjust(main_id(), p, 1).await;
        app.adjust(main_id(), q, 2).await;
    }
    eventually("the older rows superseded", async || {
        app.count("SELECT count(*) FROM outbox WHERE last_error = 'superseded'")
            .await
            == 6
    })
    .await;
    assert_eq!(app.count(UNDELIVERED).await, 2);
    assert!(app.product.events().is_empty());

    // A second replica on the same database: each newest row is still sent once.
    let second = serve(config(&app.db.url, &app.issuer, &app.product.url)).await;
    assert!(!second.is_empty());
    app.product.status.store(200, Ordering::SeqCst);
    eventually("every row delivered", async || {
        app.count(UNDELIVERED).await == 0
    })
    .await;
    let versions = versions_by_product(&app.product.events());
    assert_eq!(versions[&p.to_string()], vec![4]);
    assert_eq!(versions[&q.to_string()], vec![4]);
}

#[tokio::test]
async fn after_an_outage_product_receives_only_the_last_of_three_stock_changes() {
    let app = App::spawn().await;
    let p = app.product(1).await;
    eventually("the initial stock delivered", async || {
        app.product.events().len() == 1
    })
    .await;
    app.product.status.store(503, Ordering::SeqCst);
    for _ in 0..3 {
        app.adjust(main_id(), p, 1).await;
    }
    eventually("a failed attempt and one row left waiting", async || {
        app.count("SELECT count(*) FROM outbox WHERE attempts > 0")
            .await
            > 0
            && app.count(UNDELIVERED).await == 1
    })
    .await;

    app.product.status.store(200, Ordering::SeqCst);
    eventually("nothing pending", async || {
        app.count(UNDELIVERED).await == 0
    })
    .await;
    let events = app.product.events();
    assert_eq!(versions_by_product(&events)[&p.to_string()], vec![1, 4]);
    assert_eq!(events[1]["data"]["quantity"], 4);
    assert_eq!(
        app.count("SELECT count(*) FROM outbox WHERE last_error = 'superseded'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_refused_event_is_parked_and_sent_again_after_a_redrive() {
    let app = App::spawn().await;
    app.product.status.store(400, Ordering::SeqCst);
    let p = app.product(2).await;
    eventually("the row parked", async || {
        app.count("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL")
            .await
            == 1
    })
    .await;
    app.product.status.store(200, Ordering::SeqCst);
    let id: Uuid = sqlx::query_scalar("SELECT id FROM outbox WHERE aggregate_id = $1")
        .bind(p)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_warehouse"))
        .args(["outbox", "redrive", &id.to_string()])
        .env("DATABASE_URL", &app.db.url)
        .output()
        .expect("run warehouse outbox redrive");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eventually("the redriven row delivered", async || {
        app.count("SELECT count(*) FROM outbox WHERE delivered_at IS NOT NULL")
            .await
            == 1
    })
    .await;
    assert_eq!(app.product.events().len(), 1);
}
