//! Consumed events: `product.*` applied by version with tombstones, `order.status_changed` driving
//! commit, release and return (issue 5 check 6; api/warehouse.md §5.2, §7 checks 6, 7, 14, 24).

use serde_json::json;
use uuid::Uuid;

use crate::support::{envelope, main_id, order_event, product_data, App, PRODUCT_TOKEN};

#[tokio::test]
async fn a_product_named_with_a_nul_character_still_gets_its_stock_row_without_the_nul() {
    // The catalogue accepts a NUL that PostgreSQL text cannot hold (found by the fuzz run): the copy drops it.
    let app = App::spawn().await;
    let id = Uuid::now_v7();
    let res = app
        .event(
            "product",
            "product.created",
            product_data(id, "Nul\u{0}car", 1, 4),
        )
        .await;
    assert_eq!(res.status, 200, "{:?}", res.body);
    assert_eq!(res.data()["result"], "applied");
    let rows = app.stock_rows(id).await;
    assert_eq!(rows.data()[0]["product_name"], "Nulcar");
    assert_eq!(rows.data()[0]["product_quantity"], 4);
}

#[tokio::test]
async fn product_created_twice_makes_one_stock_row_in_the_main_warehouse() {
    let app = App::spawn().await;
    let id = Uuid::now_v7();
    let event = envelope(
        "product",
        "product.created",
        product_data(id, "Kopi", 1, 10),
    );
    let first = app.event_as(PRODUCT_TOKEN, event.clone()).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.data()["result"], "applied");
    let again = app.event_as(PRODUCT_TOKEN, event).await;
    assert_eq!(again.data()["result"], "duplicate");
    let other_id = app
        .event(
            "product",
            "product.created",
            product_data(id, "Kopi", 1, 10),
        )
        .await;
    assert_eq!(other_id.data()["result"], "applied");

    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM warehouse_products WHERE product_id = '{id}'"
        ))
        .await,
        1
    );
    assert_eq!(app.level(main_id(), id).await, Some((10, 0)));
    let rows = app.stock_rows(id).await;
    assert_eq!(rows.data()[0]["product_quantity"], 10);
    assert_eq!(rows.data()[0]["product_price"], 27450.5);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM stock_movements WHERE product_id = '{id}' AND type = 'INITIAL'"
        ))
        .await,
        1
    );
    let outbox = app.outbox(id).await;
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0]["type"], "stock.changed");
    assert_eq!(outbox[0]["data"]["quantity"], 10);
    assert_eq!(outbox[0]["data"]["stock_version"], 1);
    assert_eq!(outbox[0]["data"]["reason"], "INITIAL");
}

#[tokio::test]
async fn a_deleted_product_cannot_be_reserved_moved_or_adjusted() {
    let app = App::spawn().await;
    let other = app.warehouse("Solo", "57111").await;
    let id = app.product(10).await;
    let res = app
        .event(
            "product",
            "product.deleted",
            json!({"product_id": id, "version": 2, "deleted_at": "2026-01-02T00:00:00Z"}),
        )
        .await;
    assert_eq!(res.data()["result"], "applied");

    let res = app.reserve(Uuid::now_v7(), "10250", &[(id, 1)]).await;
    assert_eq!(res.status, 409);
    assert_eq!(
        res.body["error"]["causes"][0]["message"],
        "product unavailable"
    );
    let movein = json!({"product_id": id, "quantity": 1, "from_warehouse_id": main_id(), "to_warehouse_id": other});
    let res = app
        .call(
            "POST",
            "/v1/stock-movements/movein",
            &app.staff,
            Some(movein),
        )
        .await;
    assert_eq!(res.status, 409);
    let moveout =
        json!({"zipcode": "10250", "note": "x", "items": [{"product_id": id, "quantity": 1}]});
    let res = app
        .call(
            "POST",
            "/v1/stock-movements/moveout",
            &app.manager,
            Some(moveout),
        )
        .await;
    assert_eq!(res.status, 409);
    assert_eq!(app.adjust(main_id(), id, 1).await.status, 409);
    assert_eq!(app.totals(id).await, (10, 0));

    let hidden = app
        .call(
            "GET",
            &format!("/v1/warehouse-products?product_id={id}"),
            &app.staff,
            None,
        )
        .await;
    assert_eq!(hidden.data(), &json!([]));
    let shown = app
        .call(
            "GET",
            &format!("/v1/warehouse-products?product_id={id}&include_deleted=true"),
            &app.manager,
            None,
        )
        .await;
    assert_eq!(shown.data().as_array().unwrap().len(), 1);
    assert!(shown.data()[0]["deleted_at"].is_string());
    let staff = app
        .call(
            "GET",
            "/v1/warehouse-products?include_deleted=true",
            &app.staff,
            None,
        )
        .await;
    assert_eq!(staff.status, 403);
}

#[tokio::test]
async fn a_late_create_of_a_deleted_product_creates_nothing_and_older_updates_are_ignored() {
    let app = App::spawn().await;
    let ghost = Uuid::now_v7();
    app.event(
        "product",
        "product.deleted",
        json!({"product_id": ghost, "version": 2, "deleted_at": "2026-01-02T00:00:00Z"}),
    )
    .await;
    let res = app
        .event(
            "product",
            "product.created",
            product_data(ghost, "Ghost", 1, 10),
        )
        .await;
    assert_eq!(res.status, 200);
    let live = app
        .count(&format!(
            "SELECT count(*) FROM products WHERE id = '{ghost}' AND deleted_at IS NULL"
        ))
        .await;
    assert_eq!(live, 0);
    assert_eq!(app.level(main_id(), ghost).await, None);
    assert!(app.outbox(ghost).await.is_empty());

    let id = app.product(4).await;
    app.event(
        "product",
        "product.updated",
        product_data(id, "Version three", 3, 0),
    )
    .await;
    app.event(
        "product",
        "product.updated",
        product_data(id, "Version two", 2, 0),
    )
    .await;
    let rows = app.stock_rows(id).await;
    assert_eq!(rows.data()[0]["product_name"], "Version three");
    assert_eq!(rows.data()[0]["product_quantity"], 4);
}

#[tokio::test]
async fn order_status_changes_release_commit_and_return_stock_once() {
    let app = App::spawn().await;
    let b = app.warehouse("Cirebon", "45111").await;
    let p = app.product(2).await;
    app.adjust(b, p, 2).await;
    let main = main_id();

    for status in ["EXPIRED", "CANCELLED", "REJECTED"] {
        let order = Uuid::now_v7();
        app.reserve(order, "10250", &[(p, 1)]).await;
        let res = app
            .event(
                "order",
                "order.status_changed",
                order_event(order, status, false),
            )
            .await;
        assert_eq!(res.data()["result"], "applied");
        assert_eq!(app.totals(p).await, (4, 0), "{status} releases");
    }
    let unknown = app
        .event(
            "order",
            "order.status_changed",
            order_event(Uuid::now_v7(), "CANCELLED", false),
        )
        .await;
    assert_eq!(unknown.status, 200);

    // PAYMENT_ACCEPTED commits over both warehouses; DELIVERED does nothing; redelivery changes nothing.
    let order = Uuid::now_v7();
    let res = app.reserve(order, "10250", &[(p, 3)]).await;
    assert_eq!(res.data()["allocations"].as_array().unwrap().len(), 2);
    let accepted = envelope(
        "order",
        "order.status_changed",
        order_event(order, "PAYMENT_ACCEPTED", false),
    );
    app.event_as(crate::support::ORDER_TOKEN, accepted.clone())
        .await;
    assert_eq!(app.totals(p).await, (1, 0));
    let again = app.event_as(crate::support::ORDER_TOKEN, accepted).await;
    assert_eq!(again.data()["result"], "duplicate");
    app.event(
        "order",
        "order.status_changed",
        order_event(order, "DELIVERED", false),
    )
    .await;
    app.event(
        "order",
        "order.status_changed",
        order_event(order, "CANCELLED", false),
    )
    .await;
    assert_eq!(
        app.totals(p).await,
        (1, 0),
        "a release after commit changes nothing"
    );
    let shipments = app
        .count(&format!(
            "SELECT count(*) FROM stock_movements WHERE order_id = '{order}' AND type = 'SHIPMENT'"
        ))
        .await;
    assert_eq!(shipments, 2);

    // CANCELLED with restock returns the goods to each source warehouse, once.
    let events_before = app.outbox(p).await.len();
    let cancel = envelope(
        "order",
        "order.status_changed",
        order_event(order, "CANCELLED", true),
    );
    app.event_as(crate::support::ORDER_TOKEN, cancel).await;
    assert_eq!(app.level(main, p).await, Some((2, 0)));
    assert_eq!(app.level(b, p).await, Some((2, 0)));
    assert_eq!(app.outbox(p).await.len(), events_before + 1);
    let returns = app
        .count(&format!("SELECT count(*) FROM stock_movements WHERE order_id = '{order}' AND type = 'ADJUSTMENT'"))
        .await;
    assert_eq!(returns, 2);
    let status: String = sqlx::query_scalar("SELECT status FROM reservations WHERE order_id = $1")
        .bind(order)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "RETURNED");
    app.event(
        "order",
        "order.status_changed",
        order_event(order, "FAILED", true),
    )
    .await;
    app.event(
        "order",
        "order.status_changed",
        order_event(order, "FAILED", false),
    )
    .await;
    assert_eq!(app.totals(p).await, (4, 0), "nothing more");
    app.assert_reserved_invariant().await;
}

#[tokio::test]
async fn malformed_events_are_refused_with_400_and_unknown_types_ignored() {
    let app = App::spawn().await;
    let res = app.event_as(PRODUCT_TOKEN, json!({"id": "nope"})).await;
    assert_eq!(res.status, 400);
    let res = app
        .event(
            "order",
            "order.status_changed",
            json!({"order_id": Uuid::now_v7(), "status": "LOST"}),
        )
        .await;
    assert_eq!(res.status, 400);
    let res = app
        .event(
            "product",
            "product.created",
            json!({"product_id": Uuid::now_v7(), "version": 1}),
        )
        .await;
    assert_eq!(res.status, 400);
    let res = app.event("product", "product.renamed", json!({})).await;
    assert_eq!(
        (res.status, res.data()["result"].clone()),
        (200, json!("ignored"))
    );
}
