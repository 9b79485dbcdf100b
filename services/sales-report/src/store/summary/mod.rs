//! The summary's SQL (api/sales-report.md §2.4), PostgreSQL 15. Rows are grouped into buckets by the
//! three-argument `date_trunc`, and the gap-free bucket starts come from a three-argument `generate_series`
//! over local wall-clock time converted back to UTC. When every bucket boundary of the range is a whole UTC
//! hour the whole hours are read from the `sales_hourly` rollup ([`hourly`], issue 14); otherwise every row
//! is summed ([`raw`]). Both give the same figures.

mod hourly;
mod raw;

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use super::push_where;
use crate::domain::buckets::Interval;
use crate::domain::filter::SalesFilter;
use crate::domain::summary::{Bucket, Totals};

/// Pushes `SELECT local_start, start FROM generate_series(…)`: one row per bucket from the one holding
/// `from` to the one holding `to`, `local_start` in the zone's wall-clock time, `start` as UTC.
fn push_buckets<'a>(
    query: &mut QueryBuilder<'a, Postgres>,
    interval: Interval,
    tz: &'static str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) {
    let i = interval.as_str();
    query
        .push("SELECT g AS local_start, g AT TIME ZONE ")
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
        .push("::text)::interval) AS g");
}

/// Pushes the `sales_hourly` condition of `filter`'s product and warehouse: the grouping level (migration
/// 0003: bit 2 = all products, bit 1 = all warehouses) and the ids, nil where all are meant.
fn push_rollup_key(query: &mut QueryBuilder<'_, Postgres>, filter: &SalesFilter) {
    let level: i16 = match (filter.product_id, filter.warehouse_id) {
        (Some(_), Some(_)) => 0,
        (Some(_), None) => 1,
        (None, Some(_)) => 2,
        (None, None) => 3,
    };
    query
        .push("level = ")
        .push_bind(level)
        .push(" AND product_id = ")
        .push_bind(filter.product_id.unwrap_or(Uuid::nil()))
        .push(" AND warehouse_id = ")
        .push_bind(filter.warehouse_id.unwrap_or(Uuid::nil()));
}

/// Whether every bucket from the one holding `from` to the one holding `to` starts on a whole UTC hour in
/// `filter`'s zone (not so in Asia/Kolkata, +05:30, nor in the local mean time most zones kept before 1900).
async fn whole_hour_buckets(
    pool: &PgPool,
    filter: &SalesFilter,
    interval: Interval,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut query = QueryBuilder::new(
        "SELECT COALESCE(bool_and(date_trunc('hour', start, 'UTC') = start), true) FROM (",
    );
    push_buckets(&mut query, interval, filter.tz.name(), from, to);
    query.push(") b");
    query.build_query_scalar().fetch_one(pool).await
}

fn extent_query<'a>(prefix: &str, filter: &'a SalesFilter) -> QueryBuilder<'a, Postgres> {
    // The rollup names the first (last) hours with a matching sale; the exact time is then looked up in
    // `sales` within the first two (last two) of them: the first hour's sales may all lie before `from`.
    let mut query = QueryBuilder::new(format!("{prefix}WITH "));
    for (name, order) in [("first", "ASC"), ("last", "DESC")] {
        if name == "last" {
            query.push(", ");
        }
        query.push(format!("{name} AS (SELECT hour FROM sales_hourly WHERE "));
        push_rollup_key(&mut query, filter);
        if let Some(from) = filter.from {
            query
                .push(" AND hour >= date_trunc('hour', ")
                .push_bind(from)
                .push("::timestamptz, 'UTC')");
        }
        if let Some(to) = filter.to {
            query.push(" AND hour <= ").push_bind(to);
        }
        query.push(format!(" ORDER BY hour {order} LIMIT 2)"));
    }
    for (aggregate, name) in [("min", "first"), ("max", "last")] {
        query.push(if name == "first" { " SELECT " } else { ", " });
        query.push(format!("(SELECT {aggregate}(sold_at) FROM sales"));
        push_where(&mut query, filter);
        query.push(format!(
            " AND sold_at >= (SELECT min(hour) FROM {name}) \
             AND sold_at < (SELECT max(hour) FROM {name}) + interval '1 hour')"
        ));
    }
    query
}

/// The first and last sale time matching `filter` (for bounds the caller left open).
pub async fn extent(
    pool: &PgPool,
    filter: &SalesFilter,
) -> Result<(Option<DateTime<Utc>>, Option<DateTime<Utc>>), sqlx::Error> {
    let row = extent_query("", filter).build().fetch_one(pool).await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// Σ over the rows matching `filter`, with the margin rate, summed row by row (for the PDF, whose rows
/// are few).
pub async fn totals(pool: &PgPool, filter: &SalesFilter) -> Result<Totals, sqlx::Error> {
    let totals: Totals = raw::totals_query("", filter)
        .build_query_as()
        .fetch_one(pool)
        .await?;
    Ok(totals.with_rate())
}

/// Totals and one bucket per interval from the one holding `from` to the one holding `to`, oldest first,
/// zeros where nothing sold; no bucket when `from` > `to`. `filter`'s bounds should be `from` and `to`, so
/// that Σ buckets = totals.
pub async fn summarize(
    pool: &PgPool,
    filter: &SalesFilter,
    interval: Interval,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(Totals, Vec<Bucket>), sqlx::Error> {
    if from > to {
        return Ok((Totals::default().with_rate(), Vec::new()));
    }
    let (totals, buckets) = if whole_hour_buckets(pool, filter, interval, from, to).await? {
        let rows = hourly::query("", filter, interval, from, to)
            .build_query_as()
            .fetch_all(pool)
            .await?;
        hourly::split(rows)
    } else {
        raw::summarize(pool, filter, interval, from, to).await?
    };
    Ok((totals.with_rate(), buckets))
}

/// The plans PostgreSQL chooses for the queries [`summarize`] runs (`EXPLAIN`), for the index checks of
/// api/sales-report.md §6 check 18 and issue 14, and an operator's look.
pub async fn explain(
    pool: &PgPool,
    filter: &SalesFilter,
    interval: Interval,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<String>, sqlx::Error> {
    let queries = if whole_hour_buckets(pool, filter, interval, from, to).await? {
        vec![hourly::query("EXPLAIN ", filter, interval, from, to)]
    } else {
        vec![
            raw::totals_query("EXPLAIN ", filter),
            raw::buckets_query("EXPLAIN ", filter, interval, from, to),
        ]
    };
    let mut lines = Vec::new();
    for mut query in queries {
        let plan: Vec<String> = query.build_query_scalar().fetch_all(pool).await?;
        lines.extend(plan);
    }
    Ok(lines)
}

/// The plan of [`extent`]'s query (`EXPLAIN`).
pub async fn explain_extent(
    pool: &PgPool,
    filter: &SalesFilter,
) -> Result<Vec<String>, sqlx::Error> {
    extent_query("EXPLAIN ", filter)
        .build_query_scalar()
        .fetch_all(pool)
        .await
}
