//! `GET /v1/sales/summary` — totals and gap-filled time buckets (api/sales-report.md §2.4).

use axum::extract::State;
use chrono::{DateTime, Utc};
use eshop_common::envelope::{ok, Reply};
use eshop_common::extract::Query;
use eshop_common::{AppError, AppResult};
use serde::Serialize;

use super::{invalid_query, Admin};
use crate::domain::buckets::bucket_count;
use crate::domain::filter::{parse_interval, SalesFilter, SalesParams};
use crate::domain::summary::{Bucket, Totals};
use crate::store;
use crate::AppState;

#[derive(Serialize)]
pub struct Summary {
    /// The effective bounds: as given, else the first matching sale (null when none) and now.
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    interval: &'static str,
    tz: &'static str,
    totals: Totals,
    buckets: Vec<Bucket>,
}

#[tracing::instrument(skip_all)]
pub async fn summary(
    Admin(_): Admin,
    State(state): State<AppState>,
    Query(params): Query<SalesParams>,
) -> AppResult<Reply<Summary>> {
    let filter = SalesFilter::parse(&params);
    let interval = parse_interval(&params);
    let (filter, interval) = match (filter, interval) {
        (Ok(f), Ok(i)) => (f, i),
        (f, i) => {
            let causes = [f.err(), i.err()].into_iter().flatten().flatten().collect();
            return Err(invalid_query(causes));
        }
    };
    let (first, last) = match (filter.from, filter.to) {
        (Some(_), Some(_)) => (None, None),
        _ => store::summary::extent(&state.pool, &filter).await?,
    };
    let now = Utc::now();
    let from = filter.from.or(first);
    // Without `to` the buckets end now, or at a later sale so that Σ buckets = totals.
    let to = filter
        .to
        .unwrap_or_else(|| last.map_or(now, |l| l.max(now)));
    let mut summary = Summary {
        from,
        to: Some(to),
        interval: interval.as_str(),
        tz: filter.tz.name(),
        totals: Totals::default().with_rate(),
        buckets: Vec::new(),
    };
    let Some(from) = from else {
        // No bound given and no matching sale: nothing to sum.
        return Ok(ok(summary));
    };
    let buckets = bucket_count(from, to, interval, filter.tz);
    if buckets > state.settings.max_buckets {
        return Err(AppError::unprocessable(format!(
            "the range spans {buckets} buckets, more than {}: choose a wider interval or a shorter range",
            state.settings.max_buckets
        )));
    }
    let bounded = SalesFilter {
        from: Some(from),
        to: Some(to),
        ..filter
    };
    (summary.totals, summary.buckets) =
        store::summary::summarize(&state.pool, &bounded, interval, from, to).await?;
    Ok(ok(summary))
}
