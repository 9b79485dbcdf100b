//! Query plans over a large table (api/sales-report.md §3 indexes, §6 check 18; issue 9 check 5): with
//! 1,000,000 rows a 30-day summary reads through indexes, never a sequential scan of `sales`. The latency
//! itself belongs to the benchmark, not to this test.

use chrono::{DateTime, Utc};
use sales_report::domain::buckets::Interval;
use sales_report::domain::filter::SalesFilter;
use sales_report::store::summary::explain;
use uuid::Uuid;

use crate::support::App;

fn product(n: u32) -> Uuid {
    Uuid::parse_str(&format!("00000000-0000-4000-8000-{n:012x}")).unwrap()
}

fn warehouse(n: u32) -> Uuid {
    Uuid::parse_str(&format!("00000000-0000-4000-9000-{n:012x}")).unwrap()
}

fn filter(from: &str, to: &str, product: Option<Uuid>, warehouse: Option<Uuid>) -> SalesFilter {
    SalesFilter {
        from: Some(from.parse().unwrap()),
        to: Some(to.parse().unwrap()),
        product_id: product,
        warehouse_id: warehouse,
        tz: chrono_tz::Tz::UTC,
    }
}

async fn plan(app: &App, f: &SalesFilter) -> String {
    let (from, to): (DateTime<Utc>, DateTime<Utc>) = (f.from.unwrap(), f.to.unwrap());
    explain(&app.pool, f, Interval::Day, from, to)
        .await
        .unwrap()
        .join("\n")
}

#[tokio::test]
async fn a_30_day_summary_over_a_million_rows_is_served_from_indexes() {
    let app = App::spawn().await;
    // 1,000,000 sales, one every 90 s from 2023-01-01 (about 2.9 years), 500 products, 10 warehouses.
    sqlx::query(
        "INSERT INTO sales (id, order_id, user_id, product_id, warehouse_id, product_name, sku, kind,
             product_quantity, price, margin_per_product, margin_source, margin_rate, sold_at, source_event_id)
         SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(),
             ('00000000-0000-4000-8000-' || lpad(to_hex(g % 500), 12, '0'))::uuid,
             ('00000000-0000-4000-9000-' || lpad(to_hex(g % 10), 12, '0'))::uuid,
             'p' || (g % 500), '', 'sale', 1 + g % 5, (g % 1000) + 0.99, round(((g % 1000) + 0.99) * 0.15, 2),
             'default_rate', 0.15, timestamptz '2023-01-01 00:00:00+00' + g * interval '90 seconds',
             gen_random_uuid()
         FROM generate_series(1, 1000000) AS g",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE sales")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.row_count().await, 1_000_000);

    let month = ("2024-05-01T00:00:00Z", "2024-05-30T23:59:59.999999Z");
    for f in [
        filter(month.0, month.1, None, None),
        filter(month.0, month.1, Some(product(7)), None),
        filter(month.0, month.1, None, Some(warehouse(3))),
        filter(month.0, month.1, Some(product(7)), Some(warehouse(7))),
    ] {
        let plan = plan(&app, &f).await;
        assert!(!plan.contains("Seq Scan on sales"), "{f:?}\n{plan}");
        assert!(plan.contains("Index"), "{plan}");
    }
    let day = ("2024-05-10T00:00:00Z", "2024-05-10T23:59:59.999999Z");
    let by_product = plan(&app, &filter(day.0, day.1, Some(product(7)), None)).await;
    assert!(
        by_product.contains("sales_product_sold_at_idx"),
        "{by_product}"
    );
    let by_warehouse = plan(&app, &filter(day.0, day.1, None, Some(warehouse(3)))).await;
    assert!(
        by_warehouse.contains("sales_warehouse_sold_at_idx"),
        "{by_warehouse}"
    );

    // The route answers over the same table (its latency is the benchmark's business).
    let summary = app
        .admin_get("/v1/sales/summary?from=2024-05-01&to=2024-05-30")
        .await;
    assert_eq!(
        summary.body["data"]["buckets"].as_array().unwrap().len(),
        30
    );
    assert_eq!(summary.body["data"]["totals"]["lines"], 28800);
}
