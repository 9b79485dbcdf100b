//! Query plans over a large table (api/sales-report.md §3 indexes, §6 check 18; issues 9 and 14): with the
//! benchmark's million rows in 30 days, a 30-day summary reads the whole hours from the `sales_hourly` rollup
//! and the partial edge hours through the indexes of `sales`, for every filter, and never scans `sales`. The
//! latency itself belongs to the benchmark, not to this test.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sales_report::domain::buckets::Interval;
use sales_report::domain::filter::SalesFilter;
use sales_report::store::summary::{explain, explain_extent};
use uuid::Uuid;

use crate::rollup::{product, seed_busy_month, warehouse};
use crate::support::App;

fn filter(
    (from, to): (Option<&str>, Option<&str>),
    product: Option<Uuid>,
    warehouse: Option<Uuid>,
    tz: Tz,
) -> SalesFilter {
    SalesFilter {
        from: from.map(|t| t.parse().unwrap()),
        to: to.map(|t| t.parse().unwrap()),
        product_id: product,
        warehouse_id: warehouse,
        tz,
    }
}

async fn plan(app: &App, f: &SalesFilter) -> String {
    let (from, to): (DateTime<Utc>, DateTime<Utc>) = (f.from.unwrap(), f.to.unwrap());
    explain(&app.pool, f, Interval::Day, from, to)
        .await
        .unwrap()
        .join("\n")
}

/// A sequential scan of `sales` itself (not of `sales_hourly` or `sales_split_orders`).
fn scans_sales(plan: &str) -> bool {
    plan.lines().any(|line| {
        line.contains("Seq Scan on sales ") || line.trim_end().ends_with("Seq Scan on sales")
    })
}

#[tokio::test]
async fn a_30_day_summary_over_a_million_rows_is_served_from_the_rollup_and_indexes() {
    let app = App::spawn().await;
    seed_busy_month(&app).await;
    assert!(app.row_count().await > 1_000_000);

    let filters = [
        (None, None),
        (Some(product(7)), None),
        (None, Some(warehouse(2))),
        (Some(product(7)), Some(warehouse(1))),
    ];
    let month = (
        Some("2025-03-01T00:00:00Z"),
        Some("2025-03-30T23:59:59.999999Z"),
    );
    let ragged = (Some("2025-03-01T10:17:03Z"), Some("2025-03-30T18:42:11.5Z"));
    for (p, w) in filters {
        for (bounds, tz) in [
            (month, Tz::UTC),
            (ragged, Tz::UTC),
            (ragged, Tz::America__New_York),
        ] {
            let f = filter(bounds, p, w, tz);
            let plan = plan(&app, &f).await;
            assert!(!scans_sales(&plan), "{f:?}\n{plan}");
            assert!(plan.contains("sales_hourly_pkey"), "{f:?}\n{plan}");
        }
        // Open bounds: the first and last sale come from the rollup's hours, then one or two hours of rows.
        for bounds in [(None, month.1), (month.0, None), (None, None)] {
            let f = filter(bounds, p, w, Tz::UTC);
            let plan = explain_extent(&app.pool, &f).await.unwrap().join("\n");
            assert!(!scans_sales(&plan), "{f:?}\n{plan}");
            assert!(plan.contains("sales_hourly_pkey"), "{f:?}\n{plan}");
        }
    }

    // The edge hours go through the product and warehouse indexes (§6 check 18) ...
    let day = (Some("2025-03-10T00:30:00Z"), Some("2025-03-10T23:29:59Z"));
    let by_product = plan(&app, &filter(day, Some(product(7)), None, Tz::UTC)).await;
    assert!(
        by_product.contains("sales_product_sold_at_idx"),
        "{by_product}"
    );
    let by_warehouse = plan(&app, &filter(day, None, Some(warehouse(2)), Tz::UTC)).await;
    assert!(
        by_warehouse.contains("sales_warehouse_sold_at_idx"),
        "{by_warehouse}"
    );
    // ... and so do all rows where bucket boundaries are not whole hours (+05:30).
    let kolkata = filter(day, Some(product(7)), None, Tz::Asia__Kolkata);
    let by_product = plan(&app, &kolkata).await;
    assert!(!by_product.contains("sales_hourly"), "{by_product}");
    assert!(
        by_product.contains("sales_product_sold_at_idx"),
        "{by_product}"
    );
    assert!(!scans_sales(&by_product), "{by_product}");

    // The route answers over the same table (its latency is the benchmark's business).
    let summary = app
        .admin_get("/v1/sales/summary?from=2025-03-01&to=2025-03-30")
        .await;
    assert_eq!(
        summary.body["data"]["buckets"].as_array().unwrap().len(),
        30
    );
    let lines: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sales WHERE sold_at < timestamptz '2025-03-31 00:00:00+00'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(summary.body["data"]["totals"]["lines"], lines);
}
