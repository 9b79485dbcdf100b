//! The summary (api/sales-report.md §2.4, §6 checks 12 and 20; issue 9 check 2): totals and gap-filled
//! buckets equal a plain recomputation over the listed rows, in exact decimals, for several filters.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use sales_report::SalesSettings;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{envelope, id, item, sale, App};

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(&v.to_string()).unwrap_or_else(|_| panic!("not a decimal: {v}"))
}

struct Seeded {
    products: [Uuid; 3],
    warehouses: [Uuid; 2],
}

/// ~45 orders from 2025-01-25 to 2025-03-05 with varied lines, one recorded cost and one reversal.
async fn seed(app: &App) -> Seeded {
    let products = [id(), id(), id()];
    let warehouses = [id(), id()];
    app.admin_json(
        "PUT",
        &format!("/v1/sales/cost-prices/{}", products[0]),
        json!({"cost_price": 7.33}),
    )
    .await;
    let start: DateTime<Utc> = "2025-01-25T00:00:00Z".parse().unwrap();
    let mut seed: u64 = 42;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut first_order = None;
    for k in 0..45i64 {
        let at = start + Duration::minutes(k * 1301 + next(600) as i64);
        let lines = 1 + next(3) as usize;
        let mut items = Vec::new();
        for product in products.iter().take(lines) {
            let price = (next(20000) + 1) as f64 / 100.0;
            items.push(item(
                *product,
                warehouses[next(2) as usize],
                1 + next(5) as i64,
                price,
            ));
        }
        let n = items.len() as u64;
        let event = sale(&at.to_rfc3339(), items);
        first_order.get_or_insert(event["data"]["order_id"].clone());
        app.apply(&event, n).await;
    }
    let reversal = envelope(
        "sale.reversed",
        json!({"order_id": first_order.unwrap(), "reversed_at": "2025-02-10T08:00:00Z"}),
    );
    let res = app.deliver(&reversal).await;
    assert_eq!(res.body["data"]["result"], "applied");
    Seeded {
        products,
        warehouses,
    }
}

fn label(at: DateTime<Utc>, interval: &str, tz: Tz) -> String {
    let date = at.with_timezone(&tz).date_naive();
    match interval {
        "week" => (date - Duration::days(date.weekday().num_days_from_monday() as i64)).to_string(),
        "month" => date.format("%Y-%m").to_string(),
        _ => date.to_string(),
    }
}

#[derive(Default, Debug, PartialEq)]
struct Sums {
    revenue: Decimal,
    quantity: i64,
    margin: Decimal,
    orders: std::collections::BTreeSet<String>,
    reversals: std::collections::BTreeSet<String>,
}

impl Sums {
    fn add(&mut self, row: &Value) {
        let q = row["product_quantity"].as_i64().unwrap();
        self.revenue += dec(&row["price"]) * Decimal::from(q);
        self.margin += dec(&row["margin_per_product"]) * Decimal::from(q);
        self.quantity += q;
        let order = row["order_id"].as_str().unwrap().to_string();
        if row["kind"] == "sale" {
            self.orders.insert(order);
        } else {
            self.reversals.insert(order);
        }
    }

    fn assert_matches(&self, got: &Value, what: &str) {
        assert_eq!(dec(&got["revenue"]), self.revenue, "{what} revenue");
        assert_eq!(dec(&got["margin"]), self.margin, "{what} margin");
        assert_eq!(
            got["quantity"].as_i64().unwrap(),
            self.quantity,
            "{what} quantity"
        );
        assert_eq!(
            got["orders"].as_i64().unwrap(),
            self.orders.len() as i64,
            "{what} orders"
        );
        assert_eq!(
            got["reversals"].as_i64().unwrap(),
            self.reversals.len() as i64,
            "{what} reversals"
        );
    }
}

/// Reads the list and the summary with `query` and checks one against the other.
async fn check(app: &App, query: &str, interval: &str, tz: Tz) -> Value {
    let rows = app
        .admin_get(&format!("/v1/sales?limit=1000&{query}"))
        .await
        .body["data"]
        .as_array()
        .unwrap()
        .clone();
    let summary = app
        .admin_get(&format!("/v1/sales/summary?interval={interval}&{query}"))
        .await
        .body["data"]
        .clone();
    let mut totals = Sums::default();
    let mut by_label: BTreeMap<String, Sums> = BTreeMap::new();
    for row in &rows {
        totals.add(row);
        let at: DateTime<Utc> = row["created_at"].as_str().unwrap().parse().unwrap();
        by_label
            .entry(label(at, interval, tz))
            .or_default()
            .add(row);
    }
    totals.assert_matches(&summary["totals"], query);
    assert_eq!(
        summary["totals"]["lines"].as_u64().unwrap() as usize,
        rows.len(),
        "{query}"
    );
    let expected_rate = (!totals.revenue.is_zero()).then(|| {
        (totals.margin / totals.revenue)
            .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    });
    assert_eq!(
        summary["totals"]["margin_rate"]
            .as_f64()
            .map(|r| dec(&json!(r))),
        expected_rate,
        "{query}"
    );
    // Buckets: consecutive, oldest first, each equal to its rows, zeros elsewhere.
    let buckets = summary["buckets"].as_array().unwrap();
    let labels: Vec<String> = buckets
        .iter()
        .map(|b| b["label"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = labels.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        labels, sorted,
        "{query}: buckets are oldest first and distinct"
    );
    for b in buckets {
        let l = b["label"].as_str().unwrap();
        let empty = Sums::default();
        by_label
            .get(l)
            .unwrap_or(&empty)
            .assert_matches(b, &format!("{query} bucket {l}"));
        let start: DateTime<Utc> = b["start"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            label(start, interval, tz),
            l,
            "{query}: start is in its bucket"
        );
        assert_eq!(
            start.with_timezone(&tz).format("%H:%M").to_string(),
            "00:00",
            "{query}: local midnight"
        );
    }
    for l in by_label.keys() {
        assert!(labels.contains(l), "{query}: rows of {l} have a bucket");
    }
    summary
}

#[tokio::test]
async fn summary_numbers_equal_a_recomputation_over_the_rows_for_several_filters() {
    let app = App::spawn().await;
    let s = seed(&app).await;
    let (p, w) = (s.products, s.warehouses);
    let utc = Tz::UTC;
    let jakarta: Tz = "Asia/Jakarta".parse().unwrap();
    let whole = check(&app, "from=2025-01-25&to=2025-03-05", "day", utc).await;
    assert_eq!(
        whole["buckets"].as_array().unwrap().len(),
        40,
        "gap-filled days"
    );
    assert_eq!(whole["totals"]["reversals"], 1);
    assert!(whole["totals"]["lines"].as_i64().unwrap() > 45);
    let weeks = check(&app, "from=2025-01-25&to=2025-03-05", "week", utc).await;
    for b in weeks["buckets"].as_array().unwrap() {
        let d = NaiveDate::parse_from_str(b["label"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        assert_eq!(d.weekday(), chrono::Weekday::Mon);
    }
    let months = check(
        &app,
        "from=2025-01-25&to=2025-03-05&tz=Asia/Jakarta",
        "month",
        jakarta,
    )
    .await;
    let labels: Vec<&str> = months["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2025-01", "2025-02", "2025-03"]);
    check(
        &app,
        &format!("product_id={}&from=2025-01-30&to=2025-02-02", p[0]),
        "day",
        utc,
    )
    .await;
    check(
        &app,
        &format!(
            "product_id={}&warehouse_id={}&from=2025-01-31T12:00:00Z&to=2025-03-01T11:59:59Z",
            p[1], w[1]
        ),
        "week",
        utc,
    )
    .await;
    check(
        &app,
        &format!(
            "warehouse_id={}&from=2025-02-27&to=2025-03-02&tz=Asia/Jakarta",
            w[0]
        ),
        "day",
        jakarta,
    )
    .await;
    check(&app, &format!("product_id={}", p[2]), "month", utc).await;
    check(&app, "", "week", utc).await;
    let empty = check(&app, "from=2024-12-30&to=2025-01-01", "day", utc).await;
    assert_eq!(empty["buckets"].as_array().unwrap().len(), 3);
    assert_eq!(empty["totals"]["margin_rate"], Value::Null);
    assert_eq!(empty["totals"]["revenue"], 0.0);
    let unknown = check(&app, &format!("product_id={}", id()), "day", utc).await;
    assert_eq!(unknown["from"], Value::Null);
    assert_eq!(unknown["buckets"], json!([]));
    assert_eq!(unknown["totals"]["lines"], 0);
}

#[tokio::test]
async fn too_many_buckets_are_refused_with_422() {
    let app = App::spawn_with(SalesSettings {
        max_buckets: 31,
        ..SalesSettings::default()
    })
    .await;
    let ok = app
        .admin_get("/v1/sales/summary?from=2025-01-01&to=2025-01-31")
        .await;
    assert_eq!(ok.body["data"]["buckets"].as_array().unwrap().len(), 31);
    let res = app
        .get_as(
            "/v1/sales/summary?from=2025-01-01&to=2025-02-01",
            &app.admin,
        )
        .await;
    assert_eq!(res.status, 422, "{res:?}");
    let months = app
        .admin_get("/v1/sales/summary?from=2020-01-01&to=2022-01-01&interval=month")
        .await;
    assert_eq!(months.body["data"]["buckets"].as_array().unwrap().len(), 25);
    let bad = app
        .get_as("/v1/sales/summary?interval=year", &app.admin)
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn daily_buckets_across_a_dst_change_start_at_local_midnight() {
    let app = App::spawn().await;
    app.apply(
        &sale("2025-03-30T21:30:00Z", vec![item(id(), id(), 1, 10.0)]),
        1,
    )
    .await;
    let res = app
        .admin_get("/v1/sales/summary?from=2025-03-29&to=2025-03-31&tz=Europe/Berlin")
        .await;
    let data = &res.body["data"];
    let starts: Vec<&str> = data["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2025-03-28T23:00:00Z",
            "2025-03-29T23:00:00Z",
            "2025-03-30T22:00:00Z"
        ]
    );
    assert_eq!(data["buckets"][2]["revenue"], 0.0);
    assert_eq!(
        data["buckets"][1]["revenue"], 10.0,
        "23:30 local on the 30th"
    );
    assert_eq!(data["from"], "2025-03-28T23:00:00Z");
    assert_eq!(data["tz"], "Europe/Berlin");
    assert_eq!(data["interval"], "day");
}

/// A `sale.created` of `order` (a new event id each time) accepted at `accepted_at`.
fn order_event(order: Uuid, accepted_at: &str, items: Vec<Value>) -> Value {
    envelope(
        "sale.created",
        json!({
            "order_id": order, "user_id": Uuid::nil(), "accepted_at": accepted_at, "items": items,
        }),
    )
}

async fn totals_of(app: &App, query: &str) -> Value {
    app.admin_get(&format!("/v1/sales/summary?{query}"))
        .await
        .body["data"]
        .clone()
}

#[tokio::test]
async fn a_second_event_adding_lines_to_a_counted_order_counts_the_order_once() {
    let app = App::spawn().await;
    let (order, other) = (id(), id());
    let (a, b, c) = (id(), id(), id());
    let (w1, w2) = (id(), id());
    app.apply(
        &order_event(order, "2025-04-10T10:15:00Z", vec![item(a, w1, 2, 10.0)]),
        1,
    )
    .await;
    // A second event for the order at the same time: one line already there, two new ones.
    let second = vec![
        item(a, w1, 2, 10.0),
        item(b, w1, 1, 5.25),
        item(a, w2, 1, 10.0),
    ];
    app.apply(&order_event(order, "2025-04-10T10:15:00Z", second), 2)
        .await;
    // A third one four hours later, and another order whose two events straddle midnight.
    app.apply(
        &order_event(order, "2025-04-10T14:40:00Z", vec![item(c, w2, 3, 1.1)]),
        1,
    )
    .await;
    app.apply(
        &order_event(other, "2025-04-11T23:30:00Z", vec![item(a, w1, 1, 2.0)]),
        1,
    )
    .await;
    app.apply(
        &order_event(other, "2025-04-12T00:30:00Z", vec![item(b, w1, 1, 3.0)]),
        1,
    )
    .await;

    let day = "from=2025-04-10&to=2025-04-10";
    let all = totals_of(&app, day).await;
    assert_eq!(all["totals"]["orders"], 1, "{all}");
    assert_eq!(all["totals"]["lines"], 4);
    assert_eq!(all["totals"]["quantity"], 7);
    assert_eq!(dec(&all["totals"]["revenue"]), Decimal::new(3855, 2));
    assert_eq!(all["buckets"][0]["orders"], 1);
    for filter in [
        format!("product_id={a}"),
        format!("warehouse_id={w1}"),
        format!("warehouse_id={w2}"),
        format!("product_id={a}&warehouse_id={w2}"),
    ] {
        let one = totals_of(&app, &format!("{day}&{filter}")).await;
        assert_eq!(one["totals"]["orders"], 1, "{filter}: {one}");
    }
    for range in [
        "from=2025-04-10T12:00:00Z&to=2025-04-10T23:59:59Z",
        "from=2025-04-10T10:30:00Z&to=2025-04-10T14:40:00Z",
    ] {
        let later = totals_of(&app, range).await;
        assert_eq!(later["totals"]["orders"], 1, "{range}: {later}");
        assert_eq!(later["totals"]["lines"], 1, "{range}");
    }
    // The same through every row (a half-hour zone) and through the rollup.
    for tz in ["Asia/Kolkata", "UTC"] {
        for interval in ["day", "week", "month"] {
            let query = format!("from=2025-04-09&to=2025-04-13&tz={tz}&interval={interval}");
            let both = totals_of(&app, &query).await;
            assert_eq!(both["totals"]["orders"], 2, "{query}: {both}");
            assert_eq!(both["totals"]["lines"], 6, "{query}");
        }
    }
    let days = totals_of(&app, "from=2025-04-11&to=2025-04-12").await;
    let per_day: Vec<&Value> = days["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["orders"])
        .collect();
    assert_eq!(per_day, [1, 1], "the order lies in both days");
    assert_eq!(days["totals"]["orders"], 1, "but it is one order");
    // Counted once in its first hour, whatever the second event added there.
    let first_hour: i64 = sqlx::query_scalar(
        "SELECT orders FROM sales_hourly WHERE level = 3 AND hour = '2025-04-10T10:00:00Z'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(first_hour, 1);
}

#[tokio::test]
async fn a_reversal_nets_the_sale_out_through_the_rollup() {
    let app = App::spawn().await;
    let (order, p) = (id(), id());
    let items = vec![item(p, id(), 2, 19.99), item(id(), id(), 1, 100.5)];
    app.apply(&order_event(order, "2025-05-05T09:10:00Z", items), 2)
        .await;
    let reversal = envelope(
        "sale.reversed",
        json!({"order_id": order, "reversed_at": "2025-05-05T13:00:00Z"}),
    );
    app.apply(&reversal, 2).await;

    // Whole hours only: every figure comes from `sales_hourly`.
    for filter in ["", &format!("&product_id={p}")] {
        let query = format!("from=2025-05-05T00:00:00Z&to=2025-05-05T23:59:59.999999Z{filter}");
        let data = totals_of(&app, &query).await;
        for figures in [&data["totals"], &data["buckets"][0]] {
            assert_eq!(
                dec(&figures["revenue"]),
                Decimal::ZERO,
                "{query}: {figures}"
            );
            assert_eq!(figures["quantity"], 0);
            assert_eq!(dec(&figures["margin"]), Decimal::ZERO);
            assert_eq!(figures["orders"], 1);
            assert_eq!(figures["reversals"], 1);
        }
        assert_eq!(data["totals"]["margin_rate"], Value::Null);
    }
    let hours: Vec<(DateTime<Utc>, Decimal, i64, i64, i64)> = sqlx::query_as(
        "SELECT hour, revenue, orders, reversals, lines FROM sales_hourly WHERE level = 3 ORDER BY hour",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let expected_revenue = Decimal::new(14048, 2);
    assert_eq!(
        hours,
        [
            (
                "2025-05-05T09:00:00Z".parse().unwrap(),
                expected_revenue,
                1,
                0,
                2
            ),
            (
                "2025-05-05T13:00:00Z".parse().unwrap(),
                -expected_revenue,
                0,
                1,
                2
            ),
        ]
    );
}

#[tokio::test]
async fn concurrent_events_naming_the_same_orders_keep_the_counts_exact() {
    let app = App::spawn().await;
    let (a, b, c, w) = (id(), id(), id(), id());
    let orders: Vec<Uuid> = (0..8).map(|_| id()).collect();
    // Two events per order with overlapping lines in opposite orders, all in one hour, all at once.
    let events: Vec<Value> = orders
        .iter()
        .flat_map(|&order| {
            [
                order_event(
                    order,
                    "2025-07-01T08:05:00Z",
                    vec![item(a, w, 1, 1.0), item(b, w, 1, 2.0)],
                ),
                order_event(
                    order,
                    "2025-07-01T08:05:00Z",
                    vec![item(c, w, 1, 3.0), item(b, w, 1, 2.0)],
                ),
            ]
        })
        .collect();
    let answers = futures::future::join_all(events.iter().map(|e| app.deliver(e))).await;
    for res in &answers {
        assert_eq!(res.status, 200, "{res:?}");
        assert_eq!(res.body["data"]["result"], "applied");
    }
    let data = totals_of(&app, "from=2025-07-01&to=2025-07-01").await;
    assert_eq!(data["totals"]["lines"], 24, "{data}");
    assert_eq!(data["totals"]["orders"], 8, "{data}");
    for p in [a, b, c] {
        let one = totals_of(
            &app,
            &format!("from=2025-07-01&to=2025-07-01&product_id={p}"),
        )
        .await;
        assert_eq!(one["totals"]["orders"], 8, "{one}");
    }
    let by_warehouse = totals_of(
        &app,
        &format!("from=2025-07-01&to=2025-07-01&warehouse_id={w}"),
    )
    .await;
    assert_eq!(by_warehouse["totals"]["orders"], 8, "{by_warehouse}");
}
