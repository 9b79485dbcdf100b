//! Stock conservation and freedom from deadlock under a randomized, concurrent mix of reservations,
//! commits, releases and transfers (issue 5 check 3; api/warehouse.md §7 checks 11, 12, 15).

use futures::future::join_all;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use uuid::Uuid;

use crate::support::{main_id, App};

/// (came in, available, reserved, shipped) of a product, from the movement history and the stock rows.
async fn ledger(app: &App, product: Uuid) -> (i64, i64, i64, i64) {
    let came_in: i64 = sqlx::query_scalar(
        "SELECT COALESCE(sum(quantity) FILTER (WHERE type = 'INITIAL'
                   OR (type = 'ADJUSTMENT' AND to_warehouse_id IS NOT NULL)), 0)::bigint
              - COALESCE(sum(quantity) FILTER (WHERE type = 'ADJUSTMENT' AND from_warehouse_id IS NOT NULL), 0)::bigint
         FROM stock_movements WHERE product_id = $1",
    )
    .bind(product)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let shipped: i64 = sqlx::query_scalar(
        "SELECT COALESCE(sum(quantity), 0)::bigint FROM stock_movements WHERE product_id = $1 AND type = 'SHIPMENT'",
    )
    .bind(product)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (available, reserved) = app.totals(product).await;
    (came_in, available, reserved, shipped)
}

#[tokio::test]
async fn available_plus_reserved_plus_shipped_equals_what_came_in_after_a_random_run() {
    let app = App::spawn().await;
    let seed: u64 = rand::random();
    println!("seed {seed}");
    let mut rng = StdRng::seed_from_u64(seed);
    let warehouses = [
        main_id(),
        app.warehouse("Bandung", "40111").await,
        app.warehouse("Medan", "20111").await,
    ];
    let products = [app.product(30).await, app.product(30).await];
    for p in products {
        app.adjust(warehouses[1], p, 20).await;
        app.adjust(warehouses[2], p, 10).await;
    }
    let mut orders: Vec<Uuid> = Vec::new();
    for _round in 0..8 {
        let mut calls = Vec::new();
        for _ in 0..12 {
            let p = products[rng.gen_range(0..2)];
            let q = products[rng.gen_range(0..2)];
            let call = match rng.gen_range(0..5) {
                0 | 1 => {
                    let order = Uuid::now_v7();
                    orders.push(order);
                    let mut items = vec![(p, rng.gen_range(1..6))];
                    if q != p {
                        items.push((q, rng.gen_range(1..4)));
                    }
                    let zip = format!("{}", rng.gen_range(10000..50000));
                    (0, order, items, zip, (0, 0))
                }
                2 | 3 if !orders.is_empty() => {
                    let order = orders[rng.gen_range(0..orders.len())];
                    (rng.gen_range(1..3), order, vec![], String::new(), (0, 0))
                }
                _ => {
                    let from = rng.gen_range(0..3);
                    let to = (from + rng.gen_range(1..3)) % 3;
                    (
                        3,
                        Uuid::nil(),
                        vec![(p, rng.gen_range(1..8))],
                        String::new(),
                        (from, to),
                    )
                }
            };
            calls.push(call);
        }
        let results = join_all(calls.into_iter().map(|(kind, order, items, zip, (from, to))| {
            let app = &app;
            async move {
                match kind {
                    0 => app.reserve(order, &zip, &items).await,
                    1 => {
                        let path = format!("/internal/reservations/{order}/commit");
                        app.order_call("POST", &path, None).await
                    }
                    2 => {
                        let path = format!("/internal/reservations/{order}/release");
                        app.order_call("POST", &path, None).await
                    }
                    _ => {
                        let body = json!({"product_id": items[0].0, "quantity": items[0].1,
                            "from_warehouse_id": warehouses[from], "to_warehouse_id": warehouses[to],
                            "product_name": ""});
                        app.call("POST", "/v1/stock-movements/movein", &app.staff, Some(body)).await
                    }
                }
            }
        }))
        .await;
        for r in &results {
            assert!(
                [200, 201, 404, 409].contains(&r.status),
                "seed {seed}: unexpected {r:?}"
            );
        }
    }
    for p in products {
        let (came_in, available, reserved, shipped) = ledger(&app, p).await;
        assert_eq!(came_in, 60, "seed {seed}");
        assert_eq!(available + reserved + shipped, came_in, "seed {seed}");
    }
    app.assert_reserved_invariant().await;
}

#[tokio::test]
async fn crossed_transfers_and_reservations_never_deadlock() {
    let app = App::spawn().await;
    let a = main_id();
    let b = app.warehouse("Bogor", "16111").await;
    let p = app.product(100).await;
    let q = app.product(100).await;
    app.adjust(b, p, 100).await;
    app.adjust(b, q, 100).await;
    let before = [app.totals(p).await, app.totals(q).await];

    let transfers = (0..50).map(|i| {
        let app = &app;
        let (from, to) = if i % 2 == 0 { (a, b) } else { (b, a) };
        async move {
            let body = json!({"product_id": p, "quantity": 3, "from_warehouse_id": from,
                "to_warehouse_id": to, "product_name": "x"});
            app.call("POST", "/v1/stock-movements/movein", &app.staff, Some(body))
                .await
        }
    });
    let reservations = (0..50).map(|i| {
        let app = &app;
        let items = if i % 2 == 0 {
            [(p, 1), (q, 1)]
        } else {
            [(q, 1), (p, 1)]
        };
        async move { app.reserve(Uuid::now_v7(), "13000", &items).await }
    });
    let (moved, reserved) = futures::join!(join_all(transfers), join_all(reservations));
    for r in moved.iter().chain(reserved.iter()) {
        assert!(r.status == 201 || r.status == 409, "{r:?}");
    }
    let sum = |(a, r): (i64, i64)| a + r;
    assert_eq!(
        sum(app.totals(p).await),
        sum(before[0]),
        "transfers conserve P"
    );
    assert_eq!(sum(app.totals(q).await), sum(before[1]));
    app.assert_reserved_invariant().await;
}

#[tokio::test]
async fn forty_concurrent_manual_shipments_never_oversell() {
    let app = App::spawn().await;
    let b = app.warehouse("Depok", "16400").await;
    let p = app.product(6).await;
    app.adjust(b, p, 4).await;
    let calls = (0..40).map(|_| {
        let app = &app;
        async move {
            let body = json!({"zipcode": "16000", "note": "samples",
                "items": [{"product_id": p, "quantity": 1, "product_name": "", "price": 0}]});
            app.call(
                "POST",
                "/v1/stock-movements/moveout",
                &app.manager,
                Some(body),
            )
            .await
        }
    });
    let results = join_all(calls).await;
    let created = results.iter().filter(|r| r.status == 201).count();
    let refused = results.iter().filter(|r| r.status == 409).count();
    assert_eq!((created, refused), (10, 30));
    assert_eq!(app.totals(p).await, (0, 0));
}

#[tokio::test]
async fn the_schema_refuses_negative_stock_and_a_second_row_per_warehouse_and_product() {
    let app = App::spawn().await;
    let p = app.product(3).await;
    let negative =
        sqlx::query("UPDATE warehouse_products SET available = -1 WHERE product_id = $1")
            .bind(p)
            .execute(&app.pool)
            .await;
    assert!(negative.is_err(), "CHECK (available >= 0)");
    let second = sqlx::query(
        "INSERT INTO warehouse_products (id, warehouse_id, product_id) VALUES ($1, $2, $3)",
    )
    .bind(Uuid::now_v7())
    .bind(main_id())
    .bind(p)
    .execute(&app.pool)
    .await;
    assert!(second.is_err(), "UNIQUE (warehouse_id, product_id)");
}
