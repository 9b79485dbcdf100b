//! The summary's SQL (api/sales-report.md §2.4), PostgreSQL 15: totals and per-bucket sums share one
//! `WHERE`, rows are grouped by the three-argument `date_trunc`, and the gap-free bucket starts come from a
//! three-argument `generate_series` over local wall-clock time converted back to UTC.

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

use super::push_where;
use crate::domain::buckets::Interval;
use crate::domain::filter::SalesFilter;
use crate::domain::summary::{Bucket, Totals};

/// The first and last sale time matching `filter` (for bounds the caller left open).
pub async fn extent(
    pool: &PgPool,
    filter: &SalesFilter,
) -> Result<(Option<DateTime<Utc>>, Option<DateTime<Utc>>), sqlx::Error> {
    let mut query = QueryBuilder::<Postgres>::new("SELECT min(sold_at), max(sold_at) FROM sales");
    push_where(&mut query, filter);
    let row = query.build().fetch_one(pool).await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

fn totals_query<'a>(prefix: &str, filter: &'a SalesFilter) -> QueryBuilder<'a, Postgres> {
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
fn buckets_query<'a>(
    prefix: &str,
    filter: &'a SalesFilter,
    interval: Interval,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryBuilder<'a, Postgres> {
    let (i, tz) = (interval.as_str(), filter.tz.name());
    let mut query = QueryBuilder::new(format!(
        "{prefix}WITH b AS (SELECT g AS local_start, g AT TIME ZONE "
    ));
    query
        .push_bind(tz)
        .push("::text AS start FROM generate_series(date_trunc(")
        .push_bind(i)
        .push("::text, ")
        .push_bind(from)
        .push("::timestamptz, ")
        .push_bind(tz)
        .push("::text) AT TIME ZONE ")
        .push_bind(tz)
        .push("::text, date_trunc(")
        .push_bind(i)
        .push("::text, ")
        .push_bind(to)
        .push("::timestamptz, ")
        .push_bind(tz)
        .push("::text) AT TIME ZONE ")
        .push_bind(tz)
        .push("::text, ('1 ' || ")
        .push_bind(i)
        .push("::text)::interval) AS g), a AS (SELECT date_trunc(")
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

/// Σ over the rows matching `filter`, with the margin rate.
pub async fn totals(pool: &PgPool, filter: &SalesFilter) -> Result<Totals, sqlx::Error> {
    let totals: Totals = totals_query("", filter)
        .build_query_as()
        .fetch_one(pool)
        .await?;
    Ok(totals.with_rate())
}

/// One bucket per interval from the one holding `from` to the one holding `to`, oldest first, zeros
/// where nothing sold. `filter`'s bounds should be `from` and `to`, so that Σ buckets = totals.
pub async fn buckets(
    pool: &PgPool,
    filter: &SalesFilter,
    interval: Interval,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Bucket>, sqlx::Error> {
    buckets_query("", filter, interval, from, to)
        .build_query_as()
        .fetch_all(pool)
        .await
}

/// The plans PostgreSQL chooses for the summary's two queries (`EXPLAIN`), for the index checks of
/// api/sales-report.md §6 check 18 and an operator's look.
pub async fn explain(
    pool: &PgPool,
    filter: &SalesFilter,
    interval: Interval,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<String>, sqlx::Error> {
    let mut lines: Vec<String> = totals_query("EXPLAIN ", filter)
        .build_query_scalar()
        .fetch_all(pool)
        .await?;
    let buckets: Vec<String> = buckets_query("EXPLAIN ", filter, interval, from, to)
        .build_query_scalar()
        .fetch_all(pool)
        .await?;
    lines.extend(buckets);
    Ok(lines)
}
