//! The summary from the hourly rollup (migration 0003, issue 14), for ranges whose bucket boundaries are all
//! whole UTC hours, so that every hour lies in one bucket. The whole hours of [from, to] come from
//! `sales_hourly`, the partial hours at either edge from `sales` (through its `sold_at`, product and warehouse
//! indexes); each hour is then placed in its bucket by the three-argument `date_trunc`. One statement gives
//! the buckets and the totals (the row without a start), from one snapshot, so that Σ buckets = totals.
//!
//! `orders` and `reversals` are distinct orders. An hour's count is exact, and all rows of one event share
//! `sold_at`, so summing hours is exact too, except for an order whose rows of one kind lie in several hours
//! (a second event for the order with another time): `sales_split_orders` names those, and their surplus
//! (hours − 1 per order, within a bucket and within the range) is subtracted.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{Postgres, QueryBuilder};

use super::{push_buckets, push_rollup_key};
use crate::domain::buckets::Interval;
use crate::domain::filter::SalesFilter;
use crate::domain::summary::{Bucket, Totals};
use crate::store::push_where;

const HOUR_MICROS: i64 = 3_600_000_000;

/// The whole UTC hours inside the inclusive range [from, to], as the half-open range [lo, hi) of their
/// starts; `lo == hi` when there is none. Rows in [from, lo) and [hi, to] are the partial edge hours.
pub(super) fn whole_hours(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    // PostgreSQL keeps microseconds; round the bounds the way it stores them.
    let (from, to) = (from.timestamp_micros(), to.timestamp_micros());
    let lo = from.div_euclid(HOUR_MICROS) * HOUR_MICROS
        + if from.rem_euclid(HOUR_MICROS) == 0 {
            0
        } else {
            HOUR_MICROS
        };
    let hi = (to + 1).div_euclid(HOUR_MICROS) * HOUR_MICROS;
    let at =
        |micros: i64| DateTime::from_timestamp_micros(micros).unwrap_or(DateTime::<Utc>::MIN_UTC);
    (at(lo), at(hi.max(lo)))
}

/// A bucket (`start` set) or the totals (`start` null) as the query returns it.
#[derive(sqlx::FromRow)]
pub(super) struct Figures {
    start: Option<DateTime<Utc>>,
    label: Option<String>,
    revenue: Decimal,
    quantity: i64,
    margin: Decimal,
    orders: i64,
    reversals: i64,
    lines: i64,
}

/// Splits the query's rows into the totals and the buckets.
pub(super) fn split(rows: Vec<Figures>) -> (Totals, Vec<Bucket>) {
    let mut totals = Totals::default();
    let mut buckets = Vec::with_capacity(rows.len());
    for row in rows {
        match row.start {
            None => {
                totals = Totals {
                    revenue: row.revenue,
                    quantity: row.quantity,
                    margin: row.margin,
                    margin_rate: None,
                    orders: row.orders,
                    reversals: row.reversals,
                    lines: row.lines,
                }
            }
            Some(start) => buckets.push(Bucket {
                start,
                label: row.label.unwrap_or_default(),
                revenue: row.revenue,
                quantity: row.quantity,
                margin: row.margin,
                orders: row.orders,
                reversals: row.reversals,
            }),
        }
    }
    (totals, buckets)
}

/// One row per sale hour: the summary's figures of `sales` rows matching `filter` with `sold_at` in
/// `[after, before)` (either end open when `None`).
fn push_raw_hours<'a>(
    query: &mut QueryBuilder<'a, Postgres>,
    filter: &'a SalesFilter,
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
) {
    query.push(
        "SELECT date_trunc('hour', sold_at, 'UTC') AS hour, sum(revenue) AS revenue,
             sum(product_quantity) AS quantity, sum(margin_total) AS margin,
             count(DISTINCT order_id) FILTER (WHERE kind = 'sale') AS orders,
             count(DISTINCT order_id) FILTER (WHERE kind = 'reversal') AS reversals, count(*) AS lines
         FROM sales",
    );
    push_where(query, filter);
    if let Some(after) = after {
        query.push(" AND sold_at >= ").push_bind(after);
    }
    if let Some(before) = before {
        query.push(" AND sold_at < ").push_bind(before);
    }
    query.push(" GROUP BY 1");
}

/// `filter` must carry both bounds, `from` and `to`: they are the first and last bucket.
pub(super) fn query<'a>(
    prefix: &str,
    filter: &'a SalesFilter,
    interval: Interval,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryBuilder<'a, Postgres> {
    let (i, tz) = (interval.as_str(), filter.tz.name());
    let (lo, hi) = whole_hours(from, to);
    let mut query = QueryBuilder::new(format!("{prefix}WITH b AS ("));
    push_buckets(&mut query, interval, tz, from, to);
    query.push(
        "), h AS (SELECT hour, revenue, quantity, margin, orders, reversals, lines FROM sales_hourly WHERE ",
    );
    push_rollup_key(&mut query, filter);
    query
        .push(" AND hour >= ")
        .push_bind(lo)
        .push(" AND hour < ")
        .push_bind(hi)
        .push(" UNION ALL ");
    push_raw_hours(&mut query, filter, None, Some(lo));
    query.push(" UNION ALL ");
    push_raw_hours(&mut query, filter, Some(hi), None);
    // The rows of orders split over hours, each with its bucket and hour: one look-up by order in the
    // unique key's index per such order (normally none). `OFFSET 0` keeps the subquery lateral, so a
    // generic plan cannot turn it into a scan of the range's rows.
    query.push(
        "), x AS (SELECT o.order_id, o.kind, r.start, r.hour FROM sales_split_orders o CROSS JOIN LATERAL
             (SELECT date_trunc(",
    );
    query
        .push_bind(i)
        .push("::text, sold_at, ")
        .push_bind(tz)
        .push("::text) AS start, date_trunc('hour', sold_at, 'UTC') AS hour FROM sales");
    push_where(&mut query, filter);
    query.push(
        " AND sales.order_id = o.order_id AND sales.kind = o.kind OFFSET 0) r),
         -- Their surplus per bucket, and in the whole range (start null).
         f AS (SELECT start, sum(surplus) FILTER (WHERE kind = 'sale') AS orders,
                  sum(surplus) FILTER (WHERE kind = 'reversal') AS reversals
               FROM (SELECT start, kind, count(DISTINCT hour) - 1 AS surplus FROM x
                     GROUP BY GROUPING SETS ((order_id, kind, start), (order_id, kind))) s
               GROUP BY start),
         -- Per bucket, and in the whole range (start null).
         a AS (SELECT start, sum(revenue) AS revenue, sum(quantity) AS quantity, sum(margin) AS margin,
                  sum(orders) AS orders, sum(reversals) AS reversals, sum(lines) AS lines
               FROM (SELECT date_trunc(",
    );
    query
        .push_bind(i)
        .push("::text, hour, ")
        .push_bind(tz)
        .push(
            "::text) AS start, * FROM h) hb GROUP BY GROUPING SETS ((start), ())),
         figures AS (SELECT b.start, to_char(b.local_start, ",
        )
        .push_bind(interval.label_format())
        .push(
            "::text) AS label, a.revenue, a.quantity, a.margin, a.orders - COALESCE(f.orders, 0) AS orders,
                 a.reversals - COALESCE(f.reversals, 0) AS reversals, a.lines
             FROM b LEFT JOIN a ON a.start = b.start LEFT JOIN f ON f.start = b.start
             UNION ALL
             SELECT NULL, NULL, a.revenue, a.quantity, a.margin, a.orders - COALESCE(f.orders, 0),
                 a.reversals - COALESCE(f.reversals, 0), a.lines
             FROM a LEFT JOIN f ON f.start IS NULL WHERE a.start IS NULL)
         SELECT start, label, COALESCE(revenue, 0) AS revenue, COALESCE(quantity, 0)::bigint AS quantity,
             COALESCE(margin, 0) AS margin, COALESCE(orders, 0)::bigint AS orders,
             COALESCE(reversals, 0)::bigint AS reversals, COALESCE(lines, 0)::bigint AS lines
         FROM figures ORDER BY start NULLS FIRST",
        );
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn whole_hours_are_those_inside_the_inclusive_range() {
        let day = whole_hours(t("2025-03-01T00:00:00Z"), t("2025-03-01T23:59:59.999999Z"));
        assert_eq!(day, (t("2025-03-01T00:00:00Z"), t("2025-03-02T00:00:00Z")));
        let ragged = whole_hours(t("2025-03-01T10:15:00Z"), t("2025-03-01T13:00:00Z"));
        assert_eq!(
            ragged,
            (t("2025-03-01T11:00:00Z"), t("2025-03-01T13:00:00Z"))
        );
        // Inside one hour: no whole hour, the edges cover the range.
        let inside = whole_hours(t("2025-03-01T10:15:00Z"), t("2025-03-01T10:45:00Z"));
        assert_eq!(
            inside,
            (t("2025-03-01T11:00:00Z"), t("2025-03-01T11:00:00Z"))
        );
        let nanos = whole_hours(
            t("2025-03-01T10:00:00.0000009Z"),
            t("2025-03-01T11:59:59.9999999Z"),
        );
        assert_eq!(
            nanos,
            (t("2025-03-01T10:00:00Z"), t("2025-03-01T12:00:00Z"))
        );
    }
}
