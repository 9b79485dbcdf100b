//! The summary summed over every matching row of `sales`: the fallback when a bucket boundary of the range is
//! not a whole UTC hour (zones such as Asia/Kolkata, +05:30), where the hourly rollup cannot say which bucket
//! a row belongs to. Totals and per-bucket sums share one `WHERE` and one snapshot.

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder};

use super::push_buckets;
use crate::domain::buckets::Interval;
use crate::domain::filter::SalesFilter;
use crate::domain::summary::{Bucket, Totals};
use crate::store::push_where;

pub(super) fn totals_query<'a>(
    prefix: &str,
    filter: &'a SalesFilter,
) -> QueryBuilder<'a, Postgres> {
    let mut query = QueryBuilder::new(format!(
        "{prefix}SELECT COALESCE(sum(revenue), 0) AS revenue,
             COALESCE(sum(product_quantity), 0)::bigint AS quantity,
             COALESCE(sum(margin_total), 0) AS margin,
             count(DISTINCT order_id) FILTER (WHERE kind = 'sale') AS orders,
             count(DISTINCT order_id) FILTER (WHERE kind = 'reversal') AS reversals,
             count(*) AS lines
         FROM sales"
    ));
    push_where(&mut query, filter);
    query
}

/// `filter` must carry both bounds: they are the first and last bucket.
pub(super) fn buckets_query<'a>(
    prefix: &str,
    filter: &'a SalesFilter,
    interval: Interval,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryBuilder<'a, Postgres> {
    let (i, tz) = (interval.as_str(), filter.tz.name());
    let mut query = QueryBuilder::new(format!("{prefix}WITH b AS ("));
    push_buckets(&mut query, interval, tz, from, to);
    query
        .push("), a AS (SELECT date_trunc(")
        .push_bind(i)
        .push("::text, sold_at, ")
        .push_bind(tz)
        .push(
            "::text) AS start, sum(revenue) AS revenue, sum(product_quantity) AS quantity,
                 sum(margin_total) AS margin,
                 count(DISTINCT order_id) FILTER (WHERE kind = 'sale') AS orders,
                 count(DISTINCT order_id) FILTER (WHERE kind = 'reversal') AS reversals
             FROM sales",
        );
    push_where(&mut query, filter);
    query
        .push(" GROUP BY 1) SELECT b.start, to_char(b.local_start, ")
        .push_bind(interval.label_format())
        .push(
            "::text) AS label, COALESCE(a.revenue, 0) AS revenue,
                 COALESCE(a.quantity, 0)::bigint AS quantity, COALESCE(a.margin, 0) AS margin,
                 COALESCE(a.orders, 0) AS orders, COALESCE(a.reversals, 0) AS reversals
             FROM b LEFT JOIN a ON a.start = b.start ORDER BY b.start",
        );
    query
}

/// Totals and buckets from one snapshot, so that Σ buckets = totals even while sales arrive.
pub(super) async fn summarize(
    pool: &PgPool,
    filter: &SalesFilter,
    interval: Interval,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(Totals, Vec<Bucket>), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let totals: Totals = totals_query("", filter)
        .build_query_as()
        .fetch_one(&mut *tx)
        .await?;
    let buckets = buckets_query("", filter, interval, from, to)
        .build_query_as()
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((totals, buckets))
}
