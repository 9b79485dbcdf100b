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
