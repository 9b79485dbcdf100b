//! Margins and the cost-price endpoints (api/sales-report.md §2.6, §3.1, §6 checks 6–7).

use rust_decimal::Decimal;
use sales_report::SalesSettings;
use serde_json::{json, Value};

use crate::support::{id, item, sale, App};

async fn only_row(app: &App, order: &Value) -> Value {
    let res = app.admin_get("/v1/sales?limit=1000").await;
    let rows: Vec<&Value> = res.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["order_id"] == *order)
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows[0].clone()
}

#[tokio::test]
async fn margins_come_from_the_default_rate_until_a_cost_is_recorded() {
    let app = App::spawn().await;
    let product = id();
    let first = sale("2025-06-01T10:00:00Z", vec![item(product, id(), 1, 100.5)]);
    app.apply(&first, 1).await;
    let row = only_row(&app, &first["data"]["order_id"]).await;
    assert_eq!(row["margin_per_product"], 15.08);
    assert_eq!(row["margin_source"], "default_rate");
    assert_eq!(row["cost_price"], Value::Null);

    let put = app
        .admin_json(
            "PUT",
            &format!("/v1/sales/cost-prices/{product}"),
            json!({"cost_price": 80}),
        )
        .await;
    assert_eq!(put.status, 200, "{put:?}");
    assert_eq!(put.body["message"], "success update");
    assert_eq!(put.body["data"]["cost_price"], 80.0);

    let second = sale("2025-06-02T10:00:00Z", vec![item(product, id(), 2, 100.0)]);
    app.apply(&second, 1).await;
    let row = only_row(&app, &second["data"]["order_id"]).await;
    assert_eq!(row["margin_per_product"], 20.0);
    assert_eq!(row["margin_total"], 40.0);
    assert_eq!(row["cost_price"], 80.0);
    assert_eq!(row["margin_source"], "cost_table");
    // The earlier row keeps the margin computed when it arrived.
    let earlier = only_row(&app, &first["data"]["order_id"]).await;
    assert_eq!(earlier["margin_per_product"], 15.08);
    let rate: Option<Decimal> =
        sqlx::query_scalar("SELECT margin_rate FROM sales WHERE margin_source = 'default_rate'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(rate.unwrap().to_string(), "0.1500");

    // A cost above the price gives a negative margin, accepted.
    app.admin_json(
        "PUT",
        &format!("/v1/sales/cost-prices/{product}"),
        json!({"cost_price": 120.25}),
    )
    .await;
    let third = sale("2025-06-03T10:00:00Z", vec![item(product, id(), 1, 100.0)]);
    app.apply(&third, 1).await;
    assert_eq!(
        only_row(&app, &third["data"]["order_id"]).await["margin_per_product"],
        -20.25
    );
}

#[tokio::test]
async fn a_cost_price_carried_by_the_event_is_ignored_and_the_rate_is_configurable() {
    let app = App::spawn_with(SalesSettings {
        default_margin_rate: "0.2".parse().unwrap(),
        ..SalesSettings::default()
    })
    .await;
    let mut line = item(id(), id(), 1, 100.5);
    line["cost_price"] = json!(1);
    let event = sale("2025-06-01T10:00:00Z", vec![line]);
    app.apply(&event, 1).await;
    let row = only_row(&app, &event["data"]["order_id"]).await;
    assert_eq!(row["margin_per_product"], 20.1);
    assert_eq!(row["margin_source"], "default_rate");
}

#[tokio::test]
async fn cost_prices_are_upserted_validated_listed_and_deleted() {
    let app = App::spawn().await;
    let product = id();
    let path = format!("/v1/sales/cost-prices/{product}");
    app.admin_json("PUT", &path, json!({"cost_price": 10}))
        .await;
    let second = app
        .admin_json("PUT", &path, json!({"cost_price": 12.5}))
        .await;
    assert_eq!(second.status, 200);
    let list = app.admin_get("/v1/sales/cost-prices").await;
    let entries = list.body["data"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["product_id"], product.to_string());
    assert_eq!(entries[0]["cost_price"], 12.5);
    assert!(entries[0]["updated_by"].is_string());
    for bad in [
        json!({"cost_price": -1}),
        json!({"cost_price": 1.234}),
        json!({"cost_price": "80"}),
        json!({}),
    ] {
        let res = app.admin_json("PUT", &path, bad.clone()).await;
        assert_eq!(res.status, 400, "{bad}: {res:?}");
        assert_eq!(res.body["error"]["causes"][0]["field"], "cost_price");
    }
    let res = app
        .admin_json("PUT", "/v1/sales/cost-prices/abc", json!({"cost_price": 1}))
        .await;
    assert_eq!(res.status, 400);
    let gone = app.admin_json("DELETE", &path, json!(null)).await;
    assert_eq!(gone.status, 200);
    assert_eq!(gone.body["message"], "success delete");
    assert_eq!(gone.body["data"], Value::Null);
    assert_eq!(
        app.admin_json("DELETE", &path, json!(null)).await.status,
        404
    );
    assert_eq!(
        app.admin_get("/v1/sales/cost-prices").await.body["data"],
        json!([])
    );
}
