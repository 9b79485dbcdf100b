//! `GET /v1/sales/summary` — totals and gap-filled time buckets (api/sales-report.md §2.4).

use axum::extract::State;
use chrono::{DateTime, Utc};
use eshop_common::envelope::{ok, Envelope, Reply};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Query;
use eshop_common::openapi::{BearerRefused, Fault};
use eshop_common::{AppError, AppResult};
use serde::Serialize;

use super::{invalid_query, Admin};
use crate::domain::buckets::{bucket_count, Interval};
use crate::domain::filter::{parse_interval, FilterParams, IntervalParams, SalesFilter};
use crate::domain::summary::{Bucket, Totals};
use crate::store;
use crate::AppState;

/// The summary (§2.4): the effective bounds, the echoed interval and zone, totals and gap-filled buckets.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Summary {
    /// The effective lower bound: as given, else the first matching sale; null when there is none and none
    /// was given.
    #[schema(required = true)]
    from: Option<DateTime<Utc>>,
    /// The effective upper bound: as given, else now (or a later sale).
    to: DateTime<Utc>,
    #[schema(schema_with = interval_names)]
    interval: &'static str,
    /// The IANA zone the buckets are cut in.
    tz: &'static str,
    totals: Totals,
    /// One per interval in range, gap-filled with zeros, oldest first.
    buckets: Vec<Bucket>,
}

/// `interval`: the echo of one of the interval names.
fn interval_names() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Interval::ALL.map(Interval::as_str)))
        .build()
}

/// Totals and gap-filled time buckets over the filtered rows
///
/// api/sales-report.md §2.4. Without `from` the buckets start at the first matching sale; without `to` they
/// end now. Σ buckets = totals; reversal rows count negative.
#[utoipa::path(
    get,
    path = "/v1/sales/summary",
    operation_id = "salesSummary",
    tag = "sales",
    params(FilterParams, IntervalParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "summary (message success get)", body = Envelope<Summary>),
        (status = 400, description = "a bad filter or parameter (causes name it)", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 422, description = "more buckets than SALES_MAX_BUCKETS: choose a wider interval or a shorter range", body = ErrorBody),
        Fault,
        (status = 503, description = "the database or the token keys are unavailable (the message carries the request id)", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn summary(
    Admin(_): Admin,
    State(state): State<AppState>,
    Query(filter): Query<FilterParams>,
    Query(interval): Query<IntervalParams>,
) -> AppResult<Reply<Summary>> {
    let filter = SalesFilter::parse(&filter);
    let interval = parse_interval(&interval);
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
        to,
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
