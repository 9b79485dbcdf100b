//! Reservations: no oversell under concurrency, nearest-first allocation, all or nothing, idempotency
//! and the commit/release rules (issue 5 checks 1–2; api/warehouse.md §7 checks 8–11, 13, 19).

use futures::future::join_all;
use serde_json::json;
use uuid::Uuid;

use crate::support::{id_of, main_id, App};

/// Three warehouses at 10250 (main), 15000 and 40000.
async fn three_warehouses(app: &App) -> (Uuid, Uuid, Uuid) {
    let b = app.warehouse("Bekasi", "15000").await;
    let c = app.warehouse("Surabaya", "40000").await;
    (main_id(), b, c)
}

#[tokio::test]
async fn two_hundred_concurrent_reservations_against_fifty_units_reserve_exactly_fifty() {
    let app = App::spawn().await;
    let (a, b, c) = three_warehouses(&app).await;
    let product = app.product(20).await;
    assert_eq!(app.adjust(b, product, 15).await.status, 201);
    assert_eq!(app.adjust(c, product, 15).await.status, 201);
    assert_eq!(app.totals(product).await, (50, 0));

    let calls = (0..200).map(|i| {
        let app = &app;
        async move {
            let zip = ["10250", "15000", "40000", "99999"][i % 4];
            app.reserve(Uuid::now_v7(), zip, &[(product, 1)]).await
        }
    });
    let results = join_all(calls).await;
    let created = results.iter().filter(|r| r.status == 201).count();
    let refused = results.iter().filter(|r| r.status == 409).count();
    let others: Vec<_> = results
        .iter()
        .filter(|r| r.status != 201 && r.status != 409)
        .collect();
    assert!(others.is_empty(), "only 201 and 409: {others:?}");
    assert_eq!((created, refused), (50, 150));
    let cause = &results.iter().find(|r| r.status == 409).unwrap().body["error"]["causes"][0];
    assert_eq!(cause["message"], "insufficient stock");
    assert_eq!(cause["available"], 0);

    assert_eq!(app.totals(product).await, (0, 50));
    for w in [a, b, c] {
        let (available, reserved) = app.level(w, product).await.unwrap();
        assert_eq!(available, 0);
        assert!(reserved >= 0);
    }
    assert_eq!(app.count("SELECT count(*) FROM reservations").await, 50);
    app.assert_reserved_invariant().await;
    // One stock.changed per successful reservation (plus the three of the setup), versions strictly up.
    let versions: Vec<i64> = app
        .outbox(product)
        .await
        .iter()
        .map(|e| e["data"]["stock_version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, (1..=53).collect::<Vec<_>>());
}

#[tokio::test]
async fn the_nearest_warehouses_serve_first_and_a_tie_picks_the_main_one() {
    let app = App::spawn().await;
    let (a, b, c) = three_warehouses(&app).await;
    let product = app.product(5).await;
    app.adjust(b, product, 5).await;
    app.adjust(c, product, 5).await;

    let res = app.reserve(Uuid::now_v7(), "15326", &[(product, 8)]).await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    let allocations = res.data()["allocations"].as_array().unwrap().clone();
    assert_eq!(allocations.len(), 2);
    assert_eq!(id_of(&allocations[0]["warehouse_id"]), b);
    assert_eq!(allocations[0]["warehouse_zip_code"], "15000");
    assert_eq!(allocations[0]["quantity"], 5);
    assert_eq!(id_of(&allocations[1]["warehouse_id"]), a);
    assert_eq!(allocations[1]["warehouse_zip_code"], "10250");
    assert_eq!(allocations[1]["quantity"], 3);
    assert_eq!(res.data()["status"], "RESERVED");
    assert_eq!(
        res.data()["items"],
        json!([{"product_id": product, "quantity": 8}])
    );

    // A tie: 12625 is 2375 from both 10250 (main) and 15000.
    let tie = app.product(0).await;
    app.adjust(a, tie, 1).await;
    app.adjust(b, tie, 1).await;
    let res = app.reserve(Uuid::now_v7(), "12625", &[(tie, 1)]).await;
    assert_eq!(id_of(&res.data()["allocations"][0]["warehouse_id"]), a);

    let res = app.reserve(Uuid::now_v7(), "12a45", &[(product, 1)]).await;
    assert_eq!(res.status, 422);
}

#[tokio::test]
async fn a_reservation_is_all_or_nothing() {
    let app = App::spawn().await;
    let plenty = app.product(10).await;
    let scarce = app.product(2).await;
    let outbox_before = app.count("SELECT count(*) FROM outbox").await;
    let order = Uuid::now_v7();
    let res = app
        .reserve(order, "10250", &[(plenty, 3), (scarce, 5)])
        .await;
    assert_eq!(res.status, 409);
    let causes = res.body["error"]["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 1);
    assert_eq!(causes[0]["field"], "items[1]");
    assert_eq!(id_of(&causes[0]["product_id"]), scarce);
    assert_eq!(causes[0]["requested"], 5);
    assert_eq!(causes[0]["available"], 2);
    assert_eq!(app.totals(plenty).await, (10, 0));
    assert_eq!(app.count("SELECT count(*) FROM reservations").await, 0);
    assert_eq!(
        app.count("SELECT count(*) FROM outbox").await,
        outbox_before
    );
    // The same order id may try again once stock is there.
    let res = app
        .reserve(order, "10250", &[(plenty, 3), (scarce, 2)])
        .await;
    assert_eq!(res.status, 201);
}

#[tokio::test]
async fn reserve_is_idempotent_by_order_id() {
    let app = App::spawn().await;
    let product = app.product(10).await;
    let order = Uuid::now_v7();
    let user = Uuid::now_v7();
    let body = json!({"order_id": order, "user_id": user, "zip_code": "10250",
        "items": [{"product_id": product, "quantity": 4}]});
    let first = app
        .order_call("POST", "/internal/reservations", Some(body.clone()))
        .await;
    let again = app
        .order_call("POST", "/internal/reservations", Some(body.clone()))
        .await;
    assert_eq!((first.status, again.status), (201, 200));
    assert_eq!(first.data()["allocations"], again.data()["allocations"]);
    assert_eq!(app.totals(product).await, (6, 4), "stock moved once");
    assert_eq!(
        app.outbox(product).await.len(),
        2,
        "INITIAL and one RESERVE"
    );

    let other = json!({"order_id": order, "user_id": user, "zip_code": "10250",
        "items": [{"product_id": product, "quantity": 5}]});
    let res = app
        .order_call("POST", "/internal/reservations", Some(other))
        .await;
    assert_eq!(res.status, 409);
    assert_eq!(app.totals(product).await, (6, 4));

    let path = format!("/internal/reservations/{order}/release");
    assert_eq!(app.order_call("POST", &path, None).await.status, 200);
    let res = app
        .order_call("POST", "/internal/reservations", Some(body))
        .await;
    assert_eq!(res.status, 409, "X1 after X3");
    assert_eq!(app.totals(product).await, (10, 0));
}

#[tokio::test]
async fn commit_after_release_and_release_after_commit_are_refused_and_repeats_change_nothing() {
    let app = App::spawn().await;
    let product = app.product(10).await;
    let main = main_id();

    // Commit: reserved down, one SHIPMENT per line with the order and the user.
    let committed = Uuid::now_v7();
    let res = app.reserve(committed, "10250", &[(product, 3)]).await;
    let user = id_of(&res.data()["user_id"]);
    let commit = format!("/internal/reservations/{committed}/commit");
    let res = app.order_call("POST", &commit, None).await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.data()["status"], "COMMITTED");
    assert_eq!(app.level(main, product).await, Some((7, 0)));
    let shipments = app
        .call(
            "GET",
            &format!("/v1/stock-movements?order_id={committed}"),
            &app.staff,
            None,
        )
        .await;
    let rows = shipments.data().as_array().unwrap().clone();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["type"], "SHIPMENT");
    assert_eq!(id_of(&rows[0]["to_user_id"]), user);
    assert_eq!(rows[0]["quantity"], 3);

    assert_eq!(app.order_call("POST", &commit, None).await.status, 200);
    assert_eq!(
        app.count("SELECT count(*) FROM stock_movements WHERE type = 'SHIPMENT'")
            .await,
        1,
        "a second commit writes nothing"
    );
    let release = format!("/internal/reservations/{committed}/release");
    assert_eq!(app.order_call("POST", &release, None).await.status, 409);
    assert_eq!(app.level(main, product).await, Some((7, 0)));

    // Release: available back; twice is a no-op; commit after release refused.
    let released = Uuid::now_v7();
    app.reserve(released, "10250", &[(product, 2)]).await;
    assert_eq!(app.level(main, product).await, Some((5, 2)));
    let release = format!("/internal/reservations/{released}/release");
    let res = app.order_call("POST", &release, None).await;
    assert_eq!(
        (res.status, res.data()["status"].clone()),
        (200, json!("RELEASED"))
    );
    assert_eq!(app.level(main, product).await, Some((7, 0)));
    assert_eq!(app.order_call("POST", &release, None).await.status, 200);
    assert_eq!(app.level(main, product).await, Some((7, 0)));
    let commit = format!("/internal/reservations/{released}/commit");
    assert_eq!(app.order_call("POST", &commit, None).await.status, 409);
    assert_eq!(app.level(main, product).await, Some((7, 0)));

    let unknown = format!("/internal/reservations/{}/commit", Uuid::now_v7());
    assert_eq!(app.order_call("POST", &unknown, None).await.status, 404);
    app.assert_reserved_invariant().await;
}

#[tokio::test]
async fn a_quote_returns_what_a_reservation_would_take_and_writes_nothing() {
    let app = App::spawn().await;
    let (_, b, _) = three_warehouses(&app).await;
    let product = app.product(5).await;
    app.adjust(b, product, 5).await;
    let outbox = app.count("SELECT count(*) FROM outbox").await;
    let body = json!({"zip_code": "15326", "items": [{"product_id": product, "quantity": 8}]});
    let quote = app
        .order_call("POST", "/internal/reservations/quote", Some(body))
        .await;
    assert_eq!(quote.status, 200, "{:?}", quote.body);
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, outbox);
    assert_eq!(app.count("SELECT count(*) FROM reservations").await, 0);
    assert_eq!(app.totals(product).await, (10, 0));
    let reserved = app.reserve(Uuid::now_v7(), "15326", &[(product, 8)]).await;
    assert_eq!(quote.data()["allocations"], reserved.data()["allocations"]);

    let short = json!({"zip_code": "15326", "items": [{"product_id": product, "quantity": 3}]});
    let res = app
        .order_call("POST", "/internal/reservations/quote", Some(short))
        .await;
    assert_eq!(res.status, 409);
    assert_eq!(res.body["error"]["causes"][0]["available"], 2);
    let bad_zip = json!({"zip_code": "12a45", "items": [{"product_id": product, "quantity": 1}]});
    let res = app
        .order_call("POST", "/internal/reservations/quote", Some(bad_zip))
        .await;
    assert_eq!(res.status, 422);
}
