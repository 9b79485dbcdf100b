//! Consuming `sale.created` and `sale.reversed` (api/sales-report.md §4, §6 checks 3–5, 8, 17, 20; issue 9
//! check 1): idempotent by event id and by (order, product, warehouse, kind), all or nothing.

use futures::future::join_all;
use serde_json::{json, Value};
use test_support::proxy::TcpProxy;
use uuid::Uuid;

use crate::support::{envelope, id, item, sale, App};

async fn rows_of(app: &App, order: &Value) -> Vec<Value> {
    let res = app.admin_get("/v1/sales?limit=1000").await;
    res.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["order_id"] == *order)
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_same_sale_created_delivered_three_times_gives_one_set_of_rows() {
    let app = App::spawn().await;
    let event = sale(
        "2025-06-01T10:00:00Z",
        vec![item(id(), id(), 2, 10.0), item(id(), id(), 1, 5.5)],
    );
    app.apply(&event, 2).await;
    for _ in 0..2 {
        let again = app.deliver(&event).await;
        assert_eq!(again.status, 200);
        assert_eq!(again.body["data"]["result"], "duplicate");
        assert_eq!(again.body["data"]["rows"], 0);
        assert_eq!(again.body["data"]["event_id"], event["id"]);
    }
    assert_eq!(app.row_count().await, 2);
    let metrics = app.send("GET", "/metrics", &[], None).await;
    let metrics = String::from_utf8_lossy(&metrics.bytes).to_string();
    assert!(
        metrics.contains("sales_events_total{result=\"duplicate\"}"),
        "{metrics}"
    );
    let revenue: rust_decimal::Decimal = sqlx::query_scalar("SELECT sum(revenue) FROM sales")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(revenue.to_string(), "25.50");
}

#[tokio::test]
async fn ten_concurrent_deliveries_of_one_event_store_its_rows_once() {
    let app = App::spawn().await;
    let event = sale(
        "2025-06-01T10:00:00Z",
        vec![item(id(), id(), 2, 10.0), item(id(), id(), 3, 1.0)],
    );
    let answers = join_all((0..10).map(|_| app.deliver(&event))).await;
    let mut applied = 0;
    for res in &answers {
        assert_eq!(res.status, 200, "{res:?}");
        if res.body["data"]["result"] == "applied" {
            applied += 1;
            assert_eq!(res.body["data"]["rows"], 2);
        } else {
            assert_eq!(res.body["data"]["result"], "duplicate");
        }
    }
    assert_eq!(applied, 1);
    assert_eq!(app.row_count().await, 2);
}

#[tokio::test]
async fn a_second_event_with_a_new_id_for_the_same_lines_inserts_no_row() {
    let app = App::spawn().await;
    let event = sale("2025-06-01T10:00:00Z", vec![item(id(), id(), 2, 10.0)]);
    app.apply(&event, 1).await;
    let mut again = event.clone();
    again["id"] = json!(Uuid::now_v7());
    app.apply(&again, 0).await;
    assert_eq!(app.row_count().await, 1);
}

#[tokio::test]
async fn rows_keep_the_acceptance_time_and_price_times_quantity_whatever_the_shipping() {
    let app = App::spawn().await;
    let accepted = sale("2025-02-03T04:05:06Z", vec![item(id(), id(), 3, 19.99)]);
    app.apply(&accepted, 1).await;
    let rows = rows_of(&app, &accepted["data"]["order_id"]).await;
    assert_eq!(rows[0]["created_at"], "2025-02-03T04:05:06Z");
    assert_eq!(rows[0]["revenue"], 59.97);
    assert_eq!(rows[0]["price"], 19.99);
    assert_eq!(rows[0]["product_quantity"], 3);
    let mut no_time = sale("2025-02-03T04:05:06Z", vec![item(id(), id(), 1, 1.0)]);
    no_time["data"]
        .as_object_mut()
        .unwrap()
        .remove("accepted_at");
    app.apply(&no_time, 1).await;
    let rows = rows_of(&app, &no_time["data"]["order_id"]).await;
    assert_eq!(rows[0]["created_at"], "2025-06-01T12:00:00Z", "occurred_at");
}

fn broken(mutate: impl Fn(&mut Value)) -> Value {
    let mut event = sale("2025-06-01T10:00:00Z", vec![item(id(), id(), 2, 10.0)]);
    mutate(&mut event["data"]);
    event
}

#[tokio::test]
async fn invalid_events_are_refused_with_400_and_leave_nothing_behind() {
    let app = App::spawn().await;
    let (p, w) = (id(), id());
    let cases = [
        broken(|d| d["items"] = json!([])),
        broken(|d| d["items"][0]["quantity"] = json!(0)),
        broken(|d| d["items"][0]["price"] = json!(-1)),
        broken(|d| d["items"][0]["price"] = json!(1.234)),
        broken(|d| {
            d["items"][0]
                .as_object_mut()
                .unwrap()
                .remove("warehouse_id");
        }),
        broken(|d| d["items"] = json!([item(p, w, 1, 1.0), item(p, w, 2, 1.0)])),
        broken(|d| d["order_id"] = json!("not-a-uuid")),
        broken(|d| d["items"][0]["quantity"] = json!("2")),
    ];
    for event in &cases {
        let res = app.deliver(event).await;
        assert_eq!(res.status, 400, "{event}: {res:?}");
        assert!(res.body["error"]["causes"].is_array(), "{res:?}");
        assert!(!app.processed(event["id"].as_str().unwrap()).await);
    }
    for raw in [&b"not json"[..], b"{\"id\": 1}", b""] {
        let res = app
            .post_raw(raw.to_vec(), Some(crate::support::ORDER_TOKEN))
            .await;
        assert_eq!(res.status, 400, "{res:?}");
    }
    assert_eq!(app.row_count().await, 0);
    // The producer parks the row; once fixed and redriven with the same id, it applies.
    let mut fixed = cases[1].clone();
    fixed["data"]["items"][0]["quantity"] = json!(4);
    app.apply(&fixed, 1).await;
}

#[tokio::test]
async fn a_reversal_nets_the_sale_out_once_and_is_ignored_without_a_sale() {
    let app = App::spawn().await;
    let event = sale(
        "2025-06-01T10:00:00Z",
        vec![item(id(), id(), 2, 10.0), item(id(), id(), 1, 100.5)],
    );
    app.apply(&event, 2).await;
    let order = event["data"]["order_id"].clone();
    let reversal = envelope(
        "sale.reversed",
        json!({"order_id": order, "user_id": id(), "reason": "cancelled", "reversed_at": "2025-06-02T09:00:00Z"}),
    );
    app.apply(&reversal, 2).await;
    let again = app.deliver(&reversal).await;
    assert_eq!(again.body["data"]["result"], "duplicate");
    let rows = rows_of(&app, &order).await;
    let reversals: Vec<&Value> = rows.iter().filter(|r| r["kind"] == "reversal").collect();
    assert_eq!(reversals.len(), 2);
    for r in &reversals {
        assert!(r["product_quantity"].as_i64().unwrap() < 0);
        assert!(r["revenue"].as_f64().unwrap() < 0.0);
        assert!(r["margin_total"].as_f64().unwrap() < 0.0);
        assert_eq!(r["created_at"], "2025-06-02T09:00:00Z");
    }
    let summary = app
        .admin_get("/v1/sales/summary?from=2025-06-01&to=2025-06-02")
        .await;
    let totals = &summary.body["data"]["totals"];
    assert_eq!(totals["revenue"], 0.0);
    assert_eq!(totals["quantity"], 0);
    assert_eq!(totals["margin"], 0.0);
    assert_eq!(totals["orders"], 1);
    assert_eq!(totals["reversals"], 1);
    assert_eq!(totals["margin_rate"], Value::Null);
    let orphan = envelope("sale.reversed", json!({"order_id": id()}));
    let res = app.deliver(&orphan).await;
    assert_eq!(res.body["data"]["result"], "ignored", "{res:?}");
    assert_eq!(app.row_count().await, 4);
}

#[tokio::test]
async fn with_the_database_cut_events_answer_503_and_apply_once_it_is_back() {
    let db = test_support::db::TestDatabase::postgres("sales_report_outage").await;
    let issuer = test_support::service::LocalIssuer::start().await;
    let proxy = TcpProxy::start("127.0.0.1:5432").await;
    let url = proxy.rewrite_url(&db.url, "127.0.0.1:5432");
    let server = sales_report::build(crate::support::config(&url, &issuer, Default::default()))
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run());
    test_support::service::wait_ready(&base).await;
    let http = reqwest::Client::new();
    let event = sale("2025-06-01T10:00:00Z", vec![item(id(), id(), 1, 10.0)]);
    let post = || {
        http.post(format!("{base}/internal/events"))
            .header("x-service-token", crate::support::ORDER_TOKEN)
            .json(&event)
            .send()
    };
    proxy.cut();
    assert_eq!(
        reqwest::get(format!("{base}/ready"))
            .await
            .unwrap()
            .status(),
        503
    );
    let down = post().await.unwrap();
    assert_eq!(down.status(), 503);
    let body: Value = down.json().await.unwrap();
    assert!(
        !body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1"),
        "{body}"
    );
    proxy.restore();
    test_support::service::wait_ready(&base).await;
    let up: Value = post().await.unwrap().json().await.unwrap();
    assert_eq!(up["data"]["result"], "applied", "{up}");
    assert_eq!(up["data"]["rows"], 1);
}
