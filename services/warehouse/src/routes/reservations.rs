//! R1–R3: reservations for managers, and an admin's repair release (contract: api/warehouse.md §2.5).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use eshop_common::envelope::{ok, updated};
use eshop_common::extract::Query;
use eshop_common::AppError;
use serde::Deserialize;
use uuid::Uuid;

use super::{list_reply, Admin, Id, Manager};
use crate::domain::reservation::ReservationStatus;
use crate::domain::validate::{paging, Checks};
use crate::error::{ApiError, ApiResult};
use crate::ops::transition::{self, Outcome, Transition};
use crate::store::reservations::{self, ReservationFilter};
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct ReservationQuery {
    status: Option<String>,
    user_id: Option<Uuid>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    skip: Option<i64>,
    limit: Option<i64>,
}

/// R1: newest first, always paged.
pub async fn list(
    State(state): State<AppState>,
    _: Manager,
    Query(q): Query<ReservationQuery>,
) -> ApiResult<Response> {
    let mut checks = Checks::new();
    let status = q.status.as_deref().and_then(|s| {
        let parsed = ReservationStatus::parse(s);
        if parsed.is_none() {
            checks.fail(
                "status",
                "must be RESERVED, COMMITTED, RELEASED or RETURNED",
            );
        }
        parsed
    });
    if let (Some(since), Some(until)) = (q.since, q.until) {
        if since > until {
            checks.fail("since", "must not be after until");
        }
    }
    checks.finish()?;
    let (skip, limit) = paging(q.skip, q.limit)?;
    let filter = ReservationFilter {
        status,
        user_id: q.user_id,
        since: q.since,
        until: q.until,
    };
    let (rows, count) = reservations::list(&state.pool, &filter, skip, limit).await?;
    Ok(list_reply(rows, count, true))
}

/// R2.
pub async fn show(
    State(state): State<AppState>,
    _: Manager,
    Id(order_id): Id,
) -> ApiResult<Response> {
    let found = reservations::get(&state.pool, order_id)
        .await?
        .ok_or_else(|| AppError::not_found("reservation not found"))?;
    Ok(ok(found).into_response())
}

/// The HTTP answer of X2, X3 and R3: applied or already there → 200, refused → 409, unknown → 404.
pub fn transition_reply(outcome: Outcome, refused: &str) -> ApiResult<Response> {
    match outcome {
        Outcome::Applied(view) | Outcome::AlreadyDone(view) => Ok(updated(view).into_response()),
        Outcome::Refused(view) => Err(ApiError::conflict(
            format!("{refused}: the reservation is {}", view.status),
            vec![],
        )),
        Outcome::Unknown => Err(AppError::not_found("reservation not found").into()),
    }
}

/// R3 = X3 for an admin.
pub async fn release(
    State(state): State<AppState>,
    _: Admin,
    Id(order_id): Id,
) -> ApiResult<Response> {
    let outcome = transition::apply(&state.pool, order_id, Transition::Release).await?;
    state.stock_changed();
    transition_reply(outcome, "cannot release")
}
