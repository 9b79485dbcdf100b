//! R1–R3: reservations for managers, and an admin's repair release (contract: api/warehouse.md §2.5).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use eshop_common::envelope::{ok, updated, Envelope};
use eshop_common::error::ErrorBody;
use eshop_common::extract::Query;
use eshop_common::openapi::{BearerRefused, DatabaseUnavailable, Fault};
use eshop_common::AppError;
use serde::Deserialize;
use uuid::Uuid;

use super::{list_reply, Admin, Id, ListReply, Manager};
use crate::domain::reservation::ReservationStatus;
use crate::domain::validate::{paging, Checks};
use crate::error::{ApiError, ApiResult};
use crate::ops::transition::{self, Outcome, Transition};
use crate::store::reservations::{self, ReservationFilter, ReservationView};
use crate::AppState;

/// R1's filters and paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReservationQuery {
    #[param(value_type = Option<ReservationStatus>, nullable = false)]
    status: Option<String>,
    #[param(nullable = false)]
    user_id: Option<Uuid>,
    /// RFC 3339, inclusive; not after until
    #[param(nullable = false)]
    since: Option<DateTime<Utc>>,
    /// RFC 3339, inclusive
    #[param(nullable = false)]
    until: Option<DateTime<Utc>>,
    #[param(nullable = false, minimum = 0, default = 0)]
    skip: Option<i64>,
    #[param(nullable = false, minimum = 1, maximum = 500, default = 50)]
    limit: Option<i64>,
}

/// R1 reservations, newest first (managers)
///
/// Always paged.
#[utoipa::path(
    get,
    path = "/v1/reservations",
    operation_id = "listReservations",
    tag = "reservations",
    params(ReservationQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "a page: `data` is an array and `count` the total", body = ListReply<ReservationView>),
        (status = 400, description = "bad filter or paging", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not a manager", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
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

/// R2 one reservation (managers)
#[utoipa::path(
    get,
    path = "/v1/reservations/{order_id}",
    operation_id = "getReservation",
    tag = "reservations",
    params(("order_id" = Uuid, Path, description = "order id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "success", body = Envelope<ReservationView>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not a manager", body = ErrorBody),
        (status = 404, description = "no reservation for this order", body = ErrorBody),
        Fault,
        DatabaseUnavailable,
    )
)]
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

/// R3 release a reservation (admin)
///
/// X3 for an admin: repairs a reservation whose order never got stored. RESERVED → RELEASED (stock back to
/// available); already released → 200, no change.
#[utoipa::path(
    post,
    path = "/v1/reservations/{order_id}/release",
    operation_id = "adminRelease",
    tag = "reservations",
    params(("order_id" = Uuid, Path, description = "order id (a non-UUID answers 400)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "released, or already released", body = Envelope<ReservationView>),
        (status = 400, description = "id not a UUID", body = ErrorBody),
        BearerRefused,
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no reservation for this order", body = ErrorBody),
        (status = 409, description = "the reservation is committed or returned", body = ErrorBody),
        Fault,
        (status = 503, description = "the database is unavailable, or the stock stayed busy (the message carries the request id)", body = ErrorBody),
    )
)]
pub async fn release(
    State(state): State<AppState>,
    _: Admin,
    Id(order_id): Id,
) -> ApiResult<Response> {
    let outcome = transition::apply(&state.pool, order_id, Transition::Release).await?;
    state.stock_changed();
    transition_reply(outcome, "cannot release")
}
