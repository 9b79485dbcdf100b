//! Alerts, movement filters and compat lists (api/warehouse.md §7 checks 20, 21, 24).

use serde_json::json;
use uuid::Uuid;

use crate::support::{main_id, App};

#[tokio::test]
async fn low_stock_alerts_use_the_row_threshold_the_query_or_the_default() {
    let app = App::spawn().await;
    let nine = app.product(9).await;
    let ten = app.product(10).await;
    let five = app.product(5).await;
    let res = app.call("GET", "/v1/stock-alerts", &app.staff, None).await;
    assert_eq!(res.status, 200);
    let listed: Vec<String> = res
        .data()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["product_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        listed,
        vec![five.to_string(), nine.to_string()],
        "sorted by available; 10 is not under 10"
    );
    assert_eq!(res.body["count"], 2);
    assert!(!listed.contains(&ten.to_string()));

    let row: Uuid = sqlx::query_scalar("SELECT id FROM warehouse_products WHERE product_id = $1")
        .bind(five)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let res = app
        .call(
            "PATCH",
            &format!("/v1/warehouse-products/{row}"),
            &app.manager,
            Some(json!({"low_stock_threshold": 3})),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        (
            res.data()["low_stock_threshold"].clone(),
            res.data()["low_stock"].clone()
        ),
        (json!(3), json!(false))
    );
    let res = app.call("GET", "/v1/stock-alerts", &app.staff, None).await;
    assert_eq!(res.body["count"], 1);
    let res = app
        .call("GET", "/v1/stock-alerts?threshold=6", &app.staff, None)
        .await;
    assert_eq!(res.body["count"], 1);
    assert_eq!(res.data()[0]["product_id"], five.to_string());
    let res = app
        .call(
            "GET",
            "/v1/stock-alerts?limit=1&skip=0&threshold=100",
            &app.staff,
            None,
        )
        .await;
    assert_eq!(
        (
            res.body["count"].clone(),
            res.data().as_array().unwrap().len()
        ),
        (json!(3), 1)
    );
    let res = app
        .call(
            "PATCH",
            &format!("/v1/warehouse-products/{}", Uuid::now_v7()),
            &app.manager,
            Some(json!({"low_stock_threshold": null})),
        )
        .await;
    assert_eq!(res.status, 404);
}

#[tokio::test]
async fn movement_filters_narrow_the_history_newest_first() {
    let app = App::spawn().await;
    let empty = app
        .call("GET", "/v1/stock-movements", &app.staff, None)
        .await;
    assert_eq!(empty.data(), &json!(null), "compat: null when empty");
    let empty_rows = app
        .call("GET", "/v1/warehouse-products", &app.staff, None)
        .await;
    assert_eq!(empty_rows.data(), &json!(null));

    let b = app.warehouse("Palu", "94111").await;
    let p = app.product(10).await;
    let q = app.product(10).await;
    let t0 = chrono::Utc::now();
    let transfer = json!({"product_id": p, "quantity": 2, "from_warehouse_id": main_id(), "to_warehouse_id": b});
    app.call(
        "POST",
        "/v1/stock-movements/movein",
        &app.staff,
        Some(transfer),
    )
    .await;
    let order = Uuid::now_v7();
    app.reserve(order, "10250", &[(q, 1)]).await;
    app.order_call(
        "POST",
        &format!("/internal/reservations/{order}/commit"),
        None,
    )
    .await;
    let user: Uuid = sqlx::query_scalar("SELECT user_id FROM reservations WHERE order_id = $1")
        .bind(order)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let all = app
        .call("GET", "/v1/stock-movements", &app.staff, None)
        .await;
    let rows = all.data().as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["type"], "SHIPMENT", "newest first");
    let count = |path: String| {
        let app = &app;
        async move {
            let res = app.call("GET", &path, &app.staff, None).await;
            assert_eq!(res.status, 200, "{path}: {:?}", res.body);
            res.body["count"].as_i64().unwrap()
        }
    };
    assert_eq!(
        count(format!("/v1/stock-movements?product_id={p}")).await,
        2
    );
    assert_eq!(
        count(format!("/v1/stock-movements?warehouse_id={b}")).await,
        1
    );
    assert_eq!(
        count(format!("/v1/stock-movements?warehouse_id={}", main_id())).await,
        4
    );
    assert_eq!(count("/v1/stock-movements?type=INITIAL".into()).await, 2);
    assert_eq!(
        count(format!("/v1/stock-movements?order_id={order}")).await,
        1
    );
    assert_eq!(
        count(format!("/v1/stock-movements?user_id={user}")).await,
        1
    );
    let since = t0.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    assert_eq!(count(format!("/v1/stock-movements?since={since}")).await, 2);
    assert_eq!(count(format!("/v1/stock-movements?until={since}")).await, 2);
    for bad in [
        "limit=501",
        "type=LOST",
        "since=yesterday",
        "skip=-1",
        "product_id=x",
    ] {
        let res = app
            .call(
                "GET",
                &format!("/v1/stock-movements?{bad}"),
                &app.staff,
                None,
            )
            .await;
        assert_eq!(res.status, 400, "{bad}");
    }
    let compat = app
        .call(
            "GET",
            &format!("/v1/stock-movements/destination/{b}"),
            &app.staff,
            None,
        )
        .await;
    assert_eq!(compat.data().as_array().unwrap().len(), 1);
    let none = app
        .call(
            "GET",
            &format!("/v1/stock-movements/source/{b}"),
            &app.staff,
            None,
        )
        .await;
    assert_eq!(none.data(), &json!(null));
    let rows = app
        .call("GET", "/v1/warehouse-products", &app.staff, None)
        .await;
    assert_eq!(rows.data().as_array().unwrap().len(), 3);
    let searched = app
        .call("GET", "/v1/warehouse-products?q=widg", &app.staff, None)
        .await;
    assert_eq!(searched.body["count"], 3);
}

#[tokio::test]
async fn reservations_are_listed_for_managers_newest_first() {
    let app = App::spawn().await;
    let p = app.product(10).await;
    let first = Uuid::now_v7();
    let second = Uuid::now_v7();
    app.reserve(first, "10250", &[(p, 1)]).await;
    app.reserve(second, "10250", &[(p, 2)]).await;
    app.order_call(
        "POST",
        &format!("/internal/reservations/{first}/release"),
        None,
    )
    .await;
    let res = app
        .call("GET", "/v1/reservations", &app.manager, None)
        .await;
    assert_eq!(res.body["count"], 2);
    assert_eq!(res.data()[0]["order_id"], second.to_string());
    let res = app
        .call(
            "GET",
            "/v1/reservations?status=RELEASED",
            &app.manager,
            None,
        )
        .await;
    assert_eq!(res.body["count"], 1);
    assert_eq!(
        app.call("GET", "/v1/reservations?status=GONE", &app.manager, None)
            .await
            .status,
        400
    );
    let one = app
        .call(
            "GET",
            &format!("/v1/reservations/{second}"),
            &app.manager,
            None,
        )
        .await;
    assert_eq!(
        one.data()["items"],
        json!([{"product_id": p, "quantity": 2}])
    );
    let release = app
        .call(
            "POST",
            &format!("/v1/reservations/{second}/release"),
            &app.admin,
            None,
        )
        .await;
    assert_eq!(release.data()["status"], "RELEASED");
    assert_eq!(app.totals(p).await, (10, 0));
}
