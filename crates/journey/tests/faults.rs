//! Issue 10, faults: consumers SIGKILLed during a burst, Redis flushed mid-burst, the order service killed
//! between reservation and order, a store cut for a few seconds — each followed by the invariants.

use std::time::Duration;

use futures::future::join_all;
use journey::fleet::FleetOptions;
use journey::invariants;
use journey::shop::{eventually, Shop, User, MAIN_WAREHOUSE};
use serde_json::Value;
use sqlx::PgPool;

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
        let pay = id(&up.data()["id"]);
        eventually(Duration::from_secs(30), "approval", || async {
            (shop.review(&pay, "APPROVED", false).await.status == 200).then_some(())
        })
        .await;
    }
}

/// Counts rows of a query on a service's database (the tests watch progress to time their kills).
async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count query")
}

async fn db(shop: &Shop, svc: &str) -> PgPool {
    PgPool::connect(&shop.fleet.dbs[svc].url)
        .await
        .expect("database")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn consumers_killed_mid_burst_apply_every_event_exactly_once() {
    let shop = Shop::open(FleetOptions::default()).await;
    let orders_db = db(&shop, "order").await;
    let category = shop.category("Fault coupes").await;
    let car = shop.product("Fault Coupe", "1000.00", 40, &category).await;
    let users = customers(&shop, "burst", 10).await;

    // Checkouts: the warehouse (reservations, order.status_changed) is SIGKILLed as soon as the first
    // order exists, while the others are in flight, and restarted two seconds later.
    let (orders, killed_at) = tokio::join!(burst_of_checkouts(&shop, &users, &car, "k1"), async {
        while count(&orders_db, "SELECT COUNT(*) FROM orders").await < 1 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let at = count(&orders_db, "SELECT COUNT(*) FROM orders").await;
        shop.fleet.kill("warehouse").await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        shop.fleet.restart("warehouse").await;
        at
    });
    assert_eq!(
        orders.len(),
        users.len(),
        "every checkout went through in the end"
    );
    assert!(
        (killed_at as usize) < users.len(),
        "the kill landed mid-burst ({killed_at} orders before it)"
    );

    // Approvals: order (payment.* consumer), warehouse (commit) and sales-report (sale.created) are
    // SIGKILLed after the first approval took effect, and restarted a little later.
    let accepted = "SELECT COUNT(*) FROM orders WHERE status = 'PAYMENT_ACCEPTED'";
    let (_, accepted_at) = tokio::join!(pay_and_approve(&shop, &users, &orders), async {
        while count(&orders_db, accepted).await < 1 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let at = count(&orders_db, accepted).await;
        for svc in ["order", "warehouse", "sales-report"] {
            shop.fleet.kill(svc).await;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        for svc in ["order", "warehouse", "sales-report"] {
            shop.fleet.restart(svc).await;
        }
        at
    });
    assert!(
        (accepted_at as usize) < orders.len(),
        "the kill landed mid-approvals"
    );
    for o in &orders {
        shop.wait_status(o, "PAYMENT_ACCEPTED").await;
    }
    invariants::assert_all(&shop.fleet, Duration::from_secs(60)).await;
    let sales = PgPool::connect(&shop.fleet.dbs["sales-report"].url)
        .await
        .unwrap();
    assert_eq!(
        count(
            &sales,
            "SELECT COALESCE(SUM(product_quantity), 0)::bigint FROM sales"
        )
        .await,
        orders.len() as i64,
        "one sales row per sold unit, none twice"
    );
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
    let warehouse_db = db(&shop, "warehouse").await;
    let category = shop.category("Abandoned wagons").await;
    let car = shop
        .product("Abandoned Wagon", "900.00", 60, &category)
        .await;
    // A reservation exists whose order does not (yet): the order service is between the two steps.
    let orphan = "SELECT COUNT(*) FROM reservations r WHERE r.status = 'RESERVED'";
    let mut caught = false;
    for batch in 0..5 {
        let users = customers(&shop, &format!("abandon{batch}"), 6).await;
        for u in &users {
            shop.add_to_cart(u, &car, 1).await.expect(201, "add");
        }
        let orders_db = db(&shop, "order").await;
        let before = count(&warehouse_db, orphan).await;
        let attempts = join_all(users.iter().map(|u| {
            let shop = &shop;
            async move { shop.checkout(u, ZIP, &format!("ab-{}", u.username)).await }
        }));
        tokio::pin!(attempts);
        let watch = async {
            loop {
                let reserved = count(&warehouse_db, orphan).await - before;
                let stored = count(
                    &orders_db,
                    "SELECT COUNT(*) FROM orders WHERE status = 'PENDING'",
                )
                .await
                    - before;
                if reserved > stored {
                    shop.fleet.kill("order").await;
                    return;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        };
        tokio::select! {
            _ = &mut attempts => {}
            _ = watch => { caught = true; attempts.await; }
        }
        if caught {
            break;
        }
    }
    assert!(
        caught,
        "the order service was never caught between reservation and order"
    );
    // Nobody retries. After a restart the janitor (CHECKOUT_ABANDON_SECONDS = 4) sends the release for
    // every reservation no order holds.
    tokio::time::sleep(Duration::from_millis(500)).await;
    shop.fleet.restart("order").await;
    invariants::assert_all(&shop.fleet, Duration::from_secs(30)).await;
    let orders_db = db(&shop, "order").await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id::text FROM orders")
        .fetch_all(&orders_db)
        .await
        .unwrap();
    let released_without_order: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reservations WHERE status = 'RELEASED' AND NOT (order_id::text = ANY($1))",
    )
    .bind(&ids)
    .fetch_one(&warehouse_db)
    .await
    .unwrap();
    assert!(
        released_without_order >= 1,
        "an abandoned reservation was released"
    );

    let users = customers(&shop, "cut", 1).await;
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
