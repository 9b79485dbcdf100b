//! The summary over the benchmark's shape (issue 14): a million sale rows inside 30 days, written straight
//! into `sales` by bulk statements, as `bench/src/scenarios/setup.rs` does. Whatever path the summary takes —
//! the hourly rollup with raw edge hours, or every row in a half-hour zone — it answers exactly what a plain
//! recomputation over the rows gives.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;

use crate::support::App;

pub fn product(n: u32) -> Uuid {
    Uuid::parse_str(&format!("00000000-0000-4000-8000-{n:012x}")).unwrap()
}

pub fn warehouse(n: u32) -> Uuid {
    Uuid::parse_str(&format!("00000000-0000-4000-9000-{n:012x}")).unwrap()
}

/// A product sold only as a line added to already counted orders by a second statement.
pub const ADDED_PRODUCT: u32 = 0xff;
/// A product sold only as a line added 90 minutes after its order's other lines.
pub const LATE_PRODUCT: u32 = 0xfe;

const COLUMNS: &str =
    "id, order_id, user_id, product_id, warehouse_id, product_name, kind, product_quantity, \
     price, margin_per_product, margin_source, margin_rate, sold_at, source_event_id";

/// 1,000,000 sale rows from 2025-03-01T00:00Z over 29.7 days: 333,334 orders of up to three lines (one
/// `sold_at` per order, 50 products, 3 warehouses); then, each by one more statement, reversals of every
/// 97th order two hours later, a line of [`ADDED_PRODUCT`] added to 20,000 orders at their own time, and a
/// line of [`LATE_PRODUCT`] added to 6,667 orders 90 minutes later (so they lie in two hours). Then `ANALYZE`.
pub async fn seed_busy_month(app: &App) {
    let order_number = "('x' || right(order_id::text, 12))::bit(48)::bigint";
    let statements = [
        format!(
            "INSERT INTO sales ({COLUMNS})
             SELECT gen_random_uuid(),
                 ('00000000-0000-4000-a000-' || lpad(to_hex(g / 3), 12, '0'))::uuid,
                 ('00000000-0000-4000-b000-' || lpad(to_hex(g / 3 % 5000), 12, '0'))::uuid,
                 ('00000000-0000-4000-8000-' || lpad(to_hex(g % 50), 12, '0'))::uuid,
                 ('00000000-0000-4000-9000-' || lpad(to_hex(g % 3), 12, '0'))::uuid,
                 'Bench car', 'sale', 1 + g % 3, (g % 900) + 100.37, round(((g % 900) + 100.37) * 0.15, 2),
                 'default_rate', 0.15, timestamptz '2025-03-01 00:00:00+00' + (g / 3) * interval '7.7 seconds',
                 gen_random_uuid()
             FROM generate_series(0, 999999) AS g"
        ),
        format!(
            "INSERT INTO sales ({COLUMNS})
             SELECT gen_random_uuid(), order_id, user_id, product_id, warehouse_id, product_name, 'reversal',
                 -product_quantity, price, margin_per_product, margin_source, margin_rate,
                 sold_at + interval '2 hours', gen_random_uuid()
             FROM sales WHERE kind = 'sale' AND {order_number} % 97 = 0"
        ),
        format!(
            "INSERT INTO sales ({COLUMNS})
             SELECT gen_random_uuid(), order_id, user_id, '{}', warehouse_id, 'Added', 'sale', 2, 9.99, 1.50,
                 'default_rate', 0.15, sold_at, gen_random_uuid()
             FROM sales WHERE kind = 'sale' AND product_id = '{}'",
            product(ADDED_PRODUCT),
            product(0)
        ),
        format!(
            "INSERT INTO sales ({COLUMNS})
             SELECT gen_random_uuid(), order_id, user_id, '{}', warehouse_id, 'Late', 'sale', 1, 5.55, 0.83,
                 'default_rate', 0.15, sold_at + interval '90 minutes', gen_random_uuid()
             FROM sales WHERE kind = 'sale' AND product_id = '{}' AND {order_number} % 10 = 0",
            product(LATE_PRODUCT),
            product(1)
        ),
        "ANALYZE sales".to_string(),
        "ANALYZE sales_hourly".to_string(),
    ];
    for statement in statements {
        sqlx::query(&statement).execute(&app.pool).await.unwrap();
    }
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(&v.to_string()).unwrap_or_else(|_| panic!("not a decimal: {v}"))
}

/// The summary's figures of one bucket or of the totals.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Figures {
    revenue: Decimal,
    quantity: i64,
    margin: Decimal,
    orders: i64,
    reversals: i64,
}

impl Figures {
    fn of(json: &Value) -> Figures {
        Figures {
            revenue: dec(&json["revenue"]),
            quantity: json["quantity"].as_i64().unwrap(),
            margin: dec(&json["margin"]),
            orders: json["orders"].as_i64().unwrap(),
            reversals: json["reversals"].as_i64().unwrap(),
        }
    }
}

/// One group of the recomputation: a bucket, or the totals (`start` null).
#[derive(sqlx::FromRow)]
struct Group {
    start: Option<DateTime<Utc>>,
    revenue: Decimal,
    quantity: i64,
    margin: Decimal,
    orders: i64,
    reversals: i64,
    lines: i64,
}

/// Totals, lines, and the figures per bucket start.
type Recomputed = (Figures, i64, BTreeMap<DateTime<Utc>, Figures>);

/// The summary of the rows in [from, to] with the filters, recomputed plainly: one `GROUP BY` over `sales`.
async fn recompute(
    app: &App,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    (product, warehouse): (Option<Uuid>, Option<Uuid>),
    interval: &str,
    tz: &str,
) -> Recomputed {
    let groups: Vec<Group> = sqlx::query_as(
        "SELECT date_trunc($1, sold_at, $2) AS start, COALESCE(sum(revenue), 0) AS revenue,
             COALESCE(sum(product_quantity), 0)::bigint AS quantity,
             COALESCE(sum(margin_total), 0) AS margin,
             count(DISTINCT order_id) FILTER (WHERE kind = 'sale') AS orders,
             count(DISTINCT order_id) FILTER (WHERE kind = 'reversal') AS reversals, count(*) AS lines
         FROM sales
         WHERE sold_at >= $3 AND sold_at <= $4 AND ($5::uuid IS NULL OR product_id = $5)
             AND ($6::uuid IS NULL OR warehouse_id = $6)
         GROUP BY GROUPING SETS ((date_trunc($1, sold_at, $2)), ())",
    )
    .bind(interval)
    .bind(tz)
    .bind(from)
    .bind(to)
    .bind(product)
    .bind(warehouse)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut totals = (Figures::default(), 0);
    let mut buckets = BTreeMap::new();
    for g in groups {
        let figures = Figures {
            revenue: g.revenue,
            quantity: g.quantity,
            margin: g.margin,
            orders: g.orders,
            reversals: g.reversals,
        };
        match g.start {
            Some(start) => {
                buckets.insert(start, figures);
            }
            None => totals = (figures, g.lines),
        }
    }
    (totals.0, totals.1, buckets)
}

/// Reads the summary with `query` and checks it against the recomputation; returns its `data`.
async fn check(
    app: &App,
    query: &str,
    filters: (Option<Uuid>, Option<Uuid>),
    interval: &str,
    tz: &str,
) -> Value {
    let mut path = format!("/v1/sales/summary?interval={interval}&tz={tz}&{query}");
    for (name, id) in [("product_id", filters.0), ("warehouse_id", filters.1)] {
        if let Some(id) = id {
            path.push_str(&format!("&{name}={id}"));
        }
    }
    let data = app.admin_get(&path).await.body["data"].clone();
    let bound = |name: &str| -> DateTime<Utc> { data[name].as_str().unwrap().parse().unwrap() };
    let (totals, lines, by_start) =
        recompute(app, (bound("from"), bound("to")), filters, interval, tz).await;
    assert_eq!(Figures::of(&data["totals"]), totals, "{path}: totals");
    assert_eq!(
        data["totals"]["lines"].as_i64().unwrap(),
        lines,
        "{path}: lines"
    );
    let buckets = data["buckets"].as_array().unwrap();
    let mut sum = Figures::default();
    let mut starts = Vec::new();
    for bucket in buckets {
        let start: DateTime<Utc> = bucket["start"].as_str().unwrap().parse().unwrap();
        let expected = by_start.get(&start).copied().unwrap_or_default();
        let got = Figures::of(bucket);
        assert_eq!(got, expected, "{path}: bucket {start}");
        sum.revenue += got.revenue;
        sum.quantity += got.quantity;
        sum.margin += got.margin;
        starts.push(start);
    }
    for start in by_start.keys() {
        assert!(
            starts.contains(start),
            "{path}: the rows of {start} have a bucket"
        );
    }
    assert!(
        starts.windows(2).all(|w| w[0] < w[1]),
        "{path}: oldest first"
    );
    assert_eq!(
        (sum.revenue, sum.quantity, sum.margin),
        (totals.revenue, totals.quantity, totals.margin),
        "{path}: Σ buckets = totals"
    );
    assert!(lines > 0, "{path}: the range holds sales");
    data
}

#[tokio::test]
async fn over_a_busy_month_the_summary_equals_a_recomputation_over_the_rows_on_every_path() {
    let app = App::spawn().await;
    seed_busy_month(&app).await;
    let (p, w) = (Some(product(7)), Some(warehouse(1)));
    let every_filter = [(None, None), (p, None), (None, w), (p, w)];
    let off_the_hour = "from=2025-03-02T10:17:03Z&to=2025-03-29T18:42:11.5Z";
    // UTC: the rollup inside, raw rows in the two partial hours.
    for filters in every_filter {
        check(&app, off_the_hour, filters, "day", "UTC").await;
    }
    // A whole-hour zone across its DST change (2025-03-09), date bounds in the zone.
    let new_york = "from=2025-03-02&to=2025-03-29";
    for filters in every_filter {
        check(&app, new_york, filters, "day", "America/New_York").await;
    }
    check(&app, off_the_hour, (None, w), "week", "America/New_York").await;
    // A half-hour zone: every row is summed instead.
    for filters in [(None, None), (p, w)] {
        check(&app, off_the_hour, filters, "day", "Asia/Kolkata").await;
    }
    // Lines added to counted orders by a later statement, in the same hour and 90 minutes later.
    for n in [ADDED_PRODUCT, LATE_PRODUCT] {
        check(&app, off_the_hour, (Some(product(n)), None), "day", "UTC").await;
    }
    let within_a_day = "from=2025-03-10T22:30:00Z&to=2025-03-11T23:15:00Z";
    let late = check(&app, within_a_day, (None, None), "day", "UTC").await;
    assert!(late["totals"]["reversals"].as_i64().unwrap() > 0);
    // Open bounds: the first matching sale (found through the rollup's first hours), and now.
    for filters in every_filter {
        let open = check(&app, "to=2025-03-31", filters, "month", "UTC").await;
        let first: DateTime<Utc> = sqlx::query_scalar(
            "SELECT min(sold_at) FROM sales
             WHERE ($1::uuid IS NULL OR product_id = $1) AND ($2::uuid IS NULL OR warehouse_id = $2)",
        )
        .bind(filters.0)
        .bind(filters.1)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let from: DateTime<Utc> = open["from"].as_str().unwrap().parse().unwrap();
        assert_eq!(from, first, "{filters:?}");
    }
    check(
        &app,
        "from=2025-03-20T07:07:07Z",
        (None, w),
        "week",
        "America/New_York",
    )
    .await;
}

#[tokio::test]
async fn sales_rows_are_append_only_and_truncate_empties_the_rollup() {
    let app = App::spawn().await;
    app.apply(
        &crate::support::sale(
            "2025-05-05T09:10:00Z",
            vec![crate::support::item(product(1), warehouse(1), 2, 5.0)],
        ),
        1,
    )
    .await;
    for statement in [
        "DELETE FROM sales",
        "UPDATE sales SET price = price + 1",
        "UPDATE sales SET sold_at = sold_at + interval '1 day'",
    ] {
        let refused = sqlx::query(statement).execute(&app.pool).await.unwrap_err();
        assert!(
            refused.to_string().contains("append-only"),
            "{statement}: {refused}"
        );
    }
    // A name is not a figure of the rollup.
    sqlx::query("UPDATE sales SET product_name = 'Renamed'")
        .execute(&app.pool)
        .await
        .unwrap();
    let hours: i64 = sqlx::query_scalar("SELECT count(*) FROM sales_hourly")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(hours, 4, "one row per grouping level");
    sqlx::query("TRUNCATE sales")
        .execute(&app.pool)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM sales_hourly")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let summary = app.admin_get("/v1/sales/summary?interval=month").await;
    assert_eq!(summary.body["data"]["totals"]["lines"], 0);
}
