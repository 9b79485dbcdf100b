//! Transfers, manual shipments and adjustments (issue 5 check 4; api/warehouse.md §7 checks 16–18).

use futures::future::join_all;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{id_of, main_id, App};

fn movein(product: Uuid, quantity: Value, from: Uuid, to: Uuid) -> Value {
    json!({"product_id": product, "product_name": "ignored", "quantity": quantity,
        "from_warehouse_id": from, "to_warehouse_id": to})
}

#[tokio::test]
async fn a_transfer_of_more_than_is_available_is_refused_and_moves_nothing() {
    let app = App::spawn().await;
    let b = app.warehouse("Malang", "65111").await;
    let p = app.product(5).await;
    let movements = app.count("SELECT count(*) FROM stock_movements").await;
    let outbox = app.count("SELECT count(*) FROM outbox").await;
    let res = app
        .call(
            "POST",
            "/v1/stock-movements/movein",
            &app.staff,
            Some(movein(p, json!(6), main_id(), b)),
        )
        .await;
    assert_eq!(res.status, 409);
    let cause = &res.body["error"]["causes"][0];
    assert_eq!(
        (cause["field"].clone(), cause["available"].clone()),
        (json!("quantity"), json!(5))
    );
    assert_eq!(app.level(main_id(), p).await, Some((5, 0)));
    assert_eq!(app.level(b, p).await, None);
    assert_eq!(
        app.count("SELECT count(*) FROM stock_movements").await,
        movements
    );
    assert_eq!(app.count("SELECT count(*) FROM outbox").await, outbox);

    let res = app
        .call(
            "POST",
            "/v1/stock-movements/movein",
            &app.staff,
            Some(movein(p, json!(5), main_id(), b)),
        )
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    assert_eq!(res.data()["type"], "TRANSFER");
    assert_eq!(res.data()["product_name"], "Widget");
    assert_eq!(res.data()["to_user_id"], Uuid::nil().to_string());
    assert_eq!(app.level(main_id(), p).await, Some((0, 0)));
    assert_eq!(app.level(b, p).await, Some((5, 0)));
}

#[tokio::test]
async fn a_blank_optional_note_is_taken_as_no_note() {
    let app = App::spawn().await;
    let b = app.warehouse("Kediri", "64111").await;
    let p = app.product(3).await;
    let mut body = movein(p, json!(1), main_id(), b);
    body["note"] = json!("  ");
    let res = app
        .call("POST", "/v1/stock-movements/movein", &app.staff, Some(body))
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    assert_eq!(res.data()["note"], Value::Null);
    assert_eq!(app.level(b, p).await, Some((1, 0)));
}

#[tokio::test]
async fn transfer_input_is_checked_before_anything_moves() {
    let app = App::spawn().await;
    let b = app.warehouse("Kediri", "64111").await;
    let p = app.product(5).await;
    for quantity in [
        json!(0),
        json!(-5),
        json!("5"),
        json!(1.5),
        json!(1u64 << 40),
    ] {
        let res = app
            .call(
                "POST",
                "/v1/stock-movements/movein",
                &app.staff,
                Some(movein(p, quantity.clone(), main_id(), b)),
            )
            .await;
        assert_eq!(res.status, 400, "quantity {quantity}");
    }
    let same = app
        .call(
            "POST",
            "/v1/stock-movements/movein",
            &app.staff,
            Some(movein(p, json!(1), b, b)),
        )
        .await;
    assert_eq!(same.status, 400);
    let missing = json!({"product_id": p, "quantity": 1, "from_warehouse_id": main_id()});
    let res = app
        .call(
            "POST",
            "/v1/stock-movements/movein",
            &app.staff,
            Some(missing),
        )
        .await;
    assert_eq!(res.status, 400);
    assert!(res.body["error"]["causes"]
        .to_string()
        .contains("to_warehouse_id"));
    let unknown = app
        .call(
            "POST",
            "/v1/stock-movements/movein",
            &app.staff,
            Some(movein(p, json!(1), main_id(), Uuid::now_v7())),
        )
        .await;
    assert_eq!(unknown.status, 404);
    let bad_json = app
        .http
        .post(format!("{}/v1/stock-movements/movein", app.base))
        .bearer_auth(&app.staff)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status().as_u16(), 400);
    assert_eq!(app.level(main_id(), p).await, Some((5, 0)));
}

#[tokio::test]
async fn concurrent_first_transfers_into_an_empty_warehouse_make_one_row() {
    let app = App::spawn().await;
    let empty = app.warehouse("Kosong", "30111").await;
    let p = app.product(100).await;
    let calls = (1..=10).map(|q| {
        let app = &app;
        async move {
            app.call(
                "POST",
                "/v1/stock-movements/movein",
                &app.staff,
                Some(movein(p, json!(q), main_id(), empty)),
            )
            .await
        }
    });
    for res in join_all(calls).await {
        assert_eq!(res.status, 201, "{:?}", res.body);
    }
    assert_eq!(app.level(empty, p).await, Some((55, 0)));
    assert_eq!(app.totals(p).await, (100, 0));
}

#[tokio::test]
async fn a_manual_shipment_takes_the_old_shape_and_records_the_note() {
    let app = App::spawn().await;
    let p = app.product(10).await;
    let recipient = Uuid::now_v7();
    let body = json!({"zipcode": "10250", "note": "replacement for a broken unit", "user_id": recipient,
        "items": [{"product_id": p, "quantity": 2, "product_name": "", "price": 0}]});
    let res = app
        .call(
            "POST",
            "/v1/stock-movements/moveout",
            &app.manager,
            Some(body),
        )
        .await;
    assert_eq!(res.status, 201, "{:?}", res.body);
    let written = res.data().as_array().unwrap();
    assert_eq!(written.len(), 1);
    assert_ne!(written[0]["id"], Uuid::nil().to_string());
    assert_eq!(written[0]["note"], "replacement for a broken unit");
    assert_eq!(id_of(&written[0]["to_user_id"]), recipient);
    assert_eq!(app.totals(p).await, (8, 0));

    let body =
        json!({"zipcode": "10250", "note": "samples", "items": [{"product_id": p, "quantity": 1}]});
    let res = app
        .call(
            "POST",
            "/v1/stock-movements/moveout",
            &app.manager,
            Some(body.clone()),
        )
        .await;
    assert_eq!(id_of(&res.data()[0]["to_user_id"]), app.manager_id);
    assert_eq!(
        app.call(
            "POST",
            "/v1/stock-movements/moveout",
            &app.staff,
            Some(body)
        )
        .await
        .status,
        403
    );

    let no_note = json!({"zipcode": "10250", "items": [{"product_id": p, "quantity": 1}]});
    assert_eq!(
        app.call(
            "POST",
            "/v1/stock-movements/moveout",
            &app.manager,
            Some(no_note)
        )
        .await
        .status,
        400
    );
    let no_items = json!({"zipcode": "10250", "note": "x", "items": []});
    assert_eq!(
        app.call(
            "POST",
            "/v1/stock-movements/moveout",
            &app.manager,
            Some(no_items)
        )
        .await
        .status,
        400
    );
    let short =
        json!({"zipcode": "10250", "note": "x", "items": [{"product_id": p, "quantity": 8}]});
    assert_eq!(
        app.call(
            "POST",
            "/v1/stock-movements/moveout",
            &app.manager,
            Some(short)
        )
        .await
        .status,
        409
    );
    assert_eq!(app.totals(p).await, (7, 0));
}

#[tokio::test]
async fn an_adjustment_creates_a_row_and_a_write_off_needs_the_units() {
    let app = App::spawn().await;
    let b = app.warehouse("Jember", "68111").await;
    let p = app.product(0).await;
    let res = app.adjust(b, p, 5).await;
    assert_eq!(res.status, 201);
    assert_eq!(res.data()["type"], "ADJUSTMENT");
    assert_eq!(id_of(&res.data()["to_warehouse_id"]), b);
    assert_eq!(app.level(b, p).await, Some((5, 0)));
    assert_eq!(app.adjust(b, p, -6).await.status, 409);
    assert_eq!(app.adjust(b, p, 0).await.status, 400);
    let res = app.adjust(b, p, -5).await;
    assert_eq!(id_of(&res.data()["from_warehouse_id"]), b);
    assert_eq!(app.level(b, p).await, Some((0, 0)));
    let no_note = json!({"warehouse_id": b, "product_id": p, "delta": 1});
    assert_eq!(
        app.call(
            "POST",
            "/v1/stock-movements/adjust",
            &app.manager,
            Some(no_note)
        )
        .await
        .status,
        400
    );
    assert_eq!(app.adjust(Uuid::now_v7(), p, 1).await.status, 404);
    assert_eq!(app.adjust(b, Uuid::now_v7(), 1).await.status, 404);
    let versions: Vec<i64> = app
        .outbox(p)
        .await
        .iter()
        .map(|e| e["data"]["stock_version"].as_i64().unwrap())
        .collect();
    assert_eq!(
        versions,
        vec![1, 2, 3],
        "INITIAL, +5, -5; the refused ones write none"
    );
}
