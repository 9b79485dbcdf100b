//! Issue 10, faults: consumers SIGKILLed during a burst, Redis flushed mid-burst, the order service killed
//! between reservation and order, a store cut for a few seconds — each followed by the invariants.

use std::time::Duration;

use futures::future::join_all;
use journey::fleet::FleetOptions;
use journey::invariants;
use journey::shop::{eventually, Shop, User, MAIN_WAREHOUSE};
use serde_json::Value;

const ZIP: &str = "10250";

fn id(v: &Value) -> String {
    v.as_str().expect("an id").to_string()
}

async fn customers(shop: &Shop, prefix: &str, n: usize) -> Vec<User> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(shop.sign_up(&format!("{prefix}-{i}")).await);
    }
    out
}

/// Each customer adds `product` and checks out; returns the order ids of the checkouts that succeeded.
async fn burst_of_checkouts(shop: &Shop, users: &[User], product: &str, tag: &str) -> Vec<String> {
    let runs = users.iter().map(|u| async move {
        let mut added = shop.add_to_cart(u, product, 1).await;
        for _ in 0..20 {
            if added.status == 201 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
            added = shop.add_to_cart(u, product, 1).await;
        }
        assert_eq!(added.status, 201, "add: {}", added.body);
        // Retries with the same key while a service restarts: at most one order results.
        for _ in 0..40 {
            let r = shop
                .checkout(u, ZIP, &format!("{tag}-{}", u.username))
                .await;
            if r.status == 200 {
                return Some(id(&r.data()["order_id"]));
            }
            if r.status == 409 && r.retry_after.is_none() && r.body.to_string().contains("stock") {
                return None;
            }
            if shop.cart(u).await.is_empty() {
                // the order exists, a late retry found the lines gone
                return None;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("checkout of {} never went through", u.username);
    });
    join_all(runs).await.into_iter().flatten().collect()
}

async fn pay_and_approve(shop: &Shop, users: &[User], orders: &[String]) {
    for (u, o) in users.iter().zip(orders) {
        let up = eventually(Duration::from_secs(30), "proof upload", || async {
            let r = shop.upload_proof(u, o).await;
            (r.status == 201).then_some(r)
        })
        .await;
        let pay = id(&up.data()["paymentId"]);
        eventually(Duration::from_secs(30), "approval", || async {
            (shop.review(&pay, "APPROVED", false).await.status == 200).then_some(())
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn consumers_killed_mid_burst_apply_every_event_exactly_once() {
    let shop = Shop::open(FleetOptions::default()).await;
    let category = shop.category("Fault coupes").await;
    let car = shop.product("Fault Coupe", "1000.00", 40, &category).await;
    let users = customers(&shop, "burst", 6).await;

    // Checkouts while the warehouse (the reservation side and order.status_changed consumer) dies.
    let (orders, _) = tokio::join!(burst_of_checkouts(&shop, &users, &car, "k1"), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        shop.fleet.kill("warehouse").await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        shop.fleet.restart("warehouse").await;
    });
    let paying: Vec<User> = users.iter().take(orders.len()).cloned().collect();
    // Approvals while the order service (payment.* consumer) and sales-report (sale.created) die.
    shop.fleet.kill("sales-report").await;
    let (_, _) = tokio::join!(pay_and_approve(&shop, &paying, &orders), async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        shop.fleet.kill("order").await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        shop.fleet.restart("order").await;
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    shop.fleet.restart("sales-report").await;
    for o in &orders {
        shop.wait_status(o, "PAYMENT_ACCEPTED").await;
    }
    invariants::assert_all(&shop.fleet, Duration::from_secs(60)).await;
    assert_eq!(
        shop.available(&car, MAIN_WAREHOUSE).await,
        40 - orders.len() as i64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_flushed_mid_burst_loses_no_cart_line() {
    let shop = Shop::open(FleetOptions::default()).await;
    let category = shop.category("Flush hatchbacks").await;
    let cars: Vec<String> = join_all((0..3).map(|i| {
        let shop = &shop;
        let category = &category;
        async move {
            shop.product(&format!("Flush Hatch {i}"), "500.00", 100, category)
                .await
        }
    }))
    .await;
    let users = customers(&shop, "flush", 5).await;
    let adds = users.iter().map(|u| {
        let shop = &shop;
        let cars = &cars;
        async move {
            for round in 0..4 {
                for car in cars {
                    shop.add_to_cart(u, car, 1)
                        .await
                        .expect(201, &format!("round {round}"));
                }
            }
        }
    });
    let (_, _) = tokio::join!(join_all(adds), async {
        for _ in 0..3 {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let mut redis = shop.fleet.redis().await;
            redis::cmd("FLUSHDB")
                .query_async::<()>(&mut redis)
                .await
                .unwrap();
        }
    });
    for u in &users {
        let lines = shop.cart(u).await;
        assert_eq!(lines.len(), 3, "{}: {lines:?}", u.username);
        for line in &lines {
            assert_eq!(line["product_quantity"], 4, "{}: {line}", u.username);
            assert_eq!(line["user_id"], u.user_id.as_str());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_order_service_killed_between_reservation_and_order_leaves_no_stock_reserved() {
    let shop = Shop::open(FleetOptions {
        extra_env: vec![
            ("CHECKOUT_TIMEOUT_SECONDS".into(), "2".into()),
            ("CHECKOUT_LEASE_SECONDS".into(), "3".into()),
            ("CHECKOUT_ABANDON_SECONDS".into(), "4".into()),
        ],
        proxied_stores: vec!["order"],
        ..FleetOptions::default()
    })
    .await;
    let category = shop.category("Abandoned wagons").await;
    let car = shop
        .product("Abandoned Wagon", "900.00", 30, &category)
        .await;
    let users = customers(&shop, "abandon", 6).await;
    for u in &users {
        shop.add_to_cart(u, &car, 1).await.expect(201, "add");
    }
    // Checkouts in flight while the order service dies; nobody retries.
    let attempts = users.iter().map(|u| {
        let shop = &shop;
        async move { shop.checkout(u, ZIP, &format!("ab-{}", u.username)).await }
    });
    let (_, _) = tokio::join!(join_all(attempts), async {
        tokio::time::sleep(Duration::from_millis(120)).await;
        shop.fleet.kill("order").await;
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    shop.fleet.restart("order").await;
    // The janitor releases what no order holds (CHECKOUT_ABANDON_SECONDS = 4), the rest stay with orders.
    invariants::assert_all(&shop.fleet, Duration::from_secs(30)).await;

    // A store cut for a few seconds: 503 with plain words, /ready red, then recovery on its own.
    let alice = &users[0];
    shop.fleet.store_proxy("order").cut();
    let down = shop
        .api
        .get(&shop.url("order", "/v1/orders/user"), Some(&alice.token))
        .await;
    assert_eq!(down.status, 503, "{}", down.body);
    let message = down.body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        !message.is_empty() && !message.contains("sqlx") && !message.contains("pool"),
        "{message}"
    );
    let ready = shop.api.get(&shop.url("order", "/ready"), None).await;
    assert_eq!(ready.status, 503);
    tokio::time::sleep(Duration::from_secs(3)).await;
    shop.fleet.store_proxy("order").restore();
    eventually(Duration::from_secs(20), "order recovers", || async {
        let r = shop
            .api
            .get(&shop.url("order", "/v1/orders/user"), Some(&alice.token))
            .await;
        (r.status == 200).then_some(())
    })
    .await;
    assert_eq!(
        shop.api
            .get(&shop.url("order", "/ready"), None)
            .await
            .status,
        200
    );
    invariants::assert_all(&shop.fleet, Duration::from_secs(30)).await;
}
