//! product.md §7 check 22: the outbox relay delivers after an outage and across a restart, deletes finished
//! items, serves each subscriber independently, parks on 400, never double-delivers across replicas, and a
//! failed create leaves neither an outbox item nor an image.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::json;

use crate::support::{eventually, Consumer, Ctx, Form, CAR};

type Item = HashMap<String, AttributeValue>;

async fn outbox_items(ctx: &Ctx) -> Vec<Item> {
    ctx.scan(&ctx.names.outbox_table).await
}

fn targets(item: &Item) -> Vec<String> {
    let mut t = item
        .get("targets")
        .and_then(|v| v.as_ss().ok())
        .cloned()
        .unwrap_or_default();
    t.sort();
    t
}

#[tokio::test]
async fn a_created_product_waits_for_a_down_warehouse_and_is_delivered_after_a_restart() {
    let ctx = Ctx::new().await;
    let warehouse = Consumer::start(503).await;
    let mut config = ctx.config();
    config.relay.warehouse_url = warehouse.url.clone();
    let first = ctx.spawn_with(config.clone()).await;
    let product = ctx.product(&first, "Swift", "12000.00", CAR).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let items = outbox_items(&ctx).await;
    assert_eq!(items.len(), 1);
    assert_eq!(targets(&items[0]), ["warehouse"]);
    assert!(items[0].contains_key("pending"), "still pending");
    assert!(warehouse.events().is_empty());

    first.stop();
    warehouse.set_status(200);
    let _second = ctx.spawn_with(config).await;
    assert!(
        eventually(20, || async { warehouse.events().len() == 1 }).await,
        "delivered after the restart"
    );
    let event = &warehouse.events()[0];
    assert_eq!(
        (event["type"].clone(), event["data"]["product_id"].clone()),
        (json!("product.created"), product["id"].clone())
    );
    assert_eq!(
        (
            event["data"]["version"].clone(),
            event["data"]["quantity"].clone()
        ),
        (json!(1), json!(3))
    );
    assert_eq!(
        warehouse.tokens()[0].as_deref(),
        Some("local-product-token")
    );
    assert!(
        eventually(5, || async { outbox_items(&ctx).await.is_empty() }).await,
        "the item is deleted"
    );
}

#[tokio::test]
async fn a_failing_cart_does_not_hold_back_the_warehouse_and_a_400_parks_the_item() {
    let ctx = Ctx::new().await;
    let (cart, warehouse) = (Consumer::start(503).await, Consumer::start(200).await);
    let mut config = ctx.config();
    config.relay.cart_url = cart.url.clone();
    config.relay.warehouse_url = warehouse.url.clone();
    let app = ctx.spawn_with(config).await;
    let product = ctx.product(&app, "Ignis", "11000.00", CAR).await;
    let path = format!("/v1/products/{}", product["id"].as_str().unwrap());
    let r = ctx
        .send(
            &app,
            "PUT",
            &path,
            Some(&ctx.admin()),
            Some(json!({"name": "Ignis II"})),
        )
        .await;
    assert_eq!(r.status, 200);

    let updated = || async {
        warehouse
            .events()
            .iter()
            .any(|e| e["type"] == "product.updated")
    };
    assert!(
        eventually(10, updated).await,
        "warehouse got product.updated while cart fails"
    );
    // The relay deletes a delivered item right after its last target answered: wait for that.
    assert!(
        eventually(5, || async { outbox_items(&ctx).await.len() == 1 }).await,
        "product.created is gone, product.updated waits for cart: {:?}",
        outbox_items(&ctx).await
    );
    let items = outbox_items(&ctx).await;
    assert_eq!(targets(&items[0]), ["cart"]);

    cart.set_status(400);
    let parked = || async {
        outbox_items(&ctx)
            .await
            .first()
            .is_some_and(|i| i.contains_key("parked_at") && !i.contains_key("pending"))
    };
    assert!(eventually(10, parked).await, "a 400 parks the item");
    let id = outbox_items(&ctx).await[0]["id"].as_s().unwrap().clone();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(cart.events().is_empty());

    cart.set_status(200);
    // The operator's subcommands: `product outbox list --parked`, then `product outbox redrive <id>`.
    std::env::set_var("PRODUCT_OUTBOX_TABLE", &ctx.names.outbox_table);
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    product::cli::run(&args(&["outbox", "list", "--parked"]))
        .await
        .unwrap();
    product::cli::run(&args(&["outbox", "redrive", &id]))
        .await
        .unwrap();
    assert!(
        product::cli::run(&args(&["outbox", "redrive", "no-such-item"]))
            .await
            .is_err()
    );
    assert!(
        eventually(10, || async { cart.events().len() == 1 }).await,
        "redriven and delivered"
    );
    assert_eq!(cart.events()[0]["data"]["version"], 2);
    assert!(eventually(5, || async { outbox_items(&ctx).await.is_empty() }).await);
}

#[tokio::test]
async fn two_replicas_never_deliver_the_same_event_twice() {
    let ctx = Ctx::new().await;
    let warehouse = Consumer::start_slow(200, Duration::from_millis(300)).await;
    let mut config = ctx.config();
    config.relay.warehouse_url = warehouse.url.clone();
    let apps = [
        ctx.spawn_with(config.clone()).await,
        ctx.spawn_with(config).await,
    ];
    for i in 0..6 {
        ctx.product(&apps[i % 2], &format!("Car {i}"), "1000.00", CAR)
            .await;
    }
    assert!(eventually(20, || async { warehouse.events().len() >= 6 }).await);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut ids: Vec<String> = warehouse
        .events()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        (ids.len(), warehouse.events().len()),
        (6, 6),
        "each event delivered once"
    );
}

#[tokio::test]
async fn a_failed_create_transaction_leaves_no_outbox_item_and_no_image() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let form = Form::product("Ghost", "1000.00", &uuid::Uuid::new_v4().to_string());
    let r = ctx
        .form(&app, "POST", "/v1/products", &ctx.admin(), &form)
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(outbox_items(&ctx).await.is_empty());
    assert!(
        ctx.objects().await.is_empty(),
        "the uploaded object is removed"
    );
    assert!(ctx.scan(&ctx.names.products_table).await.is_empty());
}
